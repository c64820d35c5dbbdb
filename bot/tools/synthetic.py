"""Realistic synthetic data for demos and benchmarks.

:func:`generate` fills one campaign month: events at bank branches with their
offline counts, conversations and turns as ingestion would store them, quiz
attempts with answers to real question ids, and prizes.  Same seed, same data.

Rows are written with bulk inserts in chunks and explicit ids, so a million turns
take minutes on SQLite.  Synthetic turns get negative ``source_event_id`` values:
they can never collide with real Rasa event ids ingested later.

``python -m bot.tools.synthetic --conversations 20000 --quiz-attempts 3000 --events 40``;
``--turns 1000000`` sizes the conversations for a benchmark instead.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import time
from datetime import date, datetime, timedelta
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import make_engine, make_sessionmaker, upgrade
from bot.reporting.ingest import QUESTION_INTENTS
from bot.db.models import (
    Campaign,
    Conversation,
    Event,
    OfflineActivity,
    Participant,
    Prize,
    QuizAnswer,
    QuizAttempt,
    Turn,
)
from bot.quiz.bank import QuestionBank, default_bank
from bot.settings import PROJECT_ROOT, Settings

CHUNK = 5000
# Fewer, larger commits: committing every chunk made SQLite checkpoint its WAL so
# often that a million turns took twice as long.
COMMIT_EVERY = 100_000
FALLBACK_SHARE = 0.08
BRANCHES = ("城东支行", "城西支行", "城南支行", "开发区支行", "高新区支行", "县支行", "营业部")
PLACES = {
    "社区": ("幸福社区", "阳光社区", "和平社区", "滨江社区", "建设路社区", "春晖社区"),
    "老年活动中心": ("东湖老年活动中心", "城西老年活动中心", "夕阳红老年大学"),
    "乡村": ("李家村", "王庄村", "青山村", "桃花村", "柳河镇"),
    "商圈": ("万达广场", "中山路步行街", "人民商场"),
    "学校": ("第一中学", "职业技术学院", "师范学院", "实验中学"),
    "企业": ("开发区工业园", "电子厂", "物流园"),
    "线上直播": ("视频号直播间", "抖音直播间"),
    "民族地区": ("民族乡", "团结村"),
    "其他": ("火车站候车厅", "政务服务中心", "县医院门诊大厅"),
}
VENUE_WEIGHTS = (30, 12, 14, 10, 12, 8, 6, 3, 5)  # in PLACES order
ACTIVITIES = ("防骗讲座", "反诈宣传活动", "金融知识小课堂", "防范非法集资宣传", "有奖答题活动", "反诈知识进万家")
# Who comes, by venue: shares of elderly, youth, new citizens, others.
ATTENDANCE = {"老年活动中心": (0.8, 0.02, 0.05, 0.13), "学校": (0.02, 0.85, 0.03, 0.1),
              "企业": (0.05, 0.25, 0.55, 0.15), "乡村": (0.55, 0.1, 0.1, 0.25), "社区": (0.5, 0.1, 0.15, 0.25)}
MIXED = (0.3, 0.2, 0.2, 0.3)
GROUPS = ("老年人", "学生/青少年", "新市民", "通用")
# Reports put these fraud types on top; the rest weigh 2.
TOPIC_WEIGHTS = {"shuadan": 14, "investment": 11, "loan": 9, "customer_service": 9, "police": 9, "romance": 6,
                 "credit": 6, "leader": 5, "card_renting": 5, "personal_info": 5, "elderly": 5, "fundraising": 5,
                 "after_fraud": 4, "hotline": 4, "game": 3, "shopping": 3, "campus_loan": 3, "other_scam": 3}
AUDIENCE_TOPICS = {"老年人": ("elderly", "police", "fundraising", "romance"),
                   "学生/青少年": ("game", "campus_loan", "shuadan", "card_renting"),
                   "新市民": ("loan", "shuadan", "customer_service", "credit")}
# Share of right answers by topic (harder: fundraising risk, licensed credit).
QUIZ_EASE = {"police": 0.9, "hotline": 0.88, "personal_info": 0.86, "shuadan": 0.83, "customer_service": 0.8,
             "fundraising_risk": 0.58, "illegal_ads": 0.62, "legit_credit": 0.63, "card_renting": 0.66}
FALLBACK_THEMES = (  # (intent, texts): what residents ask that the bot cannot answer
    ("nlu_fallback", ("医保卡怎么激活", "社保卡丢了去哪补办", "医保报销比例是多少", "异地就医怎么备案")),
    ("nlu_fallback", ("养老金什么时候到账", "今年养老金涨了多少", "退休金怎么查")),
    ("nlu_fallback", ("你们银行几点下班", "定期存款利率多少", "怎么开通手机银行", "转账限额怎么改", "大额存单还有吗")),
    ("nlu_fallback", ("手机字太小怎么调大", "微信怎么发语音", "手机内存满了怎么办")),
    ("out_of_scope", ("今天天气怎么样", "你是机器人吗", "给我讲个笑话", "附近哪里有好吃的")),
)
FOLLOWUPS = {"followup_what_to_do": ("那我该怎么办", "现在怎么办", "应该怎么处理"),
             "followup_hotline": ("打哪个电话", "报警电话是多少", "反诈专线是多少"),
             "followup_transferred": ("钱已经转过去了怎么办", "我已经转了五千块", "转了钱还能追回来吗"),
             "followup_more": ("还有呢", "再详细说说", "能多讲一点吗")}
SMALL_TALK = {"greet": ("你好", "您好", "在吗", "早上好"), "thank": ("谢谢", "谢谢你", "明白了，谢谢"),
              "goodbye": ("再见", "拜拜", "好的再见"), "quiz_start": ("我想答题", "有奖答题", "开始答题")}
RESPONSES = {"faq": "action_answer_topic", "greet": "utter_greet", "thank": "utter_thank", "goodbye": "utter_goodbye",
             "quiz_start": "action_quiz_start", "nlu_fallback": "utter_default", "out_of_scope": "action_out_of_scope",
             **{intent: "action_topic_followup" for intent in FOLLOWUPS}}
NICKNAMES = ("张阿姨", "李大爷", "王奶奶", "小王", "小李同学", "阳光", "平安是福", "老刘", "向日葵", "晓明", "快乐每一天")
PRIZE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def faq_examples(keys: Sequence[str]) -> Dict[str, Tuple[str, ...]]:
    """Residents' wordings per topic, taken from the NLU training data."""
    found: Dict[str, List[str]] = {key: [] for key in keys}
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or ():
            key = str(item.get("intent") or "").partition("faq/")[2]
            if key in found:
                lines = (line.strip()[2:] for line in str(item.get("examples") or "").splitlines())
                found[key].extend(re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line) for line in lines if line)
    return {key: tuple(texts) or ("这种情况是不是诈骗",) for key, texts in found.items()}


