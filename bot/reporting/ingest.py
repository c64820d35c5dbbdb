"""Ingesting Rasa's SQL event store into the reporting tables.

Rasa's SQL event broker appends every tracker event (JSON) to ``events`` in the
event store.  :func:`ingest` reads the rows past a high-water mark, in id order,
and turns them into ``conversations`` (one per Rasa session) and ``turns`` (one
per user message).

Why ingest from the event store instead of recording from the actions: the event
store is written by Rasa itself, for every message, whether or not an action ran.
If the project database or the action server is down, nothing is lost: the events
wait in the store and the next ingestion catches up.  Recording from actions would
drop every message answered while either was down, and never see messages that no
custom action handles (greetings, out-of-scope replies, fallbacks).

Each batch is committed in ONE transaction together with the new mark, so a crash
mid-way loses nothing and a rerun doubles nothing (``turns.source_event_id`` is
unique as a second guard).  Everything the next batch needs to know (a sender's
current conversation, the turn still waiting for its response) is read back from
the reporting tables, so no state lives only in memory.

``python -m bot.reporting.ingest`` runs it once with the settings from the environment.
"""
from __future__ import annotations

import argparse
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from sqlalchemy import Integer, String, Text, column, create_engine, inspect, select, table, update
from sqlalchemy.engine import Engine, Row
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import make_engine, make_sessionmaker, session_scope, upgrade
from bot.db.models import Conversation, Event, IngestState, Turn
from bot.quiz.participants import AUDIENCE_GROUPS, CHANNELS, sender_key
from bot.settings import Settings

logger = logging.getLogger(__name__)

SOURCE = "rasa_events"  # ingest_state row of the event store
QUESTION_INTENTS = frozenset({
    "faq", "followup_what_to_do", "followup_hotline", "followup_transferred", "followup_more",
    "followup_insist", "nlu_fallback", "out_of_scope",
})
FALLBACK_RESPONSES = frozenset({"utter_default", "utter_out_of_scope", "utter_out_of_scope_bank", "utter_out_of_scope_health",
                                "action_out_of_scope", "action_default_fallback"})
# Not answers to a message: Rasa's own bookkeeping between turns.
NOT_RESPONSES = frozenset({"action_listen", "action_session_start"})
# On PostgreSQL an id can become visible after a higher one (concurrent inserts).
# A gap next to rows younger than this is waited for instead of skipped.
SETTLE_SECONDS = 60.0

EVENTS = table("events", column("id", Integer), column("sender_id", String), column("data", Text))


@dataclass(frozen=True)
class IngestResult:
    events_read: int = 0
    turns_added: int = 0
    conversations_added: int = 0

    def __add__(self, other: "IngestResult") -> "IngestResult":
        return IngestResult(self.events_read + other.events_read, self.turns_added + other.turns_added,
                            self.conversations_added + other.conversations_added)


def store_engine(url: str) -> Engine:
    """An engine on a store Rasa owns: waits on locks, changes none of its pragmas."""
    args = {"timeout": 30} if url.startswith("sqlite") else {}
    return create_engine(url, future=True, connect_args=args)


def sqlite_file_missing(url: str) -> bool:
    """True for a SQLite URL whose file does not exist (connecting would create it)."""
    if not url.startswith("sqlite"):
        return False
    path = url.split("///", 1)[-1]
    return bool(path) and path != ":memory:" and not Path(path).exists()


def to_datetime(timestamp: float) -> datetime:
    """A Rasa timestamp (epoch seconds) as the naive UTC datetime the tables store."""
    return datetime.fromtimestamp(timestamp, timezone.utc).replace(tzinfo=None)


