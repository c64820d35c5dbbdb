"""``extract(text) -> Situation``: what the resident says happened, per the annotation rules
of the situation sets (tests/nlu/situations/heldout_b.yml's header).

spaCy does the lexical work: the shared blank ``zh`` pipeline (jieba) splits the
message and one PhraseMatcher finds every channel, time, impersonated role and
given-away item term as whole tokens (:mod:`.mentions`); a few regexes add what a
phrase cannot span (刷了脸, 短信里的数字, 把钱放到门口的鞋盒里).  Rules decide which
matches stand, by the clause they sit in (:mod:`.scope`: negated? only requested?
a question?): the paid / not paid verdict in :mod:`.payment`, the amount in
:mod:`.amount`, who was impersonated in :mod:`.impersonation`, what was handed
over in :mod:`.given`, and the channel and the time here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from bot.normalise import normalise
from bot.situation import lexicon, payment, scope
from bot.situation.amount import sent_amount
from bot.situation.given import given_away as _given_away
from bot.situation.impersonation import impersonated as _impersonated
from bot.situation.mentions import Mention, Span, mentions


@dataclass(frozen=True)
class Situation:
    """The six annotated fields; ``evidence`` maps a field to the text span it came from."""

    money_sent: str = payment.UNCLEAR
    amount: Optional[int] = None
    channel: Optional[str] = None
    when: Optional[str] = None
    impersonated: Optional[str] = None
    given_away: Tuple[str, ...] = ()
    evidence: Dict[str, Span] = field(default_factory=dict, compare=False, repr=False)


# --- when ------------------------------------------------------------------------

_AGO = re.compile(r"([\d一二两三四五六七八九十几半]+)\s*(多)?\s*(分钟|个多?小时|个?钟头|小时|天|个?星期|周|个?礼拜|个?月|年)(多)?(前|之前|以前)")
_PART_OF_DAY = {"早上", "上午", "中午", "下午", "傍晚", "晚上"}
# 刚 before an act (刚转, 刚下好, 刚开了一会); 刚开始 / 刚认识 are dropped below.
_JUST = re.compile(r"刚(?=[把给用扫转付汇打交充买在从发被下开装点输报说念刷录拍取借收接挂准])")
# Times that are not of the scam: the relative telling it (妈妈刚才打电话说, 刚刚才跟我们说), a
# future (明天上午, 今天必须交), another fact (去年的个税).
_TELLING_AFTER = re.compile(r"^(?:才)?(?:打电话|打来电话)?(?:哭着)?(?:跟|和|对|告诉)(?:我|我们)|^(?:才)?(?:打电话)?(?:哭着)?(?:说|讲)"
                            r"|^(?:说错|说的)")
_KIN_BEFORE = re.compile(r"(?:妈妈|我妈|我爸|爸爸|孩子|儿子|女儿|老伴|她|他|我|娃)$")
_NOT_THEN = re.compile(r"^(?:必须|之前|以内|内|不交|再|还要)|^的(?!事|时候)")
_WEEKDAY = re.compile(r"上(?:个)?(?:周|星期|礼拜)[一二三四五六日天末]")


def _ago(text: str) -> List[Tuple[str, int, int]]:
    found = []
    for match in _AGO.finditer(text):
        count, unit = match.group(1), match.group(3)
        if "分钟" in unit:
            value = "just_now"
        elif "小时" in unit or "钟头" in unit:
            value = "just_now" if count in ("半", "一", "1") and not match.group(2) and "多" not in unit else "today"
        elif unit == "天":
            value = "days"
        else:
            value = "weeks"
        found.append((value, match.start(), match.end()))
    return found


def _when(text: str, found: List[Mention], bounds, decisive: Optional[int]) -> Tuple[Optional[str], Optional[Span]]:
    times = [(m.value, m.start, m.end, m.clause, text[m.start:m.end]) for m in found if m.field == "when"]
    for match in _JUST.finditer(text):
        if not any(t[1] <= match.start() < t[2] for t in times):
            times.append(("just_now", match.start(), match.end(), scope.clause_index(bounds, match.start()), "刚"))
    for value, start, end in _ago(text):
        times = [t for t in times if not (start <= t[1] < end)]
        times.append((value, start, end, scope.clause_index(bounds, start), text[start:end]))
    times = [t for t in times if not (t[4] == "刚" and text[t[2]:t[2] + 2] in ("开始", "认识"))]
    for match in _WEEKDAY.finditer(text):  # 上周五
        times = [t for t in times if not (match.start() <= t[1] < match.end())]
        times.append(("weeks", match.start(), match.end(), scope.clause_index(bounds, match.start()), match.group()))
    times = [t for t in times if not (
        (t[0] == "just_now" and _KIN_BEFORE.search(text[max(0, t[1] - 3):t[1]]) and _TELLING_AFTER.search(text[t[2]:t[2] + 8]))
        or (re.match(r"(?:才)?(?:跟|和|对|告诉)(?:我|我们)", text[t[2]:t[2] + 6]) and "才" in text[t[1]:t[2] + 1])
        or _NOT_THEN.match(text[t[2]:t[2] + 3]) or re.search(r"(?:明天|后天|明早|明儿)$", text[max(0, t[1] - 2):t[1]]))]
    if not times:
        return None, None
    # 昨天早上: the day decides, the part of day does not.
    days = {t[3] for t in times if t[0] in ("days", "weeks")}
    times = [t for t in times if not (t[4] in _PART_OF_DAY and t[3] in days)]
    in_decisive = [t for t in times if t[3] == decisive]
    chosen = sorted(in_decisive or times, key=lambda t: t[1])[0]
    return chosen[0], (chosen[1], chosen[2])


# --- channel ---------------------------------------------------------------------

# 加微信 / 微信上有人 / 用微信找我 / 微信也把我删了: the chat, not the payment (加微信交200 is the payment).
_WECHAT = r"(?:微信|威信|维信|薇信)"
_MESSAGING = re.compile(r"(?:加|发)(?:了)?(?:我|他|她|对方)?(?:的)?" + _WECHAT + r"(?!转|支付|红包|付|交|发红包)"
                        r"|" + _WECHAT + r"(?:上|里)(?:有个|有人|认识|聊|那个|的人|点)"
                        r"|" + _WECHAT + r"(?:好友|群|聊天|视频|电话|语音|号)|" + _WECHAT + r"(?:号)?(?:也)?(?:拉黑|删)")
# 用微信找我借三千 names the channel asked for, unless another one carried the money (去柜台汇了).
_CHAT = re.compile(r"用" + _WECHAT + r"(?:找|联系|问|说)|" + _WECHAT + r"(?:也|都)?(?:把(?:我|俺|她|他))?(?:删|拉黑)")
# Cash left where someone picks it up: 把钱放到门口的鞋盒里, 装进信封; 上门来取钱.
_CASH_DROP = re.compile(r"(?:放|搁|藏|装|塞)(?:到|在|进)了?[^，。！？\s]{0,8}?(?:" + "|".join(lexicon.DROP_PLACES) + r")"
                        r"|上门(?:来)?(?:取|拿|收)|(?:来|派人来|过来|回来)(?:取|拿)(?![了到])|送(?:现金|钱)|身上的[^，。！？\s]{0,4}钱")
_DRAWN_BY_OTHERS = re.compile(r"被(?:人|他|她|别人|骗子|对方)?(?:在[^，。！？\s]{0,4})?$")


_ACCOUNT_STATE = re.compile(r"(?:被)?(?:冻结|冻住|异常|涉嫌|涉案|有问题|出问题|升级|号|照片|正反面|解冻|密码|还有|有多少)")
# A clause where money goes somewhere: a paying verb, a sum, 钱.
_MONEY_MOVES = re.compile(payment.VERB + r"|钱|[\d一二两三四五六七八九十百千万]\s*(?:万|千|百|块|元|w|k)|取|借|提现|到账|拦"
                          r"|atm|柜台|取款机|打开|登录|操作|付款|输密码|点到|到银行|去银行")
_ONTO_OWN_CARD = re.compile(r"(?:转|提现|提|取)(?:到|进)(?:我的?|自己的?)?(?:银行卡|卡里|卡上)")
_DEPOSITED = re.compile(r"存(?:到|进)了?[^，。！？\s]{0,10}?(?:账户|卡)")
_LOST_FROM_CARD = re.compile(r"卡(?:里|上)[^，。！？\s]{0,4}?(?:少了|没了|被转走|被扣)")
_WIRED = re.compile(r"打款|汇款|汇了|汇过去|汇出|汇(?=[\d一二两三四五六七八九十几])|对公|公户|atm")


def _channel(text: str, found: List[Mention], bounds, decisive: Optional[int],
             status: str = payment.UNCLEAR, paid: frozenset = frozenset()) -> Tuple[Optional[str], Optional[Span]]:
    channels = [m for m in found if m.field == "channel"]
    channels += [Mention("channel", "cash", m.start(), m.end(), scope.clause_index(bounds, m.start()))
                 for m in _CASH_DROP.finditer(text)]
    # 卡被人在外地取了两万: drawn from the card by someone else, so the channel is the card.
    channels = [m for m in channels if not (m.value == "cash" and _DRAWN_BY_OTHERS.search(text[:m.start]))]
    # A bare 卡 names the channel only in a message about money moving (我的卡给人刷了, 钱还没转 卡冻结了),
    # not in 民警说我的卡涉案.
    channels = sorted((m for m in channels if text[m.start:m.end] != "卡" or decisive is not None), key=lambda m: m.start)
    channels = [m for m in channels if not (m.value == "wechat" and _MESSAGING.search(text[max(0, m.start - 3):m.end + 4]))]
    if any(m.value != "wechat" for m in channels):
        channels = [m for m in channels if not (m.value == "wechat" and _CHAT.search(text[max(0, m.start - 3):m.end + 4]))]
    # 账户冻结了 / 银行卡涉嫌洗钱 / 填了银行卡和密码: the account is talked about, no money moves through it.
    # 卡里钱没少: the money stayed, so the card says nothing about where it went.
    channels = [m for m in channels if not payment._INTACT.search(bounds[m.clause][1])]
    channels = [m for m in channels if not _ACCOUNT_STATE.match(text, m.end)
                and (status == payment.YES or m.clause == decisive or _MONEY_MOVES.search(bounds[m.clause][1])
                     or _CASH_DROP.match(text, m.start)
                     or re.search(r"(?:要|用|通过|收)$", text[max(0, m.start - 1):m.start]))]
    if not channels:
        wired = _WIRED.search(bounds[decisive][1]) if decisive is not None else None
        wired = wired or (status != payment.UNCLEAR and _WIRED.search(text))
        if wired:
            return "bank", wired.span()  # 打款二十万, 汇了六万
        return None, None
    # 打到我卡上: money coming in; 个人账户 of the 医保卡: no channel (the rules).
    channels = [m for m in channels if not re.search(r"(?:到|进|给)我的?$", text[max(0, m.start - 3):m.start])
                and not (m.value == "bank" and re.search(r"什么$|买$", text[max(0, m.start - 3):m.start]))
                and not re.match(r"个人账户", text[m.start - 3:m.end] if m.start >= 3 else "")]
    if not channels:
        return None, None
    # The leg on which the money left: 余额宝里的钱转到银行卡 再转给他, 取了定期 存到警官给的账户,
    # 取钱发现卡里少了六万 — the bank, not the wallet or the cash on the way.
    if any(m.value == "bank" for m in channels) and (
            _ONTO_OWN_CARD.search(text) or _DEPOSITED.search(text) or _LOST_FROM_CARD.search(text)):
        channels = [m for m in channels if m.value == "bank"]
    explicit = [m for m in channels if m.value != "bank"] or channels
    # The clause that says the money went names its leg first (往她给的帐户转了三回 beats an
    # earlier 数字货币; 去柜台汇了五万六 beats 老板用微信找我); elsewhere a named wallet beats a bare card.
    in_decisive = [m for m in explicit if m.clause == decisive]
    if not in_decisive and status == payment.YES and not any(m.clause in paid for m in explicit):
        in_decisive = [m for m in channels if m.clause == decisive and text[m.start:m.end] not in ("卡", "卡号")]
    if not in_decisive and status == payment.YES and decisive is not None and _WIRED.search(bounds[decisive][1]) \
            and all(m.value == "cash" for m in explicit):
        return "bank", _WIRED.search(bounds[decisive][1]).span()  # 把定期取了 给那人汇了五万二: wired, not cash
    chosen = (in_decisive or explicit)[0]
    return chosen.value, (chosen.start, chosen.end)


def extract(text: str) -> Situation:
    """Read the six situation fields from one resident message."""
    clean = normalise(text or "")
    if not clean.strip():
        return Situation()
    bounds = scope.clauses(clean) or [(0, clean)]
    status, verdicts = payment.money_sent(clean, bounds)
    decisive_span = next(((s, e) for s, e, v in verdicts if v == status), None)
    decisive = None
    if decisive_span:
        decisive = scope.clause_index(bounds, decisive_span[0])
    found = mentions(clean, bounds)
    evidence: Dict[str, Span] = {}
    amount, evidence["amount"] = sent_amount(clean, status, verdicts, bounds)
    paid = frozenset(scope.clause_index(bounds, s) for s, _, v in verdicts if v == payment.YES)
    channel, evidence["channel"] = _channel(clean, found, bounds, decisive, status, paid)
    when, evidence["when"] = _when(clean, found, bounds, decisive)
    impersonated, evidence["impersonated"] = _impersonated(clean, found, bounds)
    given_away, evidence["given_away"] = _given_away(clean, found, bounds)
    if decisive_span:
        evidence["money_sent"] = decisive_span
    return Situation(status, amount, channel, when, impersonated, given_away,
                     {k: v for k, v in evidence.items() if v is not None})
