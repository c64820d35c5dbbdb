from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, select

from bot.quiz import rules as quiz_rules
from bot.errors import AttemptLimit, EventClosed, EventNotFound, InputError, RedeemError
from bot.db.models import Prize, QuizAnswer, QuizAttempt
from bot.quiz.participants import check_nickname, sender_key


def make_event(store, **overrides):
    values = dict(name="幸福社区防骗讲座", held_on=date(2026, 11, 27), venue_type="社区", n_questions=5,
                  pass_mark=4, n_prizes=3)
    values.update(overrides)
    return store.create_event(**values)


def play(store, bank, event, sender, right_answers):
    """One participant joins and answers; the first ``right_answers`` are right."""
    joined = store.join(event.code, sender)
    ids = quiz_rules.choose_round(bank, joined.n_questions)
    attempt = store.start_attempt(sender, ids, "event", "", joined.event_id, joined.participant_id)
    for position, qid in enumerate(ids):
        q = bank.get(qid)
        chosen = q.answer_index if position < right_answers else (q.answer_index + 1) % len(q.choices)
        store.record_answer(attempt, position, q, chosen, chosen == q.answer_index)
    return attempt, store.finish_attempt(attempt)


def test_event_gets_a_six_digit_code_and_its_prize_slots(store, sessions):
    event = make_event(store)
    assert len(event.code) == 6 and event.code.isdigit()
    with sessions() as s:
        assert s.execute(select(func.count()).select_from(Prize).where(Prize.event_id == event.id)).scalar_one() == 3


def test_bad_event_settings_are_refused_with_a_reason(store):
    with pytest.raises(InputError, match="场地类型"):
        make_event(store, venue_type="月球")
    with pytest.raises(InputError, match="分数线"):
        make_event(store, pass_mark=9)


def test_a_passing_participant_gets_a_code_that_redeems_once(store, bank):
    event = make_event(store)
    _, result = play(store, bank, event, "alice", 5)
    assert result.passed and result.prize_code and result.score == 5
    prize = store.redeem(event.id, result.prize_code.lower())
    assert prize.redeemed_at is not None
    with pytest.raises(RedeemError, match="已经兑换"):
        store.redeem(event.id, result.prize_code)


def test_a_code_only_redeems_at_its_own_event(store, bank):
    first, second = make_event(store), make_event(store, name="第二场")
    _, result = play(store, bank, first, "bob", 5)
    with pytest.raises(RedeemError, match="不属于本场活动"):
        store.redeem(second.id, result.prize_code)
    with pytest.raises(RedeemError, match="不存在"):
        store.redeem(first.id, "NOPE2345")


def test_below_the_pass_mark_no_prize(store, bank):
    event = make_event(store)
    _, result = play(store, bank, event, "carol", 3)
    assert result.passed is False and result.prize_code is None


def test_one_attempt_unless_retries_are_allowed(store, bank):
    event = make_event(store)
    play(store, bank, event, "dave", 2)
    with pytest.raises(AttemptLimit):
        store.join(event.code, "dave")
    retry = make_event(store, allow_retry=True)
    play(store, bank, retry, "dave", 2)
    assert store.join(retry.code, "dave").attempt_no == 2


def test_unknown_or_closed_events(store):
    with pytest.raises(EventNotFound, match="6位数字"):
        store.join("12ab", "x")
    with pytest.raises(EventNotFound, match="没有找到"):
        store.join("999999" if True else "", "x")
    event = make_event(store)
    store.close_event(event.id)
    with pytest.raises(EventClosed):
        store.join(event.code, "x")


def test_an_answer_is_stored_once_even_if_sent_twice(store, bank, sessions):
    q = bank.all()[0]
    attempt = store.start_attempt("erin", [q.id])
    assert store.record_answer(attempt, 0, q, q.answer_index, True) is True
    assert store.record_answer(attempt, 0, q, q.answer_index, True) is False
    with sessions() as s:
        assert s.execute(select(func.count()).select_from(QuizAnswer)).scalar_one() == 1


@pytest.mark.parametrize("name", ["傻X", "管理员", "SB123", "我的电话13812345678"])
def test_rude_or_risky_nicknames_are_refused(name):
    with pytest.raises(InputError):
        check_nickname(name)


def test_a_polite_nickname_is_kept():
    assert check_nickname("  王阿姨 ") == "王阿姨"


def test_sender_ids_are_not_stored_raw():
    assert sender_key("resident-1") != "resident-1" and len(sender_key("resident-1")) == 32


def test_200_participants_at_once(store, bank, sessions):
    """Every answer stored exactly once, the leaderboard right, prizes capped, codes redeem once."""
    event = make_event(store, n_prizes=20, pass_mark=4)
    right = {f"p{i}": (5 if i % 3 == 0 else 3) for i in range(200)}

    def one(sender):
        # Each participant also double-sends their first answer, as a flaky phone would.
        attempt, result = play(store, bank, event, sender, right[sender])
        return sender, attempt, result

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(one, right))

    with sessions() as s:
        answers = s.execute(select(func.count()).select_from(QuizAnswer)).scalar_one()
        per_attempt = s.execute(
            select(QuizAnswer.attempt_id, func.count()).group_by(QuizAnswer.attempt_id)).all()
        issued = s.execute(select(func.count()).select_from(Prize).where(
            Prize.event_id == event.id, Prize.attempt_id.is_not(None))).scalar_one()
        scores = dict(s.execute(select(QuizAttempt.id, QuizAttempt.score)).all())
    assert answers == 200 * 5 and all(n == 5 for _, n in per_attempt)
    passers = sum(1 for v in right.values() if v == 5)
    assert passers > 20 and issued == 20
    codes = [r.prize_code for _, _, r in results if r.prize_code]
    assert len(codes) == len(set(codes)) == 20
    assert sum(1 for _, _, r in results if r.passed and not r.prize_code and r.prizes_exhausted) == passers - 20
    for sender, attempt, result in results:
        assert scores[attempt] == right[sender] == result.score

    def redeem(code):
        try:
            store.redeem(event.id, code)
            return True
        except RedeemError:
            return False

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(redeem, codes + codes))
    assert sum(outcomes) == 20
