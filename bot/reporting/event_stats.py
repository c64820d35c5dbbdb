"""Live figures of one event for the volunteer console, and its CSV export."""
from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from typing import Dict

from sqlalchemy import and_, func, select
from sqlalchemy.orm import sessionmaker

from bot.db.models import Event, Participant, Prize, QuizAnswer, QuizAttempt
from bot.quiz.bank import QuestionBank

LEADERBOARD_SIZE = 20


@dataclass
class LeaderRow:
    rank: int
    nickname: str
    score: int
    seconds: int


def _display_name(nickname: str, participant_id: int) -> str:
    return nickname or f"参与者{participant_id:04d}"


def event_stats(sessions: sessionmaker, bank: QuestionBank, event_id: int) -> Dict:
    """Participants, completions, leaderboard, answer distribution, prizes."""
    with sessions() as s:
        event = s.get(Event, event_id)
        participants = s.execute(
            select(func.count()).select_from(Participant).where(Participant.event_id == event_id)).scalar_one()
        attempts = s.execute(
            select(func.count()).select_from(QuizAttempt).where(QuizAttempt.event_id == event_id)).scalar_one()
        finished = s.execute(
            select(QuizAttempt.id, QuizAttempt.score, QuizAttempt.started_at, QuizAttempt.finished_at,
                   Participant.nickname, Participant.id)
            .join(Participant, QuizAttempt.participant_id == Participant.id)
            .where(QuizAttempt.event_id == event_id, QuizAttempt.status == "finished")
        ).all()
        distribution_rows = s.execute(
            select(QuizAnswer.question_id, QuizAnswer.chosen, func.count())
            .join(QuizAttempt, QuizAnswer.attempt_id == QuizAttempt.id)
            .where(QuizAttempt.event_id == event_id)
            .group_by(QuizAnswer.question_id, QuizAnswer.chosen)
        ).all()
        issued = s.execute(select(func.count()).select_from(Prize).where(
            Prize.event_id == event_id, Prize.attempt_id.is_not(None))).scalar_one()
        redeemed = s.execute(select(func.count()).select_from(Prize).where(
            Prize.event_id == event_id, Prize.redeemed_at.is_not(None))).scalar_one()

    ranked = sorted(
        finished,
        key=lambda r: (-r.score, (r.finished_at - r.started_at).total_seconds(), r.id),
    )
    leaderboard = [
        asdict(LeaderRow(i + 1, _display_name(r.nickname, r[5]), r.score,
                         int((r.finished_at - r.started_at).total_seconds())))
        for i, r in enumerate(ranked[:LEADERBOARD_SIZE])
    ]
    per_question: Dict[str, Dict] = {}
    for qid, chosen, count in distribution_rows:
        if qid not in bank.by_id:
            continue
        q = bank.get(qid)
        entry = per_question.setdefault(qid, {
            "id": qid, "question": q.question, "choices": list(q.choices), "correct": q.answer_index,
            "counts": [0] * len(q.choices),
        })
        if 0 <= chosen < len(entry["counts"]):
            entry["counts"][chosen] += count
    return {
        "event": {"id": event.id, "name": event.name, "code": event.code, "status": event.status,
                  "n_prizes": event.n_prizes, "pass_mark": event.pass_mark, "n_questions": event.n_questions},
        "participants": participants,
        "attempts": attempts,
        "completions": len(finished),
        "leaderboard": leaderboard,
        "questions": sorted(per_question.values(), key=lambda e: -sum(e["counts"])),
        "prizes": {"offered": event.n_prizes, "issued": issued, "redeemed": redeemed},
    }


def results_csv(sessions: sessionmaker, event_id: int) -> str:
    """One row per attempt: who (nickname), score, times, prize code and state."""
    with sessions() as s:
        rows = s.execute(
            select(QuizAttempt.id, Participant.id, Participant.nickname, Participant.audience,
                   QuizAttempt.attempt_no, QuizAttempt.status, QuizAttempt.score, QuizAttempt.n_questions,
                   QuizAttempt.started_at, QuizAttempt.finished_at, Prize.code, Prize.redeemed_at)
            .join(Participant, QuizAttempt.participant_id == Participant.id)
            .outerjoin(Prize, and_(Prize.attempt_id == QuizAttempt.id))
            .where(QuizAttempt.event_id == event_id)
            .order_by(QuizAttempt.id)
        ).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["答题编号", "参与者", "人群", "第几次", "状态", "得分", "题数", "开始时间", "结束时间", "核销码", "兑换时间"])
    for r in rows:
        writer.writerow([r[0], _display_name(r[2], r[1]), r[3], r[4], r[5], r[6], r[7],
                         r[8].isoformat(" ", "seconds") if r[8] else "",
                         r[9].isoformat(" ", "seconds") if r[9] else "", r[10] or "",
                         r[11].isoformat(" ", "seconds") if r[11] else ""])
    return out.getvalue()
