"""One settings object, read once from the environment and passed down.

Every setting has a default that works on a laptop (SQLite files under
``FRAUDBOT_DATA_DIR``, local ports).  ``SETTINGS_HELP`` documents each one; a test
fails if one is missing from the README.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

PROJECT_ROOT = Path(__file__).resolve().parent.parent

SETTINGS_HELP: Dict[str, str] = {
    "FRAUDBOT_DATA_DIR": "Folder for the SQLite files (tracker, event store, project database). Default: ./var",
    "DATABASE_URL": "SQLAlchemy URL of the project database (quizzes, events, reporting). Default: sqlite file in the data folder",
    "EVENTS_DB_URL": "SQLAlchemy URL of Rasa's SQL event store (event broker). Default: sqlite events.db in the data folder",
    "RASA_URL": "Where the web app and tests reach the Rasa server. Default: http://localhost:RASA_PORT",
    "RASA_PUBLIC_URL": "Where residents' browsers reach Rasa's socket.io channel. Default: the PUBLIC_URL host on RASA_PORT",
    "RASA_PORT": "Port of the Rasa server (REST channel, socket.io). Default: 5005",
    "ACTION_PORT": "Port of the action server. Default: 5055",
    "ACTION_ENDPOINT_URL": "Where the Rasa server calls actions. Default: http://localhost:ACTION_PORT/webhook",
    "ACTION_CONNECTIONS": "How many calls one Rasa process makes to the action server at once; more wait their turn. Default: 32",
    "WEB_PORT": "Port of the web app (chat page, widget, volunteer console, dashboard). Default: 8000",
    "RASA_TOKEN": "Token that guards Rasa's HTTP API (channels stay public); passed to Rasa through the environment, "
                  "never its command line. Default: a development token, refused outside the embedded profile on loopback",
    "SECRET_KEY": "Key that signs session cookies of the web app. Default: a development key, refused outside the "
                  "embedded profile on loopback",
    "ACTION_TOKEN": "Shared token every Rasa replica sends to the action server (X-Action-Token header); required in "
                    "the production profile and whenever ACTION_HOST is not loopback. Default: empty (no check)",
    "FRAUDBOT_PROFILE": "embedded (make run: SQLite, everything on this machine) or production (bot.run.cluster sets it). Outside "
               "embedded, start-up refuses a missing, short (<24 characters) or default secret. Default: embedded",
    "RASA_HOST": "Address the Rasa server listens on. Default: 127.0.0.1 (nginx or the same machine in front)",
    "ACTION_HOST": "Address the action server listens on. Default: 127.0.0.1; another address needs ACTION_TOKEN",
    "WEB_HOST": "Address the web app listens on. Default: 127.0.0.1 (0.0.0.0 for phones on a laptop's Wi-Fi, "
                "with real secrets)",
    "SENDER_RATE": "Messages per second one chat sender may keep sending (refill of the per-sender limit). Default: 2",
    "SENDER_BURST": "Messages one chat sender may send at once before being slowed down. Default: 20",
    "TRUSTED_PROXIES": "Comma-separated addresses of reverse proxies (nginx) whose X-Real-IP (login throttle, "
                       "join limits) and X-Forwarded-Proto (Secure cookie) headers are believed. Default: empty, "
                       "the peer address is used",
    "RATE_LIMIT_REDIS_URL": "Redis URL (redis://host:6379/2) that keeps the per-sender limits, shared by all "
                            "Rasa replicas. Default: empty, each process keeps its own",
    "DIRECT_TF_CALLS": "1: Rasa calls its TensorFlow graphs directly (bot/rasa/server.py, same outputs, less CPU); "
                       "0: through tf.function as Rasa 3.6 does (for A/B runs, or a TensorFlow other than 2.12). Default: 1",
    "TED_ONLY_WHEN_NEEDED": "1: Rasa skips the TED policy when a rule or a remembered story has already decided the "
                            "next action (TED could not win; bot/rasa/server.py); 0: every policy runs every time. Default: 1",
    "LOG_LEVEL": "Log level of every process: DEBUG, INFO, WARNING. Default: INFO",
    "INGEST_INTERVAL": "Seconds between the web app's runs of ingestion from Rasa's event store into the reporting tables; 0 turns it off. Default: 30",
    "RETENTION_DAYS": "Conversations older than this many days are anonymised by `make retention`. Default: 180",
    "PUBLIC_URL": "Base URL printed in QR codes for event join links. Default: http://localhost:8000",
    "ALLOWED_ORIGINS": "Comma-separated origins (https://www.bank.example) whose pages may talk to Rasa from the "
                       "browser: rasa-webchat and other socket.io or REST widgets on the bank's own site. Passed to "
                       "Rasa as --cors. `*` allows every site, only when set so explicitly. Default: PUBLIC_URL's origin",
    "JOINS_PER_ADDRESS": "How many residents may join one event from one network address in 10 minutes (a venue's "
                         "Wi-Fi is one address; the console flags a flood and can pause joining). Default: 300",
}


DEFAULT_RASA_TOKEN = "dev-rasa-token"
DEFAULT_SECRET_KEY = "dev-secret-key-change-me-in-production-0000"
MIN_SECRET_CHARS = 24
PLACEHOLDER = "CHANGE_ME"
EMBEDDED = "embedded"
_DEFAULT_SECRETS = {"RASA_TOKEN": DEFAULT_RASA_TOKEN, "SECRET_KEY": DEFAULT_SECRET_KEY, "ACTION_TOKEN": ""}


class InsecureSettings(Exception):
    """A process would be reachable by others with a secret anyone can know."""


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``; 0.0.0.0 and every other address are not."""
    import ipaddress

    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve beyond this machine


