"""Figures for the manager dashboard and the campaign report, aggregated in SQL.

Every public function takes ``(sessions, filters)``; ``bot.reporting.filters`` says
how each filter narrows which rows.  Offline figures belong to no online channel,
so a channel filter leaves them out; an audience filter keeps that group's
attendance column only ("通用" is ``attendance_other``).

``summary`` runs everything one dashboard page view shows, each query once.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from functools import wraps
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, TypeVar

from sqlalchemy import Float, and_, case, cast, desc, func, select, true
from sqlalchemy.orm import sessionmaker

from bot.db.models import Conversation, Event, OfflineActivity, Prize, QuizAnswer, QuizAttempt, Turn
from bot.quiz.bank import QuestionBank, default_bank
from bot.quiz.participants import AUDIENCE_GROUPS
from bot.reporting.filters import Filters, activity_conditions, day_of, describe, event_conditions, filter_options
from bot.reporting.text_groups import DEFAULT_THRESHOLD, group_similar

__all__ = ["Filters", "HEADLINE", "RATE_FIGURES", "headline", "activity_over_time", "topics", "audiences",
           "quiz_accuracy_by_topic", "hardest_questions", "events_compared", "unanswered", "summary",
           "filter_options"]

T = TypeVar("T")
UNKNOWN_AUDIENCE = "未注明"
UNKNOWN_TOPIC = "无主题（寒暄、答题、未识别）"
# Offline attendance columns per audience group; "通用" counts everyone else.
ATTENDANCE = (("老年人", "attendance_elderly"), ("学生/青少年", "attendance_youth"),
              ("新市民", "attendance_new_citizens"), ("通用", "attendance_other"))
HEADLINE = (
    ("events", "活动场次"), ("audience_reach", "受众人次"), ("online_reach", "线上会话"),
    ("offline_attendance", "现场受众"), ("consulting", "咨询人次"), ("questions", "提问条数"),
    ("answered", "已解答提问"), ("unanswered_rate", "未解答比例"), ("quiz_attempts", "答题人次"),
    ("quiz_participants", "答题人数"), ("quiz_completions", "完成答题"), ("average_score", "平均得分率"),
    ("prizes_issued", "奖品发放"), ("prizes_redeemed", "奖品兑换"), ("leaflets", "宣传资料（份）"),
    ("consultations", "现场咨询"),
)
RATE_FIGURES = frozenset({"unanswered_rate", "average_score"})
HARDEST_MIN_ANSWERS = 5
# Unanswered texts are grouped in Python: only the most frequent distinct ones.
MAX_UNANSWERED_TEXTS = 2000
MAX_FILLED_DAYS = 1000
# Up to one conversation in 32 in scope, turns are found by conversation id; above, by scanning.
SEEK_SHARE = 32


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)[:10]


def _ratio(part: float, whole: float) -> Optional[float]:
    return part / whole if whole else None


def _sum(rows: Sequence[Sequence[Any]], index: int) -> Any:
    return sum(r[index] for r in rows)


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _once(method: Callable[[Any], T]) -> T:
    """A property computed on first use and kept.

    Not ``functools.cached_property``: before Python 3.12 it holds one lock for every
    instance, so two managers' page views would wait for each other.
    """
    name = method.__name__

    @wraps(method)
    def get(self: Any) -> T:
        if name not in self.cache:
            self.cache[name] = method(self)
        return self.cache[name]

    return property(get)  # type: ignore[return-value]


class _Figures:
    """Raw aggregates for one set of filters, each queried once, on first use."""

    def __init__(self, sessions: sessionmaker, filters: Filters) -> None:
        self.sessions = sessions
        self.f = filters
        self.cache: Dict[str, Any] = {}
        self.conv_conds = activity_conditions(filters, Conversation)
        self.attempt_conds = activity_conditions(filters, QuizAttempt)

    def _all(self, query: Any) -> List[Any]:
        # A session per query: ``prefetch`` runs queries in parallel threads.
        with self.sessions() as session:
            return session.execute(query).all()

    def prefetch(self, *names: str) -> None:
        """Run these aggregates at once, each in its own thread and connection.

        SQLite releases the GIL while it works, so on two cores the page waits for the
        slowest aggregate (the turns) instead of for all of them in turn.  Name only
        aggregates whose dependencies are already fetched, or they are fetched twice.
        """
        with ThreadPoolExecutor(max_workers=min(len(names), 8)) as pool:
            for future in [pool.submit(getattr, self, name) for name in names]:
                future.result()

    def _in_scope(self, column: Any, model: Any, conds: List[Any], kept: int, seek: bool = False) -> List[Any]:
        """Keep rows whose ``column`` is the id of a ``model`` row in scope (``kept`` of them).

        Which way is fastest depends on the share kept (measured on a million turns):
        a few ids are best seeked one by one (``seek``, where an index by id exists);
        for more, scanning a report index in its group order and testing each row
        against the smaller list of ids in or out of scope beats seeking them all and
        then sorting every row into groups.
        """
        if not conds:
            return []
        ids = select(model.id)
        total = self.totals[model.__tablename__]
        if seek and kept * SEEK_SHARE <= total:
            return [column.in_(ids.where(*conds))]
        probe = column + 0  # "+ 0": not an indexed column any more, so SQLite cannot seek by it
        if kept * 2 <= total:
            return [probe.in_(ids.where(*conds))]
        return [probe.not_in(ids.where(and_(*conds).is_not(True)))]

    @_once
    def totals(self) -> Dict[str, int]:
        """Rows in the tables that filters narrow, to weigh how much a filter keeps."""
        return {model.__tablename__: self._all(select(func.count()).select_from(model))[0][0]
                for model in (Conversation, QuizAttempt)}

    @_once
    def conversations(self) -> List[Tuple[str, str, Optional[int], int, int]]:
        """(day, audience, event_id, conversations, conversations with a question)."""
        day = day_of(Conversation.started_at)
        # Grouped in the order of ix_conversations_report, so SQLite reads the groups off the index.
        rows = self._all(
            select(day, Conversation.event_id, Conversation.audience, func.count(),
                   _count_if(Conversation.n_questions > 0))
            .where(*self.conv_conds).group_by(day, Conversation.event_id, Conversation.audience))
        return [(_day(r[0]), r[2], r[1], r[3], r[4] or 0) for r in rows]

    def _turns_in_scope(self, seek: bool) -> List[Any]:
        return self._in_scope(Turn.conversation_id, Conversation, self.conv_conds, _sum(self.conversations, 3), seek)

    @_once
    def turns(self) -> List[Tuple[str, bool, str, int]]:
        """(topic, fell back, day the turn was sent, turns): one pass gives all turn figures."""
        day = day_of(Turn.at)
        rows = self._all(select(Turn.topic, Turn.fell_back, day, func.count()).where(*self._turns_in_scope(seek=True))
                         .group_by(Turn.topic, Turn.fell_back, day))
        return [(r[0], bool(r[1]), _day(r[2]), r[3]) for r in rows]

    @_once
    def unanswered_texts(self) -> List[Tuple[str, int]]:
        n = func.count().label("n")
        # "= true" (not "IS"), so SQLite can use the partial index on fallback turns; it is
        # small, so scanning it always beats seeking turns by conversation.
        rows = self._all(select(Turn.text, n).where(Turn.fell_back == true(), *self._turns_in_scope(seek=False))
                         .group_by(Turn.text).order_by(desc(n), Turn.text).limit(MAX_UNANSWERED_TEXTS))
        return [(r[0], r[1]) for r in rows]

    @_once
    def attempts(self) -> List[Tuple[str, Optional[int], int, int, float]]:
        """(day, event_id, attempts, finished, sum of finished scores as fractions)."""
        day = day_of(QuizAttempt.started_at)
        finished = QuizAttempt.status == "finished"
        fraction = cast(QuizAttempt.score, Float) / func.nullif(QuizAttempt.n_questions, 0)
        rows = self._all(
            select(day, QuizAttempt.event_id, func.count(), _count_if(finished),
                   func.sum(case((finished, fraction), else_=0.0)))
            .where(*self.attempt_conds).group_by(day, QuizAttempt.event_id))
        return [(_day(r[0]), r[1], r[2], r[3] or 0, float(r[4] or 0.0)) for r in rows]

    @_once
    def quiz_participants(self) -> int:
        return self._all(select(func.count(func.distinct(QuizAttempt.sender_key))).where(*self.attempt_conds))[0][0]

    @_once
    def prizes(self) -> Tuple[int, int]:
        """(issued, redeemed) prizes of the attempts in scope."""
        row = self._all(select(func.count(), _count_if(Prize.redeemed_at.is_not(None)))
                        .select_from(Prize).join(QuizAttempt, Prize.attempt_id == QuizAttempt.id)
                        .where(*self.attempt_conds))[0]
        return row[0], row[1] or 0

    @_once
    def answers(self) -> List[Tuple[str, str, int, int]]:
        """(question_id, topic, answers, correct)."""
        scope = self._in_scope(QuizAnswer.attempt_id, QuizAttempt, self.attempt_conds, _sum(self.attempts, 2))
        rows = self._all(
            select(QuizAnswer.question_id, QuizAnswer.topic, func.count(), _count_if(QuizAnswer.correct == true()))
            .where(*scope).group_by(QuizAnswer.question_id, QuizAnswer.topic))
        return [(r[0], r[1], r[2], r[3] or 0) for r in rows]

    @_once
    def events(self) -> List[Any]:
        return self._all(select(Event.id, Event.name, Event.held_on, Event.branch, Event.venue_type)
                         .where(*event_conditions(self.f)).order_by(Event.held_on, Event.id))

    @_once
    def offline(self) -> Dict[int, Dict[str, Any]]:
        """Per event: leaflets, consultations and attendance per audience group in scope."""
        if self.f.channel is not None:
            return {}
        groups = [(g, c) for g, c in ATTENDANCE if self.f.audience in (None, g)]
        rows = self._all(
            select(OfflineActivity.event_id, func.sum(OfflineActivity.leaflets),
                   func.sum(OfflineActivity.consultations),
                   *[func.sum(getattr(OfflineActivity, column)) for _, column in groups])
            .where(OfflineActivity.event_id.in_(select(Event.id).where(*event_conditions(self.f))))
            .group_by(OfflineActivity.event_id))
        return {r[0]: {"leaflets": r[1] or 0, "consultations": r[2] or 0,
                       "attendance": {g: r[3 + i] or 0 for i, (g, _) in enumerate(groups)}} for r in rows}


def _headline(fig: _Figures) -> Dict[str, Any]:
    online = _sum(fig.conversations, 3)
    offline = sum(sum(o["attendance"].values()) for o in fig.offline.values())
    questions = _sum(fig.turns, 3)
    unanswered = sum(n for _, fell_back, _, n in fig.turns if fell_back)
    finished = _sum(fig.attempts, 3)
    return {
        "events": len(fig.events), "audience_reach": online + offline, "online_reach": online,
        "offline_attendance": offline, "consulting": _sum(fig.conversations, 4), "questions": questions,
        "answered": questions - unanswered, "unanswered_rate": _ratio(unanswered, questions),
        "quiz_attempts": _sum(fig.attempts, 2), "quiz_participants": fig.quiz_participants,
        "quiz_completions": finished, "average_score": _ratio(_sum(fig.attempts, 4), finished),
        "prizes_issued": fig.prizes[0], "prizes_redeemed": fig.prizes[1],
        "leaflets": sum(o["leaflets"] for o in fig.offline.values()),
        "consultations": sum(o["consultations"] for o in fig.offline.values()),
    }


def _activity(fig: _Figures) -> List[Dict[str, Any]]:
    days: Dict[str, Dict[str, Any]] = {}

    def entry(day: str) -> Dict[str, Any]:
        return days.setdefault(day, {"day": day, "conversations": 0, "turns": 0, "quiz_attempts": 0})

    for day, _, _, n, _ in fig.conversations:
        entry(day)["conversations"] += n
    for _, _, day, n in fig.turns:
        entry(day)["turns"] += n
    for day, _, n, _, _ in fig.attempts:
        entry(day)["quiz_attempts"] += n
    if days:
        # Quiet days show as zero, not as a line drawn straight across them.
        first, last = date.fromisoformat(min(days)), date.fromisoformat(max(days))
        if (last - first).days <= MAX_FILLED_DAYS:
            for i in range((last - first).days + 1):
                entry((first + timedelta(days=i)).isoformat())
    return [days[d] for d in sorted(days)]


def _topics(fig: _Figures, titles: Mapping[str, str]) -> List[Dict[str, Any]]:
    by_topic: Dict[str, Dict[str, Any]] = {}
    for topic, fell_back, _, n in fig.turns:
        item = by_topic.setdefault(topic, {"topic": topic, "label": titles.get(topic) or topic or UNKNOWN_TOPIC,
                                           "turns": 0, "unanswered": 0})
        item["turns"] += n
        item["unanswered"] += n if fell_back else 0
    # Turns without a topic (small talk, quiz answers, fallbacks) go last: they are not a subject.
    return sorted(by_topic.values(), key=lambda t: (t["topic"] == "", -t["turns"], t["topic"]))


def _audiences(fig: _Figures) -> List[Dict[str, Any]]:
    online: Dict[str, int] = {}
    for _, audience, _, n, _ in fig.conversations:
        online[audience] = online.get(audience, 0) + n
    offline: Dict[str, int] = {}
    for o in fig.offline.values():
        for group, n in o["attendance"].items():
            offline[group] = offline.get(group, 0) + n
    groups = [g for g in AUDIENCE_GROUPS if fig.f.audience in (None, g)]
    groups += sorted(a for a in online if a not in AUDIENCE_GROUPS)  # "" and any legacy value
    return [{"audience": g, "label": g or UNKNOWN_AUDIENCE, "online": online.get(g, 0), "offline": offline.get(g, 0)}
            for g in groups]


def _quiz_topics(fig: _Figures, titles: Mapping[str, str]) -> List[Dict[str, Any]]:
    totals: Dict[str, List[int]] = {}
    for _, topic, n, correct in fig.answers:
        pair = totals.setdefault(topic, [0, 0])
        pair[0] += n
        pair[1] += correct
    rows = [{"topic": t, "label": titles.get(t) or t or UNKNOWN_TOPIC, "answers": n, "correct": c, "rate": c / n}
            for t, (n, c) in totals.items()]
    return sorted(rows, key=lambda r: (r["rate"], r["topic"]))


def _hardest(fig: _Figures, bank: QuestionBank, limit: int) -> List[Dict[str, Any]]:
    per_question: Dict[str, List[Any]] = {}
    for qid, topic, n, correct in fig.answers:
        entry = per_question.setdefault(qid, [topic, 0, 0])
        entry[1] += n
        entry[2] += correct
    rows = [{"question_id": qid, "topic": topic, "answers": n, "correct": c, "rate": c / n,
             "question": bank.by_id[qid].question if qid in bank.by_id else "（题目已从题库删除）"}
            for qid, (topic, n, c) in per_question.items() if n >= HARDEST_MIN_ANSWERS]
    return sorted(rows, key=lambda r: (r["rate"], -r["answers"], r["question_id"]))[:limit]


def _events(fig: _Figures) -> List[Dict[str, Any]]:
    conversations: Dict[Optional[int], int] = {}
    for _, _, event_id, n, _ in fig.conversations:
        conversations[event_id] = conversations.get(event_id, 0) + n
    quiz: Dict[Optional[int], List[float]] = {}
    for _, event_id, n, finished, scores in fig.attempts:
        entry = quiz.setdefault(event_id, [0, 0, 0.0])
        entry[0] += n
        entry[1] += finished
        entry[2] += scores
    rows = []
    for event in fig.events:
        attempts, finished, scores = quiz.get(event.id, [0, 0, 0.0])
        offline = fig.offline.get(event.id, {"leaflets": 0, "consultations": 0, "attendance": {}})
        rows.append({"event_id": event.id, "name": event.name, "held_on": _day(event.held_on),
                     "branch": event.branch, "venue_type": event.venue_type,
                     "conversations": conversations.get(event.id, 0), "quiz_attempts": attempts,
                     "average_score": _ratio(scores, finished), "leaflets": offline["leaflets"],
                     "attendance": sum(offline["attendance"].values())})
    return rows


def _unanswered(fig: _Figures, limit: int, threshold: float) -> List[Dict[str, Any]]:
    return [g.as_dict() for g in group_similar(fig.unanswered_texts, threshold)[:limit]]


def headline(sessions: sessionmaker, filters: Filters) -> Dict[str, Any]:
    """The headline figures, keyed as in ``HEADLINE``; rates are fractions or ``None``."""
    return _headline(_Figures(sessions, filters))


def activity_over_time(sessions: sessionmaker, filters: Filters) -> List[Dict[str, Any]]:
    """Per day: conversations and quiz attempts started, turns sent (of conversations in scope)."""
    return _activity(_Figures(sessions, filters))


def topics(sessions: sessionmaker, filters: Filters,
           titles: Optional[Mapping[str, str]] = None) -> List[Dict[str, Any]]:
    """Turns per topic, most asked first."""
    return _topics(_Figures(sessions, filters), titles or {})


def audiences(sessions: sessionmaker, filters: Filters) -> List[Dict[str, Any]]:
    """Online conversations and offline attendance per audience group."""
    return _audiences(_Figures(sessions, filters))


def quiz_accuracy_by_topic(sessions: sessionmaker, filters: Filters,
                           titles: Optional[Mapping[str, str]] = None) -> List[Dict[str, Any]]:
    """Share of correct quiz answers per topic, weakest first."""
    return _quiz_topics(_Figures(sessions, filters), titles or {})


def hardest_questions(sessions: sessionmaker, filters: Filters, bank: Optional[QuestionBank] = None,
                      limit: int = 10) -> List[Dict[str, Any]]:
    """Questions with the lowest correct rate among those answered at least 5 times."""
    return _hardest(_Figures(sessions, filters), bank or default_bank(), limit)


def events_compared(sessions: sessionmaker, filters: Filters) -> List[Dict[str, Any]]:
    """One row per event in scope, in date order."""
    return _events(_Figures(sessions, filters))


def unanswered(sessions: sessionmaker, filters: Filters, limit: int = 20,
               threshold: float = DEFAULT_THRESHOLD) -> List[Dict[str, Any]]:
    """Fallback turns' texts grouped by similarity, largest group first."""
    return _unanswered(_Figures(sessions, filters), limit, threshold)


def summary(sessions: sessionmaker, filters: Filters, bank: Optional[QuestionBank] = None,
            titles: Optional[Mapping[str, str]] = None, unanswered_limit: int = 20) -> Dict[str, Any]:
    """Everything one dashboard page view shows, each underlying query run once."""
    titles = titles or {}
    fig = _Figures(sessions, filters)
    narrowed = ["totals"] if fig.conv_conds or fig.attempt_conds else []
    fig.prefetch("conversations", "attempts", "events", "offline", "quiz_participants", "prizes", *narrowed)
    fig.prefetch("turns", "unanswered_texts", "answers")  # these need the counts above
    with sessions() as session:
        filters_text = describe(session, filters)
    return {
        "filters": filters.as_query(), "filters_text": filters_text,
        "headline": _headline(fig), "activity": _activity(fig), "topics": _topics(fig, titles),
        "audiences": _audiences(fig), "quiz_topics": _quiz_topics(fig, titles),
        "hardest": _hardest(fig, bank or default_bank(), 10), "events": _events(fig),
        "unanswered": _unanswered(fig, unanswered_limit, DEFAULT_THRESHOLD),
    }
