"""Home and work addresses: runs of address parts next to each other.

A part is named or numbered.  A named part is a suffix (路, 小区, 村, 工业园 …)
with its name read backwards up to an admin unit or a stop character (人民中路,
阳光小区, 李家村); a numbered part is a number and a unit (88号, 3栋, 二单元, 七队).
Parts next to each other make one candidate; whether it is an address depends on
the suffix's class:

* ``home`` (小区, 花园, 村, 屯, 苑, 华庭 …) is an address alone;
* ``street`` and ``place`` (路, 道, 大街 …; 大厦, 广场, 城, 园, 厂 …) need a number,
  another part, an admin unit just before (五华区人民路) or a residence cue (住在人民路);
* ``numbered`` (里) is a part only right before a number (安贞里3号楼);
* ``beside`` (中心) counts only next to numbers (世纪中心A座).

Around the run: a room number after it (…3栋 502), an estate name without a suffix
before building numbers (保利香槟国际3栋), a building or shop after a street number
(天河路385号太古汇), and a door number after 门牌号.  An estate name without a suffix
or a number counts only alone after a residence cue (住在中海寰宇天下).  Admin units
and city names before the run stay (昆明市五华区), as do generic names (马路, 我们小区,
农村) and a residence cue with no place after it (住在女儿家, 住在宾馆配合调查).

Residence cues come in three labels (data/privacy/cues.txt): ``home`` counts within
24 characters of the same clause (住在, 寄到, 收货地址), ``near`` only right before
the address, with nothing but 是/在 and admin units between (我家人民路, not
我家老头子在解放路被骗), ``door`` before a door number.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from bot.privacy.lexicon import ADMIN, CJK, Cue, Lexicon

Span = Tuple[int, int, str]

HOME, STREET, PLACE, NUMBERED, BESIDE = "home", "street", "place", "numbered", "beside"
_NUMERALS = "零〇一二两三四五六七八九十百千"
_NUM = (r"(?:[0-9]{1,6}(?:-[0-9]{1,5}){0,3}[A-Za-z]?|(?<![A-Za-z])[A-Za-z][0-9]{1,3}|[" + _NUMERALS + r"]{1,6}"
        r"|(?<![A-Za-z])[A-Za-z])")
_UNIT = r"号楼|号院|单元|号(?![码线机])|栋|幢|座|层|楼|室|户|房|弄|组|大队|小队|生产队|队|社|期|区"
# Named suffixes by class, each with what must not follow it (村里, 园丁, 城管 are no places).
_SUFFIXES = {
    HOME: ["小区", "花园", "公寓", "家园", "新村", "社区", "村委会", "村(?![里民口子长干委霸头上落庄镇])", "屯", "苑", "大院",
           "华庭", "名都(?![没不是也都还就])", "华府", "公馆"],
    PLACE: ["宿舍", "大厦", "广场", "国际", "工业园", "工业区", "园区", "厂区", "园(?![丁长林艺])", "庄(?![稼园])",
            "城(?![里管])", "府(?!上)", "寨", "湾", "郡", "邸", "厂(?![家商长])", "坊", "岛"],
    BESIDE: ["中心"],
}
# Characters before 道 that make a word, not a street: 知道, 街道, 频道, 人行道.
_NOT_STREET_DAO = "街知渠频味通轨隧跑难报说问霸公厚门一车国省县乡行航管赛步栈坑孔王孝佛茶剑柔书正邪黄赤布传修得悟官古要称叫笑答骂喊写讲谈顺绕改借让当引匝坡弯水"
# 道里区 and 道外区 are districts.
_STREETS = ["大道", "大街", "路", "街(?!道|坊)", "胡同", "巷(?!子)", "(?<![" + _NOT_STREET_DAO + "])道(?![里外]区)"]
# Every part starts with one of these; the lookahead lets the scan skip other characters fast.
_FIRST = "".join(sorted({s[0] for ss in _SUFFIXES.values() for s in ss} | set("大路街胡巷道里" + _NUMERALS)))
_COMPONENT = re.compile(
    r"(?=[0-9A-Za-z" + _FIRST + r"])(?:"
    r"(?<![第0-9\-" + _NUMERALS + r"])(?P<num>" + _NUM + r")(?P<unit>" + _UNIT + ")"
    r"|(?:" + "|".join(f"(?P<{kind}>{'|'.join(ss)})" for kind, ss in _SUFFIXES.items()) + r")(?![区县市镇乡路街巷道])"
    r"|(?P<street>" + "|".join(_STREETS) + r")(?:[一二三四五六七八东西南北中]段|[东西南北](?=[0-9]))?(?![区县市镇乡])"
    r"|(?P<numbered>里)(?=" + _NUM + "(?:" + _UNIT + ")))")
_BUILDING = frozenset("号楼 号院 单元 栋 幢 座 室 户 房".split())
_ESTATE_BEFORE = frozenset("号楼 号院 单元 栋 幢 座".split())  # 保利香槟国际3栋: the estate goes too
_STREET_NUMBER = frozenset("号 弄 组 队 大队 小队 生产队 社".split())
_ROOM = re.compile(r"[ \-]?(?:[0-9]{2,5}|[零〇一二三四五六七八九]{3,4})(?![0-9])(?:室|号|房|户)?")
_DASHED = re.compile(r"[ \-]?[0-9]{1,6}(?:-[0-9]{1,5}){1,3}(?![0-9])(?:室|号|房)?")
_DOOR = re.compile(r"[ :：]{0,2}(?:是|为)?[ :：]{0,2}(?:[0-9]{1,5}(?:-[0-9]{1,4})?|[零〇一二两三四五六七八九十百]{1,6})号?(?![0-9])")
# 阳光花园嗯三栋 (speech input's fillers), 西坝路12号附2号
_CHAIN_GAP = re.compile(r"[ \-·,，]?(?:[嗯呃额啊][ ,，]?){0,2}|附|之")
_CLAUSE_END = re.compile(r"[，。！？；,.!?;\n]")
_ADMIN_UNIT = re.compile(r"[\u4e00-\u9fff]{1,7}?(?:自治州|自治县|街道|[省市区县镇乡州旗盟])")
_DIRECT_GAP = frozenset("是在就住:： ")
_LIVES_AFTER = re.compile(r"(?:那边|这边|那块|附近|一带|那里|这里)?(?:住|租房)")
# The cues after which an estate name may stand alone (住在中海寰宇天下); not 住着, 家在 (专家在现场鉴定).
_ESTATE_CUES = frozenset("住在 家住 家住在 居住在 现住 现住在 住址 住址是 地址 地址是 家庭住址 家庭地址 收货地址 我家在 住的是".split())
_LOCATIVE_END = frozenset("里上边面头家内外中处方旁们")  # 住在大山深处, 住在亲戚家


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
    """Where the name before an address suffix starts, and whether an admin unit precedes it."""
    i = end
    while i > floor and end - i < 8:
        c = work[i - 1]
        if c in ADMIN or work.startswith("街道", i - 2):
            return i, True
        if not CJK.match(c) or c in lex.address_stop:
            break
        if c == "家" and i - 1 > floor and work[i - 2] in "我你他她俺咱们":  # 我家阳光小区: 家 is "home"
            break
        i -= 1
    return i, False


def _strip_front(work: str, i: int, end: int, lex: Lexicon) -> int:
    """Skip city names and words that start a clause at the front: 昆明人民中路 → 人民中路."""
    while True:
        word = lex.places.at(work, i) or lex.clause_starts.at(work, i)
        if not word or end - i - len(word) < 2:
            return i
        i += len(word)


def _generic(name: str, whole: str, lex: Lexicon) -> bool:
    """马路, 我们小区, 推销养老公寓, 电子厂, 谁知道: a word, not a place's name."""
    tails = {name[i:] for i in range(len(name) - 1)} | {name, whole}
    return (bool(tails & lex.not_addresses) or whole in lex.places.words or whole in lex.not_names.words
            or bool(lex.not_address_ends.ending(whole)))


