"""PostgreSQL becomes unreachable for a while: nothing already said or answered is lost.

The code under test reaches a real PostgreSQL through a proxy the test cuts
(tests/proxy.py): connections are refused and open ones break, as when the
database restarts or the network to it fails.  Quiz writes wait in the outbox
(bot/quiz/outbox.py), conversation events in the event broker's spool, conversations
in the tracker store's memory (bot/rasa/tracker_store.py); all arrive exactly once when
the database is back.
"""
from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from sqlalchemy import func, select, text

from bot.quiz import rules as quiz_rules
from bot.db.engine import make_engine, make_sessionmaker, upgrade
from bot.db.models import QuizAnswer, QuizAttempt
from bot.quiz.outbox import Outbox, is_pending
from bot.quiz.store import QuizStore
from bot.rasa.event_broker import BatchSQLEventBroker
from bot.rasa.tracker_store import FastSQLTrackerStore
from bot.rasa.sql_common import _OutageBreaker
from tests.bot.rasa.test_stores import DOMAIN, conversation_steps
from tests.proxy import CuttableProxy

pytestmark = pytest.mark.postgres


def through(proxy: CuttableProxy, url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{proxy.port}").geturl()


@pytest.fixture
def proxy(pg_url):
    parts = urlsplit(pg_url)
    p = CuttableProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    yield p
    p.close()


def test_a_quiz_answered_while_postgres_is_away_is_stored_once(pg_url, proxy, bank, tmp_path):
    upgrade(pg_url)
    engine = make_engine(through(proxy, pg_url))
    store = QuizStore(make_sessionmaker(engine), Outbox(tmp_path / "outbox.jsonl"))
    ids = quiz_rules.choose_round(bank)
    attempt = store.start_attempt("resident-outage", ids)
    assert not is_pending(attempt)
    q = bank.get(ids[0])
    assert store.record_answer(attempt, 0, q, q.answer_index, True)

    proxy.cut()  # the database goes away mid-quiz; the resident keeps answering
    for position in range(1, 5):
        q = bank.get(ids[position])
        assert store.record_answer(attempt, position, q, q.answer_index, True)
    store.finish_attempt(attempt)
    assert len(store.outbox) >= 4

    proxy.restore()
    store.flush_outbox()
    assert len(store.outbox) == 0
    store.flush_outbox()  # a second replay changes nothing

    direct = make_sessionmaker(make_engine(pg_url))
    with direct() as s:
        positions = s.execute(select(QuizAnswer.position).where(QuizAnswer.attempt_id == attempt)
                              .order_by(QuizAnswer.position)).scalars().all()
        finished = s.execute(select(QuizAttempt).where(QuizAttempt.id == attempt)).scalar_one()
        assert s.execute(select(func.count()).select_from(QuizAttempt)).scalar_one() == 1
    assert positions == [0, 1, 2, 3, 4]  # every answer, each exactly once
    assert finished.score == 5 and finished.finished_at is not None
    engine.dispose()


async def test_conversation_events_while_the_event_store_is_away_arrive_once(new_pg_database, tmp_path):
    events_url = new_pg_database()
    tracker_url = urlsplit(new_pg_database())
    parts = urlsplit(events_url)
    proxy = CuttableProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    spool = tmp_path / "event-spool.jsonl"
    try:
        broker = BatchSQLEventBroker(host=through(proxy, events_url), spool=str(spool))
        store = FastSQLTrackerStore(DOMAIN, dialect="postgresql", host=tracker_url.hostname,
                                    port=tracker_url.port, db=tracker_url.path.lstrip("/"),
                                    username=tracker_url.username, password="", event_broker=broker)
        first, second, third = conversation_steps()

        async def say(step):
            tracker = await store.get_or_create_tracker("resident-1", append_action_listen=False)
            for event in step:
                tracker.update(event)
            await store.save(tracker)  # never raises for the event store

        await say(first)
        proxy.cut()
        await say(second)  # the conversation goes on
        spooled = [e for line in spool.read_text().split("\n") if line for e in json.loads(line)["events"]]
        assert [e["event"] for e in spooled] == [e.type_name for e in second]

        # The database comes back, and the Rasa process is restarted: the spool was on disk.
        proxy.restore()
        broker = BatchSQLEventBroker(host=through(proxy, events_url), spool=str(spool))
        store.event_broker = broker
        await say(third)
        assert spool.read_text() == ""

        with broker.session_scope() as session:
            rows = session.query(broker.SQLBrokerEvent).filter_by(sender_id="resident-1") \
                .order_by(broker.SQLBrokerEvent.id).all()
        stored = [json.loads(r.data) for r in rows]
        expected = [e.type_name for step in (first, second, third) for e in step]
        assert [e["event"] for e in stored] == expected  # all of them, once, in order
        said = [e["text"] for e in stored if e["event"] == UserUttered.type_name]
        assert said == ["你好", "有人让我转账到安全账户", "那怎么办"]
    finally:
        proxy.close()


def summary(event: dict) -> tuple:
    return event["event"], event.get("text") or event.get("name"), event.get("value")


class WholeDatabase:
    """The tracker store and the event store on one PostgreSQL server, both reached through one proxy."""

    def __init__(self, new_pg_database, spool) -> None:
        self.tracker_url, self.events_url = new_pg_database(), new_pg_database()
        parts = urlsplit(self.tracker_url)
        self.proxy = CuttableProxy((parts.hostname or "127.0.0.1", parts.port or 5432))
        self.spool = spool

    def store(self) -> FailSafeTrackerStore:
        """A freshly started Rasa process's store, wrapped as Rasa's agent wraps it."""
        tracker = urlsplit(through(self.proxy, self.tracker_url))
        broker = BatchSQLEventBroker(host=through(self.proxy, self.events_url), spool=str(self.spool))
        inner = FastSQLTrackerStore(DOMAIN, dialect="postgresql", host=tracker.hostname, port=tracker.port,
                                    db=tracker.path.lstrip("/"), username=tracker.username, password="",
                                    event_broker=broker)
        return FailSafeTrackerStore(inner)

    def rows(self, url: str, sender: str) -> list:
        """(type, text) of each stored event of `sender`, in order, read directly."""
        engine = make_engine(url)
        with engine.connect() as connection:
            data = connection.execute(text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"),
                                      {"s": sender}).scalars().all()
        engine.dispose()
        return [summary(e) for e in map(json.loads, data)]


@pytest.fixture
def whole_db(new_pg_database, tmp_path, monkeypatch):
    db = WholeDatabase(new_pg_database, tmp_path / "event-spool.jsonl")
    db.clock = FakeClock()
    monkeypatch.setattr(_OutageBreaker, "clock", db.clock)
    yield db
    db.proxy.close()


class FakeClock:
    """The stores' monotonic clock, moved on by the test instead of waiting for it."""

    def __init__(self) -> None:
        self.now = time.monotonic()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


async def say(store, sender: str, events: list):
    """One message: Rasa retrieves the conversation, appends the turn's events and saves it."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    for event in events:
        tracker.update(event)
    await store.save(tracker)
    return tracker


async def test_a_conversation_keeps_its_place_while_postgres_is_away(whole_db):
    # The quiz is mid-way when the whole database goes away: the resident's next
    # messages continue it (the slots come back), and when the database returns
    # every event is in both tables, once, in order.
    store = whole_db.store()
    first, second, third = conversation_steps()
    await say(store, "resident-1", first)

    whole_db.proxy.cut()
    tracker = await say(store, "resident-1", second)  # never raises, and it is the same conversation
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["你好", "有人让我转账到安全账户"]
    tracker = await store.get_or_create_tracker("resident-1", append_action_listen=False)
    assert tracker.get_slot("topic") == "safe_account"  # the place is kept
    for event in third:
        tracker.update(event)
    await store.save(tracker)

    whole_db.proxy.restore()
    whole_db.clock.advance(FastSQLTrackerStore.RETRY_AFTER)  # after a failed connection the database rests
    thanks = [UserUttered("谢谢", {"name": "greet", "confidence": 0.9}), ActionExecuted("action_listen")]
    tracker = await say(store, "resident-1", thanks)  # the first message that reaches it writes what waited
    assert tracker.get_slot("topic") == "safe_account"

    expected = [summary(e.as_dict()) for step in (first, second, third, thanks) for e in step]
    assert whole_db.rows(whole_db.tracker_url, "resident-1") == expected
    assert whole_db.rows(whole_db.events_url, "resident-1") == expected
    assert whole_db.spool.read_text() == ""

    # A Rasa process started now reads the conversation whole from the database.
    restarted = await whole_db.store().retrieve("resident-1")
    assert restarted.get_slot("topic") == "safe_account"
    assert [e.text for e in restarted.events if isinstance(e, UserUttered)] == ["你好", "有人让我转账到安全账户", "那怎么办", "谢谢"]


async def test_a_conversation_started_while_postgres_is_away_is_stored_after_the_old_one(whole_db):
    # A process that never saw the resident (it was restarted) cannot know their old
    # conversation while the database is away: it starts a new one, and loses neither.
    first, second, _ = conversation_steps()
    await say(whole_db.store(), "resident-2", first + second)

    store = whole_db.store()  # a restarted process
    whole_db.proxy.cut()
    tracker = await say(store, "resident-2", [  # made in this order, so their timestamps follow the session start
        ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
        UserUttered("那怎么办", {"name": "ask", "confidence": 0.7}), ActionExecuted("action_listen")])
    assert tracker.get_slot("topic") is None  # new conversation
    whole_db.proxy.restore()
    whole_db.clock.advance(FastSQLTrackerStore.RETRY_AFTER)
    tracker = await say(store, "resident-2", [UserUttered("谢谢", {"name": "greet", "confidence": 0.9})])
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["那怎么办", "谢谢"]  # the new session

    for url in (whole_db.events_url, whole_db.tracker_url):
        said = [t for kind, t, _ in whole_db.rows(url, "resident-2") if kind == UserUttered.type_name]
        assert said == ["你好", "有人让我转账到安全账户", "那怎么办", "谢谢"]


async def test_rasa_starts_while_postgres_is_away_and_catches_up_when_it_is_back(whole_db):
    # A replica restarted during the outage (fresh databases: not even the tables exist yet).
    whole_db.proxy.cut()
    store = whole_db.store()  # Rasa's start-up makes the stores: it must not fail
    first, second, _ = conversation_steps()
    await say(store, "resident-3", first)
    tracker = await say(store, "resident-3", second)
    assert tracker.get_slot("topic") == "safe_account"

    whole_db.proxy.restore()
    whole_db.clock.advance(FastSQLTrackerStore.RETRY_AFTER)
    thanks = [UserUttered("谢谢", {"name": "greet", "confidence": 0.9}), ActionExecuted("action_listen")]
    await say(store, "resident-3", thanks)
    expected = [summary(e.as_dict()) for step in (first, second, thanks) for e in step]
    assert whole_db.rows(whole_db.tracker_url, "resident-3") == expected
    assert whole_db.rows(whole_db.events_url, "resident-3") == expected
