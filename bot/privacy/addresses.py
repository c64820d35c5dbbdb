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
* ``beside`` (中心, 市场, a village's 组) counts only next to numbers (世纪中心A座,
  螺蛳湾市场B区23号, 那洒村下寨组11号).

Zones (B区, 天通苑西三区, 学校东区12号) and staircases (5号院2门) are numbered parts only
inside an estate, so 二七区 and 火车站3号门 stay.  Around the run: a room number after it
(…3栋 502, 写字楼1406), an estate name without a suffix before building numbers
(保利香槟国际3栋, 银海SOHO 2栋), a building or shop after a street number (天河路385号太古汇,
123号三合商利写字楼), and a door number after 门牌号.  Parts join across voice input's
fillers and 的 (北京路北段的铁路新村十五栋).  An estate name without a suffix
or a number counts only alone after a residence cue (住在中海寰宇天下).  Admin units
and city names before the run stay (昆明市五华区), as do generic names (马路, 我们小区,
农村) and a residence cue with no place after it (住在女儿家, 住在宾馆配合调查).

Residence cues come in three labels (data/privacy/cues.txt): ``home`` counts within
24 characters of the same clause (住在, 寄到, 收货地址), ``near`` only right before
the address, with nothing but 是/在 and admin units between (我家人民路, not
我家老头子在解放路被骗), ``door`` only right before a door number.  A lone number
(住在5组) needs a cue in the same run of words: voice input's spaces end a thought
(俺住在东街村二组 前两天有人来收土地款 一户要五百).
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
# A number, or a direction before 区 (天通苑西三区, 学校东区).
_NUM = (r"(?:[0-9]{1,6}(?:-[0-9]{1,5}){0,3}[A-Za-z]?|(?<![A-Za-z])[A-Za-z][0-9]{1,3}|[" + _NUMERALS + r"]{1,6}"
        r"|(?<![A-Za-z])[A-Za-z]|[东西南北中][一二三四五六七八九]?(?=区))")
# 单圆, 好楼 and 8洞 are voice input's 单元, 号楼 and 8栋; A塔, A馆, 67巷 (Taiwan's lanes) and 15街 (a market's
# rows) take letters or digits (三塔 is a pagoda); 门 counts only after a building (5号院2门, not 3号门).
_UNIT = (r"号楼|号院|好楼|单元|单圆|号(?![码线机])|栋|幢|(?<=[0-9])洞|座|(?<=[0-9A-Za-z])[塔馆]|层|楼|室|户|房"
         r"|门(?![口卫市店面票诊])|弄|组|大队|小队|生产队|队|社|期|区|(?<=[0-9])[巷街]")
# Named suffixes by class, each with what must not follow it (村里, 园丁, 城管 are no places).
_SUFFIXES = {
    HOME: ["小区", "花园", "公寓", "家园", "新村", "社区", "村委会", "村(?![里民口子长干委霸头上落庄镇])", "屯", "苑", "大院",
           "华庭", "名都(?![没不是也都还就])", "华府", "公馆"],
    PLACE: ["宿舍楼", "宿舍", "写字楼", "商务楼", "办公楼", "大厦", "广场", "国际", "工业园", "工业区", "园区", "厂区",
            "别墅区", "板房", "园(?![丁长林艺])", "庄(?![稼园])", "城(?![里管])", "府(?!上)", "寨", "湾", "郡", "邸",
            "厂(?![家商长里])", "坊", "岛"],
    # 环球中心W6区, 螺蛳湾市场B区23号, 那洒村下寨组11号; not 在菜市场门口, 专案组
    BESIDE: ["中心", "市场(?![监管部化营价])", "组(?![织长员成合件团])"],
}
# Characters before 道 that make a word, not a street: 知道, 街道, 频道, 人行道, 楼道.
_NOT_STREET_DAO = "街知渠频味通轨隧跑难报说问霸公厚门一车国省县乡行航管赛步栈坑孔王孝佛茶剑柔书正邪黄赤布传修得悟官古要称叫笑答骂喊写讲谈顺绕改借让当引匝坡弯水楼"
# 道里区 and 道外区 are districts; 八一上段 is a street's upper part (not 上段时间).
_STREETS = ["大道", "大街", "路", "街(?!道|坊)", "胡同", "巷(?!子)", "(?<![" + _NOT_STREET_DAO + "])道(?![里外]区)",
            "[上下]段(?![时子落])"]
