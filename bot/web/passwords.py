"""Staff roles and password hashing (bcrypt, a maintained library)."""
from __future__ import annotations

import bcrypt

ROLES = ("admin", "manager", "volunteer")


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=12)).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False
