"""Retention: anonymise old conversations and quiz participants; prune Rasa's stores.

:func:`anonymise_older_than` blanks what residents typed (``turns.text``) and
quiz nicknames, and replaces sender keys with random ``anon-`` keys, in
conversations that ended (and quiz rows created) more than N days ago.  Counts,
topics, intents and scores stay, so reports over old periods do not change.

Rasa keeps its own copy of every message: the tracker store (``events`` with a
``timestamp`` column) and the SQL event store (``events`` with the timestamp
inside the ``data`` JSON).  ``--prune-rasa`` deletes their rows older than N days
too (:func:`prune_rasa`).  Event store rows are deleted only below the ingestion
high-water mark, so nothing that has not been ingested is ever lost.

``python -m bot.privacy.retention [--days N] [--prune-rasa]``; N defaults to
``RETENTION_DAYS``.  The tracker store is the production profile's PostgreSQL
database when ``TRACKER_DB_HOST`` is set (deploy/production.env), else
``tracker.db`` in the data folder; a store that is not there is reported as
such, never as "0 rows".
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Dict, List, Optional, Tuple

from sqlalchemy import Float, Integer, Text, bindparam, column, delete, func, inspect, select, table, update
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import InstrumentedAttribute

from bot.db.engine import make_engine, make_sessionmaker, session_scope, upgrade
from bot.reporting.ingest import SOURCE, sqlite_file_missing, store_engine
from bot.db.models import Conversation, IngestState, Participant, QuizAttempt, Turn, utcnow
from bot.settings import Settings

logger = logging.getLogger(__name__)

ANON_PREFIX = "anon-"  # marks rows already anonymised, so reruns skip them
CHUNK = 5000  # rows per statement: short locks, since Rasa keeps writing its stores

EVENT_STORE = table("events", column("id", Integer), column("data", Text))
TRACKER = table("events", column("id", Integer), column("timestamp", Float))


@dataclass(frozen=True)
class PruneResult:
    event_store_rows: int
    tracker_rows: int


def _cutoff(days: int, now: Optional[datetime]) -> datetime:
    if days < 1:
        raise ValueError("retention must be at least one day")
    return (now or utcnow()) - timedelta(days=days)


def _rekey(session: Session, model: type, when: InstrumentedAttribute, cutoff: datetime,
           mapping: Dict[str, str]) -> int:
    """Give rows older than cutoff random sender keys; how many rows changed.

    One random key per old key and run, so counts of distinct residents over old
    periods hold, yet old rows can no longer be linked to the resident's newer ones.
    """
    rows = session.execute(select(model.id, model.sender_key).where(
        when < cutoff, ~model.sender_key.like(f"{ANON_PREFIX}%"))).all()
    params = [{"row_id": row_id, "new_key": mapping.setdefault(key, ANON_PREFIX + secrets.token_hex(13))}
              for row_id, key in rows]
    table_ = model.__table__
    statement = update(table_).where(table_.c.id == bindparam("row_id")).values(sender_key=bindparam("new_key"))
    for start in range(0, len(params), CHUNK):
        session.execute(statement, params[start:start + CHUNK])
    return len(rows)


def anonymise_older_than(sessions: sessionmaker, days: int, now: Optional[datetime] = None) -> int:
    """Anonymise conversations ended and participants joined more than ``days`` ago.

    Returns how many conversations and participants were anonymised; a rerun
    returns 0.
    """
    cutoff = _cutoff(days, now)
    mapping: Dict[str, str] = {}
    with session_scope(sessions) as session:
        old_conversations = select(Conversation.id).where(Conversation.ended_at < cutoff)
        session.execute(update(Turn).where(Turn.conversation_id.in_(old_conversations), Turn.text != "")
                        .values(text="").execution_options(synchronize_session=False))
        conversations = _rekey(session, Conversation, Conversation.ended_at, cutoff, mapping)
        session.execute(update(Participant).where(Participant.created_at < cutoff, Participant.nickname != "")
                        .values(nickname="").execution_options(synchronize_session=False))
        participants = _rekey(session, Participant, Participant.created_at, cutoff, mapping)
        _rekey(session, QuizAttempt, QuizAttempt.started_at, cutoff, mapping)
    logger.info("anonymised %d conversations and %d participants older than %s", conversations, participants, cutoff)
    return conversations + participants


def _timestamp_of(connection: Connection, at_least: int, at_most: int) -> Optional[Tuple[int, float]]:
    """(id, timestamp) of the first event store row in [at_least, at_most]."""
    row = connection.execute(select(EVENT_STORE.c.id, EVENT_STORE.c.data).where(
        EVENT_STORE.c.id >= at_least, EVENT_STORE.c.id <= at_most).order_by(EVENT_STORE.c.id).limit(1)).first()
    if row is None:
        return None
    try:
        return row.id, float(json.loads(row.data)["timestamp"])
    except (ValueError, TypeError, KeyError):
        return row.id, float("-inf")  # not a Rasa event: as old as can be


def _last_id_before(connection: Connection, cutoff: float, low: int, high: int) -> Optional[int]:
    """The last id in [low, high] whose timestamp is before cutoff.

    Timestamps sit inside JSON, so no index helps; ids grow with time, so a
    binary search reads about 30 rows instead of the whole table.
    """
    found = None
    while low <= high:
        middle = (low + high) // 2
        row = _timestamp_of(connection, middle, high)
        if row is None:
            high = middle - 1
        elif row[1] < cutoff:
            found, low = row[0], row[0] + 1
        else:
            high = middle - 1
    return found


def _prune_event_store(engine: Engine, cutoff: float, mark: int) -> int:
    if not inspect(engine).has_table("events"):
        return 0
    with engine.connect() as connection:
        oldest, newest = connection.execute(select(func.min(EVENT_STORE.c.id), func.max(EVENT_STORE.c.id))).one()
        if newest is None:
            return 0
        # Keep the newest row: SQLite hands out max(id)+1, so deleting it would let
        # Rasa reuse ids at or below the mark, and ingestion would skip them.
        last = _last_id_before(connection, cutoff, oldest, min(mark, newest - 1))
    deleted = 0
    first = oldest
    while last is not None and first <= last:
        with engine.begin() as connection:
            upper = min(first + CHUNK, last + 1)
            deleted += connection.execute(
                delete(EVENT_STORE).where(EVENT_STORE.c.id >= first, EVENT_STORE.c.id < upper)).rowcount
        first = upper
    return deleted


def _prune_tracker(engine: Engine, cutoff: float) -> int:
    if not inspect(engine).has_table("events"):
        return 0
    deleted = 0
    while True:
        with engine.begin() as connection:
            batch = select(TRACKER.c.id).where(TRACKER.c.timestamp < cutoff).limit(CHUNK).scalar_subquery()
            count = connection.execute(delete(TRACKER).where(TRACKER.c.id.in_(batch))).rowcount
        deleted += count
        if count < CHUNK:
            return deleted


def prune_rasa(sessions: sessionmaker, events_engine: Optional[Engine], tracker_engine: Optional[Engine],
               days: int, now: Optional[datetime] = None) -> PruneResult:
    """Delete Rasa's rows older than ``days`` (event store rows only once ingested).

    Pass None for a store that does not exist yet.
    """
    cutoff = (_cutoff(days, now) - datetime(1970, 1, 1)).total_seconds()
    with sessions() as session:
        state = session.get(IngestState, SOURCE)
        mark = state.last_event_id if state else 0
    return PruneResult(
        _prune_event_store(events_engine, cutoff, mark) if events_engine is not None else 0,
        _prune_tracker(tracker_engine, cutoff) if tracker_engine is not None else 0,
    )


def tracker_store_url(settings: Settings, env: Optional[Dict[str, str]] = None) -> str:
    """Rasa's tracker store: the production profile's PostgreSQL (TRACKER_DB_*), else tracker.db."""
    env = os.environ if env is None else env
    if env.get("TRACKER_DB_HOST"):
        return URL.create("postgresql", username=env.get("TRACKER_DB_USER") or None,
                          password=env.get("TRACKER_DB_PASSWORD") or None, host=env["TRACKER_DB_HOST"],
                          port=int(env.get("TRACKER_DB_PORT") or 5432),
                          database=env.get("TRACKER_DB_NAME") or None).render_as_string(hide_password=False)
    return f"sqlite:///{settings.data_dir / 'tracker.db'}"


def _pruned(rows: int, what: str, url: str, engine: Optional[Engine]) -> str:
    where = make_url(url).render_as_string(hide_password=True)
    return f"{what}: not found at {where}" if engine is None else f"deleted {rows} {what} rows ({where})"


def main(argv: Optional[List[str]] = None) -> int:
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(prog="python -m bot.privacy.retention", description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=settings.retention_days,
                        help=f"anonymise what is older than this many days (default {settings.retention_days})")
    parser.add_argument("--prune-rasa", action="store_true",
                        help="also delete old rows from Rasa's tracker store and event store")
    parser.add_argument("--tracker-db-url", default=tracker_store_url(settings),
                        help="SQLAlchemy URL of Rasa's tracker store (default: TRACKER_DB_* when set, "
                             "else tracker.db in the data folder)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    settings.ensure_data_dir()
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    stores = [None if sqlite_file_missing(url) else store_engine(url)
              for url in (settings.events_db_url, args.tracker_db_url)] if args.prune_rasa else []
    try:
        sessions = make_sessionmaker(engine)
        count = anonymise_older_than(sessions, args.days)
        print(f"anonymised {count} conversations and quiz participants older than {args.days} days")
        if args.prune_rasa:
            result = prune_rasa(sessions, stores[0], stores[1], args.days)
            print(f"older than {args.days} days: "
                  + _pruned(result.event_store_rows, "event store", settings.events_db_url, stores[0]) + "; "
                  + _pruned(result.tracker_rows, "tracker", args.tracker_db_url, stores[1]))
    finally:
        for store in stores:
            if store is not None:
                store.dispose()
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
