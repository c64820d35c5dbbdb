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

When the tracker store's database is unreachable, conversations are kept in
memory (see :class:`FastSQLTrackerStore`) and written when it is back, so a
resident keeps their place in a quiz and no event is lost.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import time
import uuid
from collections import OrderedDict
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

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


def _create_tables(create: Any) -> None:
    """Run `create`; an unreachable database raises, anything else is another replica's race."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        create()
    except SQLAlchemyError as error:
        if is_unreachable(error):
            raise
        # Replicas started together may create the same table at once (Rasa logs the same).
        logger.warning("could not create tables (%s); another process made them?", error)


class _OutageBreaker:
    """What both stores do about an unreachable database: rest for ``RETRY_AFTER`` seconds after a
    failed connection, and make the tables on the first call that reaches it."""

    RETRY_AFTER = 5.0
    _down_until = 0.0
    _tables_made = False
    clock = staticmethod(time.monotonic)  # tests move it on instead of sleeping

    @property
    def _down(self) -> bool:
        return self.clock() < self._down_until

    def _rest(self) -> None:
        self._down_until = self.clock() + self.RETRY_AFTER

    def _create(self) -> None:
        raise NotImplementedError

    def _make_tables(self) -> None:
        if not self._tables_made:
            _create_tables(self._create)
            self._tables_made = True

    def _make_tables_at_start(self) -> Optional[Exception]:
        """Try to make the tables; a database away at start-up returns its error instead of raising."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            self._make_tables()
        except SQLAlchemyError as error:
            if not is_unreachable(error):
                raise
            self._rest()
            return error
        return None


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


class BatchSQLEventBroker(_OutageBreaker, SQLEventBroker):
    """Rasa's SQL event broker (same ``events`` table): one commit per message, spooled while the DB is away.

    `spool` (an endpoints.yml option): the spool file; default
    ``$FRAUDBOT_DATA_DIR/event-spool.jsonl``.  Replayed batches are recorded in
    ``fraudbot_spooled_batches`` in the same transaction, so a replay interrupted
    after its commit never writes a batch twice.  After a failed connection the
    broker spools directly for ``RETRY_AFTER`` seconds instead of waiting on the
    database for every message.
    """

    def __init__(self, dialect: str = "sqlite", host: Optional[str] = None, port: Optional[int] = None,
                 db: str = "events.db", username: Optional[str] = None, password: Optional[str] = None,
                 spool: Optional[str] = None) -> None:
        # Rasa's constructor, except that a database away at start-up does not stop Rasa from
        # starting: the tables are made by the first write that reaches it.
        import sqlalchemy as sa
        import sqlalchemy.orm
        from rasa.core.tracker_store import SQLTrackerStore

        self.engine = tune_engine(sa.create_engine(SQLTrackerStore.get_db_url(dialect, host, port, db, username,
                                                                               password)))
        self.sessionmaker = sqlalchemy.orm.sessionmaker(bind=self.engine)
        self.spool = Spool(Path(spool) if spool else default_spool_path())
        self.batches = sa.Table("fraudbot_spooled_batches", sa.MetaData(),
                                sa.Column("batch", sa.String(36), primary_key=True),
                                sa.Column("replayed_at", sa.Float, nullable=False))
        error = self._make_tables_at_start()
        if error is not None:
            logger.warning("event store unreachable at start-up (%s): events are spooled until it is back",
                           type(error).__name__)

    def _create(self) -> None:
        self.Base.metadata.create_all(self.engine)
        self.batches.create(self.engine, checkfirst=True)

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
        if events and self._down:
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
        self._make_tables()
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
        self._rest()
        self.spool.append(batch, events)
        logger.warning("event store unreachable (%s): %d events spooled to %s", type(error).__name__,
                       len(events), self.spool.path)

    def publish(self, event: Dict[str, Any]) -> None:
        self.publish_many([event])


class Rows:
    """How many of one tracker's events the tracker table holds, and how many the event broker got.

    Attached to the tracker object ``retrieve`` returns (Rasa appends a message's
    events to that object and hands it back to ``save``), so ``save`` knows which
    events are new without counting the rows again.
    """

    __slots__ = ("stored", "published")

    def __init__(self, stored: int, published: int) -> None:
        self.stored, self.published = stored, published


