"""Replace residents' personal data in chat text with typed placeholders.

Residents paste what scammers ask for (phone, ID and card numbers, SMS codes,
passwords) and say who and where they are (names, home addresses, WeChat and QQ
ids, licence plates).  Logs and the NLU must not keep them, yet the bot must still
read "对方让我报验证码[验证码]", so each value becomes a placeholder naming its kind;
amounts, dates, hotlines, join codes, place names and the scammer's claims stay
byte-for-byte.

Numbers are found here, by regular expressions plus check digits (GB 11643,
Luhn); a cue word (验证码, 卡号, 身份证 …) touching a number makes weaker evidence
count.  spaCy is not used for them: its char segmenter makes one token per
character, so Matcher patterns would restate these regexes, slower.  Names,
addresses, app ids and plates come from :mod:`bot.privacy.identities`, which does
use spaCy (a PhraseMatcher for its cue lexicons; see its docstring).  Where spans
of the two overlap, the union is replaced, with the kind of the longest span (a
number kind on a tie: 微信号13812345678 → 微信号[手机号]).
"""
from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from bot.privacy import identities

logger = logging.getLogger(__name__)

NUMBER_PLACEHOLDERS: Dict[str, str] = {
    "phone": "[手机号]", "id_card": "[身份证号]", "bank_card": "[银行卡号]", "code": "[验证码]", "email": "[邮箱]",
}
PLACEHOLDERS: Dict[str, str] = {**NUMBER_PLACEHOLDERS, **identities.PLACEHOLDERS}


@dataclass(frozen=True)
class Redaction:
    """Redacted text and how many values of each kind were replaced."""

    text: str
    counts: Dict[str, int]


Span = Tuple[int, int, str]  # (start, end, kind) in the original text

# One-to-one character folding, so offsets in the folded copy equal offsets in
# the original: full-width ASCII, odd spaces and dashes, traditional cue words,
# and the mask char below (typed by a user it must not hide the next number).
_FOLD = {**identities.WIDTH_FOLD, 0xFFE5: ord("¥"), 0xE000: ord("?")}
_FOLD.update({ord(a): ord(b) for a, b in zip("驗證碼賬帳號銀動態確認", "验证码账账号银动态确认")})

# Placeholders and values already found are overwritten with this private-use
# char: cue words inside "[验证码]" must not count on a second pass, and a value
# found now must look the same as its placeholder will look then.
_MASK = "\ue000"
_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))
_NUMBERS_OR_AT = re.compile(r"[0-9０-９@＠]")
_EMAIL = re.compile(r"[\w.%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z\-])", re.A)
_CUE = re.compile(
    r"(?P<code>验证码|验正码|校验码|效验码|动态码|短信码|认证码|确认码|(?<![a-z_])(?:code|otp)(?![a-z_]))"
    r"|(?P<pwd>密码|口令|(?<![a-z])(?:password|pin)(?![a-z]))"
    r"|(?P<bank>卡号|银行卡|信用卡|储蓄卡|借记卡|账号|账户|(?<![a-z])card(?![a-z]))"
    r"|(?P<id>身份证|证件号|身份号码)"
    r"|(?P<event>活动)",
    re.IGNORECASE,
)
_CODE_MAX = {"code": 8, "pwd": 16}  # online passwords run longer than SMS codes
# Digits joined by short space/dash separators ("138 1234 5678"); an optional
# "(010)" area code; an X only as the last char (ID check digit).
_RUN_RE = r"(?:\(0[1-9][0-9]{1,2}\) ?)?[0-9]+(?:[ \-]{1,3}[0-9]+)*(?:[Xx](?![A-Za-z0-9]))?"
_RUN = re.compile(_RUN_RE)
# A word mixing letters and digits ("A7K9Q2") may be a code; otherwise a run.
_MIXED = r"(?=[A-Za-z]*[0-9])(?=[0-9]*[A-Za-z])[A-Za-z0-9]"
_TOKEN = re.compile(r"(?P<alnum>(?<![A-Za-z0-9])" + _MIXED + "+)|(?P<run>" + _RUN_RE + ")")
_LETTER_CODE, _WORD = re.compile(_MIXED + "{4,16}"), re.compile(_MIXED + "+")
_PIECE = re.compile("[^" + _MASK + "]+")
_CHUNK = re.compile(r"[0-9]+[Xx]?")
_MOBILE = re.compile(r"(?:0086|86)?1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[1-9][0-9]{8,10}")
_BIRTH = re.compile(r"(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")
# Hotlines: 96110 and 12xxx government lines (also behind an area code, as in
# 010-96110 or 02196110), 95xxx bank and 100xx carrier lines: never personal.
_SERVICE = re.compile(r"(?:0(?:10|2[0-9]|[3-9][0-9]{2}))?(?:96110|12[0-9]{3})|95[0-9]{3}|100[0-9]{2}|11[09]|12[02]")
_UNIT_AFTER = re.compile(r" ?(?:元|块|万|亿|千|百|%|‰|年|月|日|号(?!码)|个|人|次|岁|天|题|名(?!字)|位|笔|份|期(?!限)|"
                         r"楼|室|米|斤|克|小时|分钟|秒|美元|港元|欧元|那天|当天|这天)")
