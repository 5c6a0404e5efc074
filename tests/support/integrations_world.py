"""The CNO road to a refusal by the committee (which opens the applicant's appeal window), and a
worker pointed at a test SMTP server."""

from sqlalchemy.orm import Session, sessionmaker

from accounts.models import User
from casefile.worker import Worker
from fairtrack.database import transaction
from fairtrack.settings import Settings
from regulators.registry import Registry
from tests.support.road import Person, Road


def speaks(road: Road, person: Person, language: str) -> None:
    with transaction(road.sessions) as session:
        user = session.get(User, person.user_id)
        assert user is not None
        user.preferred_language = language


def to_the_committee(road: Road, nurse: Person) -> tuple[str, Person]:
    """A CNO application before the Registration Committee; the CNO person who decides."""
    nnas, cno = road.assessor("nnas"), road.regulator("cno")
    ref = nurse.open("cno", "rn")
    nurse.step(ref, "submit")
    nnas.step(ref, "start_assessment")
    nnas.step(ref, "complete_assessment")
    cno.step(ref, "begin_review")
    cno.step(ref, "refer_to_committee", reasons="Doubts that the clinical hours requirement is met.")
    cno.step(ref, "begin_review")
    return ref, cno


def worker(sessions: sessionmaker[Session], settings: Settings, registry: Registry, port: int,
           **more: object) -> Worker:
    configured = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port, **more})
    return Worker(sessions, configured, registry)