def _next_id(session: Session, model: type) -> int:
    return (session.execute(select(func.max(model.id))).scalar() or 0) + 1


def _insert(session: Session, model: type, rows: List[Dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(model), rows[start:start + CHUNK])


def _key(*parts: Any) -> str:
    """A sender key shaped like the real ones, unique because row ids are."""
    return hashlib.sha256(":".join(map(str, ("synthetic",) + parts)).encode()).hexdigest()[:32]


class _Generator:
    def __init__(self, session: Session, rng: random.Random, month: date, bank: QuestionBank,
                 keys: Sequence[str]) -> None:
        self.session, self.rng, self.month, self.bank = session, rng, month, bank
        self.keys = list(keys)
        self.examples = faq_examples(self.keys)
        self.topic_weights = {a: [TOPIC_WEIGHTS.get(k, 2) * (3 if k in AUDIENCE_TOPICS.get(a, ()) else 1)
                                  for k in self.keys] for a in GROUPS + ("",)}
        self.events: List[Dict[str, Any]] = []
        self.uncommitted = 0

    def when(self, day: date, first_hour: int, last_hour: int) -> datetime:
        return datetime.combine(day, datetime.min.time()) + timedelta(
            hours=self.rng.randint(first_hour, last_hour), seconds=self.rng.randrange(3600))

    def make_events(self, campaign_id: int, count: int) -> int:
        rng, next_id = self.rng, _next_id(self.session, Event)
        codes = set(self.session.execute(select(Event.code)).scalars())
        for i in range(count):
            venue = rng.choices(list(PLACES), VENUE_WEIGHTS)[0]
            code = str(rng.randrange(100000, 1000000))
            while code in codes:
                code = str(rng.randrange(100000, 1000000))
            codes.add(code)
            held_on = self.month + timedelta(days=rng.randrange(30))
            mix = ATTENDANCE.get(venue, MIXED)
            activity = "反诈直播课" if venue == "线上直播" else rng.choice(ACTIVITIES)
            place = rng.choice(PLACES[venue])
            self.events.append(dict(
                id=next_id + i, code=code, name=place + activity, place=place, held_on=held_on, venue_type=venue,
                branch=rng.choice(BRANCHES), campaign_id=campaign_id, n_questions=5, pass_mark=4,
                target_groups=",".join(g for g, share in zip(GROUPS, mix) if share >= 0.2) or "通用",
                n_prizes=rng.choices((0, 50, 100, 200), (2, 3, 3, 2))[0], allow_retry=rng.random() < 0.2,
                status="closed" if held_on < self.month + timedelta(days=29) else "open",
                created_at=self.when(held_on - timedelta(days=rng.randint(3, 14)), 9, 17)))
        _insert(self.session, Event, self.events)
        offline, next_offline = [], _next_id(self.session, OfflineActivity)
        for i, event in enumerate(self.events):
            total = rng.randint(30, 400)
            mix = ATTENDANCE.get(event["venue_type"], MIXED)
            counts = [int(total * share * rng.uniform(0.7, 1.3)) for share in mix]
            offline.append(dict(
                id=next_offline + i, event_id=event["id"], leaflets=rng.randint(500, 5000),
                consultations=rng.randint(10, 300), attendance_elderly=counts[0], attendance_youth=counts[1],
                attendance_new_citizens=counts[2], attendance_other=counts[3], note="",
                entered_at=self.when(event["held_on"], 16, 19)))
        _insert(self.session, OfflineActivity, offline)
        return len(self.events)

    def turn(self, index: int, audience: str, topic: str) -> Tuple[str, str, str, float]:
        """(intent, topic, text, confidence) of one message."""
        rng = self.rng
        if rng.random() < FALLBACK_SHARE:
            intent, texts = rng.choice(FALLBACK_THEMES)
            text = rng.choice(("", "请问", "问一下", "我想知道")) + rng.choice(texts) + rng.choice(("", "？", "呀"))
            return intent, "", text, rng.uniform(0.1, 0.35) if intent == "nlu_fallback" else rng.betavariate(6, 1.5)
        r = rng.random()
        if index == 0 and r < 0.12 or index > 0 and r < 0.05:
            intent = "greet" if index == 0 else rng.choice(("thank", "goodbye", "quiz_start"))
            return intent, "", rng.choice(SMALL_TALK[intent]), rng.betavariate(12, 1)
        if index > 0 and topic and r < 0.25:
            intent = rng.choice(list(FOLLOWUPS))
            return intent, "", rng.choice(FOLLOWUPS[intent]), rng.betavariate(8, 1.5)
        topic = rng.choices(self.keys, self.topic_weights[audience])[0]
        if r > 0.9:  # a topic button: the payload names the topic exactly
            return "faq", topic, f'/faq{{"topic": "{topic}"}}', 1.0
        return "faq", topic, rng.choice(self.examples[topic]), rng.betavariate(9, 1.5)

    def make_conversations(self, conversations: int, turns: Optional[int],
                           per_conversation: Tuple[int, int]) -> Tuple[int, int]:
        """Conversations with their turns; (conversations, turns) added."""
        rng, session = self.rng, self.session
        sizes = list(range(per_conversation[0], per_conversation[1] + 1))
        size_weights = [0.7 ** i for i in range(len(sizes))]  # most residents ask one or two things
        live = [e for e in self.events if e["venue_type"] == "线上直播"]
        onsite = [e for e in self.events if e["venue_type"] != "线上直播"]
        conv_id, turn_id = _next_id(session, Conversation), _next_id(session, Turn)
        first_turn_id = turn_id
        conv_rows: List[Dict[str, Any]] = []
        turn_rows: List[Dict[str, Any]] = []
        made = 0
        returning: List[Tuple[str, int, datetime]] = []  # (key, latest session, its start)
        while (made < conversations) if turns is None else (turn_id - first_turn_id < turns):
            channel = rng.choices(("web", "event", "kiosk", "live"), (45, 30, 15, 10))[0]
            pool = live if channel == "live" else onsite if channel != "web" else []
            event = rng.choice(pool) if pool else None
            if event is not None:
                audience = rng.choice(event["target_groups"].split(",") + [""])
                at = self.when(event["held_on"], 9, 16)
            else:
                audience = rng.choices(GROUPS + ("",), (25, 10, 10, 5, 50))[0]
                at = self.when(self.month + timedelta(days=rng.randrange(30)), 7, 22)
            key, session_no = _key(conv_id), 1
            pick = rng.randrange(len(returning)) if returning and rng.random() < 0.15 else None
            if pick is not None and returning[pick][2] < at:  # someone who came before comes back
                key, session_no = returning[pick][0], returning[pick][1] + 1
                returning[pick] = (key, session_no, at)
            elif len(returning) < 1000:
                returning.append((key, session_no, at))
            n = rng.choices(sizes, size_weights)[0]
            if turns is not None:
                n = min(n, turns - (turn_id - first_turn_id))
            started, topic, questions = at, "", 0
            for index in range(n):
                intent, new_topic, text, confidence = self.turn(index, audience, topic)
                topic = new_topic or topic
                questions += intent in QUESTION_INTENTS
                turn_rows.append(dict(
                    id=turn_id, source_event_id=-turn_id, conversation_id=conv_id, at=at, text=text, intent=intent,
                    topic=new_topic, confidence=round(min(confidence, 1.0), 4), response=RESPONSES[intent],
                    fell_back=intent in ("nlu_fallback", "out_of_scope")))
                turn_id += 1
                at += timedelta(seconds=rng.randint(8, 120))
            conv_rows.append(dict(id=conv_id, sender_key=key, session_no=session_no, channel=channel,
                                  event_id=event["id"] if event else None, audience=audience, started_at=started,
                                  ended_at=at, n_questions=questions))
            conv_id, made = conv_id + 1, made + 1
            if len(turn_rows) >= CHUNK:
                self._flush(conv_rows, turn_rows)
        self._flush(conv_rows, turn_rows)
        return made, turn_id - first_turn_id

    def _flush(self, conv_rows: List[Dict[str, Any]], turn_rows: List[Dict[str, Any]]) -> None:
        _insert(self.session, Conversation, conv_rows)  # before turns: they reference conversations
        _insert(self.session, Turn, turn_rows)
        self.uncommitted += len(turn_rows)
        if self.uncommitted >= COMMIT_EVERY:
            self.session.commit()
            self.uncommitted = 0
        conv_rows.clear()
        turn_rows.clear()

    def make_quizzes(self, attempts: int) -> Dict[str, int]:
        rng, session = self.rng, self.session
        questions = self.bank.all()
        participant_id, attempt_id = _next_id(session, Participant), _next_id(session, QuizAttempt)
        answer_id = _next_id(session, QuizAnswer)
        participants: List[Dict[str, Any]] = []
        attempt_rows: List[Dict[str, Any]] = []
        answers: List[Dict[str, Any]] = []
        winners: Dict[int, List[Tuple[datetime, int]]] = {}
        events = [e for e in self.events if e["venue_type"] != "线上直播"] or self.events
        for i in range(attempts):
            event = rng.choice(events) if events and rng.random() < 0.75 else None
            if event is not None:
                audience = rng.choice(event["target_groups"].split(","))
                at, channel = self.when(event["held_on"], 9, 16), rng.choices(("event", "kiosk"), (85, 15))[0]
                participants.append(dict(id=participant_id, event_id=event["id"], sender_key=_key("p", participant_id),
                                         nickname=rng.choice(NICKNAMES) if rng.random() < 0.6 else "",
                                         audience=audience, channel=channel, created_at=at))
            else:
                audience, channel = rng.choices(GROUPS + ("",), (25, 10, 10, 5, 50))[0], "web"
                at = self.when(self.month + timedelta(days=rng.randrange(30)), 7, 22)
            n = event["n_questions"] if event else 5
            status = rng.choices(("finished", "stopped", "active"), (90, 6, 4))[0]
            answered = n if status == "finished" else rng.randrange(n)
            started, score = at, 0
            for position, q in enumerate(rng.sample(questions, n)[:answered]):
                ease = QUIZ_EASE.get(q.topic, 0.75) - 0.06 * (q.difficulty - 1) - (0.05 if audience == "老年人" else 0)
                correct = rng.random() < ease
                chosen = q.answer_index if correct else rng.choice(
                    [c for c in range(len(q.choices)) if c != q.answer_index])
                at += timedelta(seconds=rng.randint(10, 45))
                answers.append(dict(id=answer_id, attempt_id=attempt_id, position=position, question_id=q.id,
                                    topic=q.topic, chosen=chosen, correct=correct, answered_at=at))
                answer_id, score = answer_id + 1, score + correct
            finished = at + timedelta(seconds=2) if status != "active" else None
            attempt_rows.append(dict(
                id=attempt_id, event_id=event["id"] if event else None,
                participant_id=participant_id if event else None, attempt_no=1,
                sender_key=_key("p", participant_id) if event else _key("a", attempt_id), channel=channel,
                audience=audience, n_questions=n, score=score, status=status, started_at=started,
                finished_at=finished))
            if event and status == "finished" and score >= event["pass_mark"]:
                winners.setdefault(event["id"], []).append((finished, attempt_id))
            participant_id += 1 if event else 0
            attempt_id += 1
        _insert(session, Participant, participants)
        _insert(session, QuizAttempt, attempt_rows)
        _insert(session, QuizAnswer, answers)
        prizes = self.make_prizes(winners)
        session.commit()
        return dict(participants=len(participants), quiz_attempts=len(attempt_rows), quiz_answers=len(answers),
                    prizes=len(prizes), prizes_issued=sum(p["attempt_id"] is not None for p in prizes),
                    prizes_redeemed=sum(p["redeemed_at"] is not None for p in prizes))

    def make_prizes(self, winners: Dict[int, List[Tuple[datetime, int]]]) -> List[Dict[str, Any]]:
        """Every event's prize slots; the earliest passing attempts take them."""
        rng, prize_id = self.rng, _next_id(self.session, Prize)
        codes = set(self.session.execute(select(Prize.code)).scalars())
        prizes = []
        for event in self.events:
            queue = sorted(winners.get(event["id"], []))
            for slot in range(1, event["n_prizes"] + 1):
                code = "".join(rng.choice(PRIZE_ALPHABET) for _ in range(8))
                while code in codes:
                    code = "".join(rng.choice(PRIZE_ALPHABET) for _ in range(8))
                codes.add(code)
                issued, attempt = queue[slot - 1] if slot <= len(queue) else (None, None)
                redeemed = issued + timedelta(minutes=rng.randint(1, 90)) if issued and rng.random() < 0.8 else None
                prizes.append(dict(id=prize_id, event_id=event["id"], slot_no=slot, code=code, attempt_id=attempt,
                                   issued_at=issued, redeemed_at=redeemed, redeemed_by=None))
                prize_id += 1
        _insert(self.session, Prize, prizes)
        return prizes


def _sync_sequences(session: Session) -> None:
    """PostgreSQL hands out ids from sequences that explicit ids did not advance."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in (Event, OfflineActivity, Conversation, Turn, Participant, QuizAttempt, QuizAnswer, Prize):
        highest = session.execute(select(func.max(model.id))).scalar() or 1
        session.execute(select(func.setval(func.pg_get_serial_sequence(model.__tablename__, "id"), highest)))


def generate(sessions: sessionmaker, *, campaign: str = "2026年金融教育宣传月", events: int = 40,
             conversations: int = 20000, turns_per_conversation: Tuple[int, int] = (1, 8), quiz_attempts: int = 3000,
             seed: int = 1, bank: Optional[QuestionBank] = None, knowledge_keys: Optional[Sequence[str]] = None,
             turns: Optional[int] = None, month: date = date(2026, 9, 1)) -> Dict[str, int]:
    """Add one campaign month of synthetic data; returns how many rows of each kind.

    With ``turns`` set, conversations are generated until exactly that many turns
    exist (``conversations`` is then ignored).
    """
    if knowledge_keys is None:
        from bot.knowledge.topics import default_knowledge

        knowledge_keys = default_knowledge().keys()
    with sessions() as session:
        found = session.execute(select(Campaign).where(Campaign.name == campaign)).scalar_one_or_none()
        if found is None:
            found = Campaign(name=campaign, starts_on=month, ends_on=month + timedelta(days=29))
            session.add(found)
            session.flush()
        generator = _Generator(session, random.Random(seed), month, bank or default_bank(), knowledge_keys)
        counts = {"events": generator.make_events(found.id, events)}
        counts["offline_activity"] = counts["events"]
        counts["conversations"], counts["turns"] = generator.make_conversations(
            conversations, turns, turns_per_conversation)
        counts.update(generator.make_quizzes(quiz_attempts))
        _sync_sequences(session)
        session.commit()
    return counts


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.tools.synthetic", description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=20000, help="conversations to add (default 20000)")
    parser.add_argument("--turns", type=int,
                        help="add conversations until exactly this many turns (overrides --conversations)")
    parser.add_argument("--quiz-attempts", type=int, default=3000, help="quiz attempts to add (default 3000)")
    parser.add_argument("--events", type=int, default=40, help="events to add (default 40)")
    parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same data")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    settings.ensure_data_dir()
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    started = time.monotonic()
    try:
        counts = generate(make_sessionmaker(engine), events=args.events, conversations=args.conversations,
                          turns=args.turns, quiz_attempts=args.quiz_attempts, seed=args.seed)
    finally:
        engine.dispose()
    print(json.dumps(counts, ensure_ascii=False))
    print(f"generated in {time.monotonic() - started:.1f}s into {settings.database_url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