# Money that moved, written without a unit ("卡里少了4600", "一共转了2000"): an amount, not a code.
_MONEY_BEFORE = re.compile(r"(?:(?:少|转|扣|付|交|花|赔|亏|骗|借|还|欠|充|汇|取)了|转走|扣走|骗走|转账|汇款|金额|余额|"
                           r"共计|一共|总共|损失)[：: ]{0,2}$")
_BEFORE_GAP = re.compile(r"[ 是就为这那个我你他她的]{0,4}")  # "382910是我的验证码"
_DIRTY_GAP = re.compile(r"[0-9\n]")
_DASH_BEFORE, _DASH_AFTER = re.compile(r"- {0,2}$"), re.compile(r" {0,2}-")
_MASK_RUN, _MASK_GLUED = re.compile(_MASK + "+"), re.compile(_MASK + r"[ \-]{0,3}$")
_AFTER_GAP_MAX = 12
_SPAN_BUDGET = 250_000  # sub-spans tried per message; bounds pathological "1 1 1 …"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)
_DECIMAL_BEFORE, _DECIMAL_AFTER = re.compile(r"[0-9][.:/]"), re.compile(r"[.:/][0-9]")


def id_check_char(first17: str) -> str:
    """GB 11643 check character for the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS))
    return "10X98765432"[total % 11]


def luhn_valid(digits: str) -> bool:
    """True when the digit string passes the Luhn check used by bank cards."""
    total = sum(map(int, digits[-1::-2])) + sum(_LUHN_DOUBLED[int(c)] for c in digits[-2::-2])
    return total % 10 == 0


def _valid_id(chars: str) -> bool:
    ok = len(chars) == 18 and chars[:17].isdigit() and _BIRTH.fullmatch(chars, 6, 14) is not None
    return ok and id_check_char(chars[:17]) == chars[17]


class _Scan:
    """One message, read left to right.  Values found are masked at once, just as
    their placeholders are on a second pass, so redaction is idempotent."""

    def __init__(self, text: str) -> None:
        work = _PLACEHOLDER_RE.sub(lambda m: _MASK * len(m.group()), text.translate(_FOLD))
        self.spans: List[Span] = []
        self.chars = list(work)
        for m in _EMAIL.finditer(work) if "@" in work else ():
            self._keep(m.start(), m.end(), "email")
        self.work = "".join(self.chars)
        self.cues: Dict[str, Tuple[List[int], List[int]]] = {}  # starts, ends: sorted for bisect
        for m in _CUE.finditer(self.work):
            starts, ends = self.cues.setdefault(m.lastgroup or "", ([], []))
            starts.append(m.start())
            ends.append(m.end())
        self.any_cue = bool(self.cues.keys() - {"event"})
        self.budget = _SPAN_BUDGET

    def scan(self) -> List[Span]:
        m = _TOKEN.search(self.work)
        while m:
            pos = m.end()
            if m.lastgroup == "alnum":
                self._word(m.start(), m.end())
            else:
                # Letters glued to a value just found ("[手机号]A7K9Q2", "[手机号] 12AB")
                # make a word of its own on a second pass, so they do now too.
                last = self._run(m)
                start = pos if self.chars[pos - 1] == _MASK else last
                after_value = _MASK_GLUED.search("".join(self.chars[max(0, start - 4):start]))
                glued = _WORD.match(self.work, start) if after_value else None
                if glued and glued.end() >= pos:  # ">=": "[手机号] 1234X" too
                    self._word(start, glued.end())
                    pos = glued.end()
            m = _TOKEN.search(self.work, pos)
        return self.spans

    def _word(self, start: int, end: int) -> None:
        if self._letter_code(start, end):
            return
        # Not a code, but "wx13812345678" still holds a phone number; pieces left
        # between the values found in it are words of their own on a second pass.
        for run in _RUN.finditer(self.work, start, end):
            self._run(run)
        for piece in _PIECE.finditer("".join(self.chars[start:end])):
            if piece.end() - piece.start() < end - start:
                self._letter_code(start + piece.start(), start + piece.end())

    def _letter_code(self, start: int, end: int) -> bool:
        """Letters and digits ("A7K9Q2") right next to a code cue."""
        ok = _LETTER_CODE.fullmatch(self.work, start, end) and self.code_gaps(start, end, end - start, 4)
        if ok:
            self._keep(start, end, "code")
        return bool(ok)

    def _keep(self, start: int, end: int, kind: str) -> None:
        self.spans.append((start, end, kind))
        self.chars[start:end] = _MASK * (end - start)

    def _gap(self, a: int, b: int, limit: int) -> Optional[int]:
        if b - a > limit + 400:  # masked values collapse below, so allow slack
            return None
        gap = "".join(self.chars[a:b])
        if _MASK in gap:
            if _MASK_GLUED.search(gap):  # glued to an earlier value: same number
                return None
            gap = _MASK_RUN.sub(_MASK, gap)  # one value counts as one char
        return len(gap) if len(gap) <= limit and not _DIRTY_GAP.search(gap) else None

    def near(self, name: str, start: int, end: int, limit: int = _AFTER_GAP_MAX) -> Optional[int]:
        """Gap to the cue word just before the value, or just after it behind filler."""
        starts, ends = self.cues.get(name, ([], []))
        i, k = bisect.bisect_right(ends, start) - 1, bisect.bisect_left(starts, end)
        gaps = [self._gap(ends[i], start, limit)] if i >= 0 else []
        if k < len(starts) and starts[k] - end <= 4:
            gap = "".join(self.chars[end:starts[k]])
            gaps.append(len(gap) if _BEFORE_GAP.fullmatch(gap) else None)
        return min((g for g in gaps if g is not None), default=None)

    def code_gaps(self, start: int, end: int, length: int, limit: int = _AFTER_GAP_MAX) -> Dict[str, int]:
        """Gaps to the code and password cues that allow a value this long."""
        gaps = {n: self.near(n, start, end, limit) for n, cap in _CODE_MAX.items() if length <= cap}
        return {n: g for n, g in gaps.items() if g is not None}

    def is_quantity(self, start: int, end: int) -> bool:
        """Amounts, counts, decimals, times and dates written around the digits."""
        before, after = "".join(self.chars[max(0, start - 2):start]), "".join(self.chars[end:end + 4])
        money = before[-1:] in ("¥", "$", "€", "£", "第") or before in ("¥ ", "$ ", "第 ")
        money = money or bool(_MONEY_BEFORE.search("".join(self.chars[max(0, start - 6):start])))
        decimal = _DECIMAL_BEFORE.fullmatch(before) or _DECIMAL_AFTER.match(after)  # 1.5, 14:30, 3/5
        return bool(money or decimal or _UNIT_AFTER.match(after))

    def _run(self, run: "re.Match[str]") -> int:
        """Redact the values in one run of digits; return where its last chunk starts."""
        chunks = [(run.start() + m.start(), run.start() + m.end()) for m in _CHUNK.finditer(run.group())]
        chunks[0] = (run.start(), chunks[0][1])  # a leading "(010)" goes with the number
        texts = [self.work[s:e].strip("()").upper() for s, e in chunks]
        joins = [self.work[chunks[k][1]:chunks[k + 1][0]] for k in range(len(chunks) - 1)]
        by_end: List[List[Tuple[int, str, int]]] = [[] for _ in chunks]
        shortest = 4 if self.any_cue else 10  # without cue words only strict kinds
        for i in range(len(chunks)):
            digits = ""
            for j in range(i, len(chunks)):
                digits += texts[j]
                if len(digits) > 19 or (j > i and self.budget <= 0):
                    break
                self.budget -= 1
                if len(digits) >= shortest:
                    kind = self._classify(chunks, joins, i, j, digits)
                    if kind:
                        by_end[j].append((i, kind, len(digits)))
        # Keep the set of non-overlapping values covering the most digits, so
        # "138 1234 5678 6222 …" splits into a phone and a card, not one blob.
        best = [0] * (len(chunks) + 1)
        pick: List[Tuple[int, str]] = [(-1, "")] * (len(chunks) + 1)
        for j, cands in enumerate(by_end):
            best[j + 1] = best[j]
            for i, kind, weight in cands:
                if best[i] + weight > best[j + 1]:
                    best[j + 1], pick[j + 1] = best[i] + weight, (i, kind)
        j = len(chunks)
        while j > 0:
            i, kind = pick[j]
            if kind:  # "+86 138…": the plus sign goes too
                plus = kind == "phone" and self.work[chunks[i][0] - 1:chunks[i][0]] == "+"
                self._keep(chunks[i][0] - plus, chunks[j - 1][1], kind)
            j = i if kind else j - 1
        return chunks[-1][0]

    def _classify(self, chunks: List[Tuple[int, int]], joins: List[str], i: int, j: int,
                  digits: str) -> Optional[str]:
        start, end, n = chunks[i][0], chunks[j][1], len(digits)
        if n == 18 and _valid_id(digits):
            return "id_card"
        plain = digits[-1] != "X"  # else only an ID next to 身份证 (wrong check char)
        if plain and n >= 16 and luhn_valid(digits):
            return "bank_card"
        if plain and 10 <= n <= 15 and (_MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits)):
            return "phone"
        # Now only a cue word makes digits personal.  It must touch the value with
        # no digits between, so only spans at either end of the run qualify (which
        # keeps long runs linear); amounts, dates, times and counts are kept.
        if (i > 0 and j < len(chunks) - 1) or not self.any_cue or self.is_quantity(start, end):
            return None
        if n in (15, 18) and self.near("id", start, end) is not None:
            return "id_card"
        if plain and n >= 12 and self.near("bank", start, end) is not None:
            return "bank_card"
        return "code" if plain and self._is_code(chunks, joins, i, j, digits) else None

    def _is_code(self, chunks: List[Tuple[int, int]], joins: List[str], i: int, j: int, digits: str) -> bool:
        if len(digits) > max(_CODE_MAX.values()):
            return False
        # "3 8 2 9 1 0" or "382 910", but not "1234 5" (a code, then "5分钟").
        lens = {e - s for s, e in chunks[i:j + 1]}
        if j > i and (any(x.strip(" ") for x in joins[i:j]) or not (lens == {1} or lens <= {2, 3, 4})):
            return False
        start, end = chunks[i][0], chunks[j][1]
        # Part of a dashed number (2024-03-05; read from chars, which look the same
        # on a second pass), or a hotline.
        dashed = _DASH_BEFORE.search("".join(self.chars[max(0, start - 3):start]))
        if dashed or _DASH_AFTER.match("".join(self.chars[end:end + 3])) or _SERVICE.fullmatch(digits):
            return False
        gaps = self.code_gaps(start, end, len(digits))
        if not gaps:
            return False
        gap = min(gaps.values())
        # A date-shaped number not right after an SMS-code cue is a date ("验证码
        # 382910，订单 20240305"); a password, though, is often a birthday.
        if _BIRTH.fullmatch(digits) and gap > 2 and "pwd" not in gaps:
            return False
        # "参加活动 123456": a join code when 活动 is at least as close as the code cue.
        event = self.near("event", start, end)
        return not (len(digits) == 6 and event is not None and event <= gap)


def _fallback_spans(text: str) -> List[Span]:
    """Crude digit masking (typed by length) used only if the scanner fails."""
    kinds = {**dict.fromkeys(range(12, 20), "bank_card"), 11: "phone", 15: "id_card", 18: "id_card"}
    found = re.finditer(r"[0-9０-９][0-9０-９ \-]{5,}[0-9０-９Xx]", text)
    return [(m.start(), m.end(), kinds.get(sum(c.isalnum() for c in m.group()), "code")) for m in found]


_CRUDE_IDENTITY = re.compile(
    r"(?:(?P<name>我叫|我是|本人|姓名|名字|叫)|(?P<wechat>微信|vx|wx)|(?P<qq>qq|扣扣)|(?P<alipay>支付宝)|(?P<douyin>抖音|快手)"
    r"|(?P<address>住在|家住|地址|住址))[ :：是]{0,2}(?P<value>[^\s，。！？,.!?]{1,12})"
    r"|(?P<plate>[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Za-z][ ·]?[A-Za-z0-9]{5,6})", re.I)


def _fallback_identity_spans(text: str) -> List[Span]:
    """Crude masking used only if the identity finder fails: up to 12 characters after any cue, and plates."""
    spans = []
    for m in _CRUDE_IDENTITY.finditer(text):
        kind = m.lastgroup if m.lastgroup == "plate" else next(k for k in identities.PLACEHOLDERS if m.group(k))
        spans.append((m.start("value"), m.end("value"), kind) if kind != "plate" else (m.start(), m.end(), kind))
    return spans


def _merge(spans: List[Span]) -> List[Span]:
    """Overlapping spans become their union, of the longest one's kind (the earliest listed on a tie)."""
    order = {span: i for i, span in reversed(list(enumerate(spans)))}
    merged: List[Span] = []
    best: Span = (0, 0, "")
    for span in sorted(order, key=lambda s: (s[0], order[s])):
        if merged and span[0] < merged[-1][1]:
            start, end, _ = merged[-1]
            if (span[1] - span[0], -order[span]) > (best[1] - best[0], -order[best]):
                best = span
            merged[-1] = (start, max(end, span[1]), best[2])
        else:
            best = span
            merged.append(span)
    return merged


