"""Limits on event joins, and what a volunteer sees of them.

Each join carries a ``source_key``: an HMAC of the address the message came
from (bot/rasa/channels.py sets it, overwriting anything a client sends), so a
script that invents a new chat session per try still comes from one place.
A source may join one event at most ``JOINS_PER_ADDRESS`` times (a setting,
default 300) in ``JOIN_WINDOW``; the limit is counted in the project database,
so every action server replica sees the same count.  A venue's shared Wi-Fi is
one source for hundreds of phones joining within minutes, so the limit only
bounds a script; stopping one is the volunteer's pause, prompted by the
console's flood warning.

The volunteer console shows recent joins and the busiest source
(:func:`join_activity`) and can pause joining (event status ``paused``).
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Dict

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Participant, utcnow

JOIN_WINDOW = timedelta(minutes=10)
JOINS_PER_SOURCE = 300  # the JOINS_PER_ADDRESS default
FLOOD_WARNING = 100  # joins from one source in the window that the console flags


def source_key(address: str, secret: str) -> str:
    """A pseudonymous key for a client address (never stored as such)."""
    return hmac.new(("source:" + secret).encode("utf-8"), address.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def joins_from(session: Session, event_id: int, source: str) -> int:
    """How many participants joined the event from `source` within the window."""
    return session.execute(select(func.count()).select_from(Participant).where(
        Participant.event_id == event_id, Participant.source_key == source,
        Participant.created_at >= utcnow() - JOIN_WINDOW)).scalar_one()


def join_activity(sessions: sessionmaker, event_id: int, limit: int = JOINS_PER_SOURCE) -> Dict[str, object]:
    """Recent joins of an event and the busiest source, for the volunteer."""
    since = utcnow() - JOIN_WINDOW
    with sessions() as session:
        recent = session.execute(select(func.count()).select_from(Participant).where(
            Participant.event_id == event_id, Participant.created_at >= since)).scalar_one()
        busiest = session.execute(
            select(func.count().label("n")).select_from(Participant)
            .where(Participant.event_id == event_id, Participant.created_at >= since, Participant.source_key != "")
            .group_by(Participant.source_key).order_by(func.count().desc()).limit(1)).scalar_one_or_none() or 0
    return {"window_minutes": int(JOIN_WINDOW.total_seconds() // 60), "recent_joins": recent,
            "busiest_source": busiest, "flood": busiest >= min(FLOOD_WARNING, limit), "limit_per_source": limit}
