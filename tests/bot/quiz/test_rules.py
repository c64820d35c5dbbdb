import random

import pytest

from bot.quiz import rules as quiz_rules
from bot.quiz.bank import Question

SINGLE = Question("t-1", "police", 1, ("通用",), "single", "公安会让你转账到安全账户吗？",
                  ("会，要配合", "不会，这是诈骗", "看情况"), "B", "没有安全账户。", "公安部")
TF = Question("t-2", "police", 1, ("通用",), "truefalse", "96110来电可以不接。", (), "错", "要接。", "公安部")


@pytest.mark.parametrize("text,expected", [
    ("B", 1), ("b", 1), ("选B", 1), ("B吧", 1), ("我选b", 1), ("Ｂ", 1), ("第二个", 1), ("2", 1),
    ("第1个", 0), ("不会，这是诈骗", 1), ("这是诈骗", 1), ("看情况", 2), ("C。", 2),
])
def test_typed_answers_are_understood(text, expected):
    assert quiz_rules.parse_answer(SINGLE, text) == expected


@pytest.mark.parametrize("text", ["嗯", "不知道", "D", "第五个", "安全账户是什么", "", "   "])
def test_unclear_answers_are_not_guessed(text):
    assert quiz_rules.parse_answer(SINGLE, text) is None


@pytest.mark.parametrize("text,expected", [("对", 0), ("错", 1), ("不对", 1), ("正确", 0), ("错误", 1), ("对的", 0)])
def test_true_false_answers(text, expected):
    assert quiz_rules.parse_answer(TF, text) == expected


def test_a_round_has_five_distinct_questions_across_topics(bank):
    ids = quiz_rules.choose_round(bank, rng=random.Random(1))
    assert len(ids) == 5 == len(set(ids))
    assert len({bank.get(i).topic for i in ids}) == 5


def test_recently_seen_questions_are_avoided(bank):
    rng = random.Random(2)
    seen = []
    for _ in range(6):
        ids = quiz_rules.choose_round(bank, recent=seen, rng=rng)
        assert not set(ids) & set(seen)
        seen = quiz_rules.remember_seen(seen, ids)


def test_audience_prefers_fitting_questions(bank):
    ids = quiz_rules.choose_round(bank, audience="老年人", rng=random.Random(3))
    assert all({"老年人", "通用"} & set(bank.get(i).audience) for i in ids)


def test_scoring_and_missed_topics(bank):
    ids = quiz_rules.choose_round(bank, rng=random.Random(4))
    state = quiz_rules.new_state(ids)
    first = bank.get(ids[0])
    result = quiz_rules.record_answer(bank, state, first.answer_index)
    assert result.correct and "答对了" in result.feedback
    second = bank.get(ids[1])
    wrong = (second.answer_index + 1) % len(second.choices)
    result = quiz_rules.record_answer(bank, state, wrong)
    assert not result.correct and second.answer_label in result.feedback and second.explanation in result.feedback
    assert state["score"] == 1 and state["missed"] == [second.topic] and state["index"] == 2
    assert not quiz_rules.is_finished(state)


def test_question_text_shows_lettered_options():
    text = quiz_rules.question_text(SINGLE, 1, 5)
    assert "第1题" in text and "A. 会，要配合" in text and "B. 不会，这是诈骗" in text
    assert quiz_rules.question_buttons(TF) == [("A. 对", "对"), ("B. 错", "错")]
    assert quiz_rules.question_text(TF, 1, 5).endswith("A. 对\nB. 错"), "true/false is lettered like the rest"


@pytest.mark.parametrize("text, resume", [
    ("好了 接着答", True), ("继续答题", True), ("ok 下一题", True), ("接著答", True),
    ("不答了", False), ("不想继续了", False), ("结束吧", False),
])
def test_going_on_is_told_from_stopping(text, resume):
    from bot.quiz.rules import wants_to_resume
    assert wants_to_resume(text) is resume
