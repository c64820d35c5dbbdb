"""Middlewares: security headers, sign-in and roles, CSRF, domain errors."""
from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from aiohttp import web

from bot.errors import FraudBotError
from bot.web.users import session_state
from bot.web.security import COOKIE_NAME

logger = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Only the resident chat page is embedded (widget.js frames "/?embed=1" on the bank's
# sites); every staff page refuses to be framed, so it cannot be clickjacked.
FRAMEABLE_PATHS = {"/"}


def wants_json(request: web.Request) -> bool:
    return request.path.startswith("/api/") or "/api/" in request.path or request.path.endswith(".json") \
        or "application/json" in request.headers.get("Accept", "")


def error_response(request: web.Request, status: int, message: str) -> web.Response:
    if wants_json(request):
        return web.json_response({"error": message}, status=status)
    renderer = request.app["render"]
    return renderer(request, "error.html", {"status": status, "message": message}, status=status)


def _add_security_headers(request: web.Request, headers) -> None:
    rasa = request.app["rasa_public_origin"]
    frameable = request.path in FRAMEABLE_PATHS
    ancestors = "*" if frameable else "'none'"
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {rasa} {rasa.replace('http', 'ws', 1)}; "
        f"frame-ancestors {ancestors}; base-uri 'none'; form-action 'self'",
    )
    if not frameable:
        headers.setdefault("X-Frame-Options", "DENY")  # browsers without CSP level 2
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as raised:  # redirects and errors raised by views get them too
        _add_security_headers(request, raised.headers)
        raise
    _add_security_headers(request, response.headers)
    return response


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except FraudBotError as error:
        logger.info("%s %s refused: %s", request.method, request.path, error.message)
        return error_response(request, error.status, error.message)
    except web.HTTPException as error:
        if error.status in (404, 405) and not error.text.startswith("{"):
            return error_response(request, error.status, "页面不存在。" if error.status == 404 else "不支持这种请求。")
        raise
    except Exception:
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(request, 500, "服务器出错了，请稍后再试。")


async def _signed_in_user(request: web.Request):
    """The cookie's session if its user is still active at the same session version, else None."""
    session = request.app["signer"].loads(request.cookies.get(COOKIE_NAME))
    if not session or not isinstance(session.get("uid"), int):
        return None
    state = await asyncio.to_thread(session_state, request.app["sessions"], session["uid"])
    if state is None or state[1] != session.get("sv"):
        return None  # logged out, disabled, or its role changed since
    return {**session, "role": state[0]}


@web.middleware
async def auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Load the signed-in user; refuse routes the user may not use."""
    match_info = request.match_info
    route_handler = getattr(match_info, "handler", None)
    access = getattr(route_handler, "access", None)
    route = getattr(match_info, "route", None)
    if route is not None and isinstance(route.resource, web.StaticResource):
        request["user"] = None  # no database lookup for a stylesheet
        return await handler(request)
    request["user"] = await _signed_in_user(request)
    if match_info.http_exception is not None or access == "public":
        return await handler(request)
    user = request["user"]
    if user is None:
        if wants_json(request) or request.method not in SAFE_METHODS:
            return error_response(request, 401, "请先登录。")
        raise web.HTTPFound(f"/login?next={request.path}")
    if not isinstance(access, tuple) or user.get("role") not in access:
        return error_response(request, 403, "您的账号没有权限访问这个页面。")
    if request.method not in SAFE_METHODS:
        form = await request.post() if request.content_type in (
            "application/x-www-form-urlencoded", "multipart/form-data") else {}
        token = request.headers.get("X-CSRF-Token") or form.get("csrf")
        if not token or token != user.get("csrf"):
            return error_response(request, 403, "页面已过期，请刷新后重试。")
    return await handler(request)