def _spans(text: str) -> List[Span]:
    """Every personal value in ``text``: numbers first (they win ties), then identities."""
    spans: List[Span] = []
    if _NUMBERS_OR_AT.search(text):
        try:
            spans = _Scan(text).scan()
        except Exception:  # never crash the channel, and never let the number through
            logger.exception("redaction scanner failed; masking digits crudely")
            spans = _fallback_spans(text)
    try:
        masked = _PLACEHOLDER_RE.sub(lambda m: _MASK * len(m.group()), text)
        spans += identities.find_spans(masked)
    except Exception:  # as above: mask crudely after every cue rather than pass names through
        logger.exception("identity finder failed; masking after cue words crudely")
        spans += _fallback_identity_spans(text)
    return _merge(spans)


def redact(text: str) -> Redaction:
    """Replace personal values in ``text`` with typed placeholders.

    Args:
        text: A resident's message; any string, including empty or very long.

    Returns:
        The redacted text (everything else unchanged) and counts per kind found.
    """
    if not isinstance(text, str):  # defensive: channels sometimes pass None
        text = "" if text is None else str(text)
    if not _NUMBERS_OR_AT.search(text) and not identities.TRIGGER.search(text):
        return Redaction(text, {})
    parts: List[str] = []
    counts: Dict[str, int] = {}
    pos = 0
    for start, end, kind in _spans(text):
        parts += [text[pos:start], PLACEHOLDERS[kind]]
        counts[kind] = counts.get(kind, 0) + 1
        pos = end
    parts.append(text[pos:])
    return Redaction("".join(parts), counts)


def redact_text(text: str) -> str:
    """Shortcut for ``redact(text).text``."""
    return redact(text).text
