"""Home and work addresses: runs of address parts next to each other.

A part is named or numbered (their shapes are in :mod:`bot.privacy.address_shapes`).  A named
part is a suffix (路, 小区, 村, 嘎查, 工业园 …) with its name read backwards up to an admin unit
or a stop character (人民中路, 阳光小区, 李家村); a numbered part is a number and a unit (88号,
3栋, 二单元, 七队, 十二连, 五排, 东二坊, 2支弄, 甲2号院).  Parts next to each other make one
candidate; whether it is an address depends on the suffix's class:

* ``home`` (小区, 花园, 村, 嘎查, 屯, 苑, 华庭 …) is an address alone;
* ``street`` and ``place`` (路, 道, 大街, 头条 …; 大厦, 广场, 城, 园, 厂, 厝, 围 …) need a number,
  another part, an admin unit just before (五华区人民路) or a residence cue (住在人民路);
* ``numbered`` (里) is a part only before a number (安贞里3号楼, 万科春河里7/3/402) or right
  after a street (中北路东湖春树里);
* ``beside`` (中心, 市场, 大学, 校区, a village's 组/社/排) counts only next to numbers (世纪中心A座,
  螺蛳湾市场B区23号, 贵州大学 北区 18栋), the last three only right after another part
  (那洒村下寨组11号, 曾厝垵西边社176号).

Zones (B区, 天通苑西三区, 学校东区12号, G8组团) and staircases (5号院2门) are numbered parts only
inside an estate, so 二七区 and 火车站3号门 stay.  Around the run: a room number after it
(…3栋 502, 写字楼1406, 附1号6-2, 8号 之一), an estate name without a suffix before building
numbers (保利香槟国际3栋, 银海SOHO 2栋, 蓝光COCO时代 2期B区), a building or shop after a street
number (天河路385号太古汇, 123号三合商利写字楼), and a door number after 门牌号.  Parts join across
voice input's fillers and spaces, 的 and 第 (北京路北段的铁路新村十五栋, 新华村第六队).  An estate name
without a suffix or a number counts only alone after a residence cue (住在中海寰宇天下).  Admin units
and city names before the run stay (昆明市五华区), as do generic names (马路, 我们小区, 农村), a
residence cue with no place after it (住在女儿家, 住在宾馆配合调查), landmarks (就在竹溪大道边上,
滨江路和长江路交叉口) and an address taken back (钟家村 哦不是 是琴台大道86号).

Residence cues come in four labels (data/privacy/cues.txt): ``home`` counts within
24 characters of the same clause (住在, 寄到, 收货地址), ``near`` only right before
the address, with nothing but 是/在 and admin units between (我家人民路, not
我家老头子在解放路被骗), ``door`` only right before a door number, ``ask`` (几号楼, 哪一栋) makes
the answer after it the resident's (我说了是九号楼).  A lone number (住在5组) needs a cue in the
same run of words: voice input's spaces end a thought (俺住在东街村二组 前两天有人来收土地款 一户要五百).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from bot.privacy.address_cues import cued, door_numbers, estates_after_cue
from bot.privacy.address_shapes import (
    AFTER_A_PART, BESIDE, BUILDING, CAMPUS, CHAIN_GAP, COMPONENT, CORRECTION, DASHED, ESTATE_BEFORE, HOME, LATIN_NAME,
    LIVES_AFTER, NEAR_THERE, NUMBERED, NUMERALS, PLACE, PLACE_WORD_END, ROOM, STREET, STREET_NUMBER, STREET_VICINITY,
    SUB_NUMBER, VICINITY, ZONES)
from bot.privacy.lexicon import ADMIN, CJK, Cue, Lexicon

Span = Tuple[int, int, str]



@dataclass
class _Part:
    start: int
    end: int
    unit: str  # the suffix or unit: 路, 小区, 栋, 号 ...
    kind: str  # home, street, place, numbered, beside; "" for numbered parts (88号, 3栋)
    admin: bool = False  # right after 区/县/镇 …: 五华区人民路

    @property
    def named(self) -> bool:
        return bool(self.kind)


def _name_start(work: str, end: int, floor: int, lex: Lexicon) -> Tuple[int, bool]:
    """Where the name before an address suffix starts, and whether an admin unit precedes it.

    A stop character common in village names (那, 边) counts when the name then reaches an
    admin unit (林逢镇那王村, 河边镇河边村), not otherwise (住在那个村)."""
    i, strict = end, None  # strict: where the name starts without those stop characters
    while i > floor and end - i < 8:
        c = work[i - 1]
        if _admin_ends(work, i, floor, lex):
            if strict is not None and lex.after_address.at(work, i):  # 城关镇那边小区
                return strict, False
            return i, True
        if not (CJK.match(c) or "A" <= c <= "Z") or c in lex.address_stop:  # MOMA大厦; not yanglao公寓
            if c not in lex.address_ok:
                break
            strict = i if strict is None else strict
        if c == "家" and i - 1 > floor and work[i - 2] in "我你他她俺咱们":  # 我家阳光小区: 家 is "home"
            break
        i -= 1
    # 那王村那王屯: up to the village; 长安镇 霄边村: up to a space
    reached = (i == floor > 0 or work[i - 1:i] == " ") and not lex.after_address.at(work, i)
    return (i if strict is None or reached else strict), False


def _admin_ends(work: str, i: int, floor: int, lex: Lexicon) -> bool:
    """Whether an admin unit ends at ``i``: 街道, 苏木, or an admin character after a name of its own
    (五华区, 沛县).  超市, 小区, 水乡, 红旗 end in one but are none (星耀水乡8栋, 红旗小区), and so is
    one after a space, right after another part or after a lone numeral (海曙区 镇明路, 雁田村镇田工业区,
    三市街六号)."""
    if work.startswith("街道", i - 2) or work.startswith("苏木", i - 2):
        return True
    if work[i - 1] not in ADMIN or lex.not_admin.ending(work[max(floor, i - 3):i]):
        return False
    j = i - 1  # the admin character; its own name is the one or two characters before it
    while j > max(floor, i - 3) and CJK.match(work[j - 1]) and (
            work[j - 1] not in lex.address_stop or work[j - 1] in lex.address_ok):  # 河边镇
        j -= 1
    own = work[j:i - 1]
    return bool(own) and not (len(own) == 1 and own in NUMERALS)


def _strip_front(work: str, i: int, end: int, lex: Lexicon) -> int:
    """Skip city names and words that start a clause at the front: 昆明人民中路 → 人民中路."""
    while True:
        word = lex.places.at(work, i) or lex.clause_starts.at(work, i)
        if not word or end - i - len(word) < 2:
            return i
        i += len(word)


def _generic(name: str, whole: str, lex: Lexicon, numbered: bool = False) -> bool:
    """马路, 我们小区, 推销养老公寓, 电子厂, 谁知道: a word, not a place's name.

    A name that is itself a place word names the place (花园路, 学府路, 铁路新村), and a
    well-known place with a number after it is somebody's address (南屏街28号); place names
    alone stay (山东潍坊)."""
    tails = {t for t in {name[i:] for i in range(len(name) - 1)} | {name} if t[-1:] not in PLACE_WORD_END}
    return (bool(tails & lex.not_addresses) or whole in lex.not_addresses or whole in lex.not_names.words
            or (not numbered and _places_only(whole, lex)) or bool(lex.not_address_ends.ending(whole)))


def _places_only(text: str, lex: Lexicon) -> bool:
    """Whether ``text`` is one place name after another (山东潍坊, 三坊七巷)."""
    i = 0
    while i < len(text) and lex.places.at(text, i):
        i += len(lex.places.at(text, i))
    return i == len(text) > 0


def _numbered_at(work: str, i: int) -> bool:
    """Whether a number and its unit start at ``i`` (…号华都大厦|12楼)."""
    m = COMPONENT.match(work, i)
    return bool(m and m.group("unit"))


def _landmark(work: str, i: int, lex: Lexicon) -> int:
    """The end of a building or shop name right after a street number (天河路385号太古汇,
    123号三合商利写字楼, 889号华都大厦12楼), or ``i``.  It may end in a kind of building
    (写字楼, 酒店, 大厦) but not be or start with a generic word (工地上干活)."""
    j = i
    while j < len(work) and j - i <= 10:
        if (not CJK.match(work[j]) or work[j] in lex.address_stop or lex.after_address.at(work, j)
                or lex.clause_starts.at(work, j) or lex.institutions.at(work, j) or (j > i and _numbered_at(work, j))):
            break
        j += 1
    name = work[i:j]
    if not 3 <= len(name) <= 10 or COMPONENT.match(work, i) or name in lex.places.words or name in lex.not_names.words:
        return i
    if name in lex.not_addresses or any(name[:k] in lex.not_addresses for k in (2, 3, 4)):
        return i
    return j


def _zone_counts(work: str, m: "re.Match[str]", parts: List[_Part], lex: Lexicon) -> bool:
    """Whether 七区, 东区 (not letters or digits: B区, W6区 always count) is part of an estate:
    right after another part (和平里七区, 天通苑西三区, 贵州大学 北区), before a building (劲松八区805号楼,
    浙传东区12号宿舍楼), or
    before a number where no name runs into it (学校东区12号, 地址是西区9号楼; 郑州二七区, 河东区
    are districts)."""
    if parts and CHAIN_GAP.fullmatch(work, parts[-1].end, m.start()):
        return True
    after = COMPONENT.match(work, m.end())
    if not (after and after.group("unit")):
        return False
    if after.group("unit") in ESTATE_BEFORE and m.group("num")[0] not in "东西南北中":
        return True
    building = COMPONENT.match(work, after.end()) if after.group("unit") == "号" else None
    if building and (building.group(PLACE) or building.group(HOME)):  # 哈理工东区十二号宿舍楼
        return True
    before = work[m.start() - 1:m.start()]
    return not CJK.match(before) or before in lex.address_stop \
        or bool(lex.institutions.ending(work[max(0, m.start() - 4):m.start()]))


def _parts(work: str, lex: Lexicon) -> List[_Part]:
    parts: List[_Part] = []
    covered = 0  # a landmark's end: suffixes inside it are part of its name
    for m in COMPONENT.finditer(work):
        if m.start() < covered:
            continue
        if m.group("tower"):  # 望京SOHO T3 2106: a tower is a building
            parts.append(_Part(m.start(), m.end(), "座", ""))
            continue
        if m.group("unit"):
            unit, prev = m.group("unit"), parts[-1] if parts else None
            after = prev is not None and CHAIN_GAP.fullmatch(work, prev.end, m.start()) is not None
            if unit == "区" and CJK.match(m.group("num")) and not _zone_counts(work, m, parts, lex):
                continue  # 二七区 is a district; B区, R1区 are parts of an estate
            if unit == "门" and not (after and (prev.unit in BUILDING or prev.unit == "号")):
                continue  # 火车站3号门 is a gate; 5号院2门, 小东路18号3门 are staircases
            if unit == "座" and after and prev.unit == "排":
                continue  # 5排8座 is a seat
            parts.append(_Part(m.start(), m.end(), unit, ""))
            if after and prev.kind == STREET and unit in ("号", "弄"):
                covered = _landmark(work, m.end(), lex)
                if covered > m.end():
                    parts.append(_Part(m.end(), covered, "landmark", PLACE))
            continue
        kind = m.lastgroup or PLACE
        suffix_start = m.start(kind)
        floor = parts[-1].end if parts else 0  # a rejected name (马路, 城中村) is no floor: it is not kept
        start, admin = _name_start(work, suffix_start, floor, lex)
        city = lex.places.ending(work[max(floor, start - 4):start]) if start == suffix_start and admin else ""
        if city and (kind == STREET or m.group(kind) in CAMPUS):  # 广州大道中289号, 贵州大学: named after a place
            start, admin = start - len(city), False
        if m.group(kind) in AFTER_A_PART and 0 < suffix_start - floor <= 3 and floor > 0 \
                and all(CJK.match(c) for c in work[floor:suffix_start]):
            start = floor  # 曾厝垵西边社176号, 侨乡村寺前排18号: a hamlet's name right after its village
        if m.group(kind) not in CAMPUS:  # 南京工程学院: the city is part of a college's name
            start = _strip_front(work, start, suffix_start, lex)
        name, whole = work[start:suffix_start], work[start:m.end()]
        if m.group(kind) == "市" and _places_only(name, lex):
            continue  # 东木头市45号 is a street; 上海市12号 is no address
        prev = parts[-1] if parts else None
        # right after another part: 汤郎村委会大村, 李庄村, 电子厂宿舍, 3号写字楼, 五连住宅区, 七连 职工住宅
        # (not 一栋写字楼, 三楼 城中村)
        chained = prev is not None and floor > 0 and (work[floor:start] == "" or work[floor:start] == " " and name) \
            and (bool(name) or prev.named or prev.unit in STREET_NUMBER or not CJK.match(work[prev.start]))
        good = len(name) >= 2 or chained or (len(name) == 1 and admin)  # 李家村; 金牛镇李村
        good = good or (name in ("东", "西", "南", "北", "中") and m.group(kind) in ("大街", "大道"))  # 南大街 168号
        village = len(name) == 1 and admin and kind == HOME  # 金所乡大村: 大 is no generic word here
        if m.group(kind) in AFTER_A_PART and not chained:
            continue  # 下寨组, 西边社 after their village; not 专案组3号
        numbered = _numbered_at(work, m.end())
        if kind == NUMBERED and not numbered and not _estate_after_street(work, m, prev, chained, name, lex):
            continue  # 安贞里3号楼, 中北路东湖春树里; not 家里
        kind_of_street = bool(name) and whole in lex.not_addresses and prev is not None and prev.kind == STREET \
            and not numbered  # 北京路步行街那边
        if good and ((chained and not kind_of_street) or village or not _generic(name, whole, lex, numbered)):
            parts.append(_Part(start, m.end(), m.group(kind), kind, admin=admin))
    return parts


def _estate_after_street(work: str, m: "re.Match[str]", prev: Optional[_Part], chained: bool, name: str,
                         lex: Lexicon) -> bool:
    """Whether 里 without a number after it names an estate: right after a street, with a name of three
    or more characters that is no generic word (中北路东湖春树里; not 人民路老房子里)."""
    if work[m.end():m.end() + 1] == " " and _numbered_at(work, m.end() + 1) or DASHED.match(work, m.end()):
        return True  # 紫荆山南里 6号楼, 万科春河里7/3/402
    return chained and prev is not None and prev.kind == STREET and len(name) >= 3 and not _generic(name, name, lex)


def _is_address(chain: List[_Part], room: bool, cue: bool, close: bool, estate: bool) -> bool:
    """Whether parts next to each other make an address, given a room number after them,
    an estate name before them and a residence cue before that (``close``: right before it)."""
    named = [p for p in chain if p.named]
    numbers = [p for p in chain if not p.named]
    solid = [p for p in named if p.kind != BESIDE]
    buildings = sum(p.unit in BUILDING for p in numbers) + room
    if any(p.kind == HOME for p in named):  # 阳光小区, 李家村
        return True
    if (named or estate) and (numbers or room):  # 人民路12号, 保利香槟国际3栋, 世纪中心A座
        return True
    if solid and (cue or solid[0].admin or len(solid) >= 2):  # 住在人民路, 五华区人民路, 乌沙工业园富华电子厂
        return True
    street_number = any(p.unit in STREET_NUMBER for p in numbers)  # 住在5组; not 俺住在…村里 一户要五百
    return buildings >= 2 or bool(buildings and len(numbers) >= 2) or bool((buildings or street_number) and close)


def _estate_start(work: str, start: int, floor: int, cue: bool, solid: bool, lex: Lexicon) -> Optional[int]:
    """Where an estate name without a suffix starts right before building numbers, if there is one;
    it may end in letters or digits (银海SOHO 2栋, 阳光100 3号楼).  Before numbers that are an
    address by themselves (``solid``) a kind of housing goes too: 学校学生公寓13栋208.  A long name
    may stand a space before them (蓝光COCO时代 2期B区, 中天未来方舟 G8组团)."""
    spaced = work[start - 1:start] == " " and start - 1 > floor
    start -= spaced
    latin = LATIN_NAME.search(work, max(floor, start - 10), start)
    if latin and latin.start() > floor and CJK.match(work[latin.start() - 1]):
        start, spaced = latin.start(), False
    name_start, admin = _name_start(work, start, floor, lex)
    name_start = _strip_front(work, name_start, start, lex)
    name = work[name_start:start]
    if len(name) < 2 + 2 * spaced or lex.kin.intersection({name, name[1:]}):
        return None
    if admin or cue or not _generic(name, name, lex):
        return name_start
    kind = next((name[-n:] for n in (5, 4) if name[-n:] in lex.not_addresses and name[-1] in "寓舍楼"), "")
    return start - len(kind) if solid and kind else None


def _room_after(chain: List[_Part]) -> Optional["re.Pattern[str]"]:
    """What may follow a run as its room number: after a building or floor (3栋 502, 写字楼1406,
    12楼1208), a zone (W6区1506), a landmark (三合商利写字楼1406), a second number (1088弄5号602),
    a house number in a village or estate (高殿村 高殿中路 21号 602), a numbered building (6号公寓 512);
    after a named part only a dashed one (俊园3-2-501).  A dashed one may follow any of them (附1号6-2)."""
    last, named = chain[-1], [p for p in chain if p.named]
    if last.unit in BUILDING or last.unit[-1] in "层楼" or last.unit in ("区", "landmark"):
        return ROOM
    if last.unit == "号" and (any(not p.named for p in chain[:-1]) or len(named) >= 2
                              or any(p.kind == HOME for p in named)):
        return ROOM
    if last.named and len(chain) >= 2 and not chain[-2].named:
        return ROOM
    return DASHED if last.named else None


def find_addresses(work: str, home: List[Cue], lex: Lexicon) -> List[Span]:
    """Addresses in the folded text, given its residence cues (``home``, ``near`` and ``door``) by position."""
    chains: List[List[_Part]] = []
    for part in _parts(work, lex):  # parts next to each other make one address
        if chains and CHAIN_GAP.fullmatch(work, chains[-1][-1].end, part.start):
            chains[-1].append(part)
        else:
            chains.append([part])
    spans: List[Span] = []
    starts = [c.start for c in home]
    for k, chain in enumerate(chains):
        start, end, last = chain[0].start, chain[-1].end, chain[-1]
        room = _room_after(chain)
        tail = (DASHED.match(work, end) or room.match(work, end)) if room else None
        end = tail.end() if tail else end
        sub = SUB_NUMBER.match(work, end) if last.unit == "号" else None  # 8号 之一
        end = sub.end() if sub else end
        lives = work[start - 1:start] == "在" and LIVES_AFTER.match(work, end) is not None  # 我在北京路那边住
        cue = lives or cued(work, start, home, starts, lex)
        close = lives or (cue and cued(work, start, home, starts, lex, close=True))
        estate = None
        solid = _is_address(chain, bool(tail), cue, close, False)
        zone = chain[0].unit in ZONES and solid  # 劲松八区805号楼, 十里银滩二期C区12栋; not 分十二期
        if chain[0].unit in ESTATE_BEFORE or zone:
            estate = _estate_start(work, start, spans[-1][1] if spans else 0, cue and not zone, solid, lex)
        if not tail and all(p.named for p in chain) and estate is None and (
                lex.institutions.at(work, end) or _landmark_only(work, chain, end, chains[k + 1:], lex)):
            continue  # 人民中路派出所, 就在竹溪大道边上
        if not _is_address(chain, bool(tail), cue, close, estate is not None):
            continue
        start = start if estate is None else estate
        if spans and CHAIN_GAP.fullmatch(work, spans[-1][1], start):  # 北京路延长线888号: one address
            start = spans.pop()[0]
        spans.append((start, end, "address"))
    spans = [s for s, after in zip(spans, spans[1:] + [None]) if not _corrected(work, s, after)]
    covered = bytearray(len(work))  # what an address already holds: the door and estate finders skip it
    for s, e, _ in spans:
        covered[s:e] = b"\x01" * (e - s)
    return spans + door_numbers(work, home, covered) + estates_after_cue(work, home, covered, lex)


def _landmark_only(work: str, chain: List[_Part], end: int, later: List[List[_Part]], lex: Lexicon) -> bool:
    """Whether parts without numbers only say where something is: before a vicinity (竹溪大道边上, 阳光小区旁边,
    滨江路和长江路交叉口, 三坊七巷里面), before 那边 and then another address (祖庙路那边 福贤路升平坊12号),
    or a well-known area (三坊七巷)."""
    near = VICINITY.match(work, end) or (all(p.kind != HOME for p in chain) and STREET_VICINITY.match(work, end))
    if near:  # …旁边的保利香槟国际3栋 says where the address is
        return not (work.startswith("的", near.end()) and later and later[0][0].start - near.end() <= 12)
    if _places_only(work[chain[0].start:end], lex):
        return True
    there = NEAR_THERE.match(work, end)
    return bool(there and later and later[0][0].start == there.end())


def _corrected(work: str, span: Span, after: Optional[Span]) -> bool:
    """Whether the resident takes the address back and gives another (先锋路 湘南 哦不对 是先锋路64号)."""
    m = CORRECTION.match(work, span[1])
    return bool(m and after and after[0] == m.end())