# Every part starts with one of these; the lookahead lets the scan skip other characters fast.
_FIRST = "".join(sorted({s[0] for ss in _SUFFIXES.values() for s in ss} | set("大路街胡巷道里上下东西南北中" + _NUMERALS)))
_COMPONENT = re.compile(
    r"(?=[0-9A-Za-z" + _FIRST + r"])(?:"
    r"(?<![第0-9\-" + _NUMERALS + r"])(?P<num>" + _NUM + r")(?P<unit>" + _UNIT + ")"
    r"|(?:" + "|".join(f"(?P<{kind}>{'|'.join(ss)})" for kind, ss in _SUFFIXES.items()) + r")(?![区县市镇乡路街巷道])"
    r"|(?P<street>" + "|".join(_STREETS) + r")(?:[一二三四五六七八东西南北中]段|[东西南北](?=[0-9]))?(?![区县市镇乡])"
    r"|(?P<numbered>里)(?=" + _NUM + "(?:" + _UNIT + ")))")
_BUILDING = frozenset("号楼 号院 好楼 单元 单圆 栋 幢 洞 座 室 户 房 门".split())
_ESTATE_BEFORE = frozenset("号楼 号院 好楼 单元 栋 幢 洞 座".split())  # 保利香槟国际3栋: the estate goes too
_STREET_NUMBER = frozenset("号 弄 组 队 大队 小队 生产队 社 巷 街".split())
# A room after a building (…3栋 502, 华都大厦12楼1208), not an amount, age or year (3栋 2000年).
_ROOM = re.compile(r"[ \-]?(?:[0-9]{2,5}|[零〇一二三四五六七八九]{3,4})(?![0-9])(?:室|号|房|户)?"
                   r"(?![元块万岁年月日点分天个次斤])")
# 俊园3-2-501, 俊园7/3/402 (not a date: 3/15)
_DASHED = re.compile(r"[ \-]?[0-9]{1,6}(?:(?:-[0-9]{1,5}){1,3}|(?:/[0-9]{1,5}){2,3})(?![0-9])(?:室|号|房)?")
_DOOR = re.compile(r"[ :：]{0,2}(?:是|为)?[ :：]{0,2}(?:[0-9]{1,5}(?:-[0-9]{1,4})?|[零〇一二两三四五六七八九十百]{1,6})号?(?![0-9])")
# 阳光花园嗯三栋 (speech input's fillers), 西坝路12号附2号, 北京路北段的铁路新村
_CHAIN_GAP = re.compile(r"[ \-·,，]?(?:[嗯呃额啊][ ,，]?){0,2}|附|之|的")
# The end of an estate name before a building: 银海SOHO 2栋, 阳光100 3号楼 (not a plate: 云A12345 3栋)
_LATIN_NAME = re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z]{2,8}|[0-9]{2,4}) ?$")
_PLACE_WORD_END = frozenset("路街巷道村园府城场庄苑")  # a name that is itself a place word: 花园路, 铁路新村
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
    """Where the name before an address suffix starts, and whether an admin unit precedes it.

    超市, 小区, 水乡 end in an admin character but are none (星耀水乡8栋).  A stop character
    common in village names (那, 边) counts when the name then reaches an admin unit
    (林逢镇那王村, 河边镇河边村), not otherwise (住在那个村)."""
    i, strict = end, None  # strict: where the name starts without those stop characters
    while i > floor and end - i < 8:
        c = work[i - 1]
        if (c in ADMIN and not lex.not_admin.ending(work[max(floor, i - 3):i])) or work.startswith("街道", i - 2):
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
    reached = i == floor > 0 and not lex.after_address.at(work, i)  # 那王村那王屯: up to the village
    return (i if strict is None or reached else strict), False


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
    well-known place with a number after it is somebody's address (南屏街28号)."""
    tails = {t for t in {name[i:] for i in range(len(name) - 1)} | {name} if t[-1:] not in _PLACE_WORD_END}
    return (bool(tails & lex.not_addresses) or whole in lex.not_addresses or whole in lex.not_names.words
            or (whole in lex.places.words and not numbered) or bool(lex.not_address_ends.ending(whole)))


