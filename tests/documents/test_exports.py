"""CSV exports: the rows of a filter, streamed, no personal data; regulators their own only."""

import csv
import io
from datetime import date

from sqlalchemy import func, select

from flags.models import Flag
from tests.support.histories import Cast
from tests.support.road import Road
from workflow.models import Event, StageInterval


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_exports_by_filter_and_scope(road: Road) -> None:
    cast = Cast(road)
    cno = cast.cno_refused_by_committee(date(2026, 3, 2), date(2026, 3, 6))
    peo = cast.peo_submitted(date(2026, 5, 4))
    oversight = road.oversight()
    with road.sessions() as session:
        events = session.scalar(select(func.count()).select_from(Event))
        intervals = session.scalar(select(func.count()).select_from(StageInterval))
        flags = session.scalar(select(func.count()).select_from(Flag))
    answer = oversight.get("/exports/events.csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = _rows(answer.text)
    assert len(rows) == events
    assert {r["reference"] for r in rows} == {cno, peo}
    assert "payload" not in rows[0] and "applicant_id" not in rows[0]
    assert len(_rows(oversight.get("/exports/stage_intervals.csv").text)) == intervals
    applications = _rows(oversight.get("/exports/applications.csv", params={"regulator": "cno"}).text)
    assert [a["reference"] for a in applications] == [cno]
    assert applications[0]["state"] == "refused_appealable"
    opened_in_may = _rows(oversight.get("/exports/applications.csv",
                                        params={"since": "2026-05-01", "until": "2026-05-31"}).text)
    assert [a["reference"] for a in opened_in_may] == [peo]
    flag_rows = _rows(oversight.get("/exports/flags.csv").text)
    assert len(flag_rows) == flags and flag_rows and flag_rows[0]["kind"]
    # A regulator: its own applications, whatever it asks; another's refused.
    mine = _rows(road.regulator("peo").get("/exports/events.csv").text)
    assert {r["reference"] for r in mine} == {peo}
    assert road.regulator("peo").get("/exports/events.csv",
                                     params={"regulator": "cno"}).status_code == 403
    assert cast.applicant.get("/exports/events.csv").status_code == 403
    assert oversight.get("/exports/payloads.csv").status_code == 422
    assert oversight.get("/exports/events.csv", params={"state": "nowhere"}).status_code == 422
    assert oversight.get("/exports/events.csv",
                         params={"since": "2026-06-01", "until": "2026-05-01"}).status_code == 422
