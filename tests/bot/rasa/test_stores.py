"""bot/rasa/tracker_store.py stores what Rasa's own SQL stores store, in one commit per message."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import List

import pytest
from rasa.core.brokers.broker import EventBroker
from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from bot.rasa.event_broker import BatchSQLEventBroker
from bot.rasa.tracker_store import FastSQLTrackerStore
from bot.settings import PROJECT_ROOT

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, ask]
slots:
  topic:
    type: text
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: "您好"}]
""")


def conversation_steps() -> List[list]:
    """Three messages' worth of events, as the processor appends them."""
    return [
        [ActionExecuted("action_session_start"), ActionExecuted("action_listen"),
         UserUttered("你好", {"name": "greet", "confidence": 0.9}), ActionExecuted("utter_greet"),
         BotUttered("您好"), ActionExecuted("action_listen")],
        [UserUttered("有人让我转账到安全账户", {"name": "ask", "confidence": 0.8}),
         ActionExecuted("action_answer_topic"), SlotSet("topic", "safe_account"),
         BotUttered("这是诈骗"), ActionExecuted("action_listen")],
        [UserUttered("那怎么办", {"name": "ask", "confidence": 0.7}), ActionExecuted("action_topic_followup"),
         BotUttered("打 110"), ActionExecuted("action_listen")],
    ]


async def play(store: TrackerStore, sender: str) -> None:
    """Append each step to the stored tracker and save it, as Rasa does per message."""
    for step in conversation_steps():
        tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
        for event in step:
            tracker.update(event)
        await store.save(tracker)


def rows(path: Path, columns: str = "sender_id, data") -> list:
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT {columns} FROM events ORDER BY id").fetchall()


def without_timestamps(table: list) -> list:
    out = []
    for sender, data in table:
        d = json.loads(data)
        d.pop("timestamp", None)
        out.append((sender, d))
    return out


async def test_endpoints_file_selects_these_stores(tmp_path, monkeypatch):
    # Rasa silently falls back to an in-memory store when a `type:` cannot be loaded.
    monkeypatch.setenv("FRAUDBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:1/webhook")
    endpoints = str(PROJECT_ROOT / "endpoints.yml")
    broker = await EventBroker.create(read_endpoint_config(endpoints, "event_broker"))
    store = TrackerStore.create(read_endpoint_config(endpoints, "tracker_store"), DOMAIN, broker)
    inner = getattr(store, "_tracker_store", store)
    assert isinstance(broker, BatchSQLEventBroker)
    assert isinstance(inner, FastSQLTrackerStore)
    await play(inner, "resident-1")
    assert (tmp_path / "tracker.db").exists() and (tmp_path / "events.db").exists()


async def test_same_rows_as_rasas_own_stores(tmp_path):
    ours_dir, rasa_dir = tmp_path / "ours", tmp_path / "rasa"
    ours_dir.mkdir(), rasa_dir.mkdir()
    ours_broker = BatchSQLEventBroker(db=str(ours_dir / "events.db"))
    ours = FastSQLTrackerStore(DOMAIN, db=str(ours_dir / "tracker.db"), event_broker=ours_broker)
    rasa_broker = SQLEventBroker(db=str(rasa_dir / "events.db"))
    rasas = SQLTrackerStore(DOMAIN, db=str(rasa_dir / "tracker.db"), event_broker=rasa_broker)

    for sender in ("resident-1", "resident-2"):
        await play(ours, sender)
        await play(rasas, sender)

    # The event store (what reporting ingests) and the tracker table hold the same events.
    assert without_timestamps(rows(ours_dir / "events.db")) == without_timestamps(rows(rasa_dir / "events.db"))
    cols = "sender_id, type_name, intent_name, action_name"
    assert rows(ours_dir / "tracker.db", cols) == rows(rasa_dir / "tracker.db", cols)
    n_events = sum(len(step) for step in conversation_steps())
    assert len(rows(ours_dir / "events.db")) == 2 * n_events  # every event once, none twice

    # And the conversation comes back whole, slots included.
    tracker = await ours.retrieve("resident-1")
    assert tracker.get_slot("topic") == "safe_account"
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["你好", "有人让我转账到安全账户", "那怎么办"]


async def test_saving_an_unchanged_tracker_writes_nothing(tmp_path):
    broker = BatchSQLEventBroker(db=str(tmp_path / "events.db"))
    store = FastSQLTrackerStore(DOMAIN, db=str(tmp_path / "tracker.db"), event_broker=broker)
    await play(store, "resident-1")
    before = len(rows(tmp_path / "events.db"))
    await store.save(await store.retrieve("resident-1"))
    assert len(rows(tmp_path / "events.db")) == before


