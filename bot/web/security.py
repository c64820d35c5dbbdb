"""Sign-in plumbing: signed session cookies, CSRF tokens, login throttle, history keys.

Sessions are HMAC-signed JSON in an HttpOnly, SameSite=Lax cookie (Secure over
HTTPS, including behind a trusted proxy that says so).  Each carries the user's
session version, checked against the database on every request, so logout,
disabling a user or changing a role ends the sessions issued before.  The login
throttle is per process (see docs/scaling.md for the shared-store variant).

A resident's chat history is readable only with the history key the web app
issued with the session id (an HMAC of it), which only that browser holds.
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


def is_https(request: Any, trusted_proxies: Iterable[str]) -> bool:
    """True for TLS to us, or when a trusted proxy (nginx) says its client used HTTPS."""
    if request.secure:
        return True
    if (request.remote or "") not in set(trusted_proxies):
        return False
    return (request.headers.get("X-Forwarded-Proto") or "").strip().lower() == "https"


class HistoryKeys:
    """Issue and check the key that lets one browser read its own chat history."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("history:" + secret).encode("utf-8")).digest()

    def issue(self, session_id: str) -> str:
        return _b64(hmac.new(self._key, session_id.encode("utf-8"), hashlib.sha256).digest())

    def valid(self, session_id: str, key: Optional[str]) -> bool:
        return bool(key) and hmac.compare_digest(self.issue(session_id).encode(), str(key).encode())

    def new_session(self) -> Dict[str, str]:
        session_id = secrets.token_hex(16)
        return {"session_id": session_id, "history_key": self.issue(session_id)}


class LoginThrottle:
    """At most ``limit`` login attempts per key within ``window`` seconds, until one succeeds.

    :meth:`reserve` counts an attempt *before* the password is checked, with no
    await in between, so parallel requests cannot all pass the check and fail
    together.
    """

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

    def reserve(self, key: str) -> bool:
        """Count one attempt for `key`; False (and nothing counted) when it is blocked."""
        if self.blocked(key):
            return False
        self.failed(key)
        return True

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
