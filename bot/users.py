"""Staff accounts (admin, manager, volunteer) and the command that creates them.

    python -m bot.users create USERNAME --role volunteer   # asks for the password
    echo 'secret-pass' | python -m bot.users create USERNAME --role manager --password-stdin
    python -m bot.users list
"""
from __future__ import annotations

import argparse
import getpass
import re
import sys
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.db import make_engine, make_sessionmaker, session_scope, upgrade
from bot.errors import InputError
from bot.models import User
from bot.settings import Settings
from bot.passwords import ROLES, check_password, hash_password

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


def authenticate(sessions: sessionmaker, username: str, password: str) -> Optional[User]:
    with sessions() as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not user.active:
        check_password(password, hash_password("timing-equaliser"))  # same cost as a real check
        return None
    return user if check_password(password, user.password_hash) else None


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.users", description="Manage staff accounts.")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create", help="create a user")
    create.add_argument("username")
    create.add_argument("--role", choices=ROLES, required=True)
    create.add_argument("--name", default="", help="display name")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    sub.add_parser("list", help="list users")
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