async def test_sqlite_files_use_the_write_ahead_log(tmp_path):
    broker = BatchSQLEventBroker(db=str(tmp_path / "events.db"))
    store = FastSQLTrackerStore(DOMAIN, db=str(tmp_path / "tracker.db"), event_broker=broker)
    await play(store, "resident-1")
    for name in ("events.db", "tracker.db"):
        with sqlite3.connect(tmp_path / name) as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal", name


@pytest.mark.postgres
async def test_on_postgresql_too(new_pg_database):
    from sqlalchemy.engine import make_url

    # Two databases, as in deploy/endpoints.production.yml: both tables are called "events".
    url = make_url(new_pg_database())
    broker = BatchSQLEventBroker(host=new_pg_database())
    store = FastSQLTrackerStore(DOMAIN, dialect="postgresql", host=url.host, port=url.port, db=url.database,
                                username=url.username, password=url.password or "", event_broker=broker)
    await play(store, "resident-pg")
    tracker = await store.retrieve("resident-pg")
    assert tracker.get_slot("topic") == "safe_account"
    with broker.session_scope() as session:
        stored = session.query(broker.SQLBrokerEvent).filter_by(sender_id="resident-pg").count()
    assert stored == sum(len(step) for step in conversation_steps())


# --- the spool, while the event store's database is away ---------------------------------

class Away:
    """Makes the broker's database unreachable (OperationalError) while ``down``."""

    def __init__(self, broker, monkeypatch):
        from sqlalchemy.exc import OperationalError

        self.down = True
        real = broker._write

        def write(events, spooled=()):
            if self.down:
                raise OperationalError("INSERT", {}, Exception("could not connect to server"))
            return real(events, spooled)

        monkeypatch.setattr(broker, "_write", write)


def event(sender: str, text: str) -> dict:
    return {"sender_id": sender, "event": "user", "text": text, "timestamp": 1.0}


def stored_texts(broker) -> list:
    with broker.session_scope() as session:
        return [json.loads(r.data)["text"] for r in session.query(broker.SQLBrokerEvent).order_by("id")]


def said_during_and_after_an_outage(tmp_path, monkeypatch, during: str, after: str) -> list:
    """One message while the event store is away, one after it is back; what the store holds."""
    broker = BatchSQLEventBroker(db=str(tmp_path / "events.db"), spool=str(tmp_path / "spool.jsonl"))
    away = Away(broker, monkeypatch)
    broker.publish_many([event("r1", during)])
    away.down, broker._down_until = False, 0.0
    broker.publish_many([event("r1", after)])
    return stored_texts(broker)


def test_spooled_text_with_unusual_line_breaks_comes_back_whole(tmp_path, monkeypatch):
    stored = said_during_and_after_an_outage(tmp_path, monkeypatch, "转账\u2028到安全账户\u0085吗", "那怎么办")
    assert stored == ["转账\u2028到安全账户\u0085吗", "那怎么办"]


def test_a_line_torn_by_a_crash_does_not_take_the_next_one_with_it(tmp_path, monkeypatch):
    (tmp_path / "spool.jsonl").write_text('{"batch": "torn", "events": [{"sender_id": "r0"')  # killed mid-write
    assert said_during_and_after_an_outage(tmp_path, monkeypatch, "第一句", "第二句") == ["第一句", "第二句"]


def test_a_replay_interrupted_after_its_commit_writes_nothing_twice(tmp_path, monkeypatch):
    spool = tmp_path / "spool.jsonl"
    broker = BatchSQLEventBroker(db=str(tmp_path / "events.db"), spool=str(spool))
    away = Away(broker, monkeypatch)
    broker.publish_many([event("r1", "断网时说的")])
    kept = spool.read_text()
    away.down, broker._down_until = False, 0.0
    broker.publish_many([event("r1", "恢复后说的")])
    spool.write_text(kept)  # as if the process died between the commit and emptying the spool
    broker.publish_many([event("r1", "再下一句")])
    assert stored_texts(broker) == ["断网时说的", "恢复后说的", "再下一句"]


