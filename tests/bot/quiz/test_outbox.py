"""While the project database is down, quiz writes wait in the outbox and
arrive exactly once when it is back."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.quiz import rules as quiz_rules
from bot.errors import ServiceUnavailable
from bot.db.models import QuizAnswer, QuizAttempt
from bot.quiz.outbox import Outbox, is_pending
from bot.quiz.store import QuizStore


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


def _append_many(path, writer, n, barrier):
    outbox = Outbox(path)
    barrier.wait()
    for i in range(n):
        outbox.append("answer", attempt_id=f"{writer}-{i}")


def _replay_until(path, applied_file, stop, barrier):
    outbox = Outbox(path)
    barrier.wait()

    def apply(op, args, refs):
        with open(applied_file, "a", encoding="utf-8") as handle:
            handle.write(args["attempt_id"] + "\n")

    while not stop.is_set():
        outbox.replay(apply)
    outbox.replay(apply)


def test_two_action_servers_on_one_machine_lose_no_queued_write(tmp_path):
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    path, applied = tmp_path / "outbox.jsonl", tmp_path / "applied.txt"
    writers, per_writer = 4, 100
    barrier, stop = context.Barrier(writers + 1), context.Event()
    appenders = [context.Process(target=_append_many, args=(path, w, per_writer, barrier)) for w in range(writers)]
    replayer = context.Process(target=_replay_until, args=(path, applied, stop, barrier))
    for process in (*appenders, replayer):
        process.start()
    for process in appenders:
        process.join(120)
    stop.set()
    replayer.join(120)
    assert all(p.exitcode == 0 for p in (*appenders, replayer))
    lines = applied.read_text(encoding="utf-8").split()
    assert sorted(lines) == sorted(f"{w}-{i}" for w in range(writers) for i in range(per_writer))
    assert not path.exists() or Outbox(path).pending() == []


def test_a_bad_entry_is_set_aside_and_the_ones_after_it_still_arrive(outage_store, flaky, sessions, bank, tmp_path):
    ids = quiz_rules.choose_round(bank)
    flaky.down = True
    attempt = outage_store.start_attempt("resident", ids)
    answer_round(outage_store, bank, attempt, ids[:2])
    path = tmp_path / "outbox.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    # A torn line, and a finish for an attempt that does not exist, before the good answers.
    path.write_text("\n".join([lines[0], '{"op": "answer", "args": {', '{"op": "finish", "args": '
                               '{"attempt_id": 999999, "stopped": false}}', *lines[1:]]) + "\n", encoding="utf-8")
    flaky.down = False
    assert outage_store.flush_outbox() == 3  # the start and both answers
    assert count(sessions, QuizAttempt) == 1 and count(sessions, QuizAnswer) == 2
    assert [q["error"].split(":")[0] for q in outage_store.outbox.quarantined()] == ["unreadable line",
                                                                                     "AttributeError"]
    assert outage_store.flush_outbox() == 0 and not path.exists()


def test_a_round_finished_during_an_outage_never_gets_a_prize_code_the_resident_cannot_see(flaky, sessions, bank,
                                                                                           tmp_path):
    from datetime import date

    from bot.db.models import Prize

    store = QuizStore(flaky, Outbox(tmp_path / "outbox.jsonl"))
    event = store.create_event(name="社区讲座", held_on=date.today(), venue_type="社区", n_prizes=1, pass_mark=1,
                               n_questions=5)
    joined = store.join(event.code, "resident")
    ids = quiz_rules.choose_round(bank)
    attempt = store.start_attempt("resident", ids, "event", "", event.id, joined.participant_id)
    flaky.down = True
    answer_round(store, bank, attempt, ids)
    result = store.finish_attempt(attempt)
    assert result.prize_code is None  # what the resident is told: no code
    flaky.down = False
    store.flush_outbox()
    with sessions() as s:
        assert s.execute(select(Prize.attempt_id)).scalar_one() is None, "the prize is still there for someone"
        assert s.execute(select(QuizAttempt.score)).scalar_one() == 5
