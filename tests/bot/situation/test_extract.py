"""Situation extraction: what a resident's message says happened (situation_format.md).

Cases per field, written for these tests (the dev set is tests/bot/situation/dev.yml).
The replies trust money_sent == 'yes' to open with 110, so every 'not yet' form
must read 'no' or 'unclear', never 'yes'.
"""
import pytest

from bot.situation import Situation, extract
from bot.tools.situation_eval import gold_value, score
from bot.situation.numbers import chinese_to_int, money_mentions


@pytest.mark.parametrize("text", [
    "我已经转了五千过去", "刚把钱汇给他了", "转了一半被拦下了", "我妈被骗了两万", "卡里的钱被扣走了",
    "我交了八百手续费", "付了定金一千", "充了三万进去", "我把现金交给了上门的人", "钱已经打到他卡上了",
    "支付宝里的钱没了", "前后一共转了六万", "我被骗了", "上当了，转了钱才发现",
])
def test_money_that_left_is_yes(text):
    assert extract(text).money_sent == "yes"


@pytest.mark.parametrize("text", [
    "还没转", "我正准备转", "差点就转了", "他让我转我没转", "要不要转给他", "我打算明天去转",
    "他叫我交保证金", "我拒绝了，一分钱没给", "幸好没转", "银行把转账拦截了，钱还在", "我不想付这个钱",
    "想给他转一万，能转吗", "还在犹豫要不要充值", "差一点就付款了", "如果转了钱还能追回吗",
    "交了才能放款吗",
])
def test_money_not_yet_sent_is_never_yes(text):
    assert extract(text).money_sent == "no"


@pytest.mark.parametrize("text", [
    "这是不是诈骗", "怎么防止被骗", "安全账户是什么意思", "有人给我打电话说是公安", "",
    "他说我的医保卡被盗刷了", "验证码能告诉别人吗",
])
def test_no_statement_about_paying_is_unclear(text):
    assert extract(text).money_sent == "unclear"


@pytest.mark.parametrize("text, amount", [
    ("转了3万", 30000), ("两万多", 20000), ("被骗了八千", 8000), ("转了5w", 50000), ("付了2k", 2000),
    ("转了1,200元", 1200), ("三千五", 3500), ("一万二", 12000), ("500块", 500), ("转了2.5万", 25000),
    ("先转了300，后来又转了2000", 2300), ("一共被骗了十二万", 120000), ("他让我交五十万", 500000),
    ("十分钟前转的", None), ("三天前", None), ("6位验证码", None), ("转了三次", None), ("几千块", None),
    ("转了四万八", 48000), ("买了三张一千的卡", 3000),
])
def test_amounts_in_yuan(text, amount):
    assert extract(text).amount == amount


@pytest.mark.parametrize("text, value", [
    ("三千五", 3500), ("一万二", 12000), ("十二万", 120000), ("两百", 200), ("三十万", 300000),
    ("九千九", 9900), ("一千二", 1200), ("十", 10),
])
def test_chinese_numerals(text, value):
    assert chinese_to_int(text) == value


def test_a_phone_number_is_not_money():
    assert money_mentions("自称是12345的工作人员") == []


@pytest.mark.parametrize("text, channel", [
    ("用手机银行转了", "bank"), ("网银转过去的", "bank"), ("转到他卡上了", "bank"), ("微信转了他两千", "wechat"),
    ("支付宝付的", "alipay"), ("取了现金给他", "cash"), ("用数字人民币付的", "digital_rmb"),
    ("买了充值卡发给他", "gift_card"), ("让我买礼品卡", "gift_card"), ("他要USDT", "crypto"),
    ("买了比特币", "crypto"), ("去银行取了现金给他", "cash"), ("加了他微信，聊了几天", None),
    ("这是不是诈骗", None),
])
def test_channels(text, channel):
    assert extract(text).channel == channel


@pytest.mark.parametrize("text, when", [
    ("刚才转的", "just_now"), ("刚刚被骗了", "just_now"), ("十分钟前转了钱", "just_now"), ("半小时前", "just_now"),
    ("今天上午转的", "today"), ("早上接到电话", "today"), ("昨天转的", "days"), ("前天晚上", "days"),
    ("三天前", "days"), ("这两天", "days"), ("上周", "weeks"), ("上个月被骗了", "weeks"), ("去年的事", "weeks"),
    ("几个月前", "weeks"), ("昨天早上转的", "days"), ("刚开始他对我很好", None), ("明天要我去转钱", None),
])
def test_when(text, when):
    assert extract(text).when == when


@pytest.mark.parametrize("text, who", [
    ("自称公安的打电话", "police"), ("检察院说我涉案", "police"), ("一个法官说我有传票", "police"),
    ("淘宝客服说要退款", "customer_service"), ("快递员说包裹丢了", "customer_service"),
    ("冒充我领导让我转钱", "leader_acquaintance"), ("老板发微信让我打款", "leader_acquaintance"),
    ("说是我孙子出车祸了", "leader_acquaintance"), ("冒充我儿子借钱", "leader_acquaintance"),
    ("医保局的人说医保卡异常", "medical_social_security"), ("社保要停了", "medical_social_security"),
    ("班主任在群里收费", "teacher"), ("网恋对象让我投资", "romance"), ("网上认识的男朋友要钱", "romance"),
    ("我报警了，民警说是诈骗", None), ("我儿子让我问问", None), ("这是不是诈骗", None),
])
def test_impersonated(text, who):
    assert extract(text).impersonated == who


@pytest.mark.parametrize("text, given", [
    ("我把验证码告诉他了", ("verification_code",)), ("说了密码", ("password",)),
    ("开了屏幕共享", ("screen_share",)), ("发了身份证正反面照片", ("id_photo",)), ("做了人脸识别", ("face",)),
    ("他让我共享屏幕，我开了", ("screen_share",)), ("把密码和验证码都给他了", ("password", "verification_code")),
    ("验证码我没给", ()), ("他让我开共享屏幕，我没开", ()), ("差点把密码告诉他", ()),
    ("可以把验证码给客服吗", ()), ("要我提供验证码", ()), ("今天天气不错", ()),
])
def test_given_away(text, given):
    assert extract(text).given_away == given


def test_a_whole_story():
    situation = extract("我刚才用手机银行转了3万给一个自称公安的人，还把验证码告诉他了")
    assert situation == Situation("yes", 30000, "bank", "just_now", "police", ("verification_code",))


def test_traditional_and_full_width_text_is_read_the_same():
    assert extract("我剛才轉了３萬").amount == 30000


def test_unquoted_yes_and_no_in_yaml_are_words():
    assert gold_value("money_sent", True) == "yes" and gold_value("money_sent", False) == "no"


def test_the_scorer_counts_entities_not_nulls():
    scores, yes, _ = score([
        {"text": "我转了3万", "money_sent": True, "amount": 30000, "channel": None, "when": None,
         "impersonated": None, "given_away": []},
        {"text": "这是不是诈骗", "money_sent": "unclear", "amount": None, "channel": "bank", "when": None,
         "impersonated": None, "given_away": []},
    ])
    assert scores["amount"].f1 == 1.0
    assert scores["channel"].recall == 0.0 and scores["channel"].predicted == 0
    assert yes.precision == 1.0


def test_a_paying_verb_with_a_sum_is_money_gone_but_a_count_of_calls_is_not():
    assert extract("我前后往他给的账户打了六万，现在软件登不上了").money_sent == "yes"
    assert extract("充了3000块才发现是假的").money_sent == "yes"
    assert extract("他让我打了三次电话").money_sent != "yes"
