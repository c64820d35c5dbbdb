"""A durable outbox for quiz writes made while the project database is down.

When a write fails with a database error, the action server appends it to a
JSON-lines file in the data folder and the quiz goes on from the conversation's
slots.  The next call that reaches the database replays the file in order; every
write is idempotent (answers are unique per attempt and position), so a replay
that is interrupted and run again neither loses nor doubles anything.

Attempts started during an outage get a provisional reference ``pending:<uuid>``;
replay creates the attempt and maps the reference to its real id.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from pathlib import Path
from typing import Any, Callable, Dict, List

logger = logging.getLogger(__name__)
PENDING_PREFIX = "pending:"


def new_pending_ref() -> str:
    return f"{PENDING_PREFIX}{uuid.uuid4().hex}"


def is_pending(ref: Any) -> bool:
    return isinstance(ref, str) and ref.startswith(PENDING_PREFIX)


class Outbox:
    """Append-only JSON lines; ``replay`` applies and clears them."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def append(self, op: str, **args: Any) -> None:
        line = json.dumps({"op": op, "args": args}, ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        logger.warning("project database unavailable: queued %s in the outbox", op)

    def pending(self) -> List[Dict[str, Any]]:
        if not self.path.exists():
            return []
        entries = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    entries.append(json.loads(line))
                except ValueError:
                    logger.error("skipping an unreadable outbox line")
        return entries

    def __len__(self) -> int:
        return len(self.pending())

    def replay(self, apply: Callable[[str, Dict[str, Any], Dict[str, int]], None]) -> int:
        """Apply every entry in order; on the first failure keep the rest for later.

        ``apply(op, args, refs)`` receives a dict mapping provisional references to
        real attempt ids, filled as attempts are created.
        """
        with self._lock:
            entries = self.pending()
            if not entries:
                return 0
            refs: Dict[str, int] = {}
            done = 0
            for entry in entries:
                try:
                    apply(entry["op"], entry["args"], refs)
                except Exception as error:  # still down: keep this and the rest
                    logger.info("outbox replay paused after %d entries: %s", done, error)
                    break
                done += 1
            remaining = entries[done:]
            if remaining:
                # Rewrite the remaining entries with the references resolved so far.
                text = "".join(json.dumps(_resolve(e, refs), ensure_ascii=False) + "\n" for e in remaining)
                tmp = self.path.with_suffix(".tmp")
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
