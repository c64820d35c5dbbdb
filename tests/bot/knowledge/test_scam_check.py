import pytest

from bot.knowledge.scam_check import is_situation, normalise, seen_flags


@pytest.mark.parametrize("text", [
    "有人说我快递丢了要赔我钱，让我下载个软件开共享屏幕",
    "刚才一个自称警察的打电话说我涉嫌洗钱",
    "群里让我点赞一个给三块钱",
    "我妈接到电话说孙子出事了要钱",
])
def test_stories_are_situations(text):
    assert is_situation(text)


@pytest.mark.parametrize("text", ["安全账户是啥", "杀猪盘是什么意思", "什么是非法集资", "刷单返利"])
def test_term_questions_are_not_situations(text):
    assert not is_situation(text)


def test_flags_found_in_the_message_are_named(kb):
    topic = kb.get("customer_service")
    flags = seen_flags(topic, "客服说我买的东西有质量问题要退款，让我打开屏幕共享")
    assert flags, "the screen-sharing red flag should be seen"


def test_no_flags_in_an_unrelated_message(kb):
    assert seen_flags(kb.get("police"), "今天天气不错") == []


def test_normalise_folds_full_width_and_variants():
    assert normalise("ＡＰＰ转帐") == "app转账"


def test_a_keyword_glued_into_a_longer_word_is_still_seen(kb):
    # jieba keeps 征信修复 whole; the credit topic's 征信 flags must still fire.
    flags = seen_flags(kb.get("credit"), "有人说能做征信修复，要先交钱")
    assert "说能帮您修复征信" in flags


def test_a_keyword_straddling_two_words_is_not_seen(kb):
    # 取现 occurs as characters in 零存整取|现在, but nobody asked for cash.
    assert seen_flags(kb.get("card_renting"), "零存整取现在还有没有") == []


def test_flags_come_in_file_order_and_at_most_the_limit(kb):
    topic = kb.get("customer_service")
    text = "客服说快递丢了要理赔，让我开共享屏幕，还要我先借网贷再退款"
    flags = seen_flags(topic, text, limit=2)
    order = [f.flag for f in topic.red_flags]
    assert len(flags) == 2
    assert flags == sorted(flags, key=order.index)
