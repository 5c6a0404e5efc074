"""Page sessions: a signed, expiring cookie holding the account, its credentials version, a CSRF
token and, once logged in, the token of its server-side record (accounts.models.PageSessionRecord),
which logout, a password change or an administrator's revocation end."""

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "fairtrack.page-session"


@dataclass(frozen=True)
class PageSession:
    csrf: str
    user_id: int | None = None
    credentials_version: int = 0
    token: str | None = None  # names the server-side record of a logged-in session

    @classmethod
    def anonymous(cls) -> "PageSession":
        return cls(csrf=secrets.token_urlsafe(32))

    def logged_in(self, user_id: int, credentials_version: int, token: str) -> "PageSession":
        # A new CSRF token at login: a token planted before login (session fixation) is useless.
        return PageSession(secrets.token_urlsafe(32), user_id, credentials_version, token)

    def accepts(self, csrf: str | None) -> bool:
        return csrf is not None and hmac.compare_digest(csrf.encode(), self.csrf.encode())


class SessionCodec:
    def __init__(self, secret: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self.max_age = max_age_seconds

    def dumps(self, session: PageSession) -> str:
        return self._serializer.dumps(
            {"c": session.csrf, "u": session.user_id, "v": session.credentials_version,
             "s": session.token}
        )

    def loads(self, cookie: str) -> PageSession | None:
        """The session a cookie carries, or None when it is forged, expired or malformed."""
        try:
            data: Any = self._serializer.loads(cookie, max_age=self.max_age)
        except BadSignature:  # also covers SignatureExpired
            return None
        if not isinstance(data, dict):
            return None
        csrf, user_id, version, token = data.get("c"), data.get("u"), data.get("v"), data.get("s")
        if not isinstance(csrf, str) or not isinstance(version, int):
            return None
        if user_id is not None and not isinstance(user_id, int):
            return None
        if token is not None and not isinstance(token, str):
            return None
        return PageSession(csrf, user_id, version, token)
