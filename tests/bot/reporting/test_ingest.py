import time
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from bot.reporting import ingest as ingest_module
from bot.reporting.ingest import IngestResult, ingest, store_engine, to_datetime
from bot.db.models import Conversation, Event, IngestState, Turn
from bot.quiz.participants import sender_key
from tests.bot.rasa_events import START, EventLog, fill_story


@pytest.fixture
def log(tmp_path):
    return EventLog(tmp_path / "rasa-events.db")


@pytest.fixture
def events_engine(log):
    engine = store_engine(log.url)
    yield engine
    engine.dispose()


@pytest.fixture
def event(sessions):
    with sessions.begin() as s:
        event = Event(code="123456", name="幸福社区防骗讲座", held_on=date(2026, 9, 10), venue_type="社区")
        s.add(event)
    return event


def snapshot(sessions):
    """Everything a report could see, without the database's own row ids."""
    with sessions() as s:
        conversations = {c.id: c for c in s.execute(select(Conversation)).scalars()}
        turns = s.execute(select(Turn).order_by(Turn.source_event_id)).scalars().all()
        return (
            sorted((c.sender_key, c.session_no, c.channel, c.event_id, c.audience, c.started_at, c.ended_at,
                    c.n_questions) for c in conversations.values()),
            [(t.source_event_id, conversations[t.conversation_id].sender_key,
              conversations[t.conversation_id].session_no, t.at, t.text, t.intent, t.topic, t.confidence,
              t.fell_back, t.response) for t in turns],
            s.get(IngestState, "rasa_events").last_event_id,
        )


def start_over(sessions):
    with sessions.begin() as s:
        for model in (Turn, Conversation, IngestState):
            s.execute(delete(model))


def test_sessions_become_conversations_and_messages_become_turns(log, events_engine, sessions, event):
    fill_story(log)
    result = ingest(events_engine, sessions)
    assert result == IngestResult(events_read=log.count(), turns_added=6, conversations_added=3)
    with sessions() as s:
        conversations = s.execute(select(Conversation).order_by(Conversation.started_at)).scalars().all()
        turns = s.execute(select(Turn).order_by(Turn.at)).scalars().all()
    alice1, bob, alice2 = conversations
    assert [c.sender_key for c in conversations] == [sender_key("alice"), sender_key("bob"), sender_key("alice")]
    assert [c.session_no for c in conversations] == [1, 1, 2]
    assert (alice1.channel, alice1.event_id, alice1.audience, alice1.n_questions) == ("web", None, "", 2)
    # The event_code slot reset at the end of the quiz does not erase the event.
    assert (bob.channel, bob.event_id, bob.audience, bob.n_questions) == ("event", event.id, "老年人", 1)
    assert (alice2.channel, alice2.n_questions) == ("kiosk", 2)
    assert alice1.started_at == to_datetime(START + 1.5 * 2)
    assert alice2.started_at - alice1.ended_at > timedelta(hours=3)

    police, followup, join, fallback, button, out_of_scope = turns
    assert (join.intent, join.response, join.conversation_id) == ("join_event", "action_join_event", bob.id)
    assert (police.intent, police.topic, police.response, police.fell_back) == ("faq", "police", "action_answer_topic",
                                                                                  False)
    assert police.confidence == pytest.approx(0.92)  # the selector was less sure than the intent
    assert police.text == "有人打电话说我涉嫌洗钱，要我把钱转到安全账户"
    assert (followup.intent, followup.topic, followup.response) == ("followup_what_to_do", "", "action_topic_followup")
    assert (fallback.intent, fallback.fell_back, fallback.response) == ("nlu_fallback", True, "utter_default")
    assert fallback.conversation_id == bob.id
    assert (button.topic, button.confidence, button.conversation_id) == ("shuadan", 1.0, alice2.id)
    assert (out_of_scope.fell_back, out_of_scope.response) == (True, "utter_out_of_scope")


def test_raw_sender_ids_are_never_stored(log, events_engine, sessions, event):
    fill_story(log)
    ingest(events_engine, sessions)
    with sessions() as s:
        keys = set(s.execute(select(Conversation.sender_key)).scalars())
    assert keys == {sender_key("alice"), sender_key("bob")} and not keys & {"alice", "bob"}


def test_running_twice_adds_nothing(log, events_engine, sessions, event):
    fill_story(log)
    ingest(events_engine, sessions)
    before = snapshot(sessions)
    assert ingest(events_engine, sessions) == IngestResult(0, 0, 0)
    assert snapshot(sessions) == before


def test_small_batches_give_the_same_result_as_one(log, events_engine, sessions, event):
    fill_story(log)
    results = ingest(events_engine, sessions, batch_size=3)
    small = snapshot(sessions)
    start_over(sessions)
    assert ingest(events_engine, sessions, batch_size=5000) == results
    assert snapshot(sessions) == small


