"""The applicant's messages: every email FairTrack wrote them (a change of stage, a decision with
its appeal deadline, a reminder before a deadline), as sent, newest first."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep
from api.pages.rendering import ApplicantVisitor
from integrations.repository import MESSAGES_SHOWN, messages_for

router = APIRouter(include_in_schema=False)


@router.get("/messages", response_class=HTMLResponse)
def my_messages(visitor: ApplicantVisitor, session: SessionDep) -> Response:
    assert visitor.person is not None and visitor.person.id is not None
    rows = messages_for(session, visitor.person.id)
    t = visitor.t
    return visitor.render("pages/messages.html", messages=rows, shown=MESSAGES_SHOWN,
                          breadcrumbs=[(t.gettext("Home"), "/")])
