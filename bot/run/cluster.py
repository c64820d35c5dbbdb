"""Run the production (replica) profile on one machine.

``python -m bot.run.cluster --env-file deploy/production.env`` reads the settings file
(variables already in the environment win), migrates the project database,
creates Rasa's tracker and event tables once, then starts ``ACTION_REPLICAS``
action servers (on ``ACTION_PORT``, ``ACTION_PORT``+1, ...), ``RASA_REPLICAS`` Rasa
servers (on ``RASA_PORT``, ``RASA_PORT``+1, ...) with
``deploy/endpoints.production.yml``, and the web app.  Rasa replica *i* calls
action replica *i* mod ``ACTION_REPLICAS``, unless ``ACTION_ENDPOINT_URL`` names a
load balancer.  Once every process answers it prints ``ready:`` with their URLs;
Ctrl-C (or SIGTERM) stops them all, and so does one of them dying.

``deploy/production.env.example`` documents the file, and ``PROFILE_HELP`` the
variables that only this profile reads.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import warnings
from pathlib import Path
from typing import Dict, List, Mapping, Optional

from bot.db.engine import upgrade
from bot.run.launcher import MODEL_PATH, Child, child_env, commands, local_address, supervise
from bot.settings import PLACEHOLDER, PROJECT_ROOT, Settings

DEFAULT_ENV_FILE = PROJECT_ROOT / "deploy" / "production.env"
DEFAULT_ENDPOINTS = PROJECT_ROOT / "deploy" / "endpoints.production.yml"
START_TIMEOUT_SECONDS = 600

PROFILE_HELP: Dict[str, str] = {
    "RASA_REPLICAS": "How many Rasa servers bot.run.cluster starts, on RASA_PORT, RASA_PORT+1, ... Default: 2",
    "ACTION_REPLICAS": "How many action servers bot.run.cluster starts, on ACTION_PORT, ACTION_PORT+1, ... Default: 2",
    "TRACKER_DB_HOST": "PostgreSQL host of Rasa's tracker store",
    "TRACKER_DB_PORT": "Its port",
    "TRACKER_DB_NAME": "Its database (not the project's nor the event store's: all three have an `events` table)",
    "TRACKER_DB_USER": "Its user",
    "TRACKER_DB_PASSWORD": "Its password (may be empty)",
    "REDIS_HOST": "Redis host of Rasa's lock store",
    "REDIS_PORT": "Its port",
    "REDIS_DB": "Its database number",
    "REDIS_PASSWORD": "Its password (may be empty)",
}
# Rasa refuses to start when endpoints.production.yml names a variable that is unset.
REQUIRED = ("DATABASE_URL", "EVENTS_DB_URL", "TRACKER_DB_HOST", "TRACKER_DB_PORT", "TRACKER_DB_NAME",
            "TRACKER_DB_USER", "TRACKER_DB_PASSWORD", "REDIS_HOST", "REDIS_PORT", "REDIS_DB", "REDIS_PASSWORD")
MAY_BE_EMPTY = ("TRACKER_DB_PASSWORD", "REDIS_PASSWORD")
SECRETS = ("RASA_TOKEN", "SECRET_KEY", "ACTION_TOKEN")
PROFILE = "production"


class ProfileError(Exception):
    """The settings file is missing, malformed or incomplete."""


def read_env_file(path: Path) -> Dict[str, str]:
    """``KEY=VALUE`` lines; blank lines and ``#`` comment lines are skipped, one pair of quotes stripped."""
    values: Dict[str, str] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ProfileError(f"no settings file at {path}; copy deploy/production.env.example") from None
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key.isidentifier():
            raise ProfileError(f"{path}:{number}: expected KEY=VALUE")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key] = value
    return values