def _landmark(work: str, i: int, lex: Lexicon) -> int:
    """The end of a building or shop name right after a street number (天河路385号太古汇), or ``i``."""
    j = i
    while j < len(work) and j - i <= 8:
        if (not CJK.match(work[j]) or work[j] in lex.address_stop or lex.after_address.at(work, j)
                or lex.clause_starts.at(work, j) or lex.institutions.at(work, j)):
            break
        j += 1
    if j - i < 3 or j - i > 8 or _generic(work[i:j], work[i:j], lex) or _COMPONENT.match(work, i):
        return i
    return j


def _parts(work: str, lex: Lexicon) -> List[_Part]:
    parts: List[_Part] = []
    covered = 0  # a landmark's end: suffixes inside it are part of its name
    for m in _COMPONENT.finditer(work):
        if m.start() < covered:
            continue
        if m.group("unit"):
            if m.group("unit") == "区" and CJK.match(m.group("num")):
                continue  # 二七区 is a district; B区, R1区 are parts of an estate
            after_street = bool(parts) and parts[-1].kind == STREET \
                and _CHAIN_GAP.fullmatch(work, parts[-1].end, m.start()) is not None
            parts.append(_Part(m.start(), m.end(), m.group("unit"), ""))
            if after_street and m.group("unit") in ("号", "弄"):
                covered = _landmark(work, m.end(), lex)
                if covered > m.end():
                    parts.append(_Part(m.end(), covered, "landmark", PLACE))
            continue
        kind = m.lastgroup or PLACE
        suffix_start = m.start(kind)
        floor = parts[-1].end if parts else 0  # a rejected name (马路, 城中村) is no floor: it is not kept
        start, admin = _name_start(work, suffix_start, floor, lex)
        start = _strip_front(work, start, suffix_start, lex)
        name, whole = work[start:suffix_start], work[start:m.end()]
        chained = start == floor > 0  # right after another part: 汤郎村委会大村, 李庄村, 电子厂宿舍
        good = len(name) >= 2 or chained or (len(name) == 1 and admin)  # 李家村; 金牛镇李村
        if good and (chained or not _generic(name, whole, lex)):
            parts.append(_Part(start, m.end(), m.group(kind), kind, admin=admin))
    return parts


