"""The web app factory: ``create_app(settings) -> web.Application``."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any, AsyncIterator, Dict, Optional
from urllib.parse import urlparse

import jinja2
from aiohttp import ClientSession, ClientTimeout, web

from bot.db.engine import make_engine, make_sessionmaker, upgrade
from bot.reporting.ingest import ingest, sqlite_file_missing, store_engine
from bot.knowledge.topics import KnowledgeBase
from bot.quiz.bank import QuestionBank
from bot.quiz.store import QuizStore
from bot.settings import Settings
from bot.web import middlewares, routes
from bot.web.security import HistoryKeys, LoginThrottle, SessionSigner

logger = logging.getLogger(__name__)
WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATE_DIR = WEB_DIR / "templates"
MAX_BODY_BYTES = 256 * 1024
HISTORY_TIMEOUT_SECONDS = 10.0  # then the chat page keeps what it shows (503)


def rasa_public_url(settings: Settings) -> str:
    """Where browsers reach Rasa's socket.io channel."""
    if settings.rasa_public_url:
        return settings.rasa_public_url.rstrip("/")
    host = urlparse(settings.public_url).hostname or "localhost"
    return f"http://{host}:{settings.rasa_port}"


def make_renderer(env: jinja2.Environment):
    def render(request: web.Request, template: str, context: Dict[str, Any], status: int = 200) -> web.Response:
        user = request.get("user")
        body = env.get_template(template).render(user=user, csrf=(user or {}).get("csrf", ""), **context)
        return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")

    return render


async def _database(app: web.Application) -> AsyncIterator[None]:
    settings: Settings = app["settings"]
    settings.ensure_data_dir()
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    app["sessions"] = make_sessionmaker(engine)
    app["store"] = QuizStore(app["sessions"], joins_per_source=settings.joins_per_address)
    yield
    engine.dispose()


async def _ingestion(app: web.Application) -> AsyncIterator[None]:
    """Keep the reporting tables current by ingesting Rasa's event store."""
    settings: Settings = app["settings"]
    if settings.ingest_interval <= 0:
        yield
        return
    events_engine = store_engine(settings.events_db_url)

    async def loop() -> None:
        while True:
            try:
                if not sqlite_file_missing(settings.events_db_url):
                    await asyncio.to_thread(ingest, events_engine, app["sessions"])
            except Exception:  # the event store or database is down: try next time
                logger.exception("ingestion failed; will retry")
            await asyncio.sleep(settings.ingest_interval)

    task = asyncio.create_task(loop())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    events_engine.dispose()


async def _http_client(app: web.Application) -> AsyncIterator[None]:
    app["http"] = ClientSession(timeout=ClientTimeout(total=15))
    yield
    await app["http"].close()


def create_app(settings: Settings, knowledge: Optional[KnowledgeBase] = None,
               bank: Optional[QuestionBank] = None) -> web.Application:
    """The web app; refuses (InsecureSettings) a development SECRET_KEY beyond the embedded profile on loopback."""
    settings.require_secrets(("SECRET_KEY",), settings.web_host)
    app = web.Application(
        client_max_size=MAX_BODY_BYTES,
        middlewares=[middlewares.security_headers, middlewares.errors, middlewares.auth],
    )
    app["settings"] = settings
    app["knowledge"] = knowledge or KnowledgeBase.load()
    app["bank"] = bank or QuestionBank.load(topics=app["knowledge"].keys())
    app["signer"] = SessionSigner(settings.secret_key)
    app["history_keys"] = HistoryKeys(settings.secret_key)
    app["history_timeout"] = HISTORY_TIMEOUT_SECONDS
    app["throttle"] = LoginThrottle()
    app["rasa_public_origin"] = rasa_public_url(settings)
    app["static_dir"] = STATIC_DIR
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True)
    app["render"] = make_renderer(env)
    app.cleanup_ctx.append(_database)
    app.cleanup_ctx.append(_http_client)
    app.cleanup_ctx.append(_ingestion)
    routes.setup(app, STATIC_DIR)
    return app
