"""Start every process of the assistant and stop them all together.

``python -m bot.run.launcher`` (what ``make run`` calls) migrates the project
database, then runs the action server, the Rasa server and the web app, waits
until each answers, and stays in the foreground.  Ctrl-C (or SIGTERM) stops every
child cleanly; if one child dies, the others are stopped too.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

from bot.db.engine import upgrade
from bot.settings import PROJECT_ROOT, InsecureSettings, Settings, is_loopback

MODEL_PATH = PROJECT_ROOT / "models" / "fraudbot.tar.gz"
STOP_GRACE_SECONDS = 15


def child_env(settings: Settings, extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """The environment every child reads (Rasa's endpoints.yml interpolates it)."""
    env = dict(os.environ)
    env.update({
        "FRAUDBOT_DATA_DIR": str(settings.data_dir.resolve()),
        "DATABASE_URL": settings.database_url,
        "ACTION_ENDPOINT_URL": settings.action_endpoint_url,
        "RASA_TELEMETRY_ENABLED": "false",
        # Rasa's accept queue (Sanic's default is 100): an event's 500 phones connect at once.
        "SANIC_BACKLOG": os.environ.get("SANIC_BACKLOG", "1024"),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONPATH": str(PROJECT_ROOT),
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "LOG_LEVEL": settings.log_level,  # Rasa and the SDK read it too
        # Secrets go through the environment, never a command line `ps` shows.
        "RASA_TOKEN": settings.rasa_token,
        "ACTION_TOKEN": settings.action_token,
        "FRAUDBOT_PROFILE": settings.profile,
    })
    env.update(extra or {})
    return env


def commands(settings: Settings, endpoints: str, with_web: bool) -> Dict[str, List[str]]:
    procs = {
        # rasa_sdk's server on ACTION_HOST, with the ACTION_TOKEN check (bot/rasa/action_server.py).
        "actions": [sys.executable, "-m", "bot.rasa.action_server", "--actions", "actions",
                    "--port", str(settings.action_port)],
        # Rasa's own command line with our Rasa 3.6 fixes applied first (bot/rasa/server.py),
        # which also adds --auth-token from RASA_TOKEN and --interface from RASA_HOST.
        "rasa": [
            sys.executable, "-m", "bot.rasa.server", "run", "--model", str(MODEL_PATH), "--enable-api",
            "--interface", settings.rasa_host,
            "--port", str(settings.rasa_port), "--credentials", "credentials.yml", "--endpoints", endpoints,
            # Widgets on the bank's own site (rasa-webchat polls socket.io first) need
            # Access-Control-Allow-Origin. One --cors with every origin: Rasa's flag takes
            # several values, and a second --cors would replace the first.
            "--cors", *settings.allowed_origin_list,
        ],
    }
    if with_web:
        procs["web"] = [sys.executable, "-m", "bot.web"]
    return procs


def local_address(host: str) -> str:
    """Where a process on this machine reaches a server listening on `host`."""
    return "127.0.0.1" if host in ("", "0.0.0.0", "::") or is_loopback(host) else host


def check_secrets(settings: Settings, with_web: bool = True) -> None:
    """Refuse, before anything starts, a secret that would guard a process reachable by others."""
    problems = settings.secret_problems(("RASA_TOKEN",), settings.rasa_host)
    problems += settings.secret_problems(("ACTION_TOKEN",), settings.action_host)
    if with_web:
        problems += settings.secret_problems(("SECRET_KEY",), settings.web_host)
    if problems:
        raise InsecureSettings("refusing to start: " + "; ".join(dict.fromkeys(problems)))


def wait_until_up(url: str, timeout: float, procs: Dict[str, subprocess.Popen]) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs.values()):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except Exception:
            time.sleep(0.5)
    return False


@dataclasses.dataclass
class Child:
    """One process to start: its command, environment and where it answers."""

    name: str
    command: List[str]
    env: Dict[str, str]
    url: str  # what `ready:` prints
    health_url: str


def supervise(children: List[Child], ready_message: str, start_timeout: float = 180) -> int:
    """Start the children, wait until each answers, then stay until Ctrl-C/SIGTERM.

    Each child gets its own process group, so Ctrl-C reaches us once and we stop
    the children in order. If one child dies, every other one is stopped too.
    """
    procs: Dict[str, subprocess.Popen] = {}
    stopping = False

    def on_signal(signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    for child in children:
        procs[child.name] = subprocess.Popen(child.command, cwd=PROJECT_ROOT, env=child.env, start_new_session=True)
    for child in children:
        if stopping or not wait_until_up(child.health_url, start_timeout, procs):
            if not stopping:
                print(f"{child.name} did not start; stopping everything", file=sys.stderr)
            stop_all(procs)
            return 0 if stopping else 1
    print(ready_message, flush=True)
    exit_code = 0
    while not stopping:
        dead = next((name for name, proc in procs.items() if proc.poll() is not None), None)
        if dead:
            print(f"{dead} exited with code {procs[dead].returncode}; stopping everything", file=sys.stderr)
            exit_code = 1
            break
        time.sleep(0.5)
    stop_all(procs)
    return exit_code


def stop_all(procs: Dict[str, subprocess.Popen]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for proc in procs.values():
        remaining = max(0.1, deadline - time.monotonic())
        try:
            proc.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Run the whole assistant in the foreground.")
    parser.add_argument("--endpoints", default="endpoints.yml", help="Rasa endpoints file (profile)")
    parser.add_argument("--no-web", action="store_true", help="do not start the web app")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    try:
        check_secrets(settings, not args.no_web)
    except InsecureSettings as error:
        print(f"bot.run.launcher: {error}", file=sys.stderr)
        return 2
    settings.ensure_data_dir()
    if not MODEL_PATH.exists():
        print(f"no trained model at {MODEL_PATH}; run `make train` first", file=sys.stderr)
        return 2
    upgrade(settings.database_url)

    env = child_env(settings)
    health = {
        "actions": f"http://{local_address(settings.action_host)}:{settings.action_port}/health",
        "rasa": f"http://{local_address(settings.rasa_host)}:{settings.rasa_port}/",
        "web": f"http://{local_address(settings.web_host)}:{settings.web_port}/healthz",
    }
    children = [Child(name, cmd, env, health[name], health[name])
                for name, cmd in commands(settings, args.endpoints, not args.no_web).items()]
    ready = (
        f"ready: REST http://localhost:{settings.rasa_port}/webhooks/rest/webhook, "
        f"socket.io http://localhost:{settings.rasa_port}/socket.io"
        + (f", chat page http://localhost:{settings.web_port}/" if not args.no_web else "")
    )
    return supervise(children, ready)


if __name__ == "__main__":
    sys.exit(main())