def test_a_crash_mid_way_then_a_rerun_loses_and_doubles_nothing(log, events_engine, sessions, event, monkeypatch):
    fill_story(log)
    real_advance = ingest_module._advance_mark
    calls = []

    def crash_on_second_batch(session, old, new):
        calls.append(new)
        if len(calls) == 2:
            raise OSError("disk full")
        real_advance(session, old, new)

    monkeypatch.setattr(ingest_module, "_advance_mark", crash_on_second_batch)
    with pytest.raises(OSError):
        ingest(events_engine, sessions, batch_size=10)
    with sessions() as s:
        assert s.get(IngestState, "rasa_events").last_event_id == 10  # only the first batch is kept
    monkeypatch.setattr(ingest_module, "_advance_mark", real_advance)
    ingest(events_engine, sessions, batch_size=10)
    crashed = snapshot(sessions)

    start_over(sessions)
    ingest(events_engine, sessions)
    assert crashed == snapshot(sessions)


def test_events_appended_later_are_picked_up(log, events_engine, sessions, event):
    fill_story(log)
    ingest(events_engine, sessions)
    # bob asks again; the action answering him lands only in the next run.
    asked = log.user("bob", "刷单是不是骗局", "faq", 0.95, selector="shuadan", selector_confidence=0.97)
    assert ingest(events_engine, sessions) == IngestResult(events_read=1, turns_added=1, conversations_added=0)
    log.reply("bob", "action_answer_topic", "这是刷单返利诈骗。")
    assert ingest(events_engine, sessions).turns_added == 0
    with sessions() as s:
        bob = s.execute(select(Conversation).where(Conversation.sender_key == sender_key("bob"))).scalar_one()
        turn = s.execute(select(Turn).where(Turn.at == to_datetime(asked))).scalar_one()
    assert (turn.conversation_id, turn.topic, turn.response) == (bob.id, "shuadan", "action_answer_topic")
    assert bob.n_questions == 2 and bob.ended_at > to_datetime(asked)


def test_messages_without_a_session_start_still_get_a_conversation(log, events_engine, sessions):
    log.user("carol", "投资群里天天晒收益，可信吗", "faq", 0.9, selector="investment")
    log.reply("carol", "action_answer_topic")
    ingest(events_engine, sessions)
    with sessions() as s:
        conversation = s.execute(select(Conversation)).scalar_one()
        turn = s.execute(select(Turn)).scalar_one()
    assert (conversation.session_no, conversation.channel, conversation.n_questions) == (1, "web", 1)
    assert (turn.topic, turn.response) == ("investment", "action_answer_topic")


def test_a_recent_gap_in_ids_is_waited_for_and_an_old_one_skipped(log, events_engine, sessions):
    log.add("dave", "session_started", row_id=1)
    log.add("dave", "user", row_id=3, text="老的缺号之后", parse_data={"intent": {"name": "greet", "confidence": 1}})
    now = time.time()
    log.add("dave", "user", at=now - 300, row_id=4, text="五分钟前", parse_data={"intent": {"name": "greet"}})
    log.add("dave", "user", at=now, row_id=6, text="刚刚", parse_data={"intent": {"name": "greet"}})
    result = ingest(events_engine, sessions)
    assert result.events_read == 3  # row 2 is long gone; row 5 may still be committing
    log.add("dave", "user", at=now, row_id=5, text="晚到的", parse_data={"intent": {"name": "greet"}})
    assert ingest(events_engine, sessions).events_read == 2
    with sessions() as s:
        texts = s.execute(select(Turn.text).order_by(Turn.source_event_id)).scalars().all()
    assert texts == ["老的缺号之后", "五分钟前", "晚到的", "刚刚"]


def test_rows_that_are_not_rasa_events_are_skipped(log, events_engine, sessions):
    import sqlite3

    with sqlite3.connect(log.path) as db:
        db.execute("INSERT INTO events (sender_id, data) VALUES ('x', 'not json')")
    log.session("erin")
    assert ingest(events_engine, sessions) == IngestResult(events_read=4, turns_added=0, conversations_added=1)


def test_no_event_store_yet_means_nothing_to_do(tmp_path, sessions):
    engine = store_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert ingest(engine, sessions) == IngestResult(0, 0, 0)
    engine.dispose()


def test_cli_ingests_the_configured_store(tmp_path, monkeypatch, capsys):
    fill_story(EventLog(tmp_path / "events.db"))
    monkeypatch.setenv("FRAUDBOT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("EVENTS_DB_URL", raising=False)
    assert ingest_module.main([]) == 0
    assert "3 new conversations, 6 new turns" in capsys.readouterr().out
    assert ingest_module.main([]) == 0
    assert "read 0 events" in capsys.readouterr().out