_ROWS = "_fraudbot_rows"


def _trim(entries: "OrderedDict[str, Any]", limit: int) -> List[str]:
    """Drop the oldest entries over `limit`; return their keys."""
    dropped = []
    while len(entries) > limit:
        dropped.append(entries.popitem(last=False)[0])
    return dropped


class FastSQLTrackerStore(_OutageBreaker, SQLTrackerStore):
    """Rasa's SQL tracker store (same ``events`` table) that saves without replaying the conversation.

    While its database is unreachable, conversations go on where they were:

    * ``retrieve`` answers from memory: a conversation saved during the outage is
      *held* there until it is written; one saved before it is found among the
      ``RECENT_LIMIT`` conversations this process saved last.  So a resident in a
      quiz keeps their place.  Only a conversation this process has not seen
      recently starts afresh.
    * ``save`` sends the new events to the event broker at once (which spools them
      if its own database is away too) and holds the tracker (at most
      ``HOLD_LIMIT``, oldest dropped first, with an error in the log).
    * The first database call that works again writes the held events to the
      table, oldest conversation first, each event exactly once.
    * For ``RETRY_AFTER`` seconds after a failed connection the database is not
      tried at all, so no message waits on a dead host.
    """

    HOLD_LIMIT = 10_000
    RECENT_LIMIT = 1_000
    FLUSH_BATCH = 50  # held conversations written per call once the database is back

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # logs "Could not create tables" when the database is away
        use_tuned_engine(self)
        error = self._make_tables_at_start()
        if error is not None:
            self._went_down(error)
        # sender -> (the tracker's events, what the table and the broker have of them)
        self._held: "OrderedDict[str, Tuple[List[Any], Rows]]" = OrderedDict()
        self._recent: "OrderedDict[str, Tuple[List[Any], Rows]]" = OrderedDict()
        self._new: "OrderedDict[str, bool]" = OrderedDict()  # retrieve found nothing: the next tracker is new

    def _create(self) -> None:
        self.Base.metadata.create_all(self.engine)

    def _went_down(self, error: Exception) -> None:
        self._rest()
        logger.warning("tracker store unreachable (%s): conversations are kept in memory (%d held)",
                       type(error).__name__, len(getattr(self, "_held", ())))

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        """The conversation since its last session start, from the database or, while it is away, from memory.

        ``None`` when there is none (or the database is away and this process has
        not seen the conversation lately): Rasa makes a new tracker, and the next
        one saved for `sender_id` has only new events, whatever the table holds of
        older sessions.
        """
        from sqlalchemy.exc import SQLAlchemyError

        self._flush_held()
        if sender_id in self._held:
            return self._tracker(sender_id, *self._held[sender_id])
        tracker, reached = None, False
        if not self._down:
            try:
                self._make_tables()
                tracker, reached = await super().retrieve(sender_id), True
            except SQLAlchemyError as error:
                if not is_unreachable(error):
                    raise
                self._went_down(error)
        if tracker is not None:
            setattr(tracker, _ROWS, Rows(len(tracker.events), len(tracker.events)))
            self._new.pop(sender_id, None)
            return tracker
        if not reached and sender_id in self._recent:
            events, rows = self._recent[sender_id]
            return self._tracker(sender_id, events, Rows(rows.stored, rows.published))
        self._new[sender_id] = True
        _trim(self._new, self.HOLD_LIMIT)
        return None

    async def retrieve_full_tracker(self, sender_id: str) -> Optional[DialogueStateTracker]:
        """All sessions from the database; while it is away, what ``retrieve`` would give."""
        if self._down or sender_id in self._held:
            return await self.retrieve(sender_id)
        return await super().retrieve_full_tracker(sender_id)

    def _tracker(self, sender_id: str, events: List[Any], rows: Rows) -> DialogueStateTracker:
        tracker = DialogueStateTracker.from_events(sender_id, list(events), self.domain.slots)
        setattr(tracker, _ROWS, rows)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Publish the new events, then store them: no count query when ``retrieve`` made the tracker."""
        from sqlalchemy.exc import SQLAlchemyError

        rows: Optional[Rows] = getattr(tracker, _ROWS, None)
        new = self._new.pop(tracker.sender_id, False)
        if rows is None and new and len(tracker.events) <= 1:
            # The tracker Rasa creates (empty, or one action_listen) right after retrieve found
            # nothing: all its events are new.  Any other tracker without a record is counted.
            rows = Rows(0, 0)
            setattr(tracker, _ROWS, rows)
        self._flush_held()
        if self._down:
            self._hold(tracker, rows)
            return
        try:
            self._make_tables()
            with self.session_scope() as session:
                if rows is None:  # a tracker retrieve did not make: count the rows, as Rasa does
                    stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
                    rows = Rows(stored, stored)
                    setattr(tracker, _ROWS, rows)
                self._write(session, tracker.sender_id, list(tracker.events), rows)
        except SQLAlchemyError as error:
            if not is_unreachable(error):
                raise
            self._went_down(error)
            self._hold(tracker, rows)
            return
        self._held.pop(tracker.sender_id, None)  # written with this save, if it was still waiting
        self._remember(tracker.sender_id, list(tracker.events), rows)

    def _remember(self, sender_id: str, events: List[Any], rows: Rows) -> None:
        """A stored conversation, for ``retrieve`` to fall back on while the database is away."""
        self._recent[sender_id] = (events, Rows(rows.stored, rows.published))
        self._recent.move_to_end(sender_id)
        _trim(self._recent, self.RECENT_LIMIT)

    def _write(self, session: Any, sender_id: str, events: List[Any], rows: Rows) -> None:
        """Publish what the broker has not had, then store what the table has not, in one commit."""
        first = min(rows.stored, rows.published)
        if len(events) <= first:
            return
        dicts = {i: events[i].as_dict() for i in range(first, len(events))}
        if rows.published < len(events):
            self._publish(sender_id, [dicts[i] for i in range(rows.published, len(events))])
            rows.published = len(events)
        if rows.stored < len(events):
            session.add_all([self._row(sender_id, events[i], dicts[i]) for i in range(rows.stored, len(events))])
            session.commit()
            logger.debug("stored %d events of %s", len(events) - rows.stored, sender_id)
            rows.stored = len(events)

    def _hold(self, tracker: DialogueStateTracker, rows: Optional[Rows]) -> None:
        """Keep the tracker until the database is back; its new events go to the broker now."""
        sender_id = tracker.sender_id
        events = list(tracker.events)
        held = self._held.get(sender_id)
        if rows is None or (held is not None and len(events) < len(held[0])):
            # Not a tracker retrieve made (e.g. one Rasa's API made after a failed read): which of
            # its events the table has is unknown, and it must not replace what is held.
            logger.error("tracker store unreachable: a conversation of %s was not saved", sender_id)
            return
        if rows.published < len(events):
            self._publish(sender_id, [e.as_dict() for e in events[rows.published:]])
            rows.published = len(events)
        self._held[sender_id] = (events, rows)
        self._held.move_to_end(sender_id)
        for dropped in _trim(self._held, self.HOLD_LIMIT):
            logger.error("tracker store unreachable: over %d conversations held, %s dropped "
                         "(its events are in the event store)", self.HOLD_LIMIT, dropped)

    def _flush_held(self) -> None:
        """Write held conversations to the table, oldest first, while the database answers."""
        from sqlalchemy.exc import SQLAlchemyError

        if not self._held or self._down:
            return
        written = refused = 0
        while self._held:
            sender_id, (events, rows) = next(iter(self._held.items()))
            try:
                self._make_tables()
                with self.session_scope() as session:
                    self._write(session, sender_id, events, rows)
            except SQLAlchemyError as error:
                if is_unreachable(error):
                    self._went_down(error)
                    return
                # Refused (not unreachable): its events are in the event store; go on without it.
                logger.error("tracker store refused the held conversation of %s (%s): dropped", sender_id, error)
                del self._held[sender_id]
                refused += 1
                continue
            del self._held[sender_id]
            self._remember(sender_id, events, rows)
            written += 1
            if written >= self.FLUSH_BATCH:  # the rest with the next calls: no long stop of the event loop
                break
        logger.warning("tracker store reachable again: wrote %d held conversations, %d refused, %d still held",
                       written, refused, len(self._held))

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
