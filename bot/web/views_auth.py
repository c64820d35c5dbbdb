"""Staff sign-in and sign-out."""
from __future__ import annotations

import asyncio
import secrets

from aiohttp import web

from bot.web.users import authenticate, end_sessions
from bot.web.access import public
from bot.web.security import COOKIE_NAME, SESSION_SECONDS, client_address, is_https, new_csrf_token

LOGIN_CSRF_COOKIE = "fraudbot_login_csrf"
HOME_BY_ROLE = {"volunteer": "/console", "manager": "/dashboard", "admin": "/admin/users"}


def _safe_next(target: str, role: str) -> str:
    # Only same-site paths: never an open redirect.  yarl drops tabs and newlines
    # ("/\t/evil.com" becomes "//evil.com"), so control characters and backslashes
    # are refused before the check.
    if (target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not any(ord(c) < 32 or ord(c) == 127 for c in target)):
        return target
    return HOME_BY_ROLE.get(role, "/console")


@public
async def login_form(request: web.Request) -> web.Response:
    token = secrets.token_urlsafe(16)
    response = request.app["render"](request, "login.html", {"login_csrf": token, "next": request.query.get("next", ""),
                                                             "error": ""})
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="Strict", max_age=3600)
    return response


@public
async def login(request: web.Request) -> web.Response:
    form = await request.post()
    username = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    next_path = str(form.get("next", ""))
    render = request.app["render"]

    def again(message: str, status: int) -> web.Response:
        token = secrets.token_urlsafe(16)
        response = render(request, "login.html", {"login_csrf": token, "next": next_path, "error": message},
                          status=status)
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="Strict", max_age=3600)
        return response

    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or form.get("csrf") != expected:
        return again("页面已过期，请重新登录。", 403)
    throttle = request.app["throttle"]
    trusted = request.app["settings"].trusted_proxy_list
    key = f"{client_address(request, trusted)}|{username.lower()}"
    if not throttle.reserve(key):  # counted before the check: parallel guesses cannot all get through
        return again("登录失败次数太多，请5分钟后再试。", 429)
    user = await asyncio.to_thread(authenticate, request.app["sessions"], username, password)
    if user is None:
        return again("用户名或密码不对。", 401)
    throttle.succeeded(key)
    session = {"uid": user.id, "username": user.username, "role": user.role, "name": user.display_name,
               "csrf": new_csrf_token(), "sv": user.session_version}
    response = web.HTTPFound(_safe_next(next_path, user.role))
    response.set_cookie(COOKIE_NAME, request.app["signer"].dumps(session), httponly=True, samesite="Lax",
                        max_age=SESSION_SECONDS, secure=is_https(request, trusted))
    response.del_cookie(LOGIN_CSRF_COOKIE)
    raise response


@public
async def logout(request: web.Request) -> web.Response:
    """End every session of the signed-in user (the form's CSRF token must match)."""
    user = request["user"]
    if user is not None:
        form = await request.post()
        if form.get("csrf") != user.get("csrf"):
            raise web.HTTPForbidden(text="页面已过期，请刷新后重试。")
        await asyncio.to_thread(end_sessions, request.app["sessions"], user["uid"])
    response = web.HTTPFound("/login")
    response.del_cookie(COOKIE_NAME)
    raise response
