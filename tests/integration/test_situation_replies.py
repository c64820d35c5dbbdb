"""What spaCy read from the resident's words changes the reply: end to end over Rasa's
REST channel, with the model `make train` builds and the action server `make run` starts."""
from tests.server import reply_text


def test_money_gone_opens_with_the_urgent_steps_and_names_what_was_lost(assistant, sender):
    messages = assistant.say(sender, "刚才有个自称公安的让我用手机银行往安全账户转了三万 现在电话打不通了")
    first = messages[0]["text"]
    assert "110" in first and "紧急止付" in first, "110 and the police's emergency stop come first"
    assert "3万元" in first and "银行卡" in first, "the amount and channel are said back"
    assert "抢时间" in first
    text = reply_text(messages)
    assert "冻结" in text or "挂失" in text
    assert "凭证" in text or "聊天记录" in text


def test_last_month_gets_other_words_than_just_now(assistant, sender):
    first = assistant.say(sender, "上个月我在网上投资平台充了两万 现在提不出来")[0]["text"]
    assert "110" in first and "别放弃" in first and "抢时间" not in first


def test_a_code_given_away_gets_passwords_changed_and_the_card_frozen(assistant, sender):
    text = reply_text(assistant.say(sender, "有个说是银行客服的人打电话 我把手机收到的验证码告诉他了"))
    assert "密码" in text and "冻结" in text
    assert "您说钱已经转出去了" not in text and "转出了" not in text, "a code is not money gone"


def test_someone_who_has_not_paid_is_never_told_they_have(assistant, sender):
    text = reply_text(assistant.say(sender, "对方让我往安全账户转三万 我还没转 这是真的吗"))
    assert "转出了" not in text and "钱已经转出去了" not in text
    assert "先别转钱" in text or "别转" in text


def test_what_was_lost_carries_into_that_zenme_ban(assistant, sender):
    assistant.say(sender, "昨天网上认识的人让我刷单 我用支付宝转了八千 现在他不理我了")
    text = reply_text(assistant.say(sender, "那怎么办"))
    assert "8000元" in text or "8千元" in text or "八千" in text
    assert "110" in text and "支付宝" in text


def test_a_new_question_after_a_loss_is_answered_not_met_with_the_steps_again(assistant, sender):
    assistant.say(sender, "网上贷款说先交2000解冻费才能放款 我交了")
    text = reply_text(assistant.say(sender, "那正规的贷款去哪借"))
    assert "银行" in text and "您说转出了" not in text


def test_pushback_after_a_card_answer_gets_the_no_again(assistant, sender):
    assistant.say(sender, "老乡想借我的银行卡打个工资 给我两百块辛苦费 能借不")
    text = reply_text(assistant.say(sender, "就借一次 他人挺实在的"))
    assert "不行" in text and ("违法" in text or "帮信罪" in text)


def test_a_frightened_resident_hears_a_kind_word_first(assistant, sender):
    messages = assistant.say(sender, "我刚给骗子转了两万 好丢人 不敢告诉我儿子")
    assert "别自责" in messages[0]["text"]
    assert "110" in reply_text(messages)
