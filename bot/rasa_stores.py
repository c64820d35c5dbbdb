"""Rasa's SQL tracker store and SQL event broker, with persistence made cheap.

Both profiles name these classes in their endpoints file (``endpoints.yml``,
``deploy/endpoints.production.yml``).  They store exactly what Rasa's own
``type: SQL`` classes store, in the same tables, so Rasa's tools and our
ingestion (bot/ingest.py) read them unchanged.  What differs is the cost of a
chat message (measured in benchmarks/, figures in the README):

* Rasa's tracker store re-reads and replays the whole conversation on every
  save, only to find which events are new, then hands them to the event broker,
  which commits each event in a transaction of its own (about 7 commits and
  ~29 fsyncs per message on SQLite).  Here the new events are found once, with
  the row count Rasa's own save uses anyway, and the broker writes all of them
  in one transaction.
* On SQLite the files run in WAL mode with ``synchronous=NORMAL``: a commit
  appends to the write-ahead log without waiting for the disk; the log is synced
  at checkpoints.  Nothing committed is lost when a process is killed (the
  SIGKILL test in tests/integration/test_faults.py); a power cut can lose the
  last commits.  Readers (the web app's ingestion) no longer block the writer.
  Connections are pooled instead of opened per transaction.

Order is Rasa's: the event store first, then the tracker, so a crash between the
two never leaves a conversation turn that reporting cannot see.

When the event store's database is unreachable (PostgreSQL restarting, a network
cut), the broker does not drop the message's events: it appends them to a spool
file in the data folder (``FRAUDBOT_DATA_DIR/event-spool.jsonl``, fsynced, shared
by the replicas on one machine under a file lock) and the conversation goes on.
The next publish that reaches the database writes the spooled events first, in
their order, in the same transaction as its own, then empties the spool.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional

from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)

SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=10000")


def tune_engine(engine: Any) -> Any:
    """For SQLite: WAL + synchronous=NORMAL on every connection, and a small pool.

    Returns the engine to use (a new one for SQLite file databases; others as given).
    """
    import sqlalchemy as sa
    from sqlalchemy import event
    from sqlalchemy.pool import QueuePool

    if engine.dialect.name == "postgresql":
        # Rasa's pool settings (SQL_POOL_SIZE ...), and an unreachable host fails in seconds, not minutes.
        from rasa.core.tracker_store import create_engine_kwargs

        kwargs = create_engine_kwargs(engine.url)
        kwargs["connect_args"] = {**kwargs.get("connect_args", {}), "connect_timeout": 5}
        engine.dispose()
        return sa.create_engine(engine.url, pool_pre_ping=True, **kwargs)
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return engine
    engine.dispose()
    tuned = sa.create_engine(engine.url, poolclass=QueuePool, pool_size=2, max_overflow=4,
                             connect_args={"check_same_thread": False})

    @event.listens_for(tuned, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    return tuned


def use_tuned_engine(store: Any) -> None:
    """Swap the engine (and the sessionmaker bound to it) Rasa's constructor made for a tuned one."""
    import sqlalchemy.orm

    store.engine = tune_engine(store.engine)
    store.sessionmaker = sqlalchemy.orm.sessionmaker(bind=store.engine)


