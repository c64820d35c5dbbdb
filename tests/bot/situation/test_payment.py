"""Has the money left (bot/situation/payment.py): the kinds found in the development sets
dev_d and dev_e (2026-12-07), in sentences written for these tests.

A wrong 'yes' tells a resident who still has the money to call 110 about a loss; a
wrong 'no' gives someone whose money has gone prevention advice instead of the urgent steps.
"""
import pytest

from bot.situation.payment import money_sent


@pytest.mark.parametrize("text", [
    # gift-card codes are the money once they are sent
    "那个客服叫我买超市卡 我买了三张 把卡密都发给他了",
    "刮开后把卡密念给那个人了 两张一百的",
    "游戏点卡 卡密给了那个主播 一共五百",
    "让我去买购物卡 把背面的密码拍给他 我拍了",
    # cash collected by a caller who came to the door
    "说是街道办的 上门来收了八百块现金",
    "那个自称民警的把我两万现金收走了",
    # coins, a bank-card total, an indirect 'all gone'
    "老师让我用USDT入金 我先后打了两笔",
    "我打了0.5个比特币到他给的地址",
    "在ATM上按他说的存进他给的账户 两万 一分没剩",
    "刷完脸 微信里的六百就没了",
    "卡里就剩几块钱了",
    "信用卡被盗刷咋办",
    # told without 了, or as an echo followed by the sum
    "我把五万换成u打到他推荐的平台",
    "客服让我借备用金再转给他 照做了 两千",
    # a quoted name is not quoted speech
    '我给"王老师"转了三千 说是"资料费"',
])
def test_money_that_went_is_yes(text):
    assert money_sent(text)[0] == "yes"


@pytest.mark.parametrize("text", [
    # cards bought but codes kept
    "买了两张购物卡 对方让我刮开拍给他 我还没拍",
    # cash ready, the pickup still to come
    "钱取出来了 三万 放在家里 那个警察说一会来拿",
    "ATM取了一万现金 等那人来拿 还没来",
    # taken back, moved between own cards
    "汇款汇到一半 我就把汇款撤了",
    "我把余额宝的钱转到我自己的建行卡上了",
    # 被骗 said, but the money stayed
    "柜员拦着我 这才知道是被骗了 钱没取",
    # someone in the group paid, not the resident
    "班主任让交资料费 我还没转 群里有家长已经转了",
    # nothing handed back or over
    "有人转给我八百说转错了 叫我还回去 我还没还",
    "白条还没借 对方让借 我没借",
])
def test_money_that_stayed_is_not_yes(text):
    assert money_sent(text)[0] != "yes"


def test_a_call_is_no_payment_and_a_question_about_a_refund_does_not_undo_one():
    assert money_sent("让我打电话 我打过去了 他要我交一千的解冻费 我说没钱 就挂了")[0] == "no"
    assert money_sent("刚转了三千给他 这种能撤回吗")[0] == "yes"
