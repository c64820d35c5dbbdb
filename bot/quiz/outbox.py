"""A durable outbox for quiz writes made while the project database is down.

When a write fails with a database error, the action server appends it to a
JSON-lines file in the data folder and the quiz goes on from the conversation's
slots.  The next call that reaches the database replays the file in order; every
write is idempotent (answers are unique per attempt and position), so a replay
that is interrupted and run again neither loses nor doubles anything.

Attempts started during an outage get a provisional reference ``pending:<uuid>``;
replay creates the attempt and maps the reference to its real id.

Several action servers on one machine share the file: appends and replays take
an exclusive ``flock`` on ``<file>.lock``, so a replay rewriting the file never
drops a line another process appended meanwhile.  An entry that fails for a
reason other than the database being away (``transient``) is moved to
``<file>.quarantine`` with its error, and the replay goes on: one bad entry
never blocks the ones after it.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple, Type

from sqlalchemy.exc import InterfaceError, OperationalError

logger = logging.getLogger(__name__)
PENDING_PREFIX = "pending:"
DATABASE_AWAY = (OperationalError, InterfaceError)  # worth retrying later; anything else is quarantined


def new_pending_ref() -> str:
    return f"{PENDING_PREFIX}{uuid.uuid4().hex}"


def is_pending(ref: Any) -> bool:
    return isinstance(ref, str) and ref.startswith(PENDING_PREFIX)


class Outbox:
    """Append-only JSON lines; ``replay`` applies and clears them."""

    def __init__(self, path: Path, transient: Tuple[Type[BaseException], ...] = DATABASE_AWAY) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.quarantine_path = self.path.with_name(self.path.name + ".quarantine")
        self.transient = transient
        self._lock = threading.Lock()  # flock is per open file: threads need their own lock too

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.lock_path.open("a") as lock_file:
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)

    def append(self, op: str, **args: Any) -> None:
        line = json.dumps({"op": op, "args": args}, ensure_ascii=False)
        with self._locked():
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        logger.warning("project database unavailable: queued %s in the outbox", op)

    def _read(self) -> Tuple[List[Dict[str, Any]], List[str]]:
        """(entries, unreadable lines)."""
        if not self.path.exists():
            return [], []
        entries, bad = [], []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                bad.append(line)
                continue
            if isinstance(entry, dict) and isinstance(entry.get("op"), str) and isinstance(entry.get("args"), dict):
                entries.append(entry)
            else:
                bad.append(line)
        return entries, bad

    def pending(self) -> List[Dict[str, Any]]:
        return self._read()[0]

    def __len__(self) -> int:
        return len(self.pending())

    def quarantined(self) -> List[Dict[str, Any]]:
        """Entries set aside because they failed for a reason other than an outage."""
        if not self.quarantine_path.exists():
            return []
        return [json.loads(line) for line in self.quarantine_path.read_text(encoding="utf-8").splitlines() if line]

    def _quarantine(self, line: Any, error: str) -> None:
        with self.quarantine_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"entry": line, "error": error}, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        logger.error("outbox: set aside an entry that cannot be applied (%s); see %s", error,
                     self.quarantine_path.name)

    def replay(self, apply: Callable[[str, Dict[str, Any], Dict[str, int]], None]) -> int:
        """Apply every entry in order; on an outage keep it and the rest for later.

        ``apply(op, args, refs)`` receives a dict mapping provisional references to
        real attempt ids, filled as attempts are created.  Returns how many were
        applied (quarantined entries are not counted).
        """
        with self._locked():
            entries, unreadable = self._read()
            for line in unreadable:
                self._quarantine(line, "unreadable line")
            if not entries:
                self.path.unlink(missing_ok=True)
                return 0
            refs: Dict[str, int] = {}
            done = handled = 0
            for entry in entries:
                try:
                    apply(entry["op"], entry["args"], refs)
                except self.transient as error:  # still down: keep this and the rest
                    logger.info("outbox replay paused after %d entries: %s", handled, error)
                    break
                except Exception as error:  # this entry will never apply: set it aside, go on
                    self._quarantine(entry, f"{type(error).__name__}: {error}")
                else:
                    done += 1
                handled += 1
            remaining = entries[handled:]
            if remaining:
                # Rewrite the remaining entries with the references resolved so far.
                text = "".join(json.dumps(_resolve(e, refs), ensure_ascii=False) + "\n" for e in remaining)
                tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, self.path)
            else:
                self.path.unlink(missing_ok=True)
            if done:
                logger.warning("replayed %d queued quiz writes", done)
            return done


def _resolve(entry: Dict[str, Any], refs: Dict[str, int]) -> Dict[str, Any]:
    args = dict(entry["args"])
    if args.get("attempt_id") in refs:
        args["attempt_id"] = refs[args["attempt_id"]]
    return {"op": entry["op"], "args": args}