def topic_of(intent: str, parse_data: Dict[str, Any]) -> Tuple[str, Optional[float]]:
    """(topic, selector confidence or None) of a parsed message.

    A ``topic`` entity wins: button payloads like ``/faq{"topic": "police"}`` name it
    exactly.  Otherwise a faq message's topic is its response selector key.
    """
    for entity in parse_data.get("entities") or ():
        if entity.get("entity") == "topic" and entity.get("value"):
            return str(entity["value"])[:32], None
    if intent != "faq":
        return "", None
    response = ((parse_data.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    key = (response.get("intent_response_key")
           or (parse_data.get("intent") or {}).get("full_retrieval_intent_name") or "")
    if not key.startswith("faq/"):
        return "", None
    return key.split("/", 1)[1][:32], response.get("confidence")


class _Batch:
    """Applies one batch of events inside one session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.current: Dict[str, Optional[Conversation]] = {}  # sender key -> its latest conversation
        self.last_turn: Dict[str, Optional[Turn]] = {}
        self.event_ids: Dict[str, Optional[int]] = {}
        self.turns_added = 0
        self.conversations_added = 0

    def _load(self, key: str) -> Optional[Conversation]:
        if key not in self.current:
            conversation = self.session.execute(
                select(Conversation).where(Conversation.sender_key == key)
                .order_by(Conversation.session_no.desc()).limit(1)
            ).scalar_one_or_none()
            self.current[key] = conversation
            self.last_turn[key] = None if conversation is None else self.session.execute(
                select(Turn).where(Turn.conversation_id == conversation.id)
                .order_by(Turn.source_event_id.desc()).limit(1)
            ).scalar_one_or_none()
        return self.current[key]

    def _start(self, key: str, at: datetime) -> Conversation:
        previous = self._load(key)
        conversation = Conversation(sender_key=key, session_no=previous.session_no + 1 if previous else 1,
                                    channel="web", audience="", started_at=at, ended_at=at, n_questions=0)
        self.session.add(conversation)
        self.session.flush()  # turns need its id
        self.current[key], self.last_turn[key] = conversation, None
        self.conversations_added += 1
        return conversation

    def _touch(self, key: str, at: datetime) -> Optional[Conversation]:
        conversation = self._load(key)
        if conversation is not None and at > conversation.ended_at:
            conversation.ended_at = at
        return conversation

    def _event_id(self, code: str) -> Optional[int]:
        if code not in self.event_ids:
            self.event_ids[code] = self.session.execute(select(Event.id).where(Event.code == code)).scalar_one_or_none()
        return self.event_ids[code]

    def apply(self, event_id: int, sender: str, data: Dict[str, Any], at: datetime) -> None:
        kind = data.get("event")
        key = sender_key(sender)
        if kind == "session_started":
            self._start(key, at)
        elif kind == "user":
            self._user(event_id, key, data, at)
        elif kind == "action" and data.get("name") not in NOT_RESPONSES:
            self._touch(key, at)
            turn = self.last_turn.get(key)
            if turn is not None and not turn.response:
                turn.response = str(data.get("name") or "")[:64]
                turn.fell_back = turn.fell_back or turn.response in FALLBACK_RESPONSES
        elif kind == "bot":
            self._touch(key, at)
            # A custom action may answer with utter_default when no topic is confident.
            turn = self.last_turn.get(key)
            if turn is not None and (data.get("metadata") or {}).get("utter_action") in FALLBACK_RESPONSES:
                turn.fell_back = True
        elif kind == "slot":
            self._slot(key, data, at)

    def _user(self, event_id: int, key: str, data: Dict[str, Any], at: datetime) -> None:
        conversation = self._touch(key, at) or self._start(key, at)
        parse_data = data.get("parse_data") or {}
        intent_data = parse_data.get("intent") or {}
        intent = str(intent_data.get("name") or "")[:64]
        confidence = float(intent_data.get("confidence") or 0.0)
        topic, selector_confidence = topic_of(intent, parse_data)
        if selector_confidence is not None:
            # How sure the bot was of the answer it gave: the weaker of the two models.
            confidence = min(confidence, float(selector_confidence))
        channel = (data.get("metadata") or {}).get("channel") or (parse_data.get("metadata") or {}).get("channel")
        if channel in CHANNELS:
            conversation.channel = channel
        if intent in QUESTION_INTENTS:
            conversation.n_questions += 1
        turn = Turn(source_event_id=event_id, conversation_id=conversation.id, at=at, text=data.get("text") or "",
                    intent=intent, topic=topic, confidence=confidence, fell_back=intent == "nlu_fallback",
                    response="")
        self.session.add(turn)
        self.last_turn[key] = turn
        self.turns_added += 1

    def _slot(self, key: str, data: Dict[str, Any], at: datetime) -> None:
        name, value = data.get("name"), data.get("value")
        if name not in ("event_code", "audience") or not value:
            return  # slots are reset to None when a quiz ends: keep what was learnt
        conversation = self._touch(key, at) or self._start(key, at)
        if name == "event_code":
            event_id = self._event_id(str(value))
            if event_id is not None:
                conversation.event_id = event_id
        elif value in AUDIENCE_GROUPS:
            conversation.audience = value


def _mark(session: Session) -> int:
    state = session.get(IngestState, SOURCE)
    if state is None:
        session.add(IngestState(name=SOURCE, last_event_id=0))
        session.flush()
        return 0
    return state.last_event_id


def _advance_mark(session: Session, old: int, new: int) -> None:
    """Move the mark; refuses when another ingester moved it first."""
    moved = session.execute(
        update(IngestState).where(IngestState.name == SOURCE, IngestState.last_event_id == old)
        .values(last_event_id=new).execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise RuntimeError("ingest_state moved under us: is another ingestion running?")


def _read(events_engine: Engine, after: int, limit: int) -> List[Row]:
    with events_engine.connect() as connection:
        return list(connection.execute(
            select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.data).where(EVENTS.c.id > after)
            .order_by(EVENTS.c.id).limit(limit)
        ))


def _parse(row: Row) -> Optional[Tuple[str, Dict[str, Any], float]]:
    """(sender, data, timestamp) of a row, or None for a row that cannot be used."""
    try:
        data = json.loads(row.data or "")
        timestamp = float(data["timestamp"])
    except (ValueError, TypeError, KeyError):
        logger.warning("event %s is not a Rasa event (bad JSON or no timestamp): skipped", row.id)
        return None
    sender = row.sender_id or data.get("sender_id")
    return (sender, data, timestamp) if sender else None


def _apply_batch(session: Session, rows: Sequence[Row], mark: int, now: float) -> Tuple[IngestResult, int]:
    """Apply rows up to the first unsettled gap; (result, new mark)."""
    batch = _Batch(session)
    last = mark
    read = 0
    # Nothing a lookup needs is pending (a sender is looked up before anything of
    # theirs is added), so turns can wait and be inserted together at commit.
    with session.no_autoflush:
        for row in rows:
            parsed = _parse(row)
            if row.id != last + 1 and parsed is not None and parsed[2] > now - SETTLE_SECONDS:
                break  # a missing id may still be committing: wait for it next run
            if parsed is not None:
                batch.apply(row.id, parsed[0], parsed[1], to_datetime(parsed[2]))
            last, read = row.id, read + 1
    return IngestResult(read, batch.turns_added, batch.conversations_added), last


def ingest(events_engine: Engine, sessions: sessionmaker, batch_size: int = 5000) -> IngestResult:
    """Ingest every event past the mark; safe to rerun, and to rerun after a crash."""
    if not inspect(events_engine).has_table("events"):
        return IngestResult()  # Rasa has not written anything yet
    total = IngestResult()
    while True:
        with session_scope(sessions) as session:
            mark = _mark(session)
            rows = _read(events_engine, mark, batch_size)
            result, new_mark = _apply_batch(session, rows, mark, time.time())
            if new_mark != mark:
                _advance_mark(session, mark, new_mark)
        total += result
        if len(rows) < batch_size or result.events_read < len(rows):
            return total


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.reporting.ingest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch-size", type=int, default=5000, help="events per transaction (default 5000)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    if sqlite_file_missing(settings.events_db_url):
        print(f"no event store yet at {settings.events_db_url}: nothing to ingest")
        return 0
    settings.ensure_data_dir()
    upgrade(settings.database_url)
    events_engine, engine = store_engine(settings.events_db_url), make_engine(settings.database_url)
    started = time.monotonic()
    try:
        result = ingest(events_engine, make_sessionmaker(engine), args.batch_size)
    finally:
        events_engine.dispose()
        engine.dispose()
    print(f"read {result.events_read} events in {time.monotonic() - started:.1f}s: "
          f"{result.conversations_added} new conversations, {result.turns_added} new turns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
