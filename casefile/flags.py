"""Triage of a fairness flag (acknowledge, resolve with a note) as one unit of work. It never
touches the application: a flag is a finding about it, not a step on its road."""

from sqlalchemy.orm import Session

from accounts.actor import Actor
from fairtrack.database import unit_of_work
from flags.models import Flag
from flags.service import triage_flag
from workflow.repository import reference_of


def triage(session: Session, actor: Actor, flag_id: int, action: str, note: str | None) -> tuple[Flag, str]:
    """The flag after the step, with its application's public reference."""
    with unit_of_work(session):
        flag = triage_flag(session, actor, flag_id, action, note)
        return flag, reference_of(session, flag.application_id)
