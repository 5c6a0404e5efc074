"""Webhook signatures: HMAC-SHA256 with the subscription's secret over the timestamp, a dot and the
body, sent as `X-FairTrack-Signature: v1=<hex>` beside `X-FairTrack-Timestamp` (Unix seconds).
A receiver recomputes it and refuses a timestamp too far from its own clock (replays)."""

import hashlib
import hmac
import secrets

TIMESTAMP_HEADER = "X-FairTrack-Timestamp"
SIGNATURE_HEADER = "X-FairTrack-Signature"
DELIVERY_HEADER = "X-FairTrack-Delivery"
EVENT_HEADER = "X-FairTrack-Event"
VERSION = "v1"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{VERSION}={mac.hexdigest()}"


def verify(secret: str, timestamp: int, body: bytes, header: str, now: int, tolerance: int = 300) -> bool:
    """What a receiver does (and the tests): the signature matches and the timestamp is recent."""
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header)
