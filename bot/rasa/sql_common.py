"""What the SQL tracker store and event broker share: a tuned engine, and riding out an outage.

Not loaded by Rasa itself; ``bot.rasa.tracker_store`` and ``bot.rasa.event_broker``
(named in endpoints.yml) build on it.

On SQLite the files run in WAL mode with ``synchronous=NORMAL``: a commit
appends to the write-ahead log without waiting for the disk; the log is synced
at checkpoints.  Nothing committed is lost when a process is killed (the
SIGKILL test in tests/integration/test_faults.py); a power cut can lose the
last commits.  Readers (the web app's ingestion) no longer block the writer.
Connections are pooled instead of opened per transaction.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Optional

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