def check_profile(env: Mapping[str, str]) -> None:
    """Every variable the production endpoints need is set, none is a placeholder, every secret is safe.

    A secret that is missing, empty, shorter than 24 characters or the built-in
    development value is refused: with the public default key anyone can sign an
    admin session cookie.
    """
    missing = [k for k in REQUIRED if env.get(k) is None or (env[k] == "" and k not in MAY_BE_EMPTY)]
    if missing:
        raise ProfileError("not set: " + ", ".join(missing))
    placeholders = [k for k in REQUIRED if PLACEHOLDER in env.get(k, "")]
    if placeholders:
        raise ProfileError(f"still {PLACEHOLDER}: " + ", ".join(placeholders))
    settings = Settings.from_env({**env, "FRAUDBOT_PROFILE": PROFILE})
    problems = settings.secret_problems(SECRETS, "127.0.0.1")
    if problems:
        raise ProfileError("; ".join(problems))


def create_rasa_tables(endpoints: Path) -> None:
    """Create the tracker and event tables once, so replicas starting together do not race to."""
    # Rasa's own classes read the same file, so the tables are exactly the ones Rasa expects.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy 2.0 notices about Rasa's own code
        from rasa.core.brokers.sql import SQLEventBroker
        from rasa.core.tracker_store import SQLTrackerStore
        from rasa.utils.endpoints import read_endpoint_config

    for kind, store_class in (("tracker_store", SQLTrackerStore), ("event_broker", SQLEventBroker)):
        config = read_endpoint_config(str(endpoints), kind)
        if config is not None and (config.type or "").lower() == "sql":
            store_class(host=config.url, **config.kwargs).engine.dispose()


def plan(settings: Settings, rasa_replicas: int, action_replicas: int, endpoints: Path,
         with_web: bool, action_endpoint_url: str = "") -> List[Child]:
    """Every process to start, action servers first (Rasa calls them)."""
    children: List[Child] = []
    for i in range(action_replicas):
        port = settings.action_port + i
        replica = dataclasses.replace(settings, action_port=port)
        host = local_address(settings.action_host)
        children.append(Child(f"actions-{i + 1}", commands(replica, str(endpoints), False)["actions"],
                              child_env(replica), f"http://{host}:{port}/webhook",
                              f"http://{host}:{port}/health"))
    action_urls = [c.url for c in children]
    for i in range(rasa_replicas):
        port = settings.rasa_port + i
        replica = dataclasses.replace(settings, rasa_port=port)
        url = action_endpoint_url or action_urls[i % len(action_urls)]
        host = local_address(settings.rasa_host)
        children.append(Child(f"rasa-{i + 1}", commands(replica, str(endpoints), False)["rasa"],
                              child_env(replica, {"ACTION_ENDPOINT_URL": url}), f"http://{host}:{port}",
                              f"http://{host}:{port}/"))
    if with_web:
        web = commands(settings, str(endpoints), True)["web"]
        host = local_address(settings.web_host)
        children.append(Child("web", web, child_env(settings), f"http://{host}:{settings.web_port}/",
                              f"http://{host}:{settings.web_port}/healthz"))
    return children


def ready_line(children: List[Child]) -> str:
    def urls(prefix: str) -> str:
        return " ".join(c.url for c in children if c.name.startswith(prefix))

    line = f"ready: rasa {urls('rasa-')} (REST /webhooks/rest/webhook, socket.io /socket.io); actions {urls('actions-')}"
    if any(c.name == "web" for c in children):
        line += f"; chat page {urls('web')}"
    return line


def free_port_block(size: int) -> int:
    """The first of `size` consecutive free ports on 127.0.0.1 (replicas use PORT, PORT+1, ...)."""
    import socket

    for _ in range(100):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        try:
            for port in range(first, first + size):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return first
    raise RuntimeError(f"no {size} consecutive free ports")


