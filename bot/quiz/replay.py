"""Replaying quiz writes queued in the outbox while the project database was down.

:meth:`bot.quiz.store.QuizStore.flush_outbox` hands each entry of
:class:`bot.quiz.outbox.Outbox` to :func:`apply_queued`.  Every operation is
idempotent, so an interrupted replay run again neither loses nor doubles
anything; an unknown operation raises, and the outbox quarantines it.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.db.engine import session_scope
from bot.db.models import QuizAnswer, QuizAttempt
from bot.quiz.outbox import is_pending


def apply_queued(sessions: sessionmaker, finish: Callable[..., object], op: str, args: dict, refs: dict) -> None:
    """Apply one queued write; ``refs`` maps provisional attempt references to real ids.

    ``finish(attempt_id, stopped, award=False)`` scores an attempt (the store's own finish).
    """
    if op == "start":
        with session_scope(sessions) as session:
            started = datetime.fromisoformat(args["started_at"])
            existing = session.execute(select(QuizAttempt.id).where(
                QuizAttempt.sender_key == args["sender_key"], QuizAttempt.started_at == started)).scalar_one_or_none()
            if existing is None:
                attempt = QuizAttempt(
                    event_id=args["event_id"], participant_id=args["participant_id"], attempt_no=args["attempt_no"],
                    sender_key=args["sender_key"], channel=args["channel"], audience=args["audience"],
                    n_questions=args["n_questions"], started_at=started)
                session.add(attempt)
                session.flush()
                existing = attempt.id
        refs[args["ref"]] = existing
    elif op == "answer":
        attempt_id = refs.get(args["attempt_id"], args["attempt_id"])
        if is_pending(attempt_id):
            return  # its attempt was never stored: nothing to attach it to
        try:
            with session_scope(sessions) as session:
                session.add(QuizAnswer(attempt_id=attempt_id, position=args["position"],
                                       question_id=args["question_id"], topic=args["topic"],
                                       chosen=args["chosen"], correct=args["correct"],
                                       answered_at=datetime.fromisoformat(args["answered_at"])))
        except IntegrityError:
            pass  # already stored by an earlier, interrupted replay
    elif op == "finish":
        attempt_id = refs.get(args["attempt_id"], args["attempt_id"])
        if not is_pending(attempt_id):
            # No prize now: the resident was told the result without a code, and a
            # code they never see would only take a prize from someone else.
            finish(attempt_id, args["stopped"], award=False)
    else:
        raise ValueError(f"unknown outbox operation {op!r}")
