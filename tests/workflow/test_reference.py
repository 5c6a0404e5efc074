"""The public reference names the year the application was opened in Ontario."""

from datetime import UTC, datetime

from workflow.models import Application


def opened_at(moment: datetime) -> Application:
    return Application(id=123, created_at=moment, updated_at=moment)


def test_an_application_opened_on_new_years_eve_in_toronto_keeps_that_year() -> None:
    # 23:30 on 31 December in Toronto (EST, UTC-5) is already 1 January in UTC.
    assert opened_at(datetime(2027, 1, 1, 4, 30, tzinfo=UTC)).reference == "FT-2026-000123"


def test_an_application_opened_after_midnight_in_toronto_takes_the_new_year() -> None:
    assert opened_at(datetime(2027, 1, 1, 5, 30, tzinfo=UTC)).reference == "FT-2027-000123"
