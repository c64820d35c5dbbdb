"""Concerns: a resident's own question beside the topic gets its own one-bubble answer."""
import pytest

from bot.errors import ContentError
from bot.knowledge.concerns import MAX_MESSAGE_CHARS, concern_for, default_concerns, load_file
from bot.knowledge.sources import check_message, load_registry


def key(text, topic=None, money_gone=False):
    concern = concern_for(text, topic, money_gone)
    return concern.key if concern else None


def test_every_concern_has_sources_that_cover_what_it_says():
    registry = load_registry()
    errors = [e for c in default_concerns() for e in check_message(f"concern {c.key}", c.text, c.sources, registry)]
    assert errors == []


def test_every_concern_fits_a_phone_screen_and_says_what_to_do():
    for concern in default_concerns():
        assert len(concern.text) <= MAX_MESSAGE_CHARS
        assert any(w in concern.text for w in ("别", "不要", "打", "去", "改", "查", "带", "可以", "应该", "先", "问", "拉黑", "举报")), concern.key


@pytest.mark.parametrize("text, expected", [
    ("可不交的话 前面那两千不就白瞎了", "sunk_cost"),
    ("他又打电话说再交一千就放款 俺还交不交", "pay_more"),
    ("已经报警了 派出所说在查 让等通知 那我们还能干点啥", "after_report"),
    ("我不太会弄手机 银行电话咋打", "bank_phone"),
    ("她说人家连她身份证号和住哪都报出来了 咋可能是假的嘛", "info_known"),
    ("那人还在催我 说今天不投就没名额了", "keeps_calling"),
    ("现在又有人说能帮我追回被骗的钱 先交百分之十的手续费", "recovery_scam"),
    ("我手机上来了个短信号码是一二三八一说我可能被骗了让我回个电话", "sms_no_reply"),
    ("我闺女说那个九六幺幺零的电话不要接是吗", "answer_96110"),
    ("可前面真给我钱了呀 骗子还会先给钱？？", "bait_first"),
    ("那正经招工的厂子会收钱不", "job_fee"),
    ("網貸的錢我還得還嗎", "loan_repay"),  # traditional characters fold first
])
def test_a_question_beside_the_topic_raises_its_concern(text, expected):
    assert key(text) == expected


def test_a_plain_question_raises_no_concern():
    assert key("安全账户是啥") is None and key("") is None and key('/faq{"topic": "loan"}') is None


def test_a_topic_concern_is_raised_only_on_its_topic():
    assert key("去了会不会被抓啊", "card_renting") == "turn_myself_in"
    assert key("去了会不会被抓啊", "police") is None  # a victim asking is not told to turn himself in


def test_all_clear_is_not_said_to_someone_whose_money_went():
    assert key("那我现在是不是就没事了", "customer_service") == "okay_now"
    assert key("那我现在是不是就没事了", "customer_service", money_gone=True) is None


def test_a_code_already_given_is_not_praised_as_kept():
    assert key("克服发了个验正码过来 我差一点就念给他了 最后还是挂了") == "code_kept"
    assert key("我照他说的输了银行卡密码还有验证码 然后他就挂了") is None


def test_a_fee_for_a_loan_is_not_a_job_fee():
    assert key("俺在厂里干活缺钱 网上找了个贷款 说先交2000解冻费才能放款") != "job_fee"