def _is_address(chain: List[_Part], room: bool, cue: bool, estate: bool) -> bool:
    """Whether parts next to each other make an address, given a room number after them,
    an estate name before them and a residence cue before that."""
    named = [p for p in chain if p.named]
    numbers = [p for p in chain if not p.named]
    solid = [p for p in named if p.kind != BESIDE]
    buildings = sum(p.unit in _BUILDING for p in numbers) + room
    if any(p.kind == HOME for p in named):  # 阳光小区, 李家村
        return True
    if (named or estate) and (numbers or room):  # 人民路12号, 保利香槟国际3栋, 世纪中心A座
        return True
    if solid and (cue or solid[0].admin or len(solid) >= 2):  # 住在人民路, 五华区人民路, 乌沙工业园富华电子厂
        return True
    street_number = any(p.unit in _STREET_NUMBER for p in numbers)  # 住在5组
    return buildings >= 2 or bool(buildings and len(numbers) >= 2) or bool((buildings or street_number) and cue)


def _direct(work: str, i: int, start: int, lex: Lexicon) -> bool:
    """Whether only 是/在 and admin units or city names lie between a cue's end and an address: 我家五华区人民路."""
    while i < start:
        if work[i] in _DIRECT_GAP:
            i += 1
            continue
        place = lex.places.at(work, i)
        unit = _ADMIN_UNIT.match(work, i, start)
        if place:
            i += len(place)
        elif unit and lex.address_stop.isdisjoint(unit.group()):
            i = unit.end()
        else:
            return False
    return True


def _cued(work: str, start: int, home: List[Cue], starts: List[int], lex: Lexicon) -> bool:
    """Whether a residence cue (``starts`` are the cues' starts) makes the address at ``start`` the resident's."""
    for c in home[bisect.bisect_left(starts, start - 40):bisect.bisect_right(starts, start)]:
        if c.end > start:
            continue
        if c.label == "near":
            if start - c.end <= 16 and _direct(work, c.end, start, lex):
                return True
        elif start - c.end <= 24 and not _CLAUSE_END.search(work, c.end, start):
            return True
    return False


