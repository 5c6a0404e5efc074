"""Replacing an applicant's profile: one unit of work that also checks, at once, the new language
test against each open application's regulator (the language_test flag)."""

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from fairtrack.columns import utcnow
from fairtrack.database import unit_of_work
from flags.rules import language_test
from flags.service import store_findings
from law.calendar import local_date
from law.road import CLOSED_STATES
from profiles.schemas import ProfileData, ProfileView
from profiles.service import put_profile
from regulators.registry import Registry
from workflow.models import Application


def replace_profile(session: Session, actor: Actor, registry: Registry, data: ProfileData) -> ProfileView:
    with unit_of_work(session):
        view = put_profile(session, actor, data)
        now = utcnow()
        open_ids = session.scalars(
            select(col(Application.id)).where(
                col(Application.applicant_id) == actor.user_id,
                col(Application.state).not_in(CLOSED_STATES),
            )
        ).all()
        today = local_date(now)
        for app_id in open_ids:
            store_findings(session, language_test(session, registry, today, app_id), now)
        return view