def local_profile(databases: Mapping[str, str], redis_url: str, data_dir: Path, rasa_port: int,
                  action_port: int, web_port: int, replicas: int = 2, log_level: str = "WARNING") -> Dict[str, str]:
    """A settings file's variables for a throwaway profile on this machine (tests, benchmarks).

    `databases`: SQLAlchemy URLs of empty PostgreSQL databases, keys ``project``,
    ``tracker`` and ``events``; `redis_url` like ``redis://127.0.0.1:6379/0``.
    """
    import secrets
    from urllib.parse import urlsplit

    tracker = urlsplit(databases["tracker"])
    redis = urlsplit(redis_url)
    return {
        "RASA_REPLICAS": str(replicas), "RASA_PORT": str(rasa_port),
        "ACTION_REPLICAS": str(replicas), "ACTION_PORT": str(action_port),
        "WEB_PORT": str(web_port),
        "ACTION_ENDPOINT_URL": "",
        "DATABASE_URL": databases["project"],
        "EVENTS_DB_URL": databases["events"],
        "TRACKER_DB_HOST": tracker.hostname or "127.0.0.1", "TRACKER_DB_PORT": str(tracker.port or 5432),
        "TRACKER_DB_NAME": tracker.path.lstrip("/"), "TRACKER_DB_USER": tracker.username or "postgres",
        "TRACKER_DB_PASSWORD": tracker.password or "",
        "REDIS_HOST": redis.hostname or "127.0.0.1", "REDIS_PORT": str(redis.port or 6379),
        "REDIS_DB": redis.path.lstrip("/") or "0", "REDIS_PASSWORD": redis.password or "",
        "RATE_LIMIT_REDIS_URL": redis_url,
        "FRAUDBOT_DATA_DIR": str(data_dir),
        "RASA_TOKEN": "local-" + secrets.token_hex(16),
        "SECRET_KEY": secrets.token_hex(32),
        "ACTION_TOKEN": secrets.token_hex(16),
        "LOG_LEVEL": log_level,
        "RASA_URL": "",
    }


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run the production (replica) profile on one machine.",
        epilog="variables of this profile (besides bot/settings.py's): "
               + "; ".join(f"{k}: {v}" for k, v in PROFILE_HELP.items()))
    parser.add_argument("--env-file", type=Path, default=DEFAULT_ENV_FILE, help="settings file (KEY=VALUE lines)")
    parser.add_argument("--endpoints", type=Path, default=DEFAULT_ENDPOINTS, help="Rasa endpoints file")
    parser.add_argument("--no-web", action="store_true", help="do not start the web app")
    parser.add_argument("--start-timeout", type=float, default=START_TIMEOUT_SECONDS,
                        help="seconds to wait for each process to answer")
    args = parser.parse_args(argv)

    try:
        for key, value in read_env_file(args.env_file).items():
            os.environ.setdefault(key, value)
        os.environ["FRAUDBOT_PROFILE"] = PROFILE  # every child refuses unsafe secrets on its own too
        check_profile(os.environ)
        rasa_replicas = int(os.environ.get("RASA_REPLICAS") or 2)
        action_replicas = int(os.environ.get("ACTION_REPLICAS") or 2)
        if rasa_replicas < 1 or action_replicas < 1:
            raise ProfileError("RASA_REPLICAS and ACTION_REPLICAS must be at least 1")
    except (ProfileError, ValueError) as error:
        print(f"bot.run.cluster: {error}", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    if not os.environ.get("RASA_URL"):  # the web app reads chat history from the first replica
        settings = dataclasses.replace(settings, rasa_url=f"http://127.0.0.1:{settings.rasa_port}")
        os.environ["RASA_URL"] = settings.rasa_url
    if not MODEL_PATH.exists():
        print(f"no trained model at {MODEL_PATH}; run `make train` first", file=sys.stderr)
        return 2
    settings.ensure_data_dir()
    upgrade(settings.database_url)
    create_rasa_tables(args.endpoints)

    children = plan(settings, rasa_replicas, action_replicas, args.endpoints.resolve(), not args.no_web,
                    os.environ.get("ACTION_ENDPOINT_URL", ""))
    return supervise(children, ready_line(children), args.start_timeout)


if __name__ == "__main__":
    sys.exit(main())
