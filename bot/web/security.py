"""Sign-in plumbing: signed session cookies, CSRF tokens, login throttle.

Sessions are HMAC-signed JSON in an HttpOnly, SameSite=Lax cookie; nothing is
kept server-side, so any web replica can read them.  The login throttle is per
process (see docs/scaling.md for the shared-store variant).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections import deque
from typing import Any, Deque, Dict, Iterable, Optional

COOKIE_NAME = "fraudbot_session"
SESSION_SECONDS = 8 * 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Encode and verify the session cookie's value."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("session:" + secret).encode("utf-8")).digest()

    def dumps(self, data: dict) -> str:
        payload = _b64(json.dumps({**data, "iat": int(time.time())}, separators=(",", ":")).encode("utf-8"))
        signature = _b64(hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest())
        return f"{payload}.{signature}"

    def loads(self, value: Optional[str], max_age: int = SESSION_SECONDS) -> Optional[dict]:
        if not value or "." not in value:
            return None
        payload, signature = value.rsplit(".", 1)
        expected = _b64(hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest())
        if not hmac.compare_digest(signature, expected):
            return None
        try:
            data = json.loads(_unb64(payload))
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(data, dict) or time.time() - data.get("iat", 0) > max_age:
            return None
        return data


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def client_address(request: Any, trusted_proxies: Iterable[str]) -> str:
    """The resident's or staff member's address: ``X-Real-IP`` when the peer is a trusted proxy.

    nginx (deploy/nginx.conf) sets ``X-Real-IP``; a header from anyone else is
    ignored, so a client cannot pick its own throttling key.
    """
    import ipaddress

    peer = request.remote or ""
    if peer in set(trusted_proxies):
        forwarded = (request.headers.get("X-Real-IP") or "").strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return peer


class LoginThrottle:
    """At most ``limit`` failed logins per key within ``window`` seconds."""

    def __init__(self, limit: int = 5, window: float = 300.0, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._failures: Dict[str, Deque[float]] = {}

    def _prune(self, key: str, now: float) -> Deque[float]:
        failures = self._failures.get(key) or deque()
        while failures and now - failures[0] > self.window:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)  # only keys with recent failures are kept
        return failures

    def blocked(self, key: str) -> bool:
        return len(self._prune(key, time.monotonic())) >= self.limit

    def failed(self, key: str) -> None:
        now = time.monotonic()
        failures = self._prune(key, now)
        failures.append(now)
        self._failures[key] = failures
        if len(self._failures) > self.max_keys:  # the oldest key goes first
            self._failures.pop(next(iter(self._failures)))

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)
