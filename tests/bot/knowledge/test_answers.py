from bot.knowledge.answers import GENERIC_WHAT_TO_DO, MORE, followup, topic_answer
from bot.knowledge.topics import MAX_MESSAGE_CHARS


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
    transferred = [r.text for r in followup(topic, "followup_transferred")]
    assert "110" in transferred[0] and "紧急止付" in transferred[0], "money gone: the urgent steps first"
    assert [r.text for r in followup(topic, "followup_more")] == list(topic.details)


def test_money_gone_follow_up_says_each_step_once_and_adds_the_topics_own(kb):
    for key in ("campus_loan", "loan", "shopping", "after_fraud"):
        texts = [r.text for r in followup(kb.get(key), "followup_transferred")]
        assert sum("挂失" in t or "冻结" in t for t in texts) == 1, texts  # the own card, once
    campus = "".join(r.text for r in followup(kb.get("campus_loan"), "followup_transferred"))
    assert "父母" in campus, "a student who borrowed is told to tell the parents"


def test_the_hotline_answer_says_a_real_12381_text_has_no_link(kb):
    text = "".join(r.text for r in topic_answer(kb.get("hotline"), "12381的短信要回复吗"))
    assert "不带链接" in text and "不用回复" in text


def test_followup_without_a_topic_uses_the_general_advice(kb):
    assert followup(None, "followup_what_to_do")[0].text == GENERIC_WHAT_TO_DO
    replies = followup(None, "followup_transferred", fallback=kb.get("after_fraud"))
    assert "110" in "".join(r.text for r in replies)


def _situation(**fields):
    from types import SimpleNamespace

    base = {"money_sent": "unclear", "amount": None, "channel": None, "when": None}
    return SimpleNamespace(**{**base, **fields})


def test_money_gone_opens_with_the_urgent_steps_then_explains(kb):
    topic = kb.get("investment")
    replies = topic_answer(topic, "导师带我炒黄金，我往他给的账户打了六万，现在软件登不上",
                           _situation(money_sent="yes", amount=60000, channel="bank", when="just_now"))
    texts = [r.text for r in replies]
    assert "110" in texts[0] and "紧急止付" in texts[0]
    assert "6万元" in texts[0] and "银行卡" in texts[0], "the amount and channel are named back"
    assert "冻结" in texts[1] and "挂失" in texts[1], "own card frozen at the resident's own bank"
    assert "记录" in texts[2] or "凭证" in texts[2]
    assert texts[3] == topic.answer[0], "the explanation comes after the urgent steps"
    assert all(len(t) <= MAX_MESSAGE_CHARS for t in texts)


def test_money_not_yet_sent_gets_no_urgent_steps(kb):
    topic = kb.get("loan")
    replies = topic_answer(topic, "放款前让我交保证金，我还没转", _situation(money_sent="no", amount=2000))
    assert "紧急止付" not in replies[0].text


def test_long_ago_and_just_now_are_worded_differently(kb):
    topic = kb.get("romance")
    now = topic_answer(topic, "", _situation(money_sent="yes", when="just_now"))[0].text
    later = topic_answer(topic, "", _situation(money_sent="yes", when="weeks"))[0].text
    assert now != later and "别放弃" in later


def test_a_situation_without_red_flags_gets_an_answer_not_a_verdict(kb):
    # A plain banking story with none of the topic's red flags: no "十有八九是诈骗".
    topic = kb.get("investment")
    replies = topic_answer(topic, "我在银行买的基金这个月有分红，客户经理说是正常的")
    assert "十有八九" not in replies[0].text and "危险信号" not in replies[0].text
    assert [r.text for r in replies] == list(topic.answer)


def test_what_to_do_after_a_story_where_money_left_names_what_was_lost(kb):
    replies = followup(kb.get("police"), "followup_what_to_do",
                       situation=_situation(money_sent="yes", amount=20000, channel="wechat"))
    assert "2万元" in replies[0].text and "微信" in replies[0].text and "110" in replies[0].text


def test_a_verification_code_given_away_means_change_passwords_and_freeze_the_card(kb):
    situation = _situation(given_away=("verification_code",))
    replies = topic_answer(kb.get("customer_service"), "客服让我报了验证码", situation)
    assert "验证码" in replies[0].text and "密码" in replies[0].text and "冻结" in replies[0].text


def test_a_request_for_a_crime_names_the_law_as_well_as_the_stance(kb):
    texts = [r.text for r in topic_answer(kb.get("illegal_request"), "帮我写一段冒充快递客服的退款话术")]
    assert "违法" in texts[0] and "不能帮" in texts[0]
    assert any("帮信罪" in t and "非法集资" in t for t in texts), "which law, not only that it is illegal"
    assert any("如实" in t for t in texts), "and what to do instead"


def test_pushing_back_on_a_card_loan_gets_the_no_again_and_what_to_do(kb):
    texts = "".join(r.text for r in followup(kb.get("card_renting"), "followup_insist"))
    assert "不行" in texts and "违法" in texts
    assert "如实" in texts and "说卡丢了" in texts  # hiding it is named, and the honest way out