def _estate_start(work: str, start: int, floor: int, cue: bool, lex: Lexicon) -> Optional[int]:
    """Where an estate name without a suffix starts right before building numbers, if there is one."""
    name_start, admin = _name_start(work, start, floor, lex)
    name_start = _strip_front(work, name_start, start, lex)
    name = work[name_start:start]
    if len(name) < 2 or lex.kin.intersection({name, name[1:]}):
        return None
    return name_start if admin or cue or not _generic(name, name, lex) else None


def find_addresses(work: str, home: List[Cue], lex: Lexicon) -> List[Span]:
    """Addresses in the folded text, given its residence cues (``home``, ``near`` and ``door``) by position."""
    chains: List[List[_Part]] = []
    for part in _parts(work, lex):  # parts next to each other make one address
        if chains and _CHAIN_GAP.fullmatch(work, chains[-1][-1].end, part.start):
            chains[-1].append(part)
        else:
            chains.append([part])
    spans: List[Span] = []
    starts = [c.start for c in home]
    for chain in chains:
        start, end, last = chain[0].start, chain[-1].end, chain[-1]
        room = _ROOM if last.unit in _BUILDING or last.unit in ("层", "楼") else _DASHED if last.named else None
        tail = room.match(work, end) if room else None
        end = tail.end() if tail else end
        cue = _cued(work, start, home, starts, lex) \
            or (work[start - 1:start] == "在" and _LIVES_AFTER.match(work, end) is not None)  # 我在北京路那边住
        estate = None
        if chain[0].unit in _ESTATE_BEFORE:
            estate = _estate_start(work, start, spans[-1][1] if spans else 0, cue, lex)
        if not tail and all(p.named for p in chain) and lex.institutions.at(work, end):
            continue  # 人民中路派出所
        if not _is_address(chain, bool(tail), cue, estate is not None):
            continue
        start = start if estate is None else estate
        if spans and _CHAIN_GAP.fullmatch(work, spans[-1][1], start):  # 北京路延长线888号: one address
            start = spans.pop()[0]
        spans.append((start, end, "address"))
    covered = bytearray(len(work))  # what an address already holds: the door and estate finders skip it
    for s, e, _ in spans:
        covered[s:e] = b"\x01" * (e - s)
    return spans + _door_numbers(work, home, covered) + _estates_after_cue(work, home, covered, lex)


def _door_numbers(work: str, home: List[Cue], covered: bytearray) -> List[Span]:
    """门牌号108, 门牌是十五号: the number after a door cue, unless an address already holds it."""
    found: List[Span] = []
    for cue in home:
        m = _DOOR.match(work, cue.end) if cue.label == "door" else None
        if m and not any(covered[cue.end:m.end()]):
            start = m.end() - len(m.group().lstrip(" :：是为"))
            found.append((start, m.end(), "address"))
            covered[start:m.end()] = b"\x01" * (m.end() - start)
    return found


def _estates_after_cue(work: str, home: List[Cue], covered: bytearray, lex: Lexicon) -> List[Span]:
    """住在中海寰宇天下: an estate name without a suffix or number, alone after a residence cue up to the clause end."""
    found: List[Span] = []
    for cue in home:
        if work[cue.start:cue.end] not in _ESTATE_CUES:
            continue
        i = cue.end
        while i < len(work) and work[i] in _DIRECT_GAP:
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
        if any(w.at(work, i) for w in (lex.places, lex.not_names, lex.roles)) or _kin_or_word(run, lex):
            continue
        found.append((i, j, "address"))
        covered[i:j] = b"\x01" * (j - i)
    return found


def _kin_or_word(run: str, lex: Lexicon) -> bool:
    """Whether the run holds a kin word or a generic place word (亲戚朋友, 偏远农村, 出租屋里)."""
    return any(run[a:b] in lex.kin or run[a:b] in lex.not_addresses
               for a in range(len(run)) for b in range(a + 2, min(len(run), a + 4) + 1))
