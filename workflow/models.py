"""Tables of the licensure road: applications, their event log and the stage projections."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, LargeBinary, UniqueConstraint, text
from sqlmodel import Column, Field, SQLModel

from fairtrack.columns import JSONDocument, UTCDateTime
from law.calendar import local_date
from law.road import Fact

# Application ids are INTEGER columns: a larger number names no application, and sent to
# PostgreSQL as a parameter it is an error ("integer out of range"), not an empty result.
MAX_APPLICATION_ID = 2**31 - 1


class Application(SQLModel, table=True):
    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_regulator_state", "regulator", "state"),
        Index("ix_applications_assessor_state", "assessor", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="users.id", index=True)
    regulator: str = Field(max_length=80)
    licence_class: str = Field(max_length=80)
    assessor: str | None = Field(default=None, max_length=80)
    # Route facts fixed at creation (from the regulator's rules version then in force), so that
    # replay never depends on today's registry.
    health_route: bool
    rules_version: int
    # A cache of the event log: replaying the events gives these three.
    state: str = Field(max_length=40, index=True)
    decided_by_committee: bool = False
    version: int = 0  # number of events; the expected_version of the next write
    head_hash: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))

    @property
    def reference(self) -> str:
        # The year the application was opened in Ontario, not in UTC (31 December evenings).
        return f"FT-{local_date(self.created_at).year}-{self.id:06d}"

    def opening_facts(self) -> set[Fact]:
        """The route facts fixed when the application was opened: where every replay starts."""
        return route_facts(self.health_route, self.assessor)

    def facts(self) -> set[Fact]:
        """The opening facts and what its history has established since."""
        facts = self.opening_facts()
        if self.decided_by_committee:
            facts.add(Fact.decided_by_committee)
        return facts


def route_facts(health_route: bool, assessor: str | None) -> set[Fact]:
    """The route facts an application is opened with: the health route, a third-party assessor."""
    facts: set[Fact] = set()
    if health_route:
        facts.add(Fact.health)
    if assessor is not None:
        facts.add(Fact.third_party_assessment)
    return facts


class Event(SQLModel, table=True):
    """Append-only. Each row holds the hash of the previous one, so edits and deletions show."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("application_id", "seq", name="uq_events_application_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="applications.id")
    seq: int
    trigger: str = Field(max_length=40)
    outcome: str | None = Field(default=None, max_length=40)
    from_state: str | None = Field(default=None, max_length=40)
    to_state: str = Field(max_length=40)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    actor_role: str = Field(max_length=20)
    actor_org: str | None = Field(default=None, max_length=80)
    occurred_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONDocument, nullable=False))
    # The application's facts this event set (workflow.ledger.APPLICATION_FACTS), under the hash:
    # every one of them in event 1, rules_version at submission, nothing otherwise.
    changes: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=Column(JSONDocument, nullable=False, server_default=text("'{}'")),
    )
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class StageInterval(SQLModel, table=True):
    """One visit to a state: the projection every timeline figure is computed from, in SQL."""

    __tablename__ = "stage_intervals"
    __table_args__ = (
        UniqueConstraint("application_id", "seq", name="uq_stage_intervals_application_seq"),
        Index("ix_stage_intervals_regulator_stage", "regulator", "stage", "exited_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="applications.id")
    regulator: str = Field(max_length=80)
    seq: int  # the event that entered this state
    state: str = Field(max_length=40)
    stage: str = Field(max_length=40)
    clock: str = Field(max_length=20)
    entered_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    exited_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    calendar_days: int | None = None  # set when the visit ends
    business_days: int | None = None
    # When the event that entered it was recorded, and the business days from then to the
    # recording of the event that ended it: the same visit as recorded rather than as back-dated.
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    recorded_business_days: int | None = None


class StageVisit(SQLModel, table=True):
    """A run of consecutive intervals in one stage, stored as the event that ends it is written:
    timeliness and expectations read completed visits here instead of rebuilding them from intervals
    on every query. Replaying the intervals gives these rows (`fairtrack verify` checks)."""

    __tablename__ = "stage_visits"
    __table_args__ = (
        UniqueConstraint("application_id", "seq", name="uq_stage_visits_application_seq"),
        Index("ix_stage_visits_exited_stage", "exited_at", "stage"),
        Index("ix_stage_visits_regulator_stage", "regulator", "stage", "exited_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="applications.id")
    regulator: str = Field(max_length=80)
    seq: int  # the event that entered the stage: the seq of the visit's first interval
    stage: str = Field(max_length=40)
    entered_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    exited_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    # The Ontario date of exited_at: figures by month, quarter and year count Ontario days, and
    # SQLite has no time zones to work it out in the query (PostgreSQL would; one answer for both).
    exited_on: date | None = None
    # Sums over the visit's ended intervals: final once exited_at is set.
    calendar_days: int = 0
    business_days: int = 0
    attributable_calendar_days: int = 0  # not on the applicant's clock (SPEC 4: pauses excluded)
    attributable_business_days: int = 0
    # The same, counted between the recordings of the events rather than the days they say they
    # occurred: a back-dated event moves time between clocks, and the two sums show how much.
    attributable_business_days_as_recorded: int = 0


class DecisionLetter(SQLModel, table=True):
    """The PDF letter a decision sent, kept byte for byte: its SHA-256 is in the decision event's
    payload (`letter_sha256`), so under the hash chain; `fairtrack verify` hashes these bytes again."""

    __tablename__ = "decision_letters"
    __table_args__ = (
        UniqueConstraint("application_id", "seq", name="uq_decision_letters_application_seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="applications.id")
    seq: int  # the decision event's
    lang: str = Field(max_length=5)
    sha256: str = Field(max_length=64)
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
