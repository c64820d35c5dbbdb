"""The served assistant answers over Rasa's standard REST channel."""
from tests.server import reply_text


def test_a_chinese_question_gets_the_right_answer(assistant, sender):
    reply = reply_text(assistant.say(sender, "有人打电话说我涉嫌洗钱，要我把钱转到安全账户"))
    assert "公检法" in reply and "骗" in reply
    assert "96110" in reply or "110" in reply


def test_greeting_and_menu(assistant, sender):
    assert "您好" in reply_text(assistant.say(sender, "你好"))
    reply = reply_text(assistant.say(sender, "你能做什么"))
    assert "非法集资" in reply and "有奖答题" in reply


def test_followup_stays_on_the_topic(assistant, sender):
    assistant.say(sender, "刷单返利是怎么回事")
    reply = reply_text(assistant.say(sender, "我已经转钱了"))
    assert "110" in reply and "止付" in reply


def test_out_of_scope_is_polite_and_says_what_it_can_do(assistant, sender):
    reply = reply_text(assistant.say(sender, "今天天气怎么样"))
    assert "抱歉" in reply and "防骗" in reply and "非法集资" in reply
    assert "报警" not in reply and "骗局" not in reply, "a weather question is not answered with scam talk"


def test_rasa_api_needs_the_token(assistant, sender):
    import urllib.error
    import urllib.request

    try:
        urllib.request.urlopen(f"{assistant.rasa_url}/conversations/{sender}/tracker", timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 401
    else:
        raise AssertionError("the tracker API answered without a token")


def test_topic_buttons_carry_a_working_payload(assistant, sender):
    menu = assistant.say(sender, "你能做什么")
    buttons = {b["title"]: b["payload"] for m in menu for b in m.get("buttons") or []}
    assert buttons["冒充公检法"] == '/faq{"topic": "police"}'
    reply = reply_text(assistant.say(sender, buttons["冒充公检法"]))
    assert "公检法" in reply and "安全账户" in reply


def test_an_emoji_sent_alone_gets_a_real_reply(assistant, sender):
    """Elderly residents often answer with one emoji; it is read, never the 'system busy' error."""
    from bot.rasa.channels import UNAVAILABLE

    assistant.say(sender, "刷单返利是怎么回事")
    thanks = reply_text(assistant.say(sender, "🌹"))
    assert any(w in thanks for w in ("不客气", "不用谢", "客气")), thanks
    for emoji in ("🍉", "👀", "👍"):
        reply = reply_text(assistant.say(sender, emoji))
        assert reply and UNAVAILABLE not in reply, (emoji, reply)
