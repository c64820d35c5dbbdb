import sqlite3
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.privacy import retention
from bot.reporting.ingest import ingest, store_engine
from bot.db.models import Conversation, Event, Participant, QuizAttempt, Turn
from bot.quiz.participants import sender_key
from bot.privacy.retention import PruneResult, anonymise_older_than, prune_rasa
from tests.bot.rasa_events import EventLog

NOW = datetime(2027, 6, 1, 12, 0)
OLD = NOW - timedelta(days=200)
RECENT = NOW - timedelta(days=10)


def add_conversation(s, key, at, topics):
    conversation = Conversation(sender_key=key, session_no=1 if at == OLD else 2, started_at=at, ended_at=at,
                                n_questions=len(topics))
    s.add(conversation)
    s.flush()
    for i, topic in enumerate(topics):
        s.add(Turn(source_event_id=int(at.timestamp()) + i, conversation_id=conversation.id, at=at,
                   text=f"我叫张三，{topic}的事", intent="faq", topic=topic, confidence=0.9))
    return conversation


@pytest.fixture
def history(sessions):
    """One resident with an old and a recent conversation, and an old and a recent quiz."""
    key = sender_key("resident-1")
    with sessions.begin() as s:
        old_event = Event(code="111111", name="旧活动", held_on=OLD.date(), venue_type="社区")
        new_event = Event(code="222222", name="新活动", held_on=RECENT.date(), venue_type="社区")
        s.add_all([old_event, new_event])
        s.flush()
        add_conversation(s, key, OLD, ["police", "shuadan"])
        add_conversation(s, key, RECENT, ["loan"])
        for event, at, nickname in ((old_event, OLD, "张阿姨"), (new_event, RECENT, "李大爷")):
            participant = Participant(event_id=event.id, sender_key=key, nickname=nickname, created_at=at)
            s.add(participant)
            s.flush()
            s.add(QuizAttempt(event_id=event.id, participant_id=participant.id, sender_key=key, n_questions=5,
                              score=4, status="finished", started_at=at, finished_at=at))
    return key


def report(sessions):
    """What the dashboards count: turns per topic, questions, scores."""
    with sessions() as s:
        return (
            s.execute(select(Turn.topic, func.count()).group_by(Turn.topic).order_by(Turn.topic)).all(),
            s.execute(select(func.sum(Conversation.n_questions), func.count(Conversation.id))).one(),
            s.execute(select(func.sum(QuizAttempt.score), func.count(Participant.id.distinct()))
                      .join(Participant, QuizAttempt.participant_id == Participant.id)).one(),
        )


def test_old_conversations_lose_their_text_and_link_to_the_resident(sessions, history):
    before = report(sessions)
    assert anonymise_older_than(sessions, 180, now=NOW) == 2  # one conversation, one participant
    with sessions() as s:
        old, recent = s.execute(select(Conversation).order_by(Conversation.started_at)).scalars().all()
        old_texts = s.execute(select(Turn.text).where(Turn.conversation_id == old.id)).scalars().all()
        recent_texts = s.execute(select(Turn.text).where(Turn.conversation_id == recent.id)).scalars().all()
    assert old.sender_key.startswith("anon-") and old.sender_key != history
    assert recent.sender_key == history
    assert old_texts == ["", ""] and recent_texts == ["我叫张三，loan的事"]
    assert report(sessions) == before


def test_old_quiz_participants_lose_their_nickname_and_key(sessions, history):
    anonymise_older_than(sessions, 180, now=NOW)
    with sessions() as s:
        old, recent = s.execute(select(Participant).order_by(Participant.created_at)).scalars().all()
        attempts = {a.participant_id: a.sender_key for a in s.execute(select(QuizAttempt)).scalars()}
    assert (old.nickname, recent.nickname) == ("", "李大爷")
    assert old.sender_key.startswith("anon-") and recent.sender_key == history
    assert attempts == {old.id: old.sender_key, recent.id: history}


def test_anonymising_twice_changes_nothing_more(sessions, history):
    anonymise_older_than(sessions, 180, now=NOW)
    with sessions() as s:
        keys = sorted(s.execute(select(Conversation.sender_key)).scalars())
    assert anonymise_older_than(sessions, 180, now=NOW) == 0
    with sessions() as s:
        assert sorted(s.execute(select(Conversation.sender_key)).scalars()) == keys


def test_a_shorter_retention_reaches_recent_rows_too(sessions, history):
    assert anonymise_older_than(sessions, 5, now=NOW) == 4
    with sessions() as s:
        assert set(s.execute(select(Turn.text)).scalars()) == {""}


def test_retention_must_be_at_least_a_day(sessions):
    with pytest.raises(ValueError):
        anonymise_older_than(sessions, 0)


# --- Rasa's own stores ---------------------------------------------------------


@pytest.fixture
def tracker(tmp_path):
    """Rasa's SQL tracker store table, with the timestamp column."""
    path = tmp_path / "tracker.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE events (id INTEGER NOT NULL, sender_id VARCHAR(255) NOT NULL, "
                   "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
                   "action_name VARCHAR(255), data TEXT, PRIMARY KEY (id))")
        now = time.time()
        rows = [("old", "user", now - 90 * 86400)] * 3 + [("new", "user", now - 3600)] * 2
        db.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, '{}')", rows)
    engine = store_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def store_ids(log):
    with sqlite3.connect(log.path) as db:
        return [row[0] for row in db.execute("SELECT id FROM events ORDER BY id")]


