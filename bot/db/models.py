"""SQLAlchemy models of the project database (quizzes, events, users, reporting).

Constraints do the guarding where many participants act at once: an answer is
unique per (attempt, position), a prize slot per (event, slot number), a prize code
is unique and redeemed by a conditional update.  Schema changes go through the
Alembic migrations in ``bot/db/migrations``.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.utcnow()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(128), nullable=False)
    role = Column(String(16), nullable=False)  # admin, manager, volunteer
    display_name = Column(String(64), nullable=False, default="")
    active = Column(Boolean, nullable=False, default=True)
    # Bumped by logout, disabling and role changes: older session cookies stop working.
    session_version = Column(Integer, nullable=False, default=0, server_default="0")
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Campaign(Base):
    __tablename__ = "campaigns"
    id = Column(Integer, primary_key=True)
    name = Column(String(128), nullable=False, unique=True)
    starts_on = Column(Date)
    ends_on = Column(Date)


class Event(Base):
    __tablename__ = "events"
    id = Column(Integer, primary_key=True)
    code = Column(String(6), nullable=False, unique=True)
    name = Column(String(128), nullable=False)
    place = Column(String(128), nullable=False, default="")
    held_on = Column(Date, nullable=False)
    venue_type = Column(String(16), nullable=False)
    branch = Column(String(64), nullable=False, default="")
    campaign_id = Column(Integer, ForeignKey("campaigns.id"))
    target_groups = Column(String(128), nullable=False, default="")  # comma-separated
    n_questions = Column(Integer, nullable=False, default=5)
    pass_mark = Column(Integer, nullable=False, default=4)
    n_prizes = Column(Integer, nullable=False, default=0)
    allow_retry = Column(Boolean, nullable=False, default=False)
    status = Column(String(8), nullable=False, default="open")  # open, closed
    owner_id = Column(Integer, ForeignKey("users.id"))
    created_at = Column(DateTime, nullable=False, default=utcnow)

    campaign = relationship("Campaign")


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("event_id", "sender_key", name="uq_participant_sender"),
                      Index("ix_participants_source", "event_id", "source_key", "created_at"))
    id = Column(Integer, primary_key=True)
    event_id = Column(Integer, ForeignKey("events.id"), nullable=False)
    sender_key = Column(String(64), nullable=False)  # hash of the chat sender id
    source_key = Column(String(32), nullable=False, default="", server_default="")  # hash of the join's address
    nickname = Column(String(32), nullable=False, default="")
    audience = Column(String(16), nullable=False, default="")
    channel = Column(String(16), nullable=False, default="web")
    created_at = Column(DateTime, nullable=False, default=utcnow)


class QuizAttempt(Base):
    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("participant_id", "attempt_no", name="uq_attempt_per_participant"),
        Index("ix_attempts_event", "event_id"),
        Index("ix_attempts_sender", "sender_key"),
        Index("ix_attempts_started", "started_at"),
    )
    id = Column(Integer, primary_key=True)
    event_id = Column(Integer, ForeignKey("events.id"))
    participant_id = Column(Integer, ForeignKey("participants.id"))
    attempt_no = Column(Integer, nullable=False, default=1)
    sender_key = Column(String(64), nullable=False)
    channel = Column(String(16), nullable=False, default="web")
    audience = Column(String(16), nullable=False, default="")
    n_questions = Column(Integer, nullable=False)
    score = Column(Integer, nullable=False, default=0)
    status = Column(String(10), nullable=False, default="active")  # active, finished, stopped
    started_at = Column(DateTime, nullable=False, default=utcnow)
    finished_at = Column(DateTime)


class QuizAnswer(Base):
    __tablename__ = "quiz_answers"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position", name="uq_answer_once"),
        Index("ix_answers_question", "question_id"),
    )
    id = Column(Integer, primary_key=True)
    attempt_id = Column(Integer, ForeignKey("quiz_attempts.id"), nullable=False)
    position = Column(Integer, nullable=False)
    question_id = Column(String(32), nullable=False)
    topic = Column(String(32), nullable=False)
    chosen = Column(Integer, nullable=False)
    correct = Column(Boolean, nullable=False)
    answered_at = Column(DateTime, nullable=False, default=utcnow)


class Prize(Base):
    """One row per prize an event offers; issuing fills ``attempt_id`` once."""

    __tablename__ = "prizes"
    __table_args__ = (UniqueConstraint("event_id", "slot_no", name="uq_prize_slot"),)
    id = Column(Integer, primary_key=True)
    event_id = Column(Integer, ForeignKey("events.id"), nullable=False)
    slot_no = Column(Integer, nullable=False)
    code = Column(String(12), nullable=False, unique=True)
    attempt_id = Column(Integer, ForeignKey("quiz_attempts.id"), unique=True)
    issued_at = Column(DateTime)
    redeemed_at = Column(DateTime)
    redeemed_by = Column(Integer, ForeignKey("users.id"))


class OfflineActivity(Base):
    """What a volunteer counts on site: leaflets, consultations, attendance."""

    __tablename__ = "offline_activity"
    id = Column(Integer, primary_key=True)
    event_id = Column(Integer, ForeignKey("events.id"), nullable=False)
    leaflets = Column(Integer, nullable=False, default=0)
    consultations = Column(Integer, nullable=False, default=0)
    attendance_elderly = Column(Integer, nullable=False, default=0)
    attendance_youth = Column(Integer, nullable=False, default=0)
    attendance_new_citizens = Column(Integer, nullable=False, default=0)
    attendance_other = Column(Integer, nullable=False, default=0)
    note = Column(Text, nullable=False, default="")
    entered_by = Column(Integer, ForeignKey("users.id"))
    entered_at = Column(DateTime, nullable=False, default=utcnow)


class Conversation(Base):
    """One Rasa conversation session, as ingested from the event store."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("sender_key", "session_no", name="uq_conversation_session"),
        Index("ix_conversations_started", "started_at"),
        Index("ix_conversations_event", "event_id"),
    )
    id = Column(Integer, primary_key=True)
    sender_key = Column(String(64), nullable=False)
    session_no = Column(Integer, nullable=False, default=1)
    channel = Column(String(16), nullable=False, default="web")
    event_id = Column(Integer, ForeignKey("events.id"))
    audience = Column(String(16), nullable=False, default="")
    started_at = Column(DateTime, nullable=False)
    ended_at = Column(DateTime, nullable=False)
    n_questions = Column(Integer, nullable=False, default=0)


class Turn(Base):
    """One user message: topic, confidence, fallback, the response given."""

    __tablename__ = "turns"
    __table_args__ = (
        UniqueConstraint("source_event_id", name="uq_turn_source"),
        Index("ix_turns_conversation", "conversation_id"),
        Index("ix_turns_at", "at"),
        Index("ix_turns_topic", "topic"),
    )
    id = Column(Integer, primary_key=True)
    source_event_id = Column(Integer, nullable=False)  # id in Rasa's event store
    conversation_id = Column(Integer, ForeignKey("conversations.id"), nullable=False)
    at = Column(DateTime, nullable=False)
    text = Column(Text, nullable=False, default="")  # already redacted by the channel
    intent = Column(String(64), nullable=False, default="")
    topic = Column(String(32), nullable=False, default="")
    confidence = Column(Float, nullable=False, default=0.0)
    fell_back = Column(Boolean, nullable=False, default=False)
    response = Column(String(64), nullable=False, default="")


class IngestState(Base):
    __tablename__ = "ingest_state"
    name = Column(String(32), primary_key=True)
    last_event_id = Column(Integer, nullable=False, default=0)
