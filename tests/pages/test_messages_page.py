"""The applicant's messages page (/messages) in a real browser (Debian's headless Chromium), in
English and in French: empty, then with the emails a nurse's file wrote them (stages, the committee's
refusal with the time to appeal), one sent, one that could not be delivered, the rest on their way.

Checked with axe-core (WCAG 2.0 and 2.1, A and AA) at 320 px and at desktop width, photographed
into build/screenshots/messages-<language>/ (tests/pages/test_portal_walk.py's Walk). SQLite only:
tests/integrations/test_emails.py covers the page's content on both databases.
"""

import shutil
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlmodel import col

from integrations.models import OutboxMessage
from tests.pages.conftest import watch
from tests.pages.test_portal_walk import LOCALES, SCREENSHOTS, Walk
from tests.pages.test_staff_walk import log_in, speaks
from tests.support.integrations_world import to_the_committee
from tests.support.road import Road


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_messages_page_passes_axe_in_both_languages_at_320_px_and_desktop(
    browser: Any, site: str, road: Road, backend: str, lang: str
) -> None:
    from playwright.sync_api import expect

    if backend != "sqlite":
        pytest.skip("one browser check per language; the page's content is tested on both databases")
    nurse = road.applicant()
    speaks(road, [nurse], lang)
    context = browser.new_context(locale=LOCALES[lang])
    walk = Walk(watch(context), lang, site, audit=True, folder=f"messages-{lang}")
    shutil.rmtree(SCREENSHOTS / f"messages-{lang}", ignore_errors=True)
    t, page = walk.t, walk.page
    try:
        log_in(walk, site, nurse)
        walk.link(t.gettext("Your messages"))
        page.wait_for_url(f"{site}/messages")
        expect(page.locator("main")).to_contain_text(t.gettext("You have no message yet."))
        walk.stop("messages-empty")

        reference, cno = to_the_committee(road, nurse)
        cno.step(reference, "issue_decision", outcome="refused",
                 reasons="The clinical hours do not meet the entry-to-practice standard.")
        with road.sessions() as session, session.begin():
            ids = list(session.scalars(select(col(OutboxMessage.id)).where(
                col(OutboxMessage.recipient_id) == nurse.user_id).order_by(col(OutboxMessage.id))))
            assert len(ids) >= 3, ids
            session.execute(update(OutboxMessage).where(col(OutboxMessage.id) == ids[0])
                            .values(status="delivered"))
            session.execute(update(OutboxMessage).where(col(OutboxMessage.id) == ids[1])
                            .values(status="failed"))
        page.reload()
        cards = page.locator(".ft-card")
        expect(cards).to_have_count(len(ids))
        main = page.locator("main")
        expect(main).to_contain_text(reference)
        expect(main).to_contain_text(t.gettext("sent by email"))
        expect(main).to_contain_text(t.gettext("the email could not be delivered"))
        expect(main).to_contain_text(t.gettext("email on its way"))
        walk.stop("messages")
        walk.watched.settled().assert_clean()
    finally:
        context.close()
    assert walk.violations == {}, "\n".join(
        f"{where}:\n  " + "\n  ".join(found) for where, found in walk.violations.items())
