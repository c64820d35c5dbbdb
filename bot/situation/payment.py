"""Has the money already left?  ``yes`` / ``no`` / ``unclear`` per clause, then per message.

'yes' must be precise (never tell someone who has not paid that they have), so a
clause is 'yes' only on a completed paying act (转了, 已经汇过去, 被扣走, 钱没了,
被骗了八千) that no 差点 / 如果 / 是不是 takes back.  Refusals, plans, requests and
questions (还没转, 正准备转, 他让我转, 要不要转) make 'no'.  One 'yes' clause wins
over 'no' clauses: 转了五千后又被要求交两万，还没交 has paid.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

YES, NO, UNCLEAR = "yes", "no", "unclear"

# Paying verbs.  转接/转告/交友/投诉 ... are other words and excluded.
_VERB = (r"(?:转账|转(?![接告发身达交过来])|汇款|汇|付款|支付(?!宝)|(?<!支)付(?!出|宝)|交(?![友易流代通警往])|缴费?|(?<![冒补])充值|(?<![冒补])充(?![电满])|买(?!单)"
         r"|垫付|打款|打钱|打(?=到|过去|给.{0,6}[钱元块万千])|投(?![诉])|存(?=钱|进|到|了)|扫码付|刷(?=了[^脸]{0,4}[\d万千百块元礼])"
         r"|发(?=了?红包|了\s*\d)|取(?=了现金|出来给|了.{0,4}给))")
_DONE = r"(?:了|过(?![来去])|完|走了|出去了|过去了|到了|进去了)"
_MONEY_WORD = r"(?:钱|元|块|万|千|百|现金|红包|\d)"
# A completed paying act, verb first: 转了 / 转给他了 / 汇过去了 / 把钱打到他卡上了.
_PAID = re.compile(
    _VERB + r"[^，。！？；,.!?;被]{0,10}?" + _DONE
    + r"|(?:已经|已|都|刚刚?|刚才)\s*(?:把.{0,8}?)?(?:用.{0,6}?|给.{0,10}?|在.{0,8}?)?" + _VERB
    + r"|给了.{0,10}?" + _MONEY_WORD + r"|" + _MONEY_WORD + r".{0,4}?(?:交给|给)了"
    + r"|(?:交|给|转|汇|打)给了"
    # 打了六万 / 投了两万多 / 充了3000块: a paying verb, 了, then a sum of money.
    + r"|(?:打|转|汇|充|投|交|付|垫)了\s*[\d一二两三四五六七八九十几百千万,，.]+\s*(?:多|来)?\s*(?:万|千|百|块|元|w|k|W|K)"
    + r"|买了.{0,8}?(?:卡|币|保健品|\d|[一二两三四五六七八九十百千万]+[块元张])"
    + r"|已经过去了|转账成功|付款成功|支付成功"
    + r"|" + _VERB + r"[^，。！？；,.!?;]{0,10}?(?:之后|以后|后(?![来面天]))"
    + r"|" + _VERB + r".{0,2}?[一二两三四五六七八九十几\d]+(?:次|笔)"
    + r"|(?:购物|充值|礼品|点|e|京东|游戏)卡.{0,8}?(?:卡密|卡号|密码).{0,6}?(?:发|给|告诉)"
)
# Money taken or lost: 被扣走, 被骗了八千, 钱没了, 卡里少了八千.
_LOST = re.compile(
    r"被.{0,6}?(?:骗|扣|刷|盗刷|转|划|取|卷)(?:了|走|掉)|被骗(?=[一二两三四五六七八九十百千万\d])"
    r"|骗(?:了|走了?)(?:我|他|她|我妈|我爸)?.{0,3}?[\d一二两三四五六七八九十百千万]"
    r"|扣了(?:我)?.{0,3}?[\d一二两三四五六七八九十百千万]"
    r"|钱(?:都|全|全部)?没了|(?<!还)(?<!没)少了\s*[\d一二两三四五六七八九十百千万]|钱(?:少了|不见了)|损失|亏了|血本无归"
    r"|上当了|被骗了|受骗了"
)
# Takes a 'yes' back: the act did not happen, or the clause wonders whether it did.
_UNDO = re.compile(r"差点|差一点|险些|如果|要是|假如|万一|的话|是不是|会不会|怎么防|防止|怕|担心|以免|避免|只要|"
                   r"了才|了就能|了就可以|了以后才|才能|还好没|幸好没|好在没|没有?被骗|正准备|准备|打算|正要|想要")
# Clause says the money did not (yet) go, or will go, or is only being asked for.
_NOT_PAID = re.compile(
    r"(?:没有?|未|别|不要|不想|不敢|不会|不能|不打算|不准备|不|没敢|还没有?).{0,6}?" + _VERB
    + r"|还没|尚未|一分(?:钱)?(?:都|也)?没|拒绝|没理|识破|挂了|挂断|听出来不对|没上当|没被骗|钱还在|没少|钱没少"
    + r"|准备|打算|正要|正准备|正在" + _VERB + r"|(?:应该|应不应该|该不该|用不用).{0,6}?" + _VERB + r"|想(?:要)?(?:给.{0,6})?" + _VERB
    + r"|(?:要不要|该不该|能不能|可不可以).{0,6}?(?:" + _VERB + r"|钱)|可以" + _VERB + r"吗|能" + _VERB + r"吗|还在(?:犹豫|考虑)|考虑"
    + r"|(?:让|叫|要|喊|逼|催|要求|需要|让我先|得先)(?:我|我们|您|你)?.{0,12}?" + _VERB
    + r"|拦截|拦住|拦下|被拦|(?:差点|差一点|险些).{0,8}?(?:" + _VERB + r"|被骗|上当)|还好没|幸好没|好在没|明天|待会|等下|过几天"
)
_CLAUSE = re.compile(r"[，。！？；,.!?;\n]+|(?:但是|可是|然后|后来|结果|不过)")


def clauses(text: str) -> List[Tuple[int, str]]:
    """(offset, clause) pieces, split at punctuation and at 但是/然后/后来."""
    pieces, position = [], 0
    for match in _CLAUSE.finditer(text):
        if match.start() > position:
            pieces.append((position, text[position:match.start()]))
        position = match.end()
    if position < len(text):
        pieces.append((position, text[position:]))
    return pieces


def clause_status(clause: str) -> Tuple[Optional[str], Optional[Tuple[int, int]]]:
    """The clause's verdict and the span that decided it (None when it says nothing)."""
    paid = _LOST.search(clause) or _PAID.search(clause)
    # 说我的医保卡被盗刷了: the caller's story, not the resident's loss.
    reported = re.search(r"说(?:我|你|您)", clause[: paid.start()]) if paid else None
    blocked = re.search(r"拦", clause) and not re.search(r"一半|部分|一些|已经过去", clause)
    if paid and not _UNDO.search(clause) and not reported and not blocked:
        requested = re.search(r"(?:让|叫|要|喊|要求)(?:我|我们)", clause)
        # 他让我把钱转到卡上了 is ambiguous; only 转了 right after the request counts.
        if not requested or requested.start() > paid.start() or re.search(_VERB + r"了", clause[requested.end():]):
            return YES, paid.span()
    refused = _NOT_PAID.search(clause)
    if refused:
        return NO, refused.span()
    if paid and not reported:
        return NO, paid.span()  # 差点就转了, 交了才能放款
    return None, None


def money_sent(text: str) -> Tuple[str, List[Tuple[int, int, str]]]:
    """The message's verdict and every clause verdict as (start, end, status)."""
    verdicts = []
    for offset, clause in clauses(text):
        status, span = clause_status(clause)
        if status:
            verdicts.append((offset + span[0], offset + span[1], status))
    statuses = {v[2] for v in verdicts}
    if YES in statuses:
        return YES, verdicts
    if NO in statuses:
        return NO, verdicts
    return UNCLEAR, verdicts
