"""Domain errors: each names its HTTP status once, so routes never map refusals by hand."""

from typing import Any, ClassVar


class DomainError(Exception):
    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **self.details}


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class InvalidTrigger(DomainError):
    """The trigger (or its outcome) is not a step of the road from the current state."""

    status_code = 409
    code = "invalid_trigger"


class VersionConflict(DomainError):
    status_code = 409
    code = "version_conflict"


class InvalidRequest(DomainError):
    status_code = 422
    code = "invalid_request"


class IdempotencyKeyReused(DomainError):
    status_code = 422
    code = "idempotency_key_reused"


class ServiceUnavailable(DomainError):
    """Not the caller's fault and not for long (the database busy, migrations pending): retry."""

    status_code = 503
    code = "service_unavailable"


class RateLimited(DomainError):
    """Too many attempts (or failures) for now: the answer says how many seconds to wait."""

    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


class DeadlineConflict(DomainError):
    """A step the application's deadlines do not allow now (e.g. a lapse before the last day has
    passed, an abandonment while the applicant's window is open); names the deadline."""

    status_code = 409
    code = "deadline_conflict"