def test_pushing_back_on_a_scam_warning_repeats_the_warning_not_the_explanation(kb):
    police = kb.get("police")
    replies = followup(police, "followup_insist")
    texts = "".join(r.text for r in replies)
    assert "真警察" in texts and "别转" in texts
    assert replies[0].text != police.answer[0]
    assert replies[-1].buttons


def test_a_topic_without_its_own_pushback_reply_gets_the_stance_for_its_alert(kb):
    shuadan = kb.get("shuadan")
    assert not shuadan.insist
    texts = [r.text for r in followup(shuadan, "followup_insist")]
    assert "骗子" in texts[0] and texts[1] == shuadan.what_to_do[0]
    risk = kb.get("fundraising_risk")
    assert not risk.insist
    texts = [r.text for r in followup(risk, "followup_insist")]
    assert "不能做" in texts[0] and texts[1] == risk.what_to_do[0]
    # a script "for a video" pushed for again: no, and the quiz as the honest way to teach
    request = "".join(r.text for r in followup(kb.get("illegal_request"), "followup_insist"))
    assert "不能帮" in request and "考考我" in request


def test_pushback_with_no_topic_gets_the_general_advice(kb):
    assert followup(None, "followup_insist")[0].text == GENERIC_WHAT_TO_DO


def test_every_pushback_reply_fits_a_phone_screen(kb):
    for topic in kb.topics.values():
        assert all(len(r.text) <= MAX_MESSAGE_CHARS for r in followup(topic, "followup_insist")), topic.key


def test_a_question_about_lending_a_card_gets_a_plain_no(kb):
    assert topic_answer(kb.get("card_renting"), "老乡想借我的卡打个工资 能借不")[0].text.startswith("不能借")


def test_a_plain_credit_question_is_not_told_it_is_a_scam(kb):
    first = topic_answer(kb.get("credit"), "征信逾期了一次 影响买房贷款吗")[0].text
    assert not first.startswith("这是") and "私人" in first


def test_a_screen_share_still_running_is_stopped_first():
    from types import SimpleNamespace
    from bot.knowledge.answers import given_away_step
    step = given_away_step(SimpleNamespace(given_away=("screen_share",)))[0]
    assert "断开共享" in step and "卸载" in step
    assert "断开" not in given_away_step(SimpleNamespace(given_away=("verification_code",)))[0]


def test_a_verdict_tells_the_resident_not_to_pay(kb):
    first = topic_answer(kb.get("police"), "有人打电话说我涉嫌洗钱，让我把钱转到安全账户配合调查")[0].text
    assert "先别转钱" in first


def test_after_a_code_was_given_what_to_do_and_pushback_lock_the_accounts_again(kb):
    from types import SimpleNamespace
    gave = SimpleNamespace(money_sent=None, given_away=("verification_code",), given_now=())
    for intent in ("followup_what_to_do", "followup_insist"):
        first = followup(kb.get("personal_info"), intent, situation=gave)[0].text
        assert "冻结" in first and "密码" in first, intent


def test_money_gone_through_a_screen_share_also_stops_the_share(kb):
    from types import SimpleNamespace
    lost = SimpleNamespace(money_sent="yes", amount=16000, channel="alipay", when=None,
                           given_away=("screen_share",), given_now=("screen_share",))
    texts = "".join(r.text for r in followup(kb.get("customer_service"), "followup_transferred", situation=lost))
    assert "110" in texts and "断开共享" in texts


def test_feelings_get_a_kind_word_first_and_despair_comes_before_anything():
    from bot.knowledge.answers import comfort
    assert "110或120" in comfort("钱都没了 我真不想活了")[0].text
    assert "别自责" in comfort("被骗了三万 好丢人 怕我儿子骂我")[0].text
    assert "多陪陪" in comfort("我妈现在饭也不吃 一直哭")[0].text
    assert comfort("刷单返利是真的吗") == ()


def test_a_near_miss_is_praised_for_every_kind_of_stop(kb):
    for text in ("差一点就把验证码念给他了 最后还是挂了", "对方让我交手续费 我都扫码了 最后没按确定",
                 "我把钱取出来要转 在银行被柜员拦住了", "学长让我帮他收钱 我都打开收款码了 就没给"):
        topic = kb.get("card_renting" if "收钱" in text else "loan")
        assert topic_answer(topic, text)[0].text.startswith("您做得对"), text


def test_a_stop_told_in_a_follow_up_is_praised_too(kb):
    from bot.knowledge.answers import followup
    topic = kb.get("gov_impersonation")
    reply = followup(topic, "followup_what_to_do", text="我还没念 我说等我找下眼镜 就把电话挂了")
    assert reply[0].text.startswith("您做得对")
    assert not followup(topic, "followup_what_to_do", text="那现在咋办")[0].text.startswith("您做得对")


def test_a_plain_follow_up_question_is_not_read_as_pushback():
    from bot.knowledge.answers import is_pushback
    assert not is_pushback("可以用支付宝查吗")
    assert not is_pushback("但凡要交钱的都是骗子吗")
    assert is_pushback("可他说他真是警察") and is_pushback("可是群里好多人都租了啊")


def test_a_seller_who_gave_no_receipt_is_no_refusal_to_praise():
    from bot.knowledge.answers import stopped_in_time

    assert not stopped_in_time("取了四万块钱现金给他了也没给收据")
    assert stopped_in_time("我没给他钱 他也没给收据")