def test_a_refused_event_is_not_spooled_and_does_not_block_the_others(tmp_path, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    spool = tmp_path / "spool.jsonl"
    broker = BatchSQLEventBroker(db=str(tmp_path / "events.db"), spool=str(spool))
    real = broker._write

    def write(events, spooled=()):
        if any(e.get("text") == "坏的" for e in events):
            raise IntegrityError("INSERT", {}, Exception("value too long"))
        return real(events, spooled)

    monkeypatch.setattr(broker, "_write", write)
    broker.publish_many([event("r1", "好的"), event("r1", "坏的"), event("r1", "也好")])
    broker.publish_many([event("r2", "别人的")])
    assert stored_texts(broker) == ["好的", "也好", "别人的"]
    assert not spool.exists() or spool.read_text() == ""


def stores(tmp_path):
    broker = BatchSQLEventBroker(db=str(tmp_path / "events.db"), spool=str(tmp_path / "spool.jsonl"))
    return FastSQLTrackerStore(DOMAIN, db=str(tmp_path / "tracker.db"), event_broker=broker)


async def say(store, sender, events):
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    for event in events:
        tracker.update(event)
    await store.save(tracker)
    return tracker


def held_down(store) -> None:
    """As after a failed connection: the store does not try the database for a while."""
    import time

    store._down_until = time.monotonic() + 60


async def test_during_an_outage_the_transcript_call_neither_loses_nor_replaces_the_conversation(tmp_path):
    # The chat page asks Rasa for the whole conversation (retrieve_full_tracker); while the
    # database is away that must give the held conversation, and the empty tracker Rasa's
    # fail-safe wrapper would create must not replace it.
    from rasa.core.tracker_store import FailSafeTrackerStore

    inner = stores(tmp_path)
    store = FailSafeTrackerStore(inner)
    first, second, third = conversation_steps()
    await say(store, "resident-1", first)
    held_down(inner)
    await say(store, "resident-1", second)
    full = await store.retrieve_full_tracker("resident-1")
    assert full.get_slot("topic") == "safe_account"
    await inner.save(inner.init_tracker("resident-1"))  # a tracker retrieve did not make
    assert (await store.retrieve("resident-1")).get_slot("topic") == "safe_account"

    inner._down_until = 0.0  # the database is back
    await say(store, "resident-1", third)
    expected = [e.type_name for step in (first, second, third) for e in step]
    assert [json.loads(d)["event"] for _, d in rows(tmp_path / "tracker.db")] == expected
    assert [json.loads(d)["event"] for _, d in rows(tmp_path / "events.db")] == expected


async def test_a_replaced_tracker_after_an_empty_read_is_counted_not_written_twice(tmp_path):
    # Replica A finds nothing for a sender; replica B then stores their conversation; A is
    # then handed a whole tracker (Rasa's PUT /conversations/<id>/tracker): A writes only
    # what the table lacks.
    a, b = stores(tmp_path), stores(tmp_path)
    assert await a.retrieve("resident-1") is None
    first, second, _ = conversation_steps()
    await say(b, "resident-1", first)
    replaced = DialogueStateTracker.from_events("resident-1", first + second, DOMAIN.slots)
    await a.save(replaced)
    expected = [e.type_name for e in first + second]
    assert [json.loads(d)["event"] for _, d in rows(tmp_path / "tracker.db")] == expected
    assert [json.loads(d)["event"] for _, d in rows(tmp_path / "events.db")] == expected


async def test_a_held_conversation_the_database_refuses_does_not_stop_the_others(tmp_path, monkeypatch, caplog):
    import logging

    from sqlalchemy.exc import IntegrityError

    store = stores(tmp_path)
    first, second, _ = conversation_steps()
    for sender in ("refused", "resident-1"):
        await say(store, sender, first)
    held_down(store)
    for sender in ("refused", "resident-1"):
        await say(store, sender, second)

    write = store._write

    def refuse_one(session, sender_id, events, rows_):
        if sender_id == "refused":
            raise IntegrityError("INSERT", {}, Exception("refused"))
        return write(session, sender_id, events, rows_)

    monkeypatch.setattr(store, "_write", refuse_one)
    store._down_until = 0.0
    with caplog.at_level(logging.WARNING, logger="bot.rasa.tracker_store"):
        tracker = await store.retrieve("resident-1")  # no exception: the refused one is set aside
    assert tracker.get_slot("topic") == "safe_account"
    stored = [json.loads(d)["event"] for s, d in rows(tmp_path / "tracker.db") if s == "resident-1"]
    assert stored == [e.type_name for e in first + second]
    # the operator's log says what happened to each held conversation, not "wrote 0"
    assert "wrote 1 held conversations, 1 refused, 0 still held" in caplog.text
