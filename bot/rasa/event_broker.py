"""Rasa's SQL event broker, one commit per message; loaded by endpoints.yml's ``event_broker``.

``type: bot.rasa.event_broker.BatchSQLEventBroker`` in endpoints.yml and
deploy/endpoints.production.yml.  It stores exactly what Rasa's ``type: SQL``
broker stores, in the same ``events`` table, so Rasa's tools and our ingestion
(bot/reporting/ingest.py) read it unchanged.  Rasa's broker commits each event
in a transaction of its own (about 7 commits and ~29 fsyncs per message on
SQLite); this one writes all of a message's events in one transaction
(figures in benchmarks/ and the README).

When the event store's database is unreachable (PostgreSQL restarting, a network
cut), the broker does not drop the message's events: it appends them to the spool
(:mod:`bot.rasa.spool`) and the conversation goes on.  The next publish that reaches
the database writes the spooled events first, in their order, in the same
transaction as its own, then empties the spool.
"""
from __future__ import annotations

import json
import logging
import time
import uuid
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

from rasa.core.brokers.sql import SQLEventBroker

from bot.rasa.spool import Spool, default_spool_path
from bot.rasa.sql_common import _OutageBreaker, is_unreachable, tune_engine

logger = logging.getLogger(__name__)


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
