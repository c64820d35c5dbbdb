"""Which of a message's amounts is the one sent (or asked for), in yuan.

Residents name several sums: what went, what is left, what was promised.
The rules, in order:

1. A stated total wins: 一共 / 总共 / 共计 / 累计 / 前后 ... 三万二.
2. An offer is never the amount: a limit, a loan, a prize, a promised return, a
   balance, what is left (额度可以提到十万, 能贷二十万, 中了十八万的奖, 能赚五万,
   剩下七万没转成).
3. Money gone: every transfer counts once.  That means the sums in the paying
   clauses (not the ones the scammer asks for next: 转了五千后又被要求交两万) plus
   the bare lists next to them (一次五万一次三万, 2万 3万 5万 都转了, 转了三次 5000
   8000 12000).  A "被骗了 / 亏了" sum restates the loss unless 又 / 再 adds it;
   转了三回 每回两千 is the count times the sum.
4. Otherwise, or when no paying clause names a sum: the largest other amount,
   which is what was asked for (让我转两万到安全账户).
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence, Tuple

from bot.situation import numbers, payment, scope
from bot.situation.numbers import Money

Span = Tuple[int, int]
Kept = Tuple[Money, int, str]  # an amount that is not an offer, its clause, the text just before it

_TOTAL = re.compile(r"(?:一共|总共|合计|共计|累计|前后|总计|加起来|总额)[^，。\s]{0,6}$")
_OFFER_BEFORE = re.compile(r"(?:额度|提额|提到|提高到|提升到|涨到|能贷|可以贷|可贷|贷款|放款|下款|借给我|(?<!其)中了?|奖金|奖励"
                           r"|返(?:还|现)?|退(?:我|给我|还)?|赚|收益|利息|利润|回报|佣金|工资|月薪|日薪|剩下|剩余|还剩|余额(?!宝)|提现"
                           # bait and limits: 补贴两千, 补偿三百, 每月给我两千, 日结三百, 送88元, 只能转一千, 超过五万
                           r"|补贴|补助|补偿|赔偿?|赔我|给我|日结|送|限额|只能转|最多|超过|上限|申请)"
                           r"[了到至能可以是为有达高]{0,3}$")
_OFFER_AFTER = re.compile(r"^\s*(?:多|元|块)?(?:的)?(?:奖|奖金|大奖|额度|贷款|收益|利润|回报|佣金|返利|工资|补贴|补助|补偿|赔偿|奖励)")
_DEMANDED = re.compile(r"(?:要求|让我|要我|叫我|还要|再|又要|需要|得)[^，。\s]{0,6}$")
_ALL = re.compile(r"都|全")
_EACH = re.compile(r"每(次|笔|单|回|张|个|份|套)(?:都|是|各)?(?:转|交|垫|付|汇|打|充)?了?\s*$")
_COUNT = re.compile(r"([一二两三四五六七八九十\d]+)\s*(?:次|笔|单|回|张|个|份|套)")
_RESTATED = re.compile(r"^(?:被骗|骗了|骗走|亏了|损失)")
_ADDED = re.compile(r"又|再|还|另外")
# What may stand around the amounts of a bare list: 一次五万一次三万, 第二笔 一万, 分别是.
_LIST_FILLER = re.compile(r"^(?:第?[一二两三四五六七八九十\d]+(?:次|笔|单|回|下)|分别是?|各|先|又|再|然后|最后|还有|和|跟|及"
                          r"|大概|大约|约|差不多|左右|多|呢|吧|啊|的|[\s、，,：:□])*$")


def _window(text: str, money: Money, before: Sequence[Money], start: int) -> str:
    """The text between the clause start (or the previous amount) and ``money``."""
    previous = max([m.end for m in before if m.end <= money.start] + [start])
    return text[previous:money.start]


def _is_offer(text: str, money: Money, window: str) -> bool:
    return bool(_OFFER_BEFORE.search(window) or _OFFER_AFTER.match(text[money.end:]))


def _only_amounts(clause: str, offset: int, inside: List[Money]) -> bool:
    rest = list(clause)
    for m in inside:
        rest[m.start - offset:m.end - offset] = scope.MASK * (m.end - m.start)
    return bool(inside) and bool(_LIST_FILLER.match("".join(rest)))


def sent_amount(text: str, status: str, verdicts: List[Tuple[int, int, str]],
                bounds: List[Tuple[int, str]]) -> Tuple[Optional[int], Optional[Span]]:
    """The amount per the module docstring, and the span it came from."""
    money = numbers.money_mentions(text)
    if not money:
        return None, None
    totals = [m for m in money if _TOTAL.search(text[max(0, m.start - 10):m.start])]
    if totals:
        return totals[-1].value, (totals[-1].start, totals[-1].end)
    status_of = {scope.clause_index(bounds, start): s for start, _, s in verdicts}
    kept: List[Kept] = []
    for m in money:
        clause = scope.clause_index(bounds, m.start)
        window = _window(text, m, money, bounds[clause][0])
        if not _is_offer(text, m, window):
            kept.append((m, clause, window))
    if not kept:
        return None, None
    if status == payment.YES:
        each = _each_times_count(text, kept)
        if each:
            return each
        paid = _paid(kept, status_of, bounds)
        if paid:
            return sum(m.value for m in paid), (paid[0].start, paid[-1].end)
    largest = max((m for m, _, _ in kept), key=lambda m: m.value)
    return largest.value, (largest.start, largest.end)


def _each_times_count(text: str, kept: List[Kept]) -> Optional[Tuple[int, Span]]:
    """垫付了三单 每单一千 → 3000."""
    for m, _, window in kept:
        count = _COUNT.search(text) if _EACH.search(window) else None
        number = count and (int(count.group(1)) if count.group(1).isdigit() else numbers.chinese_to_int(count.group(1)))
        if number:
            return number * m.value, (min(count.start(), m.start), max(count.end(), m.end))
    return None


def _restates(clause: str) -> bool:
    """被骗了三万 / 亏了三十万 sums up what went; 又被骗了两万 adds to it."""
    return bool(_RESTATED.match(clause.lstrip("我他她俺妈爸"))) and not _ADDED.search(clause[:4])


def _paid(kept: List[Kept], status_of: Dict[int, str], bounds: List[Tuple[int, str]]) -> List[Money]:
    """The amounts of the paying clauses and of the bare lists beside them."""
    by_clause = {}
    for m, clause, window in kept:
        by_clause.setdefault(clause, []).append((m, window))
    listed = {c for c, items in by_clause.items()
              if c not in status_of and _only_amounts(bounds[c][1], bounds[c][0], [m for m, _ in items])}
    chosen = set()
    for clause in (c for c, verdict in status_of.items() if verdict == payment.YES):
        chosen.add(clause)
        if clause not in by_clause and _ALL.search(bounds[clause][1]):
            # 借呗借了两万 花呗刷了一万 都转给他了: 都 gathers the sums said before it.
            c = clause - 1
            while c >= 0 and status_of.get(c) != payment.NO:
                chosen.add(c)
                c -= 1
        for step in (-1, 1):  # the list runs on from the paying clause either way
            c = clause + step
            while c in listed:
                chosen.add(c)
                c += step
    for clause in [c for c, verdict in status_of.items() if verdict == payment.YES and c not in by_clause]:
        # 要先交解冻金5000 我交了 / 让交教材费每人260 我用微信扫了付了: the sum asked for just before.
        before = [c for c in range(clause - 1, max(-1, clause - 3), -1) if c in by_clause and status_of.get(c) != payment.YES]
        if before and not any(c in chosen and c in by_clause for c in range(before[0], clause)):
            chosen.add(before[0])
            by_clause[before[0]] = [(m, "") for m, _ in by_clause[before[0]]]
    paid = [(m, c) for c in sorted(chosen) for m, window in by_clause.get(c, [])
            if not (status_of.get(c) == payment.YES and _DEMANDED.search(window))]
    restated = [m for m, c in paid if _restates(bounds[c][1])]
    others = [m for m, c in paid if not _restates(bounds[c][1])]
    if restated and others and restated[-1].value >= sum(m.value for m in others):
        return restated[-1:]
    return [m for m, _ in paid]
