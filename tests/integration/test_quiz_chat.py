"""A whole quiz in chat over REST: unclear answer, interruption, resume, score."""
import re

from bot.quiz.bank import default_bank
from tests.server import reply_text

QUESTION = re.compile(r"第(\d)题（共(\d)题，(单选|判断对错)）：(.+?)(?:\n|$)")


def current_question(messages):
    """The bank question shown in the reply (matched by its text)."""
    bank = default_bank()
    for m in messages:
        match = QUESTION.search(m.get("text") or "")
        if match:
            text = match.group(4).strip()
            return int(match.group(1)), next(q for q in bank.all() if q.question == text)
    return None, None


def answer_for(question, right):
    index = question.answer_index if right else (question.answer_index + 1) % len(question.choices)
    return "ABCD"[index] if question.type == "single" else question.choices[index]


def test_a_whole_quiz_with_an_unclear_reply_and_an_interruption(assistant, sender):
    reply = assistant.say(sender, "来做题")
    number, question = current_question(reply)
    assert number == 1 and question is not None
    assert reply[-1]["buttons"], "options are offered as buttons"

    # An unclear reply gets the same question again and is not marked wrong.
    again = assistant.say(sender, "嗯……")
    assert "选项" in reply_text(again)
    assert current_question(again)[1] == question

    # A knowledge question mid-quiz is answered, then the quiz continues where it was.
    interrupted = assistant.say(sender, "等等，安全账户是什么")
    text = reply_text(interrupted)
    assert "安全账户" in text
    assert current_question(interrupted)[1] == question

    score = 0
    for position in range(5):
        right = position != 2  # get the third one wrong on purpose
        reply = assistant.say(sender, answer_for(question, right))
        text = reply_text(reply)
        assert ("答对了" in text) == right
        score += right
        if position < 4:
            number, question = current_question(reply)
            assert number == position + 2
    assert f"{score}/5" in text and "答题结束" in text
    assert "再来一轮" in text


def test_typed_answers_and_stopping(assistant, sender):
    reply = assistant.say(sender, "考考我")
    _, question = current_question(reply)
    typed = "选" + answer_for(question, True).lower() if question.type == "single" else answer_for(question, True)
    assert "答对了" in reply_text(assistant.say(sender, typed))
    stopped = reply_text(assistant.say(sender, "不答了"))
    assert "答题先到这里" in stopped and "答对1题" in stopped
    # After stopping, ordinary questions are answered normally again.
    assert "刷单" in reply_text(assistant.say(sender, "刷单返利是啥"))
