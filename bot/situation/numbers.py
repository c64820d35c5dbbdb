"""Money amounts in the ways residents write them: 3万, 两万多, 八千, 5w, 2k,
1,200元, 三千五, 一万二, 2.5万, 2万8, 3千5, 二十多万, 三张一千的.

:func:`money_mentions` finds the spans that are money (a unit, a 万/千 multiplier,
a bare number right after a paying or losing verb, or a bare number listed after
another amount: 转了三次 5000 8000 12000) and skips counts and times
(十分钟前, 三天, 6位验证码, 三笔).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000, "亿": 100000000}
CN_CHARS = "零〇一二两三四五六七八九十百千万亿"

_NUMBER = re.compile(
    r"(?P<arabic>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<amult>[万千百kKwW](?![a-zA-Z]))?"
    # 2万8 = 28000, 3千5 = 3500: one digit after the multiplier is the next place down.
    r"(?:(?<=[万千])(?P<tail>[1-9一二两三四五六七八九])(?![\d.万千百十元块]))?"
    r"|(?P<chinese>[" + CN_CHARS + r"]+)"
)
_APPROX = re.compile(r"^\s*(多|余|来|出头)")
# 二十多万, 一百来万: the place comes after the 多.
_PLACE_AFTER = re.compile(r"^(?:多|余|来)([万千百])")
_MONEY_UNIT = re.compile(r"^\s*(多|余|来)?\s*(块钱|块|元|圆|rmb|人民币|钱|的(会员费|手续费|保证金|定金|押金|解冻费|税|费))")
# A number followed by one of these counts something other than yuan.
# Not across a space: 三万多 分了好几次 is money, then 分.
_NOT_MONEY = re.compile(r"^(多|几)?(保障|医疗|分钟|分|天|个|次|笔|张|位|岁|年|月|号|点|小时|周|星期|倍|人|期|条|秒|楼|层|折|%|克|斤|台|部|遍|趟|家)")
# Bare numbers count as money right after a paying verb (转了3000, 扣了我1980).
_PAY_BEFORE = re.compile(r"(转|汇|付|交|充|冲|扣|垫|打|投|刷|给|发|骗|亏|损失|分别是|、|款|账|少|丢|支出|转出|划走|借|消费|透支"
                         r"|一共|总共|共计|合计|累计|总计|就是)"
                         r"(了|过|走了|走|出去了?|掉了)?(我|他|她|对方)?\s*$"
                         r"|(转|汇|付|交|充|垫|打|投)了?[一二两三四五六七八九十几\d]+(次|笔)[\s:：]*$"
                         r"|(第|每)?[一二两三四五六七八九十\d]+(次|笔|单|回)[\s:：]*$"
                         # 交解冻金5000, 教材费每人260, 押金500: a fee's name, then the sum.
                         r"|(费|金|押金|定金|税|钱)(每人|每个人|每位|一共)?\s*$|每(人|个人|位|张|单|次)\s*$")
# Between two amounts of a list: 5000 8000 12000, 1000/2000.
_LIST_GAP = re.compile(r"^[\s/、]*$")  # the number before may have taken the space
_SHEETS = re.compile(r"^\s*张\s*")
_RANGE = re.compile(r"[一二三四五六七八九][二三四五六七八九]")  # 七八万, 三四千: a range, not a sum
# 一 that starts a word (一下子, 一共, 一直), not the last digit of the number before it.
_ONE_WORD = re.compile(r"^[下共直起些定般样夜口并块半旦]")


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    value: int


def chinese_to_int(text: str) -> Optional[int]:
    """三千五 → 3500, 一万二 → 12000, 十二万 → 120000, 两百 → 200; None when not a number."""
    if not text or any(ch not in CN_CHARS for ch in text):
        return None
    total, section, number = 0, 0, 0
    last_unit = 1
    for ch in text:
        if ch in DIGITS:
            number = DIGITS[ch]
        else:
            unit = UNITS[ch]
            if unit >= 10000:
                section = (section + number) * unit if (section or number) else unit
                total += section
                section, number = 0, 0
            else:
                section += (number or 1) * unit
                number = 0
            last_unit = unit
    if number:
        # A trailing digit after a unit is the next place down: 三千五 = 3500, 一万二 = 12000.
        number *= (last_unit // 10) if last_unit >= 10 and text[-2] in UNITS else 1
    return total + section + number


def _value(match: re.Match) -> Optional[int]:
    if match.group("arabic"):
        number = float(match.group("arabic").replace(",", ""))
        mult = (match.group("amult") or "").lower()
        factor = {"万": 10000, "w": 10000, "千": 1000, "k": 1000, "百": 100}.get(mult, 1)
        tail = match.group("tail")
        extra = (int(tail) if tail.isdigit() else DIGITS[tail]) * factor // 10 if tail else 0
        return int(round(number * factor)) + extra
    return chinese_to_int(match.group("chinese"))


def _has_multiplier(match: re.Match) -> bool:
    if match.group("arabic"):
        return bool(match.group("amult"))
    return any(ch in "千万亿" for ch in match.group("chinese")) or (
        "百" in match.group("chinese"))


def _candidates(text: str):
    """Number spans; 八百一次 is 八百 followed by 一次, not 810 times, and 十二万一下子 is 十二万 then 一下子."""
    position = 0
    while True:
        match = _NUMBER.search(text, position)
        if not match:
            return
        run = match.group("chinese")
        after = text[match.end():]
        if run and len(run) > 1 and run[-1] in DIGITS and (_NOT_MONEY.match(after) or run[-1] == "一" and _ONE_WORD.match(after)):
            match = _NUMBER.match(text[: match.end() - 1], match.start())
        yield match
        position = match.end()


def money_mentions(text: str) -> List[Money]:
    """Every span of ``text`` that states an amount of money, with its value in yuan."""
    found: List[Money] = []
    for match in _candidates(text):
        value = _value(match)
        if not value:
            continue
        after, before = text[match.end():], text[:match.start()]
        run = match.group("chinese") or ""
        tens = re.match(r"几\s*(万|千)", after) if run in ("十", "1十") else None
        if tens:
            # 十几万 rounds down to its base, as 两万多 does: 十万.
            found.append(Money(match.start(), match.end() + tens.end(), 10 * UNITS[tens.group(1)]))
            continue
        if after.startswith("几") or before.endswith("几") or before.endswith("第") or _RANGE.search(run):
            continue  # 几千, 七八万: the resident did not say how much
        sheets = _SHEETS.match(after)
        if sheets:
            # 三张一千的: count × face value.
            face = _NUMBER.match(text, match.end() + sheets.end())
            if face and _value(face) and _has_multiplier(face):
                found.append(Money(match.start(), face.end(), value * _value(face)))
            continue
        if _NOT_MONEY.match(after):
            continue
        place = _PLACE_AFTER.match(after)
        if place and UNITS[place.group(1)] > max([UNITS[c] for c in run if c in UNITS] + [1]) and not match.group("amult"):
            if not any(m.start <= match.start() < m.end for m in found):
                found.append(Money(match.start(), match.end() + place.end(), value * UNITS[place.group(1)]))
            continue
        unit = _MONEY_UNIT.match(after)
        listed = bool(found) and _LIST_GAP.match(text[found[-1].end:match.start()])
        if unit or _has_multiplier(match) or _PAY_BEFORE.search(before[-10:]) or listed:
            if not unit and not _has_multiplier(match) and value < 10:
                continue  # 转了3次 is caught above; a lone 5 is not an amount
            end = match.end() + (unit.end() if unit else (_APPROX.match(after).end() if _APPROX.match(after) else 0))
            if any(m.start <= match.start() < m.end for m in found):
                continue
            found.append(Money(match.start(), end, value))
    return found
