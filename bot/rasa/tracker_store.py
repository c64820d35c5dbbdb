"""Rasa's SQL tracker store, saving without a replay; loaded by endpoints.yml's ``tracker_store``.

``type: bot.rasa.tracker_store.FastSQLTrackerStore`` in endpoints.yml and
deploy/endpoints.production.yml.  It stores exactly what Rasa's ``type: SQL``
store stores, in the same table.  Rasa's store re-reads and replays the whole
conversation on every save, only to find which events are new, then hands them
to the event broker; here the new events are found once, with the row count
Rasa's own save uses anyway (figures in benchmarks/ and the README).

Order is Rasa's: the event store first, then the tracker, so a crash between the
two never leaves a conversation turn that reporting cannot see.

When the tracker store's database is unreachable, conversations are kept in
memory (see :class:`FastSQLTrackerStore`) and written when it is back, so a
resident keeps their place in a quiz and no event is lost.
"""
from __future__ import annotations

import json
import logging
from collections import OrderedDict
from typing import Any, Dict, List, Optional, Tuple

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.rasa.sql_common import _OutageBreaker, is_unreachable, use_tuned_engine

logger = logging.getLogger(__name__)


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
