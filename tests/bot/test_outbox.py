"""While the project database is down, quiz writes wait in the outbox and
arrive exactly once when it is back."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot import quiz_rules
from bot.errors import ServiceUnavailable
from bot.models import QuizAnswer, QuizAttempt
from bot.outbox import Outbox, is_pending
from bot.quiz_store import QuizStore


class FlakySessions:
    """A sessionmaker that fails like an unreachable database while ``down``."""

    def __init__(self, real):
        self.real = real
        self.down = False

    def __call__(self, *args, **kwargs):
        if self.down:
            raise OperationalError("SELECT 1", {}, Exception("database is unavailable"))
        return self.real(*args, **kwargs)


@pytest.fixture
def flaky(sessions):
    return FlakySessions(sessions)


@pytest.fixture
def outage_store(flaky, tmp_path):
    return QuizStore(flaky, Outbox(tmp_path / "outbox.jsonl"))


def count(sessions, model):
    with sessions() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def answer_round(store, bank, attempt, ids, right=5):
    for i, qid in enumerate(ids):
        q = bank.get(qid)
        chosen = q.answer_index if i < right else (q.answer_index + 1) % len(q.choices)
        assert store.record_answer(attempt, i, q, chosen, chosen == q.answer_index)


def test_a_whole_quiz_during_an_outage_is_stored_once_afterwards(outage_store, flaky, sessions, bank):
    ids = quiz_rules.choose_round(bank)
    flaky.down = True
    attempt = outage_store.start_attempt("resident", ids)
    assert is_pending(attempt)
    answer_round(outage_store, bank, attempt, ids, right=3)
    result = outage_store.finish_attempt(attempt)
    assert result.passed is None
    assert len(outage_store.outbox) == 1 + 5 + 1

    flaky.down = False
    assert outage_store.flush_outbox() == 7
    assert outage_store.flush_outbox() == 0
    assert count(sessions, QuizAttempt) == 1 and count(sessions, QuizAnswer) == 5
    with sessions() as s:
        stored = s.execute(select(QuizAttempt)).scalar_one()
    assert (stored.status, stored.score) == ("finished", 3)


def test_an_outage_in_the_middle_of_a_round(outage_store, flaky, sessions, bank):
    ids = quiz_rules.choose_round(bank)
    attempt = outage_store.start_attempt("resident", ids)
    q0 = bank.get(ids[0])
    outage_store.record_answer(attempt, 0, q0, q0.answer_index, True)
    flaky.down = True
    for i in (1, 2):
        q = bank.get(ids[i])
        outage_store.record_answer(attempt, i, q, q.answer_index, True)
    flaky.down = False
    # The next write replays the queue first, then stores itself.
    q3 = bank.get(ids[3])
    outage_store.record_answer(attempt, 3, q3, q3.answer_index, True)
    assert count(sessions, QuizAnswer) == 4 and not outage_store.outbox.path.exists()


def test_an_interrupted_replay_neither_loses_nor_doubles(outage_store, flaky, sessions, bank, tmp_path):
    ids = quiz_rules.choose_round(bank)
    flaky.down = True
    attempt = outage_store.start_attempt("resident", ids)
    answer_round(outage_store, bank, attempt, ids)
    flaky.down = False
    saved = (tmp_path / "outbox.jsonl").read_text(encoding="utf-8")
    outage_store.flush_outbox()
    # Pretend the process died before the queue file was cleared: replay it again.
    (tmp_path / "outbox.jsonl").write_text(saved, encoding="utf-8")
    outage_store.flush_outbox()
    assert count(sessions, QuizAttempt) == 1 and count(sessions, QuizAnswer) == 5


def test_joining_an_event_during_an_outage_says_try_later(outage_store, flaky):
    flaky.down = True
    with pytest.raises(ServiceUnavailable):
        outage_store.join("123456", "resident")
    assert outage_store.recent_question_ids("resident") == []
