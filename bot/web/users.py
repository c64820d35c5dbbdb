"""Staff accounts (admin, manager, volunteer) and the command that creates them.

    python -m bot.web.users create USERNAME --role volunteer   # asks for the password
    echo 'secret-pass' | python -m bot.web.users create USERNAME --role manager --password-stdin
    python -m bot.web.users list
    python -m bot.web.users disable USERNAME          # ends every session of the user
    python -m bot.web.users role USERNAME manager     # ends every session of the user

Each session cookie carries the user's ``session_version``; logout, disabling
and a role change bump it, so cookies issued before stop working at once.
"""
from __future__ import annotations

import argparse
import getpass
import re
import sys
from typing import List, Optional, Tuple

from functools import lru_cache

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.db.engine import make_engine, make_sessionmaker, session_scope, upgrade
from bot.errors import InputError
from bot.db.models import User
from bot.settings import Settings
from bot.web.passwords import ROLES, check_password, hash_password

MIN_PASSWORD = 8
_USERNAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}$")


def create_user(sessions: sessionmaker, username: str, password: str, role: str, display_name: str = "") -> User:
    if not _USERNAME.match(username or ""):
        raise InputError("用户名为2-32个字母、数字或汉字。")
    if role not in ROLES:
        raise InputError(f"角色只能是：{', '.join(ROLES)}")
    if len(password or "") < MIN_PASSWORD:
        raise InputError(f"密码至少{MIN_PASSWORD}位。")
    try:
        with session_scope(sessions) as session:
            user = User(username=username, password_hash=hash_password(password), role=role,
                        display_name=display_name or username)
            session.add(user)
            session.flush()
            return user
    except IntegrityError as error:
        raise InputError(f"用户名 {username} 已存在。") from error


@lru_cache(maxsize=1)
def _unknown_user_hash() -> str:
    # Made once, so an unknown name costs one bcrypt check like a known one.
    return hash_password("timing-equaliser")


def authenticate(sessions: sessionmaker, username: str, password: str) -> Optional[User]:
    """The active user with this name and password, else None; one bcrypt check either way."""
    with sessions() as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    hashed = user.password_hash if user is not None else _unknown_user_hash()
    matches = check_password(password, hashed)
    return user if user is not None and user.active and matches else None


def session_state(sessions: sessionmaker, user_id: int) -> Optional[Tuple[str, int]]:
    """(role, session version) of an active user; None when the user is gone or disabled."""
    with sessions() as session:
        row = session.execute(select(User.role, User.session_version, User.active)
                              .where(User.id == user_id)).one_or_none()
    if row is None or not row.active:
        return None
    return row.role, row.session_version


def end_sessions(sessions: sessionmaker, user_id: int) -> None:
    """Every session cookie issued to the user so far stops working."""
    with session_scope(sessions) as session:
        session.execute(update(User).where(User.id == user_id)
                        .values(session_version=User.session_version + 1))


def _change(sessions: sessionmaker, username: str, **values) -> None:
    with session_scope(sessions) as session:
        changed = session.execute(update(User).where(User.username == username)
                                  .values(session_version=User.session_version + 1, **values)).rowcount
    if changed != 1:
        raise InputError(f"没有用户 {username}。")


def set_active(sessions: sessionmaker, username: str, active: bool) -> None:
    """Disable (or enable) a user; their open sessions end either way."""
    _change(sessions, username, active=active)


def set_role(sessions: sessionmaker, username: str, role: str) -> None:
    """Give a user another role; their open sessions end, so the old role is gone at once."""
    if role not in ROLES:
        raise InputError(f"角色只能是：{', '.join(ROLES)}")
    _change(sessions, username, role=role)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.web.users", description="Manage staff accounts.")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create", help="create a user")
    create.add_argument("username")
    create.add_argument("--role", choices=ROLES, required=True)
    create.add_argument("--name", default="", help="display name")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    sub.add_parser("list", help="list users")
    for name, what in (("disable", "disable a user and end their sessions"), ("enable", "enable a user again")):
        sub.add_parser(name, help=what).add_argument("username")
    role = sub.add_parser("role", help="change a user's role and end their sessions")
    role.add_argument("username")
    role.add_argument("role", choices=ROLES)
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    settings.ensure_data_dir()
    upgrade(settings.database_url)
    sessions = make_sessionmaker(make_engine(settings.database_url))
    if args.command == "list":
        with sessions() as session:
            for user in session.execute(select(User).order_by(User.id)).scalars():
                print(f"{user.username}\t{user.role}\t{'active' if user.active else 'disabled'}")
        return 0
    try:
        if args.command in ("disable", "enable"):
            set_active(sessions, args.username, args.command == "enable")
            print(f"{args.command}d {args.username}; their sessions have ended")
            return 0
        if args.command == "role":
            set_role(sessions, args.username, args.role)
            print(f"{args.username} is now {args.role}; their sessions have ended")
            return 0
    except InputError as error:
        print(error.message, file=sys.stderr)
        return 1
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("密码: ")
    try:
        create_user(sessions, args.username, password, args.role, args.name)
    except InputError as error:
        print(error.message, file=sys.stderr)
        return 1
    print(f"created {args.role} {args.username}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
