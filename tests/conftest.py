"""Shared fixtures: throwaway settings and databases, Rasa SDK tracker helpers."""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services as services_module
from sqlalchemy import create_engine, text

from bot.db.engine import make_engine, make_sessionmaker, upgrade
from bot.knowledge.topics import default_knowledge
from bot.quiz.bank import default_bank
from bot.quiz.store import QuizStore
from bot.settings import Settings

pytest_plugins = ["tests.server"]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path)


@pytest.fixture
def sessions(settings: Settings):
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def new_pg_database():
    """Make fresh, empty PostgreSQL databases (only where TEST_POSTGRES_URL is set); dropped afterwards."""
    if not os.environ.get("TEST_POSTGRES_URL"):
        pytest.skip("TEST_POSTGRES_URL is not set (.ci/run sets it)")
    admin = create_engine(os.environ["TEST_POSTGRES_URL"], isolation_level="AUTOCOMMIT", future=True)
    names: List[str] = []

    def make() -> str:
        name = "fraudbot_test_" + uuid.uuid4().hex[:10]
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        names.append(name)
        return os.environ["TEST_POSTGRES_URL"].rsplit("/", 1)[0] + "/" + name

    yield make
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_url(new_pg_database) -> str:
    return new_pg_database()


@pytest.fixture
def pg_sessions(pg_url):
    """The project's schema in a fresh PostgreSQL database."""
    upgrade(pg_url)
    engine = make_engine(pg_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def store(sessions) -> QuizStore:
    return QuizStore(sessions)


@pytest.fixture(scope="session")
def kb():
    return default_knowledge()


@pytest.fixture(scope="session")
def bank():
    return default_bank()


@pytest.fixture
def services(settings, store, kb, bank):
    svc = services_module.Services(settings, kb, bank, store)
    services_module.install(svc)
    yield svc
    services_module.install(None)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def domain() -> Dict[str, Any]:
    return {}


def make_tracker(
    text: str = "",
    intent: str = "faq",
    confidence: float = 0.95,
    slots: Optional[Dict[str, Any]] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    selector_key: Optional[str] = None,
    selector_confidence: float = 0.9,
    runner_up: Optional[tuple] = None,
    sender_id: str = "resident-1",
    metadata: Optional[Dict[str, Any]] = None,
) -> Tracker:
    """A tracker whose latest message looks like what Rasa sends the action server."""
    message: Dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
        "metadata": metadata or {},
    }
    if selector_key:
        top = {"intent_response_key": f"faq/{selector_key}", "confidence": selector_confidence}
        message["response_selector"] = {"faq": {"response": top}}
        if runner_up:  # (topic, confidence) ranked second
            second = {"intent_response_key": f"faq/{runner_up[0]}", "confidence": runner_up[1]}
            message["response_selector"]["faq"]["ranking"] = [top, second]
    return Tracker(sender_id, slots or {}, message, [], False, None, {}, "action_listen")


@pytest.fixture
def tracker_factory():
    return make_tracker
