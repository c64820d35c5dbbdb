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
"""
from __future__ import annotations

import json
import logging
from typing import Any, Dict, Iterable, List

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


class BatchSQLEventBroker(SQLEventBroker):
    """Rasa's SQL event broker (same ``events`` table) that writes a message's events in one commit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import sqlalchemy.orm

        self.engine = tune_engine(self.engine)
        self.sessionmaker = sqlalchemy.orm.sessionmaker(bind=self.engine)

    def publish_many(self, events: Iterable[Dict[str, Any]]) -> None:
        """Store `events` (in order) in one transaction."""
        rows = [self.SQLBrokerEvent(sender_id=e.get("sender_id"), data=json.dumps(e)) for e in events]
        if not rows:
            return
        with self.session_scope() as session:
            session.add_all(rows)
            session.commit()

    def publish(self, event: Dict[str, Any]) -> None:
        self.publish_many([event])


class FastSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store (same ``events`` table) that saves without replaying the conversation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import sqlalchemy.orm

        self.engine = tune_engine(self.engine)
        self.sessionmaker = sqlalchemy.orm.sessionmaker(bind=self.engine)

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
