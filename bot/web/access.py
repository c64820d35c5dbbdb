"""Route access rules: every route is private unless marked public.

``@public`` marks a handler anyone may call; ``@requires(*roles)`` names the
roles that may.  The auth middleware refuses everything else, so a new route
without a marker is closed by default.
"""
from __future__ import annotations

from typing import Callable

STAFF = ("admin", "manager", "volunteer")
REPORTING = ("admin", "manager")
ADMIN = ("admin",)


def public(handler: Callable) -> Callable:
    handler.access = "public"
    return handler


def requires(*roles: str) -> Callable[[Callable], Callable]:
    def mark(handler: Callable) -> Callable:
        handler.access = tuple(roles)
        return handler

    return mark
