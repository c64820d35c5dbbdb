"""Admin: manage staff accounts."""
from __future__ import annotations

import asyncio

from aiohttp import web
from sqlalchemy import select

from bot.errors import InputError
from bot.db.models import User
from bot.web.users import create_user as create_user_account
from bot.web.access import ADMIN, requires
from bot.web.passwords import ROLES


def _users(request: web.Request):
    with request.app["sessions"]() as session:
        return session.execute(select(User).order_by(User.id)).scalars().all()


@requires(*ADMIN)
async def user_list(request: web.Request) -> web.Response:
    return request.app["render"](request, "admin_users.html", {"users": _users(request), "roles": ROLES,
                                                               "error": "", "created": ""})


@requires(*ADMIN)
async def create_user(request: web.Request) -> web.Response:
    form = await request.post()
    try:
        user = await asyncio.to_thread(create_user_account, request.app["sessions"], str(form.get("username", "")),
                                       str(form.get("password", "")), str(form.get("role", "")),
                                       str(form.get("display_name", "")))
    except InputError as error:
        return request.app["render"](request, "admin_users.html", {"users": _users(request), "roles": ROLES,
                                                                   "error": error.message, "created": ""}, status=400)
    return request.app["render"](request, "admin_users.html", {"users": _users(request), "roles": ROLES,
                                                               "error": "", "created": user.username})
