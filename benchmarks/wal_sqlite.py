"""Experiment only (not used by the assistant): Rasa's SQL tracker store and SQL
event broker on SQLite in WAL mode with ``synchronous=NORMAL``.

Rasa opens SQLite in its default rollback-journal mode, where every commit
waits for several fsyncs, and its SQL event broker commits once per event
(about 7 commits and ~29 fdatasync calls per chat message here).  In WAL mode
with ``synchronous=NORMAL`` a commit does not wait for the disk (the WAL is
synced at checkpoints); a power cut can lose the last commits, a crash of the
process cannot.

``python -m benchmarks.run_all --only fraudbot-wal`` runs our assistant with
an endpoints file that names these classes (``WAL_ENDPOINTS`` in run_all.py), to
measure what the change would give.  The classes live here because benchmarks/ may not change bot/.
"""
from __future__ import annotations

from typing import Any

from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import SQLTrackerStore

PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


def use_wal(engine: Any) -> None:
    """Set the pragmas on every new SQLite connection of `engine`."""
    from sqlalchemy import event

    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        cursor = dbapi_connection.cursor()
        for pragma in PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    engine.dispose()  # connections opened before the listener get reopened with it


class WalSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_wal(self.engine)


class WalSQLEventBroker(SQLEventBroker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_wal(self.engine)
