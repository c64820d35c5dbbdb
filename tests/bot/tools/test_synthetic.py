import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.tools import synthetic
from bot.db.engine import make_engine, make_sessionmaker, upgrade
from bot.reporting.ingest import QUESTION_INTENTS, ingest, store_engine
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
from bot.tools.synthetic import BRANCHES, generate
from tests.bot.rasa_events import EventLog, fill_story

SMALL = dict(events=6, conversations=400, quiz_attempts=120, seed=3)
MODELS = {"events": Event, "offline_activity": OfflineActivity, "conversations": Conversation, "turns": Turn,
          "participants": Participant, "quiz_attempts": QuizAttempt, "quiz_answers": QuizAnswer, "prizes": Prize}


@pytest.fixture
def counts(sessions):
    return generate(sessions, **SMALL)


def count(sessions, model, *where):
    with sessions() as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_counts_match_what_was_written(sessions, counts):
    for name, model in MODELS.items():
        assert count(sessions, model) == counts[name], name
    assert counts["conversations"] == 400 and counts["quiz_attempts"] == 120
    assert counts["prizes_redeemed"] <= counts["prizes_issued"] <= counts["prizes"]


def test_events_look_like_a_campaign_month(sessions, counts):
    with sessions() as s:
        campaign = s.execute(select(Campaign)).scalar_one()
        events = s.execute(select(Event)).scalars().all()
        offline = s.execute(select(OfflineActivity)).scalars().all()
    assert campaign.name == "2026年金融教育宣传月"
    assert all(campaign.starts_on <= e.held_on <= campaign.ends_on and e.campaign_id == campaign.id for e in events)
    assert all(e.branch in BRANCHES and e.name.startswith(e.place) and len(e.code) == 6 for e in events)
    assert len({e.code for e in events}) == len(events)
    assert sorted(o.event_id for o in offline) == sorted(e.id for e in events)
    assert all(500 <= o.leaflets <= 5000 and o.attendance_elderly + o.attendance_youth > 0 for o in offline)


def test_turns_look_like_ingested_ones(sessions, counts, kb):
    with sessions() as s:
        turns = s.execute(select(Turn)).scalars().all()
        conversations = s.execute(select(Conversation)).scalars().all()
        event_ids = set(s.execute(select(Event.id)).scalars())
    fallbacks = [t for t in turns if t.fell_back]
    assert 0.04 < len(fallbacks) / len(turns) < 0.12
    assert all(t.intent in ("nlu_fallback", "out_of_scope") and t.topic == "" for t in fallbacks)
    # The unanswered texts fall into a handful of themes, so grouping them shows something.
    cores = [text for _, texts in synthetic.FALLBACK_THEMES for text in texts]
    assert all(any(core in t.text for core in cores) for t in fallbacks)
    faq = [t for t in turns if t.intent == "faq"]
    assert faq and all(t.topic in kb.keys() and t.response == "action_answer_topic" for t in faq)
    top = max(kb.keys(), key=lambda k: sum(t.topic == k for t in faq))
    assert top in ("shuadan", "investment", "police", "loan", "customer_service")
    assert all(t.source_event_id < 0 and 0 <= t.confidence <= 1 for t in turns)
    by_conversation = {}
    for t in turns:
        by_conversation.setdefault(t.conversation_id, []).append(t)
    for c in conversations:
        mine = by_conversation[c.id]
        assert 1 <= len(mine) <= 8
        assert c.n_questions == sum(t.intent in QUESTION_INTENTS for t in mine)
        assert c.started_at <= min(t.at for t in mine) and c.ended_at >= max(t.at for t in mine)
        assert c.channel in ("web", "event", "kiosk", "live") and (c.event_id is None or c.event_id in event_ids)
    assert {c.channel for c in conversations} >= {"web", "event", "kiosk"}


def test_quiz_answers_use_real_questions_and_add_up(sessions, counts, bank):
    with sessions() as s:
        answers = s.execute(select(QuizAnswer)).scalars().all()
        attempts = {a.id: a for a in s.execute(select(QuizAttempt)).scalars()}
        events = {e.id: e for e in s.execute(select(Event)).scalars()}
        prizes = s.execute(select(Prize)).scalars().all()
    for answer in answers:
        question = bank.get(answer.question_id)
        assert answer.topic == question.topic and answer.correct == (answer.chosen == question.answer_index)
    for attempt in attempts.values():
        assert attempt.score == sum(a.correct for a in answers if a.attempt_id == attempt.id)
    issued = [p for p in prizes if p.attempt_id is not None]
    for prize in issued:
        winner = attempts[prize.attempt_id]
        assert winner.event_id == prize.event_id and winner.score >= events[prize.event_id].pass_mark
    assert all(p.issued_at is not None for p in issued) and all(p.attempt_id for p in prizes if p.redeemed_at)
    for event in events.values():
        assert sum(p.event_id == event.id for p in prizes) == event.n_prizes


def test_the_same_seed_gives_the_same_data(tmp_path, sessions, counts):
    url = f"sqlite:///{tmp_path / 'again.db'}"
    upgrade(url)
    engine = make_engine(url)
    again = make_sessionmaker(engine)
    assert generate(again, **SMALL) == counts

    def digest(factory):
        with factory() as s:
            return (s.execute(select(Turn.text, Turn.topic, Turn.at).order_by(Turn.id)).all(),
                    s.execute(select(Event.name, Event.code).order_by(Event.id)).all(),
                    s.execute(select(QuizAnswer.question_id, QuizAnswer.chosen).order_by(QuizAnswer.id)).all())

    assert digest(again) == digest(sessions)
    engine.dispose()


def test_a_turns_target_is_met_exactly(sessions):
    result = generate(sessions, events=2, turns=1234, quiz_attempts=0)
    assert result["turns"] == 1234 == count(sessions, Turn)


def test_generating_twice_adds_to_the_same_database(sessions, counts):
    again = generate(sessions, **SMALL)
    assert count(sessions, Campaign) == 1
    assert count(sessions, Conversation) == counts["conversations"] + again["conversations"]


def test_real_events_ingest_alongside_synthetic_data(tmp_path, sessions, counts):
    log = EventLog(tmp_path / "events.db")
    fill_story(log)
    engine = store_engine(log.url)
    assert ingest(engine, sessions).turns_added == 6
    assert count(sessions, Turn, Turn.source_event_id > 0) == 6
    engine.dispose()


def test_month_and_knowledge_keys_can_be_chosen(sessions):
    generate(sessions, events=3, conversations=50, quiz_attempts=5, knowledge_keys=["police", "loan"],
             month=date(2027, 3, 1), campaign="2027年3·15宣传周")
    with sessions() as s:
        topics = set(s.execute(select(Turn.topic).where(Turn.intent == "faq")).scalars())
        days = s.execute(select(func.min(Event.held_on), func.max(Event.held_on))).one()
    assert topics <= {"police", "loan"}
    assert date(2027, 3, 1) <= days[0] and days[1] <= date(2027, 3, 1) + timedelta(days=29)


def test_cli_prints_the_counts(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FRAUDBOT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert synthetic.main(["--conversations", "30", "--quiz-attempts", "10", "--events", "3"]) == 0
    printed = json.loads(capsys.readouterr().out.splitlines()[0])
    assert printed["conversations"] == 30 and printed["quiz_attempts"] == 10 and printed["events"] == 3
    assert synthetic.main(["--turns", "100", "--quiz-attempts", "0", "--events", "1"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["turns"] == 100