def is_unreachable(error: Exception) -> bool:
    """A database that cannot be reached (refused, dropped, timed out), not a bad statement."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    return isinstance(error, (OperationalError, InterfaceError)) or (
        isinstance(error, DBAPIError) and bool(error.connection_invalidated))


class Spool:
    """Events that could not reach the event store: JSON lines, fsynced, under an exclusive file lock.

    Each line is one message's events with a batch id: ``{"batch": "<uuid>", "events": [...]}``.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(str(self.path) + ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def append(self, batch: str, events: List[Dict[str, Any]]) -> None:
        """One line, one write (call while holding :meth:`locked`)."""
        line = json.dumps({"batch": batch, "events": events}, ensure_ascii=True) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size and not self._ends_with_newline():
                line = "\n" + line  # a line torn by a crash stays alone
            os.write(fd, line.encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def _ends_with_newline(self) -> bool:
        with open(self.path, "rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"

    def read(self) -> List[Dict[str, Any]]:
        """The spooled batches, in order (call while holding :meth:`locked`)."""
        if not self.path.exists():
            return []
        batches = []
        for number, line in enumerate(self.path.read_text(encoding="ascii", errors="replace").split("\n"), 1):
            if not line.strip():
                continue
            try:
                batch = json.loads(line)
                batches.append({"batch": str(batch["batch"]), "events": list(batch["events"])})
            except (ValueError, KeyError, TypeError):  # torn by a crash mid-write
                logger.error("event spool %s line %d is unreadable; skipped", self.path, number)
        return batches

    def set_aside(self) -> Path:
        """Move the spool to a dead-letter file (call while holding :meth:`locked`)."""
        dead = self.path.with_name(f"{self.path.stem}.dead-{int(time.time())}.jsonl")
        os.replace(self.path, dead)
        return dead

    def clear(self) -> None:
        """Call while holding :meth:`locked`."""
        with self.path.open("w", encoding="ascii") as handle:
            handle.flush()
            os.fsync(handle.fileno())


def default_spool_path() -> Path:
    return Path(os.environ.get("FRAUDBOT_DATA_DIR") or "var") / "event-spool.jsonl"


class BatchSQLEventBroker(SQLEventBroker):
    """Rasa's SQL event broker (same ``events`` table): one commit per message, spooled while the DB is away.

    `spool` (an endpoints.yml option): the spool file; default
    ``$FRAUDBOT_DATA_DIR/event-spool.jsonl``.  Replayed batches are recorded in
    ``fraudbot_spooled_batches`` in the same transaction, so a replay interrupted
    after its commit never writes a batch twice.  After a failed connection the
    broker spools directly for ``RETRY_AFTER`` seconds instead of waiting on the
    database for every message.
    """

    RETRY_AFTER = 5.0

    def __init__(self, *args: Any, spool: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import sqlalchemy as sa

        use_tuned_engine(self)
        self.spool = Spool(Path(spool) if spool else default_spool_path())
        self.batches = sa.Table("fraudbot_spooled_batches", sa.MetaData(),
                                sa.Column("batch", sa.String(36), primary_key=True),
                                sa.Column("replayed_at", sa.Float, nullable=False))
        self.batches.create(self.engine, checkfirst=True)
        self._down_until = 0.0

    @property
    def _spooled(self) -> bool:
        """Whether any process on this machine has spooled events (a stat per message)."""
        try:
            return self.spool.path.stat().st_size > 0
        except FileNotFoundError:
            return False

    def publish_many(self, events: Iterable[Dict[str, Any]]) -> None:
        """Store `events` (in order) in one transaction, after any spooled ones; spool them if the DB is away."""
        from sqlalchemy.exc import SQLAlchemyError

        events = list(events)
        batch = str(uuid.uuid4())
        if events and time.monotonic() < self._down_until:
            with self.spool.locked():
                self.spool.append(batch, events)
            return
        if not self._spooled:
            if not events:
                return
            try:
                self._write(events)
            except SQLAlchemyError as error:
                if not is_unreachable(error):  # a bad event, not an outage: store the others
                    logger.error("event store refused a message's events (%s)", error)
                    self._write_one_by_one(events)
                    return
                with self.spool.locked():
                    self._spool(error, batch, events)
            return
        with self.spool.locked():
            spooled = self.spool.read()
            try:
                self._write(events, spooled)
            except SQLAlchemyError as error:
                if is_unreachable(error):
                    self._spool(error, batch, events)
                    return
                # Something in the spool the database refuses: keep it aside, go on without it.
                dead = self.spool.set_aside()
                logger.error("event spool refused by the database (%s); moved to %s", error, dead)
                self._write_one_by_one(events)
                return
            self.spool.clear()
            logger.warning("event store reachable again: wrote %d spooled batches", len(spooled))

    def _write(self, events: List[Dict[str, Any]], spooled: Iterable[Dict[str, Any]] = ()) -> None:
        with self.session_scope() as session:
            rows = []
            for entry in spooled:
                done = session.execute(self.batches.select().where(self.batches.c.batch == entry["batch"])).first()
                if done is None:
                    session.execute(self.batches.insert().values(batch=entry["batch"], replayed_at=time.time()))
                    rows += [self._row(e) for e in entry["events"]]
            rows += [self._row(e) for e in events]
            session.add_all(rows)
            session.commit()

    def _row(self, event: Dict[str, Any]) -> Any:
        return self.SQLBrokerEvent(sender_id=event.get("sender_id"), data=json.dumps(event))

    def _write_one_by_one(self, events: List[Dict[str, Any]]) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        for event in events:
            try:
                self._write([event])
            except SQLAlchemyError as error:
                logger.error("event store refused an event of %r (%s): dropped", event.get("sender_id"), error)

    def _spool(self, error: Exception, batch: str, events: List[Dict[str, Any]]) -> None:
        """Call while holding the spool's lock."""
        self._down_until = time.monotonic() + self.RETRY_AFTER
        self.spool.append(batch, events)
        logger.warning("event store unreachable (%s): %d events spooled to %s", type(error).__name__,
                       len(events), self.spool.path)

    def publish(self, event: Dict[str, Any]) -> None:
        self.publish_many([event])


class FastSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store (same ``events`` table) that saves without replaying the conversation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_tuned_engine(self)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Publish the new events, then store them: one read and at most two commits."""
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
            if not new_events:
                return
            dicts = [event.as_dict() for event in new_events]
            self._publish(tracker.sender_id, dicts)
            session.add_all([self._row(tracker.sender_id, event, data) for event, data in zip(new_events, dicts)])
            session.commit()
        logger.debug("stored %d events of %s", len(new_events), tracker.sender_id)

    def _publish(self, sender_id: str, dicts: List[Dict[str, Any]]) -> None:
        if self.event_broker is None:
            return
        bodies = [{"sender_id": sender_id, **data} for data in dicts]
        publish_many = getattr(self.event_broker, "publish_many", None)
        if publish_many is not None:
            publish_many(bodies)
        else:  # any other broker (Kafka, Pika ...): Rasa's one-by-one publishing
            for body in bodies:
                self.event_broker.publish(body)

    def _row(self, sender_id: str, event: Any, data: Dict[str, Any]) -> Any:
        # The columns Rasa's own SQLTrackerStore.save fills.
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )
