"""Sending what the outbox holds: an email over SMTP (settings: host, port, TLS, credentials), a
webhook over HTTPS with its signature. Each answers (ok, HTTP status, error) and never raises."""

import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

import httpx

from fairtrack.settings import Settings
from integrations.models import OutboxMessage, WebhookSubscription
from integrations.signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature,
)

MESSAGE_HEADER = "X-FairTrack-Message"


@dataclass(frozen=True)
class Sent:
    ok: bool
    status_code: int | None = None
    error: str | None = None


def email_of(message: OutboxMessage, to: str, settings: Settings) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = to
    email["Subject"] = message.subject or ""
    email["Message-ID"] = make_msgid(idstring=f"ft{message.id}")
    email[MESSAGE_HEADER] = str(message.id)
    email.set_content(message.body)
    email["Content-Language"] = message.language or "en"  # after set_content, which clears it
    return email


def send_email(message: OutboxMessage, to: str, settings: Settings) -> Sent:
    email = email_of(message, to, settings)
    try:
        smtp: smtplib.SMTP
        if settings.smtp_tls == "ssl":
            smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port,
                                    timeout=settings.smtp_timeout_seconds,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                                timeout=settings.smtp_timeout_seconds)
        with smtp:
            if settings.smtp_tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username and settings.smtp_password is not None:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as exc:
        return Sent(False, error=f"{type(exc).__name__}: {exc}")
    return Sent(True)


def post_webhook(message: OutboxMessage, subscription: WebhookSubscription, settings: Settings) -> Sent:
    body = message.body.encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "FairTrack-Webhooks/1",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(subscription.secret, timestamp, body),
        DELIVERY_HEADER: str(message.id),
        EVENT_HEADER: "application.event",
    }
    try:
        response = httpx.post(subscription.url, content=body, headers=headers,
                              timeout=settings.webhook_timeout_seconds, follow_redirects=False)
    except httpx.HTTPError as exc:
        return Sent(False, error=f"{type(exc).__name__}: {exc}")
    if 200 <= response.status_code < 300:
        return Sent(True, response.status_code)
    return Sent(False, response.status_code, f"HTTP {response.status_code}")