def _numbered_at(work: str, i: int) -> bool:
    """Whether a number and its unit start at ``i`` (…号华都大厦|12楼)."""
    m = _COMPONENT.match(work, i)
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
    if not 3 <= len(name) <= 10 or _COMPONENT.match(work, i) or name in lex.places.words or name in lex.not_names.words:
        return i
    if name in lex.not_addresses or any(name[:k] in lex.not_addresses for k in (2, 3, 4)):
        return i
    return j


def _zone_counts(work: str, m: "re.Match[str]", parts: List[_Part], lex: Lexicon) -> bool:
    """Whether 七区, 东区 (not letters or digits: B区, W6区 always count) is part of an estate:
    right after another part (和平里七区, 天通苑西三区), before a building (劲松八区805号楼), or
    before a number where no name runs into it (学校东区12号, 地址是西区9号楼; 郑州二七区, 河东区
    are districts)."""
    if parts and _CHAIN_GAP.fullmatch(work, parts[-1].end, m.start()):
        return True
    after = _COMPONENT.match(work, m.end())
    if not (after and after.group("unit")):
        return False
    if after.group("unit") in _ESTATE_BEFORE and m.group("num")[0] not in "东西南北中":
        return True
    before = work[m.start() - 1:m.start()]
    return not CJK.match(before) or before in lex.address_stop \
        or bool(lex.institutions.ending(work[max(0, m.start() - 4):m.start()]))


def _parts(work: str, lex: Lexicon) -> List[_Part]:
    parts: List[_Part] = []
    covered = 0  # a landmark's end: suffixes inside it are part of its name
    for m in _COMPONENT.finditer(work):
        if m.start() < covered:
            continue
        if m.group("unit"):
            unit, prev = m.group("unit"), parts[-1] if parts else None
            after = prev is not None and _CHAIN_GAP.fullmatch(work, prev.end, m.start()) is not None
            if unit == "区" and CJK.match(m.group("num")) and not _zone_counts(work, m, parts, lex):
                continue  # 二七区 is a district; B区, R1区 are parts of an estate
            if unit == "门" and not (after and prev.unit in _BUILDING):
                continue  # 火车站3号门 is a gate; 5号院2门 is a staircase
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
        start = _strip_front(work, start, suffix_start, lex)
        name, whole = work[start:suffix_start], work[start:m.end()]
        # right after another part: 汤郎村委会大村, 李庄村, 电子厂宿舍, 3号写字楼 (not 一栋写字楼)
        chained = start == floor > 0 and (bool(name) or parts[-1].named or not CJK.match(work[parts[-1].start]))
        good = len(name) >= 2 or chained or (len(name) == 1 and admin)  # 李家村; 金牛镇李村
        village = len(name) == 1 and admin and kind == HOME  # 金所乡大村: 大 is no generic word here
        if m.group(kind) == "组" and not chained:
            continue  # 下寨组 after its village; not 专案组3号
        numbered = _numbered_at(work, m.end())
        if good and (chained or village or not _generic(name, whole, lex, numbered)):
            parts.append(_Part(start, m.end(), m.group(kind), kind, admin=admin))
    return parts


