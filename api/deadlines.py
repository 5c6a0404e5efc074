"""The public deadline calculator: anyone (the applicant, their lawyer) can check any date."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import RegistryDep
from api.errors import responses
from deadlines.schemas import DeadlineCalculation
from deadlines.views import calculation
from fairtrack.errors import InvalidRequest
from law.windows import WINDOW_CODES, SentBy
from regulators.files import SLUG

router = APIRouter(prefix="/deadlines", tags=["deadlines"])


@router.get("/calculate", response_model=DeadlineCalculation, responses=responses(InvalidRequest))
def calculate_deadline(
    registry: RegistryDep,
    window: Annotated[str, Query(min_length=1, max_length=40,
                                 description=f"One of {list(WINDOW_CODES)}")],
    start: Annotated[date, Query(description="The day the decision or order was made (or the "
                                 "notice sent, with sent_by)")],
    regulator: Annotated[str | None, Query(max_length=80, pattern=SLUG, description="The body, "
                                           "for its route and its own windows")] = None,
    sent_by: Annotated[SentBy | None, Query(description="How the notice was sent: the receipt "
                                            "the law deems for it")] = None,
    received_on: Annotated[date | None, Query(description="The actual receipt, if known")] = None,
) -> DeadlineCalculation:
    """The last day of a window from a date: the counting rule, the holidays it stepped over, the
    citation and what is still to verify. No token needed."""
    return calculation(registry, window, start, regulator, sent_by, received_on)
