"""``extract(text) -> Situation``: what the resident says happened, per situation_format.md.

spaCy does the lexical work: the shared blank ``zh`` pipeline (jieba) splits the
message and one PhraseMatcher finds every channel, time, impersonated role and
given-away item term as whole tokens.  The rules here decide which matches stand:
the clause they sit in (negated? only requested? a question?), a 冒充/自称 in
front of a role, the clause that paid.  Amounts come from :mod:`.numbers`, the
paid/not paid verdict from :mod:`.payment`.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from bot.normalise import normalise
from bot.situation import lexicon, numbers, payment
from bot.situation.nlp import phrase_matcher, shared_nlp

Span = Tuple[int, int]


@dataclass(frozen=True)
class Situation:
    """The six fields of situation_format.md; ``evidence`` maps a field to the text span it came from."""

    money_sent: str = payment.UNCLEAR
    amount: Optional[int] = None
    channel: Optional[str] = None
    when: Optional[str] = None
    impersonated: Optional[str] = None
    given_away: Tuple[str, ...] = ()
    evidence: Dict[str, Span] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Mention:
    field: str
    value: str
    start: int
    end: int
    clause: int


@functools.lru_cache(maxsize=1)
def _matcher():
    return phrase_matcher(lexicon.labelled_terms())


def mentions(text: str, bounds: List[Tuple[int, str]]) -> List[Mention]:
    """Every lexicon term in ``text`` as (field, value, char span, clause index)."""
    matcher = _matcher()  # first: building it adds the terms to the segmenter
    doc = shared_nlp()(text)
    vocab = doc.vocab.strings
    found = []
    for match_id, start, end in matcher(doc):
        label = vocab[match_id]
        if ":" not in label:
            continue
        span = doc[start:end]
        name, value = label.split(":", 1)
        clause = max((i for i, (offset, _) in enumerate(bounds) if offset <= span.start_char), default=0)
        found.append(Mention(name, value, span.start_char, span.end_char, clause))
    # A longer match hides the shorter ones inside it (今天上午 over 上午).
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: List[Mention] = []
    for m in found:
        if not any(k.start <= m.start and m.end <= k.end and (k.end - k.start) > (m.end - m.start) for k in kept):
            kept.append(m)
    return kept


# --- when ------------------------------------------------------------------------

_AGO = re.compile(r"([\d一二两三四五六七八九十几半]+)\s*(多)?\s*(分钟|个多?小时|个?钟头|小时|天|个?星期|周|个?礼拜|个?月|年)(多)?(前|之前|以前)")
_RANK = {"just_now": 0, "today": 1, "days": 2, "weeks": 3}
_PART_OF_DAY = {"早上", "上午", "中午", "下午", "傍晚", "晚上"}


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
    for match in re.finditer(r"刚(?=[把给用扫转付汇打交充买在从发被])", text):
        if not any(t[1] <= match.start() < t[2] for t in times):
            clause = max((i for i, (offset, _) in enumerate(bounds) if offset <= match.start()), default=0)
            times.append(("just_now", match.start(), match.end(), clause, "刚"))
    for value, start, end in _ago(text):
        times = [t for t in times if not (start <= t[1] < end)]
        clause = max(i for i, (offset, _) in enumerate(bounds) if offset <= start) if bounds else 0
        times.append((value, start, end, clause, text[start:end]))
    times = [t for t in times if not (t[4] == "刚" and text[t[2]:t[2] + 2] in ("开始", "认识"))]
    if not times:
        return None, None
    # 昨天早上: the day decides, the part of day does not.
    days = {t[3] for t in times if t[0] in ("days", "weeks")}
    times = [t for t in times if not (t[4] in _PART_OF_DAY and t[3] in days)]
    in_decisive = [t for t in times if t[3] == decisive]
    chosen = sorted(in_decisive or times, key=lambda t: t[1])[0]
    return chosen[0], (chosen[1], chosen[2])


# --- channel ---------------------------------------------------------------------

_MESSAGING = re.compile(r"(?:加|发)(?:了)?(?:我|他|她|对方)?(?:的)?微信(?!转|支付|红包|付)|微信上(?:有个|有人|认识|聊)"
                        r"|微信(?:好友|群|聊天|视频|电话|语音|号)")


def _channel(text: str, found: List[Mention], decisive: Optional[int]) -> Tuple[Optional[str], Optional[Span]]:
    channels = [m for m in found if m.field == "channel"]
    channels = [m for m in channels if not (m.value == "wechat" and _MESSAGING.search(text[max(0, m.start - 3):m.end + 4]))]
    if not channels:
        return None, None
    explicit = [m for m in channels if m.value != "bank"] or channels
    in_decisive = [m for m in explicit if m.clause == decisive]
    chosen = (in_decisive or explicit)[0]
    return chosen.value, (chosen.start, chosen.end)


# --- impersonated ----------------------------------------------------------------

_CUE = re.compile(r"(?:冒充|自称|假冒|假装|说是|说他是|说她是|称是|装成|扮成|谎称|假扮|冒称|所谓的?)(?:是)?[^，。！？,.!?]{0,8}$")
# Roles that are the resident's own people unless a cue or a classic story says otherwise.
_WEAK_ROLES = {"儿子", "女儿", "朋友", "同事", "主任", "经理", "工作人员", "商家", "医院", "导师", "教练", "校长",
               "外孙", "一个女的", "一个男的", "对象", "战友", "老乡"}
_FAMILY_STORY = re.compile(r"借钱|换了?新号|手机丢了|出事|住院|被抓|车祸|急用|打架|急需")
# 抖音上认识个女的, 一个男的加我微信: the classic opening of a romance scam.
_ONLINE_STRANGER = re.compile(r"(?:网上|网络|抖音|快手|微信|软件|游戏|app|平台|交友|直播|陌陌|探探)[^，。！？]{0,6}认识(?:的|了)?(?:一?个)?(?:男|女)"
                              r"|一?个(?:女|男)的(?:加|主动加)(?:了)?我")
_REPORTING = re.compile(r"报警|报案|去了?派出所|到派出所|打了?110|打110|反诈中心说|民警说这是")


def _impersonated(text: str, found: List[Mention], bounds) -> Tuple[Optional[str], Optional[Span]]:
    roles = []
    for m in found:
        if m.field != "impersonated":
            continue
        term = text[m.start:m.end]
        if m.value == "police" and _REPORTING.search(text) and not _CUE.search(text[max(0, m.start - 14):m.start]):
            continue  # the resident going to the real police
        if m.value == "customer_service" and re.search(r"官方客服|我打了?.{0,4}客服|打.{0,4}银行.{0,2}客服电话", text[max(0, m.start - 8):m.end + 2]):
            continue
        cued = bool(_CUE.search(text[max(0, m.start - 14):m.start]))
        weak = term in _WEAK_ROLES
        if weak and not cued and not (m.value == "leader_acquaintance" and _FAMILY_STORY.search(text)):
            continue
        roles.append((0 if cued and not weak else 1 if not weak else 2, m.start, m))
    stranger = _ONLINE_STRANGER.search(text)
    if stranger:
        roles.append((1, stranger.start(), Mention("impersonated", "romance", stranger.start(), stranger.end(), 0)))
    if not roles:
        return None, None
    chosen = sorted(roles, key=lambda r: (r[0], r[1]))[0][2]
    return chosen.value, (chosen.start, chosen.end)


# --- given away ------------------------------------------------------------------

_HELD_BACK = re.compile(r"没有?|未|(?<![一不])不(?!对)|别(?=把|给|说|告诉|开|发|信|点)|拒绝|差点|差一点|险些|关掉|关了|要不要|能不能|可不可以|可以.*吗|吗|么|只要|如果|要是|"
                        r"是不是|会不会|什么|怎么|哪|[?？]|千万|不能|不要|防")
_REQUEST = re.compile(r"(?:让|叫|要|喊|要求|需要|逼|催|骗)(?:我|我们|您|你|他|她)?")
_COMPLIED = re.compile(r"^\s*(?:我|他|她)?(?:就|也|都|还)?(?:照做了|照着做了|按他说的做了|开了|给了|给他了|说了|发了|做了|弄了|"
                       r"告诉他了|同意了|报给他了|念给他了|打开了|输了|填了|提供了|录了|拍了)")


# Item words with a verb between them, which a phrase cannot span: 拍了身份证.
_GAPPED = {"id_photo": re.compile(r"拍(?:了|下)?(?:张|一张)?(?:我的)?身份证|身份证(?:拍|照)"),
           "screen_share": re.compile(r"(?:共享|分享)(?:了|一下)?(?:我的)?(?:手机)?屏幕")}


def _given_away(text: str, found: List[Mention], bounds) -> Tuple[Tuple[str, ...], Optional[Span]]:
    for value, pattern in _GAPPED.items():
        for match in pattern.finditer(text):
            if not any(m.start <= match.start() < m.end for m in found if m.field == "given_away"):
                clause = max((i for i, (offset, _) in enumerate(bounds) if offset <= match.start()), default=0)
                found = found + [Mention("given_away", value, match.start(), match.end(), clause)]
    found = sorted(found, key=lambda m: m.start)
    given: List[str] = []
    first: Optional[Span] = None
    for m in found:
        if m.field != "given_away" or m.value in given:
            continue
        clause = bounds[m.clause][1] if bounds else text
        if _HELD_BACK.search(clause):
            continue
        request = _REQUEST.search(clause)
        requested = request and request.start() < m.start - bounds[m.clause][0] and not re.search(r"(?<!让我)了", clause[request.end():])
        if requested:
            following = bounds[m.clause + 1][1] if m.clause + 1 < len(bounds) else ""
            if not _COMPLIED.search(following) or _HELD_BACK.search(following):
                continue
        given.append(m.value)
        first = first or (m.start, m.end)
    return tuple(given), first


# --- amount ----------------------------------------------------------------------

_TOTAL = re.compile(r"(?:一共|总共|合计|共计|累计|前后|总计|加起来)[^，。]{0,6}$")


def _amount(text: str, status: str, verdicts, bounds) -> Tuple[Optional[int], Optional[Span]]:
    money = numbers.money_mentions(text)
    if not money:
        return None, None
    totals = [m for m in money if _TOTAL.search(text[max(0, m.start - 10):m.start])]
    if totals:
        return totals[-1].value, (totals[-1].start, totals[-1].end)
    if status == payment.YES:
        paid = [m for m in money for (start, end, s) in verdicts
                if s == payment.YES and (start <= m.start <= end + 4 or m.end <= start and start - m.end <= 8
                                         and "把" in text[max(0, m.start - 4):m.start])]
        paid = list(dict.fromkeys(paid))
        if paid:
            return sum(m.value for m in paid), (paid[0].start, paid[-1].end)
        if re.search(r"分别|一次.{0,6}一次|各", text):
            return sum(m.value for m in money), (money[0].start, money[-1].end)
    largest = max(money, key=lambda m: m.value)
    return largest.value, (largest.start, largest.end)


def extract(text: str) -> Situation:
    """Read the six situation fields from one resident message."""
    clean = normalise(text or "")
    if not clean.strip():
        return Situation()
    bounds = payment.clauses(clean) or [(0, clean)]
    status, verdicts = payment.money_sent(clean)
    decisive_span = next(((s, e) for s, e, v in verdicts if v == status), None)
    decisive = None
    if decisive_span:
        decisive = max(i for i, (offset, _) in enumerate(bounds) if offset <= decisive_span[0])
    found = mentions(clean, bounds)
    evidence: Dict[str, Span] = {}
    amount, evidence["amount"] = _amount(clean, status, verdicts, bounds)
    channel, evidence["channel"] = _channel(clean, found, decisive)
    when, evidence["when"] = _when(clean, found, bounds, decisive)
    impersonated, evidence["impersonated"] = _impersonated(clean, found, bounds)
    given_away, evidence["given_away"] = _given_away(clean, found, bounds)
    if decisive_span:
        evidence["money_sent"] = decisive_span
    return Situation(status, amount, channel, when, impersonated, given_away,
                     {k: v for k, v in evidence.items() if v is not None})