def _is_address(chain: List[_Part], room: bool, cue: bool, close: bool, estate: bool) -> bool:
    """Whether parts next to each other make an address, given a room number after them,
    an estate name before them and a residence cue before that (``close``: right before it)."""
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
    street_number = any(p.unit in _STREET_NUMBER for p in numbers)  # 住在5组; not 俺住在…村里 一户要五百
    return buildings >= 2 or bool(buildings and len(numbers) >= 2) or bool((buildings or street_number) and close)


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


def _cued(work: str, start: int, home: List[Cue], starts: List[int], lex: Lexicon, close: bool = False) -> bool:
    """Whether a residence cue (``starts`` are the cues' starts) makes the address at ``start`` the resident's;
    with ``close``, only one in the same run of words (a lone number: 住在5组, 门牌号是村里的68号; not
    俺住在东街村二组 前两天有人来收土地款 一户要五百)."""
    for c in home[bisect.bisect_left(starts, start - 40):bisect.bisect_right(starts, start)]:
        if c.end > start or c.label == "door":  # a door cue counts right before its number only: _door_numbers
            continue
        if c.label == "near":
            if start - c.end <= 16 and _direct(work, c.end, start, lex):
                return True
        elif start - c.end <= 24 and not _CLAUSE_END.search(work, c.end, start) \
                and not (close and " " in work[c.end:start].strip()):
            return True
    return False


def _estate_start(work: str, start: int, floor: int, cue: bool, solid: bool, lex: Lexicon) -> Optional[int]:
    """Where an estate name without a suffix starts right before building numbers, if there is one;
    it may end in letters or digits (银海SOHO 2栋, 阳光100 3号楼).  Before numbers that are an
    address by themselves (``solid``) a kind of housing goes too: 学校学生公寓13栋208."""
    latin = _LATIN_NAME.search(work, max(floor, start - 10), start)
    if latin and latin.start() > floor and CJK.match(work[latin.start() - 1]):
        start = latin.start()
    name_start, admin = _name_start(work, start, floor, lex)
    name_start = _strip_front(work, name_start, start, lex)
    name = work[name_start:start]
    if len(name) < 2 or lex.kin.intersection({name, name[1:]}):
        return None
    if admin or cue or not _generic(name, name, lex):
        return name_start
    kind = next((name[-n:] for n in (5, 4) if name[-n:] in lex.not_addresses and name[-1] in "寓舍楼"), "")
    return start - len(kind) if solid and kind else None


def _room_after(chain: List[_Part]) -> Optional["re.Pattern[str]"]:
    """What may follow a run as its room number: after a building or floor (3栋 502, 写字楼1406,
    12楼1208), a zone (W6区1506), a landmark (三合商利写字楼1406), a second number (1088弄5号602);
    after a named part only a dashed one (俊园3-2-501)."""
    last = chain[-1]
    if last.unit in _BUILDING or last.unit[-1] in "层楼" or last.unit in ("区", "landmark"):
        return _ROOM
    if last.unit == "号" and any(not p.named for p in chain[:-1]):
        return _ROOM
    return _DASHED if last.named else None


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
        room = _room_after(chain)
        tail = room.match(work, end) if room else None
        end = tail.end() if tail else end
        lives = work[start - 1:start] == "在" and _LIVES_AFTER.match(work, end) is not None  # 我在北京路那边住
        cue = lives or _cued(work, start, home, starts, lex)
        close = lives or (cue and _cued(work, start, home, starts, lex, close=True))
        estate = None
        solid = _is_address(chain, bool(tail), cue, close, False)
        zone = chain[0].unit in ("区", "期") and solid  # 劲松八区805号楼, 十里银滩二期C区12栋; not 分十二期
        if chain[0].unit in _ESTATE_BEFORE or zone:
            estate = _estate_start(work, start, spans[-1][1] if spans else 0, cue and not zone, solid, lex)
        if not tail and all(p.named for p in chain) and lex.institutions.at(work, end):
            continue  # 人民中路派出所
        if not _is_address(chain, bool(tail), cue, close, estate is not None):
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