def origin_of(url: str) -> str:
    """scheme://host[:port] of `url`, as a browser sends it in its Origin header."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower()


# Settings whose variable is not simply the field's name in capitals ("PROFILE"
# alone is too common a name to trust in a shell's environment).
ENV_NAMES = {"data_dir": "FRAUDBOT_DATA_DIR", "profile": "FRAUDBOT_PROFILE"}


def _default_data_dir() -> Path:
    return PROJECT_ROOT / "var"


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; build it with :meth:`from_env`."""

    data_dir: Path = field(default_factory=_default_data_dir)
    database_url: str = ""
    events_db_url: str = ""
    rasa_url: str = ""
    rasa_public_url: str = ""
    rasa_port: int = 5005
    action_port: int = 5055
    action_endpoint_url: str = ""
    action_connections: int = 32
    direct_tf_calls: bool = True
    ted_only_when_needed: bool = True
    web_port: int = 8000
    rasa_token: str = DEFAULT_RASA_TOKEN
    secret_key: str = DEFAULT_SECRET_KEY
    action_token: str = ""
    profile: str = "embedded"
    rasa_host: str = "127.0.0.1"
    action_host: str = "127.0.0.1"
    web_host: str = "127.0.0.1"
    log_level: str = "INFO"
    sender_rate: float = 2.0
    sender_burst: int = 20
    rate_limit_redis_url: str = ""
    trusted_proxies: str = ""
    retention_days: int = 180
    ingest_interval: int = 30
    public_url: str = "http://localhost:8000"
    allowed_origins: str = ""
    joins_per_address: int = 300

    def __post_init__(self) -> None:
        # Derived defaults: SQLite files inside the data folder.
        data_dir = Path(self.data_dir)
        object.__setattr__(self, "data_dir", data_dir)
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{data_dir / 'fraudbot.db'}")
        if not self.rasa_url:
            object.__setattr__(self, "rasa_url", f"http://localhost:{self.rasa_port}")
        if not self.action_endpoint_url:
            object.__setattr__(self, "action_endpoint_url", f"http://localhost:{self.action_port}/webhook")
        if not self.events_db_url:
            object.__setattr__(self, "events_db_url", f"sqlite:///{data_dir / 'events.db'}")

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "Settings":
        """Read every setting from the environment, falling back to defaults."""
        env = os.environ if environ is None else environ
        defaults = cls()
        values = {}
        for f in fields(cls):
            raw = env.get(ENV_NAMES.get(f.name, f.name.upper()))
            if raw is None or raw == "":
                continue
            current = getattr(defaults, f.name)
            if isinstance(current, bool):
                values[f.name] = raw.lower() in {"1", "true", "yes"}
            elif isinstance(current, float):
                values[f.name] = float(raw)
            elif isinstance(current, int):
                values[f.name] = int(raw)
            elif isinstance(current, Path):
                values[f.name] = Path(raw)
            else:
                values[f.name] = raw
        return cls(**values)

    @property
    def allowed_origin_list(self) -> Tuple[str, ...]:
        """ALLOWED_ORIGINS as origins without a trailing slash; the web app's own when empty."""
        listed = tuple(o.strip().rstrip("/") for o in self.allowed_origins.split(",") if o.strip())
        return listed or (origin_of(self.public_url),)

    @property
    def trusted_proxy_list(self) -> Tuple[str, ...]:
        return tuple(p.strip() for p in self.trusted_proxies.split(",") if p.strip())

    def secret_problems(self, names: Tuple[str, ...], host: str) -> List[str]:
        """Why each named secret is unsafe for a process on `host`; empty when it is fine.

        On the embedded profile bound to loopback only this machine can connect,
        so the development defaults are allowed there and nowhere else.
        """
        if self.profile == EMBEDDED and is_loopback(host):
            return []
        problems = []
        for name in names:
            value = getattr(self, name.lower())
            if not value:
                problems.append(f"{name} is not set")
            elif value == _DEFAULT_SECRETS[name] or PLACEHOLDER in value:
                problems.append(f"{name} is the published default (or not set)")
            elif len(value) < MIN_SECRET_CHARS:
                problems.append(f"{name} is shorter than {MIN_SECRET_CHARS} characters")
        return problems

    def require_secrets(self, names: Tuple[str, ...], host: str) -> None:
        """Raise :class:`InsecureSettings` naming every unsafe secret (see :meth:`secret_problems`)."""
        problems = self.secret_problems(names, host)
        if problems:
            where = f"profile {self.profile}, listening on {host}"
            raise InsecureSettings(f"refusing to start ({where}): " + "; ".join(problems)
                                   + '. Generate one: python -c "import secrets; print(secrets.token_urlsafe(32))"')

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir
