from bot.answers import GENERIC_WHAT_TO_DO, MORE, followup, topic_answer
from bot.knowledge import MAX_MESSAGE_CHARS


def test_a_term_question_gets_the_explanation_with_next_steps(kb):
    replies = topic_answer(kb.get("police"), "安全账户是啥")
    assert [r.text for r in replies] == list(kb.get("police").answer)
    assert MORE in replies[-1].buttons


def test_a_described_situation_is_called_a_scam_and_flags_are_named(kb):
    topic = kb.get("police")
    replies = topic_answer(topic, "有人打电话说我涉嫌洗钱，让我把钱转到安全账户配合调查")
    first = replies[0].text
    assert "诈骗" in first and topic.title in first
    assert "危险信号" in first
    assert all(len(r.text) <= MAX_MESSAGE_CHARS for r in replies)
    assert replies[-1].buttons


def test_renting_cards_is_called_illegal_not_a_scam(kb):
    replies = topic_answer(kb.get("card_renting"), "有人出五百块一个月租我的银行卡")
    assert "违法" in replies[0].text


def test_advice_topics_raise_no_alarm(kb):
    replies = topic_answer(kb.get("legit_credit"), "我想开个小店，有人说可以去银行贷款")
    assert "诈骗！" not in replies[0].text
    assert [r.text for r in replies] == list(kb.get("legit_credit").answer)


def test_followups_answer_for_the_current_topic(kb):
    topic = kb.get("shuadan")
    assert followup(topic, "followup_hotline")[0].text == topic.hotline[0]
    assert [r.text for r in followup(topic, "followup_transferred")] == list(topic.transferred)
    assert [r.text for r in followup(topic, "followup_more")] == list(topic.details)


def test_followup_without_a_topic_uses_the_general_advice(kb):
    assert followup(None, "followup_what_to_do")[0].text == GENERIC_WHAT_TO_DO
    replies = followup(None, "followup_transferred", fallback=kb.get("after_fraud"))
    assert "110" in "".join(r.text for r in replies)
