"""What residence cues say about addresses, for :mod:`bot.privacy.addresses`.

Whether a cue makes a run of address parts the resident's (:func:`cued`), and the addresses a cue
alone points at: the door number after a door cue (门牌号108, 门牌是四十五号 二楼), and an estate
name without a suffix or a number alone after a residence cue up to the clause end
(住在中海寰宇天下).  Those two skip what an address run already holds (``covered``).
"""
from __future__ import annotations

import bisect
from typing import List, Tuple

from bot.privacy.address_shapes import ADMIN_UNIT, CLAUSE_END, DIRECT_GAP, DOOR, NUMERALS
from bot.privacy.lexicon import ADMIN, CJK, Cue, Lexicon

Span = Tuple[int, int, str]

_ESTATE_CUES = frozenset("住在 家住 家住在 居住在 现住 现住在 住址 住址是 地址 地址是 家庭住址 家庭地址 收货地址 我家在 住的是".split())
_LOCATIVE_END = frozenset("里上边面头家内外中处方旁们")  # 住在大山深处, 住在亲戚家


def _direct(work: str, i: int, start: int, lex: Lexicon) -> bool:
    """Whether only 是/在 and admin units or city names lie between a cue's end and an address: 我家五华区人民路."""
    while i < start:
        if work[i] in DIRECT_GAP:
            i += 1
            continue
        place = lex.places.at(work, i)
        unit = ADMIN_UNIT.match(work, i, start)
        if place:
            i += len(place)
        elif unit and lex.address_stop.isdisjoint(unit.group()):
            i = unit.end()
        else:
            return False
    return True


def cued(work: str, start: int, home: List[Cue], starts: List[int], lex: Lexicon, close: bool = False) -> bool:
    """Whether a residence cue (``starts`` are the cues' starts) makes the address at ``start`` the resident's;
    with ``close``, only one in the same run of words (a lone number: 住在5组, 门牌号是村里的68号; not
    俺住在东街村二组 前两天有人来收土地款 一户要五百)."""
    for c in home[bisect.bisect_left(starts, start - 40):bisect.bisect_right(starts, start)]:
        if c.end > start or c.label == "door":  # a door cue counts right before its number only: door_numbers
            continue
        if c.label == "ask":  # 还问我是几号楼 我说了是九号楼: the answer to a question about the flat
            if start - c.end <= 16:
                return True
        elif c.label == "near":
            if start - c.end <= 16 and _direct(work, c.end, start, lex):
                return True
        elif start - c.end <= 24 and not CLAUSE_END.search(work, c.end, start) \
                and not (close and " " in work[c.end:start].strip()):
            return True
    return False


def door_numbers(work: str, home: List[Cue], covered: bytearray) -> List[Span]:
    """门牌号108, 门牌是十五号: the number after a door cue, unless an address already holds it."""
    found: List[Span] = []
    for cue in home:
        m = DOOR.match(work, cue.end) if cue.label == "door" else None
        if m and not any(covered[cue.end:m.end()]):
            start = m.end() - len(m.group().lstrip(" :：是为"))
            found.append((start, m.end(), "address"))
            covered[start:m.end()] = b"\x01" * (m.end() - start)
    return found


def estates_after_cue(work: str, home: List[Cue], covered: bytearray, lex: Lexicon) -> List[Span]:
    """住在中海寰宇天下: an estate name without a suffix or number, alone after a residence cue up to the clause end."""
    found: List[Span] = []
    for cue in home:
        if work[cue.start:cue.end] not in _ESTATE_CUES:
            continue
        i = cue.end
        while i < len(work) and work[i] in DIRECT_GAP:
            i += 1
        j = i
        while j < len(work) and j - i <= 8 and CJK.match(work[j]) and work[j] not in lex.address_stop \
                and not lex.after_address.at(work, j) and not lex.clause_starts.at(work, j) \
                and not lex.institutions.at(work, j):
            j += 1
        run = work[i:j]
        if not 4 <= len(run) <= 8 or (j < len(work) and CJK.match(work[j]) and not lex.after_address.at(work, j)):
            continue  # too short to be a name, or a clause goes on: 住在宾馆配合调查
        if run[-1] in _LOCATIVE_END or ADMIN.intersection(run) or any(covered[i:j]):
            continue
        if run[-1] in NUMERALS or work[j:j + 1] == "〇":
            continue  # a number goes on: 住在农六师一〇二团
        if any(w.at(work, i) for w in (lex.places, lex.not_names, lex.roles)) or _kin_or_word(run, lex):
            continue
        found.append((i, j, "address"))
        covered[i:j] = b"\x01" * (j - i)
    return found


def _kin_or_word(run: str, lex: Lexicon) -> bool:
    """Whether the run holds a kin word or a generic place word (亲戚朋友, 偏远农村, 出租屋里)."""
    return any(run[a:b] in lex.kin or run[a:b] in lex.not_addresses
               for a in range(len(run)) for b in range(a + 2, min(len(run), a + 4) + 1))
