"""Storing quizzes: events, participants, attempts, answers and prizes (vocabularies and nicknames: bot.quiz.participants).

Every write that many participants can race on is guarded by the database:
answers are unique per (attempt, position); a prize is claimed by a conditional
UPDATE of a free slot; a code is redeemed by a conditional UPDATE of an
unredeemed row.  Running the same call twice never double-counts.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date
from typing import List, Optional, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import sessionmaker

from bot.db.engine import session_scope
from bot.quiz.join_guard import JOINS_PER_SOURCE, joins_from
from bot.quiz.replay import apply_queued
from bot.errors import AttemptLimit, EventClosed, EventNotFound, InputError, RedeemError, ServiceUnavailable
from bot.db.models import Event, Participant, Prize, QuizAnswer, QuizAttempt, utcnow
from bot.quiz.outbox import Outbox, is_pending, new_pending_ref
from bot.quiz.bank import Question
from bot.quiz.participants import AUDIENCE_GROUPS, CHANNELS, VENUE_TYPES, check_nickname, sender_key

_JOIN_CODE = re.compile(r"^\d{6}$")

@dataclass(frozen=True)
class JoinResult:
    event_id: int
    event_name: str
    participant_id: int
    attempt_no: int
    n_questions: int
    pass_mark: int
    prizes_left: int


@dataclass(frozen=True)
class FinishResult:
    score: int
    n_questions: int
    passed: Optional[bool]  # None outside an event
    prize_code: Optional[str]
    prizes_exhausted: bool


class QuizStore:
    """Quiz persistence over one sessionmaker (shared by actions and the web app)."""

    def __init__(self, sessions: sessionmaker, outbox: Optional[Outbox] = None,
                 joins_per_source: int = JOINS_PER_SOURCE) -> None:
        self.sessions = sessions
        self.outbox = outbox
        self.joins_per_source = joins_per_source  # per event, address and JOIN_WINDOW (bot/quiz/join_guard.py)

    # --- outage handling ------------------------------------------------------

    def flush_outbox(self) -> int:
        """Replay writes queued while the database was down (no-op when none)."""
        if self.outbox is None or not self.outbox.path.exists():
            return 0
        return self.outbox.replay(lambda op, args, refs: apply_queued(self.sessions, self._finish, op, args, refs))

    # --- events -------------------------------------------------------------

    def create_event(
        self,
        *,
        name: str,
        held_on: date,
        venue_type: str,
        place: str = "",
        branch: str = "",
        campaign_id: Optional[int] = None,
        target_groups: Sequence[str] = (),
        n_questions: int = 5,
        pass_mark: int = 4,
        n_prizes: int = 0,
        allow_retry: bool = False,
        owner_id: Optional[int] = None,
    ) -> Event:
        if not name.strip():
            raise InputError("请填写活动名称。")
        if venue_type not in VENUE_TYPES:
            raise InputError(f"场地类型请从这些里选：{'、'.join(VENUE_TYPES)}。")
        if not 1 <= n_questions <= 20:
            raise InputError("题目数量应在1到20之间。")
        if not 0 <= pass_mark <= n_questions:
            raise InputError("获奖分数线不能超过题目数量。")
        if not 0 <= n_prizes <= 10000:
            raise InputError("奖品数量应在0到10000之间。")
        for _ in range(20):
            code = f"{secrets.randbelow(900000) + 100000}"
            try:
                with session_scope(self.sessions) as session:
                    event = Event(
                        code=code, name=name.strip(), held_on=held_on, venue_type=venue_type, place=place.strip(),
                        branch=branch.strip(), campaign_id=campaign_id, target_groups=",".join(target_groups),
                        n_questions=n_questions, pass_mark=pass_mark, n_prizes=n_prizes, allow_retry=allow_retry,
                        owner_id=owner_id,
                    )
                    session.add(event)
                    session.flush()
                    session.add_all(
                        Prize(event_id=event.id, slot_no=i + 1, code=self._prize_code()) for i in range(n_prizes)
                    )
                return event
            except IntegrityError:
                continue  # join code or prize code collided: draw again
        raise RuntimeError("could not draw a free join code")

    @staticmethod
    def _prize_code() -> str:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the desk
        return "".join(secrets.choice(alphabet) for _ in range(8))

    def event_by_code(self, code: str) -> Event:
        code = (code or "").strip()
        if not _JOIN_CODE.match(code):
            raise EventNotFound("活动码是6位数字，请核对后再输入。")
        try:
            with self.sessions() as session:
                event = session.execute(select(Event).where(Event.code == code)).scalar_one_or_none()
        except OperationalError as error:
            raise ServiceUnavailable("活动系统有点忙，请过一会儿再输入活动码。") from error
        if event is None:
            raise EventNotFound(f"没有找到活动码为{code}的活动，请向志愿者核对。")
        return event

    def close_event(self, event_id: int) -> None:
        with session_scope(self.sessions) as session:
            session.execute(update(Event).where(Event.id == event_id).values(status="closed"))

    def set_joining(self, event_id: int, open_: bool) -> None:
        """Pause (or resume) joining and starting rounds; rounds under way go on."""
        with session_scope(self.sessions) as session:
            session.execute(update(Event).where(Event.id == event_id, Event.status.in_(("open", "paused")))
                            .values(status="open" if open_ else "paused"))

    def join(self, code: str, sender: str, nickname: str = "", audience: str = "", channel: str = "event",
             source: str = "", create: bool = True) -> JoinResult:
        """Register (or, with ``create=False``, only find) the participant and check they may play now."""
        try:
            return self._join(code, sender, nickname, audience, channel, source, create)
        except OperationalError as error:
            raise ServiceUnavailable("活动系统有点忙，请过一会儿再试。") from error

    def _join(self, code: str, sender: str, nickname: str, audience: str, channel: str, source: str,
              create: bool) -> JoinResult:
        event = self.event_by_code(code)
        if event.status == "paused":
            raise EventClosed(f"“{event.name}”暂时停止加入答题，请稍后再试，或者问问现场志愿者。")
        if event.status != "open":
            raise EventClosed(f"“{event.name}”已经结束了，感谢您的关注。")
        nickname = check_nickname(nickname)
        if audience and audience not in AUDIENCE_GROUPS:
            audience = ""
        key = sender_key(sender)
        with session_scope(self.sessions) as session:
            participant = session.execute(
                select(Participant).where(Participant.event_id == event.id, Participant.sender_key == key)
            ).scalar_one_or_none()
            if participant is None and not create:
                raise EventNotFound("请先加入活动（扫码或输入活动码），再开始答题。")
            if participant is None:
                if source and joins_from(session, event.id, source) >= self.joins_per_source:
                    raise AttemptLimit("这个网络刚刚加入活动的人太多了，请过几分钟再试，或者请现场志愿者帮忙。")
                participant = Participant(event_id=event.id, sender_key=key, nickname=nickname, audience=audience,
                                          channel=channel if channel in CHANNELS else "event", source_key=source)
                session.add(participant)
                try:
                    session.flush()
                except IntegrityError:  # the same resident joined twice at once
                    session.rollback()
                    participant = session.execute(
                        select(Participant).where(Participant.event_id == event.id, Participant.sender_key == key)
                    ).scalar_one()
            else:
                if nickname:
                    participant.nickname = nickname
                if audience:
                    participant.audience = audience
            finished = session.execute(
                select(func.count()).select_from(QuizAttempt).where(
                    QuizAttempt.participant_id == participant.id, QuizAttempt.status == "finished"
                )
            ).scalar_one()
            if finished and not event.allow_retry:
                raise AttemptLimit("您已经参加过这个活动的答题了，每人限答一次。感谢参与！")
            prizes_left = session.execute(
                select(func.count()).select_from(Prize).where(Prize.event_id == event.id, Prize.attempt_id.is_(None))
            ).scalar_one()
            participant_id = participant.id
        attempts = self._attempt_count(participant_id)
        return JoinResult(event.id, event.name, participant_id, attempts + 1, event.n_questions, event.pass_mark, prizes_left)

    def _attempt_count(self, participant_id: int) -> int:
        with self.sessions() as session:
            return session.execute(
                select(func.count()).select_from(QuizAttempt).where(QuizAttempt.participant_id == participant_id)
            ).scalar_one()

    # --- attempts -----------------------------------------------------------

    def start_attempt(
        self,
        sender: str,
        question_ids: Sequence[str],
        channel: str = "web",
        audience: str = "",
        event_id: Optional[int] = None,
        participant_id: Optional[int] = None,
    ) -> int:
        key = sender_key(sender)
        try:
            self.flush_outbox()
            return self._start(key, question_ids, channel, audience, event_id, participant_id)
        except OperationalError:
            if self.outbox is None:
                raise
            ref = new_pending_ref()
            self.outbox.append("start", ref=ref, sender_key=key, n_questions=len(question_ids),
                               channel=channel if channel in CHANNELS else "web", audience=audience,
                               event_id=event_id, participant_id=participant_id, attempt_no=1,
                               started_at=utcnow().isoformat())
            return ref

    def _start(self, key: str, question_ids: Sequence[str], channel: str, audience: str,
               event_id: Optional[int], participant_id: Optional[int]) -> int:
        for _ in range(5):
            try:
                with session_scope(self.sessions) as session:
                    attempt_no = 1
                    if participant_id is not None:
                        attempt_no = 1 + session.execute(
                            select(func.count()).select_from(QuizAttempt).where(
                                QuizAttempt.participant_id == participant_id)
                        ).scalar_one()
                    attempt = QuizAttempt(
                        event_id=event_id, participant_id=participant_id, attempt_no=attempt_no, sender_key=key,
                        channel=channel if channel in CHANNELS else "web", audience=audience,
                        n_questions=len(question_ids),
                    )
                    session.add(attempt)
                    session.flush()
                    return attempt.id
            except IntegrityError:
                continue  # two starts raced for the same attempt number
        raise RuntimeError("could not start a quiz attempt")

    def record_answer(self, attempt_id, position: int, question: Question, chosen: int, correct: bool) -> bool:
        """Store one answer; False when that position was already answered.

        While the database is down the answer is queued in the outbox (True).
        """
        queued = dict(attempt_id=attempt_id, position=position, question_id=question.id, topic=question.topic,
                      chosen=chosen, correct=correct, answered_at=utcnow().isoformat())
        if is_pending(attempt_id):
            self.outbox.append("answer", **queued)
            return True
        try:
            self.flush_outbox()
        except OperationalError:
            pass
        try:
            with session_scope(self.sessions) as session:
                session.add(QuizAnswer(attempt_id=attempt_id, position=position, question_id=question.id,
                                       topic=question.topic, chosen=chosen, correct=correct))
            return True
        except IntegrityError:
            return False
        except OperationalError:
            if self.outbox is None:
                raise
            self.outbox.append("answer", **queued)
            return True

    def finish_attempt(self, attempt_id, stopped: bool = False) -> FinishResult:
        """Close the attempt with its stored score; issue a prize if earned.

        While the database is down the closing is queued and ``passed`` is None.
        """
        if not is_pending(attempt_id):
            try:
                self.flush_outbox()
                return self._finish(attempt_id, stopped)
            except OperationalError:
                if self.outbox is None:
                    raise
        self.outbox.append("finish", attempt_id=attempt_id, stopped=stopped)
        return FinishResult(-1, 0, None, None, False)

    def _finish(self, attempt_id: int, stopped: bool, award: bool = True) -> FinishResult:
        with session_scope(self.sessions) as session:
            attempt = session.get(QuizAttempt, attempt_id)
            score = session.execute(
                select(func.count()).select_from(QuizAnswer).where(
                    QuizAnswer.attempt_id == attempt_id, QuizAnswer.correct.is_(True))
            ).scalar_one()
            if attempt.status == "active":
                attempt.status = "stopped" if stopped else "finished"
                attempt.finished_at = utcnow()
            attempt.score = score
            event = session.get(Event, attempt.event_id) if attempt.event_id else None
            n_questions = attempt.n_questions
        if event is None or stopped or not award:
            return FinishResult(score, n_questions, None, None, False)
        passed = score >= event.pass_mark
        code, exhausted = (self.issue_prize(event.id, attempt_id) if passed and event.n_prizes else (None, False))
        return FinishResult(score, n_questions, passed, code, exhausted)

    def issue_prize(self, event_id: int, attempt_id: int) -> tuple:
        """Claim a free prize slot for the attempt: (code, exhausted)."""
        with session_scope(self.sessions) as session:
            existing = session.execute(select(Prize.code).where(Prize.attempt_id == attempt_id)).scalar_one_or_none()
            if existing:
                return existing, False
            # One prize per participant, however many rounds they start at once.
            participant = select(QuizAttempt.participant_id).where(QuizAttempt.id == attempt_id).scalar_subquery()
            won = session.execute(select(func.count()).select_from(Prize).join(
                QuizAttempt, Prize.attempt_id == QuizAttempt.id).where(
                QuizAttempt.participant_id == participant, QuizAttempt.participant_id.is_not(None))).scalar_one()
            if won:
                return None, False
        for _ in range(50):
            with session_scope(self.sessions) as session:
                free = session.execute(
                    select(Prize.id).where(Prize.event_id == event_id, Prize.attempt_id.is_(None))
                    .order_by(Prize.slot_no).limit(1)
                ).scalar_one_or_none()
                if free is None:
                    return None, True
                try:
                    claimed = session.execute(
                        update(Prize).where(Prize.id == free, Prize.attempt_id.is_(None))
                        .values(attempt_id=attempt_id, issued_at=utcnow())
                    ).rowcount
                    session.flush()
                except IntegrityError:
                    session.rollback()
                    claimed = 0
                if claimed == 1:
                    return session.execute(select(Prize.code).where(Prize.id == free)).scalar_one(), False
        return None, True

    def redeem(self, event_id: int, code: str, user_id: Optional[int] = None) -> Prize:
        """Mark a prize code redeemed; a code redeems once, at its own event."""
        code = (code or "").strip().upper()
        with session_scope(self.sessions) as session:
            prize = session.execute(select(Prize).where(Prize.code == code)).scalar_one_or_none()
            if prize is None or prize.attempt_id is None:
                raise RedeemError("核销码不存在，请核对。")
            if prize.event_id != event_id:
                raise RedeemError("这个核销码不属于本场活动。")
            changed = session.execute(
                update(Prize).where(Prize.id == prize.id, Prize.redeemed_at.is_(None))
                .values(redeemed_at=utcnow(), redeemed_by=user_id)
            ).rowcount
            if changed != 1:
                raise RedeemError("这个核销码已经兑换过了。")
            session.refresh(prize)
            return prize

    def recent_question_ids(self, sender: str, limit: int = 40) -> List[str]:
        key = sender_key(sender)
        try:
            with self.sessions() as session:
                rows = session.execute(
                    select(QuizAnswer.question_id).join(QuizAttempt, QuizAnswer.attempt_id == QuizAttempt.id)
                    .where(QuizAttempt.sender_key == key).order_by(QuizAnswer.id.desc()).limit(limit)
                ).scalars().all()
        except OperationalError:
            return []  # a round without the history is better than no round
        return list(rows)

    def answered_positions(self, attempt_id: int) -> List[int]:
        with self.sessions() as session:
            return list(session.execute(
                select(QuizAnswer.position).where(QuizAnswer.attempt_id == attempt_id)).scalars())