def test_prune_deletes_only_events_already_ingested(tmp_path, sessions, tracker):
    log = EventLog(tmp_path / "events.db", start=time.time() - 90 * 86400)
    for _ in range(10):
        log.add("old", "session_started")
    engine = store_engine(log.url)
    ingest(engine, sessions)
    for _ in range(5):
        log.add("late", "session_started")  # old, but not ingested yet
    log.clock = time.time() - 60
    log.add("new", "session_started")
    result = prune_rasa(sessions, engine, tracker, 30)
    assert result == PruneResult(event_store_rows=10, tracker_rows=3)
    assert store_ids(log) == list(range(11, 17))
    assert ingest(engine, sessions).events_read == 6  # nothing was lost
    engine.dispose()


def test_prune_keeps_the_newest_event_so_ids_are_not_reused(tmp_path, sessions):
    log = EventLog(tmp_path / "events.db", start=time.time() - 90 * 86400)
    for _ in range(4):
        log.add("old", "session_started")
    engine = store_engine(log.url)
    ingest(engine, sessions)
    assert prune_rasa(sessions, engine, None, 30) == PruneResult(3, 0)
    assert store_ids(log) == [4]
    log.add("next", "session_started")
    assert store_ids(log) == [4, 5]
    engine.dispose()


def test_prune_stops_at_the_first_recent_event(tmp_path, sessions):
    log = EventLog(tmp_path / "events.db", start=time.time() - 90 * 86400)
    for _ in range(50):
        log.add("old", "session_started")
    log.clock = time.time() - 3 * 86400
    for _ in range(30):
        log.add("new", "session_started")
    engine = store_engine(log.url)
    ingest(engine, sessions)
    assert prune_rasa(sessions, engine, None, 30).event_store_rows == 50
    assert store_ids(log) == list(range(51, 81))
    engine.dispose()


def test_cli_anonymises_and_prunes(tmp_path, monkeypatch, capsys, tracker):
    log = EventLog(tmp_path / "events.db", start=time.time() - 90 * 86400)
    for _ in range(3):
        log.add("old", "session_started")
    monkeypatch.setenv("FRAUDBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RETENTION_DAYS", "30")
    for name in ("DATABASE_URL", "EVENTS_DB_URL"):
        monkeypatch.delenv(name, raising=False)
    from bot.reporting import ingest as ingest_module

    ingest_module.main([])
    assert retention.main(["--prune-rasa"]) == 0
    out = capsys.readouterr().out
    assert "anonymised 3 conversations" in out and "older than 30 days" in out
    assert "deleted 2 event store rows" in out and "deleted 3 tracker rows" in out
    assert retention.main(["--days", "365"]) == 0
    assert "anonymised 0 conversations" in capsys.readouterr().out


def test_cli_prune_without_rasa_stores_is_harmless(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FRAUDBOT_DATA_DIR", str(tmp_path))
    for name in ("DATABASE_URL", "EVENTS_DB_URL"):
        monkeypatch.delenv(name, raising=False)
    assert retention.main(["--prune-rasa", "--days", "7"]) == 0
    out = capsys.readouterr().out
    assert "event store: not found" in out and "tracker: not found" in out, "a missing store is not '0 rows'"
    assert not (tmp_path / "tracker.db").exists()


def test_the_production_tracker_store_is_the_one_pruned(tmp_path):
    from bot.settings import Settings

    env = {"TRACKER_DB_HOST": "db.internal", "TRACKER_DB_PORT": "5433", "TRACKER_DB_NAME": "fraudbot_tracker",
           "TRACKER_DB_USER": "fraudbot", "TRACKER_DB_PASSWORD": "p@ss"}
    assert retention.tracker_store_url(Settings(data_dir=tmp_path), env) == (
        "postgresql://fraudbot:p%40ss@db.internal:5433/fraudbot_tracker")
    assert retention.tracker_store_url(Settings(data_dir=tmp_path), {}).endswith("tracker.db")


@pytest.mark.postgres
def test_cli_prunes_the_postgresql_tracker_store(tmp_path, monkeypatch, capsys, new_pg_database):
    from urllib.parse import urlsplit

    from sqlalchemy import create_engine, text

    url = new_pg_database()
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE events (id SERIAL PRIMARY KEY, sender_id VARCHAR(255), "
                                "type_name VARCHAR(255), timestamp FLOAT, data TEXT)"))
        connection.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES "
                                "('old', 'user', :old, '{}'), ('new', 'user', :new, '{}')"),
                           {"old": time.time() - 90 * 86400, "new": time.time()})
    parts = urlsplit(url)
    monkeypatch.setenv("FRAUDBOT_DATA_DIR", str(tmp_path))
    for name in ("DATABASE_URL", "EVENTS_DB_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in (("HOST", parts.hostname), ("PORT", str(parts.port or 5432)), ("NAME", parts.path[1:]),
                        ("USER", parts.username or ""), ("PASSWORD", parts.password or "")):
        monkeypatch.setenv(f"TRACKER_DB_{name}", value)
    assert retention.main(["--prune-rasa", "--days", "30"]) == 0
    assert "deleted 1 tracker rows" in capsys.readouterr().out
    with engine.connect() as connection:
        assert connection.execute(text("SELECT sender_id FROM events")).scalars().all() == ["new"]
    engine.dispose()
