"""What the actions call into: built once per action-server process.

Settings are read from the environment here, once; actions only reach the
services through :func:`services`, so tests can install their own with
:func:`install`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from bot.db.engine import make_engine, make_sessionmaker, upgrade
from bot.knowledge.topics import KnowledgeBase
from bot.quiz.outbox import Outbox
from bot.quiz.bank import QuestionBank
from bot.quiz.store import QuizStore
from bot.settings import Settings


@dataclass
class Services:
    settings: Settings
    knowledge: KnowledgeBase
    bank: QuestionBank
    store: QuizStore


_services: Optional[Services] = None


def build(settings: Settings, migrate: bool = True) -> Services:
    knowledge = KnowledgeBase.load()
    bank = QuestionBank.load(topics=knowledge.keys())
    if migrate:
        settings.ensure_data_dir()
        upgrade(settings.database_url)
    outbox = Outbox(settings.data_dir / "outbox.jsonl")
    store = QuizStore(make_sessionmaker(make_engine(settings.database_url)), outbox, settings.joins_per_address)
    return Services(settings, knowledge, bank, store)


def install(services_: Optional[Services]) -> None:
    global _services
    _services = services_


def services() -> Services:
    global _services
    if _services is None:
        _services = build(Settings.from_env())
    return _services
