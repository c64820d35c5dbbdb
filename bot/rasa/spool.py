"""The event spool: a message's events kept on disk while the event store is unreachable.

Used by :class:`bot.rasa.event_broker.BatchSQLEventBroker`.  The file is
``FRAUDBOT_DATA_DIR/event-spool.jsonl``, fsynced, and shared by the replicas on one
machine under a file lock.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List

logger = logging.getLogger(__name__)


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