def test_a_broken_concern_file_names_the_problem(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text("concerns:\n  - key: x\n    when: [[a]]\n    text: \"\"\n    sources: [pipl]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="'text'"):
        load_file(path)
    path.write_text("concerns:\n  - key: x\n    when: [[12381]]\n    text: \"别理\"\n    sources: [pipl]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="'when'"):
        load_file(path)


def test_a_forgotten_password_is_answered_alone_without_scam_talk():
    concern = concern_for("我手机银行个登录密码唔记得咗，点样重置啊")
    assert concern.key == "forgot_password" and concern.answers_alone
    assert "110" not in concern.text and "柜台" in concern.text


@pytest.mark.parametrize("text, topic, expected", [
    ("那钱呢", "customer_service", "where_is_the_money"),
    ("那我自己那张卡要不要去银行挂失", "police", "freeze_own_card"),
    ("已退群，没付钱。还要做什么？", "shuadan", "left_in_time"),
    ("我前年在养老公寓交了十万会员费 现在返钱停了 公司关门了", "elderly", "scheme_collapsed"),
    ("要带啥材料", "legit_credit", "what_to_bring_loan"),
    # development conversations P (2026-12-07)
    ("要不要报警 还是跟领导说一声就好", "leader", "leader_verify"),
    ("那俺要不要改密码", "customer_service", "change_password"),
    ("我没去 可我老伴心动了 想把定期取出来交", "elderly", "family_tempted"),
    ("那社保到底还能补缴不", "elderly", "pension_topup"),
    ("我老头子还不知道这事 要不要告诉他", "tv_shopping", "tell_family"),
    ("可我是真缺钱啊 那咋办", "illegal_request", "need_money"),
    ("那隔壁桂芬交的定金咋办", "elderly", "paid_money_back"),
    # development set F (2026-12-07): asked before borrowing
    ("想贷款 先查查自己的征信 去哪查才是官方的", None, "check_own_credit"),
    ("年化18%的利息算高吗 想在银行借点钱装修", "legit_credit", "interest_rate"),
    ("有个分期app说它是持牌的 怎么查它是不是正规", "illegal_ads", "check_licence"),
    ("she used the mobile banking app, can we freeze it ourselves?", "police", "freeze_own_card"),
])
def test_follow_ups_seen_in_the_development_conversations(text, topic, expected):
    assert key(text, topic) == expected


def test_checking_ones_own_credit_is_not_told_to_someone_offered_a_repair():
    assert key("有人说能帮我修复征信 查征信要钱吗", "credit") != "check_own_credit"


def test_a_caller_who_says_the_rate_is_too_high_is_no_question_about_rates():
    assert key("刚才有人说我的借款利率太高要帮我关掉 我把验证码念给他了", None) != "interest_rate"


def test_call_the_police_is_said_to_someone_whose_money_went():
    assert key("要报警吗", "loan", money_gone=True) == "should_report"
    assert key("要报警吗", "loan", money_gone=False) != "should_report"


@pytest.mark.parametrize("text, topic, expected", [
    ("收到12381的簡訊 裡面有個連結叫我點進去", None, "sms_12381_link"),
    ("有人欠我三万一直不还 我想弄个假的法院传票吓唬他", "illegal_request", "debt_collect"),
    ("理财经理说是存款 结果是保险 我想投诉他们", None, "complain_bank"),
    ("不办他说扣俺工资 咋整", "card_renting", "boss_threatens"),
    ("她想把十万存款都投进去", "elderly", "about_to_invest"),
])
def test_more_follow_ups_from_the_development_conversations(text, topic, expected):
    assert key(text, topic) == expected


def test_a_second_word_set_raises_the_same_answer(tmp_path):
    path = tmp_path / "two.yml"
    path.write_text("concerns:\n  - key: x\n    when: [[短信], [要回吗]]\n    or_when: [['12381'], [回电话]]\n"
                    "    text: \"别回\"\n    sources: [pipl]\n", encoding="utf-8")
    concern = load_file(path)[0]
    assert concern_for("这个短信要回吗", concerns=(concern,)) is concern
    assert concern_for("12381让我回电话", concerns=(concern,)) is concern
    assert concern_for("12381是啥", concerns=(concern,)) is None
    path.write_text("concerns:\n  - key: x\n    when: [[a]]\n    or_when: []\n    text: \"别\"\n    sources: [pipl]\n",
                    encoding="utf-8")
    with pytest.raises(ContentError, match="'or_when'"):
        load_file(path)


def test_no_two_concerns_give_the_same_answer():
    # One answer, one concern: a second way to raise it is an or_when, not a copy.
    texts = [c.text for c in default_concerns()]
    assert sorted({t for t in texts if texts.count(t) > 1}) == []
