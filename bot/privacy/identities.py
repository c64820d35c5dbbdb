"""Find names, home addresses, chat-app ids and licence plates in a resident's message.

:func:`find_spans` returns ``(start, end, kind)`` in the original text;
:mod:`bot.privacy.redaction` merges them with its number kinds and writes the
placeholders in :data:`PLACEHOLDERS`.  The text is folded one character for one
(full width → ASCII, traditional → simplified) so offsets stay those of the input.

What is spaCy and what is regex, and why:

* **spaCy** finds the cue words.  One ``PhraseMatcher`` on ``spacy.blank("zh")``
  (its default char segmenter; no model, nothing downloaded) holds the lexicons
  in ``data/privacy/``: name cues, kin words × 叫/名叫/的名字是, app cues and
  residence cues.  A single pass over the tokens reports every cue with its label,
  overlapping ones too (微信 inside 微信号, 他叫 inside 说他叫), and matching on
  ``LOWER`` makes VX, Vx and vx one entry; the lexicons stay word lists.
* **Regular expressions** read shapes: the value after an app cue (a WeChat id, a
  QQ number), licence plates, and address components (路, 12号, 3栋, 二单元, 五零一).
* **Word sets** decide whether the words after a name cue are a name: it must
  start with a surname, and is kept when a title (王警官), a not-a-name word
  (高中, 安全, 马上) or a place (我是江苏人) follows the cue instead.

Overlaps are not resolved here: the caller keeps the union of overlapping spans
(spaCy's ``filter_spans`` would drop a partly overlapped span, and its text with it).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, NamedTuple, Optional, Tuple

from bot.normalise import to_simplified
from bot.settings import PROJECT_ROOT

PLACEHOLDERS: Dict[str, str] = {
    "name": "[姓名]", "address": "[住址]", "wechat": "[微信号]", "qq": "[QQ号]",
    "alipay": "[支付宝账号]", "douyin": "[抖音号]", "plate": "[车牌号]",
}
DATA_DIR = PROJECT_ROOT / "data" / "privacy"
Span = Tuple[int, int, str]

MASK = "\ue000"  # placeholders become this, so "[姓名]" is no 姓名 cue on a second pass
_OWN_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2022: ord("·"), 0x2027: ord("·"), 0x30FB: ord("·"), 0xFF65: ord("·")})
_WIDTH.update({c: ord("-") for c in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212)})
_SURROGATE = re.compile("[\ud800-\udfff]")  # spaCy cannot hash a lone surrogate
# Any character a cue, an address component or a plate needs: without one, no spaCy.
TRIGGER = re.compile("[A-Za-zＡ-Ｚａ-ｚ0-9０-９叫是人名姓称稱系係自住址寄送搬户家号號路街巷弄同道院村组組屯区區园園苑寓厦廈"
                     "栋棟幢座单單元层層楼樓室户戶舍寨庄莊城府扣企支抖快微信]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ADMIN = frozenset("省市区县镇乡州旗盟")
_QUOTES = "“”\"'‘’「」『』《》(（"


def _entries(name: str) -> List[str]:
    words: List[str] = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        words += line.split("#", 1)[0].split()
    return words


def _labelled(name: str) -> Dict[str, List[str]]:
    """``label: entry entry …`` lines, several per label allowed."""
    found: Dict[str, List[str]] = {}
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        label, _, entries = line.split("#", 1)[0].partition(":")
        if entries.strip():
            found.setdefault(label.strip(), []).extend(entries.split())
    return found


class _Words:
    """A word set that answers "which of these starts at position i" fast."""

    def __init__(self, words: List[str]) -> None:
        self.words: FrozenSet[str] = frozenset(words)
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)

    def at(self, text: str, i: int) -> str:
        """The longest word starting at ``text[i]``, or ""."""
        return next((text[i:i + n] for n in self.lengths if text[i:i + n] in self.words), "")


@dataclass(frozen=True)
class Lexicon:
    """The word lists in data/privacy/ (its README.md says what each holds)."""

    cues: Dict[str, List[str]]
    surnames: _Words
    titles: _Words
    not_names: _Words
    kin: FrozenSet[str]
    clause_starts: _Words
    places: _Words
    not_addresses: FrozenSet[str]
    given_stop: FrozenSet[str]
    address_stop: FrozenSet[str]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The word lists, read once."""
    cues, kin, stops = _labelled("cues.txt"), _entries("kin.txt"), _labelled("stop_chars.txt")
    cues["call"] += [k + s for k in kin for s in ("叫", "名叫", "叫做", "的名字叫", "的名字是", "名字叫", "名字是", "的名字")]
    return Lexicon(cues, _Words(_entries("surnames.txt")), _Words(_entries("titles.txt")),
                   _Words(_entries("not_names.txt")), frozenset(kin), _Words(_entries("clause_starts.txt")),
                   _Words(_entries("places.txt")), frozenset(_entries("not_addresses.txt")),
                   frozenset("".join(stops["given"]) + MASK), frozenset("".join(stops["address"]) + MASK))


@functools.lru_cache(maxsize=1)
def _matcher():
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("zh")  # char segmenter: a token per character, nothing to download
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label, phrases in lexicon().cues.items():
        matcher.add(label, [nlp.make_doc(p.lower()) for p in phrases])
    chars = frozenset("".join(p.lower() for phrases in lexicon().cues.values() for p in phrases))
    return nlp, matcher, chars


def fold(text: str) -> str:
    """Same-length copy with full width, traditional characters and our placeholders folded."""
    text = _SURROGATE.sub("\ufffd", text.translate(_WIDTH))
    simple = to_simplified(text)
    if len(simple) != len(text):  # a phrase conversion changed the length: convert char by char
        simple = "".join(s if len(s) == 1 else c for c, s in ((c, to_simplified(c)) for c in text))
    return _OWN_PLACEHOLDER.sub(lambda m: MASK * len(m.group()), simple)


class Cue(NamedTuple):
    label: str
    start: int
    end: int


def cues(work: str) -> List[Cue]:
    """Every cue word in the folded text, overlapping ones included, by position."""
    from spacy.tokens import Doc

    nlp, matcher, chars = _matcher()
    if chars.isdisjoint(work.lower()):
        return []
    # The same one-token-per-character split as the char segmenter makes, built
    # directly (twice as fast), spaces included: token i is character i.
    doc = Doc(nlp.vocab, words=list(work), spaces=[False] * len(work))
    return sorted({Cue(nlp.vocab.strings[key], s, e) for key, s, e in matcher(doc)}, key=lambda c: (c.start, c.end))


def find_spans(text: str) -> List[Span]:
    """Names, addresses, app ids and plates in ``text``, as (start, end, kind); may overlap."""
    if not TRIGGER.search(text):
        return []
    work, lex = fold(text), lexicon()
    found = [(m.start(), m.end(), "plate") for m in _PLATE.finditer(work)]
    cue_list = cues(work)
    for cue in cue_list:
        span = _name(work, cue, lex) if cue.label in ("call", "strong", "self", "surname") else _app_id(work, cue)
        if span:
            found.append(span)
    found += _addresses(work, [c for c in cue_list if c.label == "home"], lex)
    return sorted(set(found))


# --- names -------------------------------------------------------------------

_DOTTED = re.compile(r"[\u4e00-\u9fff]{2,6}·[\u4e00-\u9fff]{2,8}")  # 阿依古丽·买买提
_NAME_GAP = re.compile(r"[ \t:：,，]{0,3}")
_SURNAME_LINK = re.compile(r"[ ，,]{0,2}(?:名字叫|名字是|名叫|单名一个|单名|名|叫)[ :：]{0,2}")
# What follows 叫X when X is a thing: 一个叫安心借的app.
_THING_AFTER = re.compile(r"[^\W的]{0,3}?的?(?:app|APP|软件|平台|网站|群|公司|小程序|链接|游戏|网页|系统|东西|机构|项目|产品|基金|股票|"
                          r"理财|贷款|网贷|直播间|公众号|账户|账号|银行|医院|学校|超市|店|集团|中心)")
_ROLE_AFTER = frozenset("人生员工家族民户者师长主官兵")  # 我是江苏人, 我是高中生


def _name(work: str, cue: Cue, lex: Lexicon) -> Optional[Span]:
    j = _NAME_GAP.match(work, cue.end).end()
    if cue.label in ("strong", "self") and work[j:j + 1] in ("是", "为", "叫"):
        j += 1
    quoted = j < len(work) and work[j] in _QUOTES
    j += quoted
    colon = quoted or (j > cue.end and work[j - 1] in ":：")
    if j >= len(work) or work[j] == MASK or not _CJK.match(work[j]):
        return None
    dotted = _DOTTED.match(work, j)
    if dotted and cue.label != "self":
        return (j, dotted.end(), "name")
    if lex.not_names.at(work, j) or lex.places.at(work, j) or lex.clause_starts.at(work, j):
        return None  # 我是高中生, 我是江苏人, 我叫一下
    surname = lex.surnames.at(work, j)
    if cue.label == "surname":
        return _surname_then_given(work, j, surname, lex)
    if not surname:
        if cue.label == "strong" and colon:  # 姓名：阿依古丽 (a name without a listed surname)
            n = _given(work, j, lex, most=4)
            return (j, j + n, "name") if n >= 2 else None
        return None
    k = j + len(surname)
    if lex.titles.at(work, k):  # 王警官, 张阿姨: a form of address
        return None
    n = _given(work, k, lex)
    if not n:
        return None
    end = k + n
    if cue.label == "self" and work[end:end + 1] in _ROLE_AFTER or work[j:end] in lex.kin:  # 自称孙子的人
        return None
    return None if _THING_AFTER.match(work, end) else (j, end, "name")  # 一个叫安心借的app


def _surname_then_given(work: str, j: int, surname: str, lex: Lexicon) -> Optional[Span]:
    """姓王名芳 and 姓王，叫建国 (the surname goes too); 姓王，叫王建国 (the full name); 我姓王 stays."""
    link = _SURNAME_LINK.match(work, j + len(surname)) if surname else None
    if not link:
        return None
    repeated = work.startswith(surname, link.end())
    p = link.end() + len(surname) * repeated
    n = _given(work, p, lex)
    return ((link.end() if repeated else j), p + n, "name") if n else None


def _given(work: str, k: int, lex: Lexicon, most: int = 2) -> int:
    """How many characters from ``k`` make the given name (0 to ``most``)."""
    n = 0
    while n < most and k + n < len(work):
        c = work[k + n]
        if not _CJK.match(c) or c in lex.given_stop or lex.clause_starts.at(work, k + n):
            break
        if n and len(lex.titles.at(work, k + n)) > 1:  # 王建国老师
            break
        n += 1
    return n


# --- app ids -------------------------------------------------------------------

_ID_GAP = re.compile(r"[ \t:：=]{0,3}(?:是|为|叫)?[ \t:：=]{0,3}(?:号码|号|账号|帐号|账户|[iI][dD])?[ \t:：=]{0,3}(?:是|为)?"
                     r"[ \t:：=]{0,3}[“\"'「『(（]?")
_ID_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-.@]{3,39}")
_ASCII_CUE = re.compile(r"[a-z]+", re.I)
_NOT_IDS = frozenset({"wechat", "weixin", "alipay", "douyin", "kuaishou", "tiktok", "qqmail", "online", "account"})
_UNIT_AFTER = re.compile(r" ?(?:元|块|万|千|百|%|岁|年|月|日|号|个|人|次|天|分钟|小时|秒|条|张|笔)")


def _app_id(work: str, cue: Cue) -> Optional[Span]:
    before = work[cue.start - 1:cue.start]
    if _ASCII_CUE.fullmatch(work, cue.start, cue.end) and before.isascii() and before.isalnum():
        return None  # "vx" inside a longer word
    if work.startswith("wxid_", cue.start):
        value = _ID_VALUE.match(work, cue.start)
        return (cue.start, value.end(), "wechat") if value else None
    value = _ID_VALUE.match(work, _ID_GAP.match(work, cue.end).end())
    if not value:
        return None
    text = value.group().rstrip("-_.@")
    start, end = value.start(), value.start() + len(text)
    digits = text.isdigit()
    if digits and (_UNIT_AFTER.match(work, end) or not 5 <= len(text) <= 15 or text[0] == "0" and len(text) < 11):
        return None
    if cue.label == "qq" and not digits:
        return None
    if text.isalpha() and (len(text) < 6 or text.lower() in _NOT_IDS):
        return None
    return (start, end, cue.label)


# --- licence plates: province, letter, optional dot or space, 5 or 6 letters and digits ---

_PLATE = re.compile(
    r"(?<![A-Za-z0-9])[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领]"
    r"[A-HJ-NP-Za-hj-np-z][ ·.\-]?(?=[A-Za-z0-9]{0,5}[0-9])(?:[A-Za-z0-9]{4}[挂学警港澳领]|[A-Za-z0-9]{5,6})(?![A-Za-z0-9])")


# --- addresses -----------------------------------------------------------------
# An address is a run of parts next to each other: named ones (人民中路, 阳光小区,
# 李家村, the name read backwards from the suffix up to an admin unit or a stop
# character) and numbered ones (88号, 3栋, 二单元, 501).  Admin units before the
# run (昆明市五华区) stay; generic names (马路, 我们小区, 农村) are no parts.

_NUM = r"(?:[0-9]{1,6}(?:-[0-9]{1,5}){0,3}[A-Za-z]?|(?<![A-Za-z])[A-Za-z][0-9]{1,3}|[零〇一二两三四五六七八九十百千]{1,6}|(?<![A-Za-z])[A-Za-z])"
_COMPONENT = re.compile(
    r"(?<![第0-9\-零〇一二两三四五六七八九十百千])(?P<num>" + _NUM + r")"
    r"(?P<unit>号楼|号院|单元|号(?![码线机])|栋|幢|座|层|楼|室|户|房|弄|组|队|社|期|区)"
    r"|(?P<named>(?:小区|花园|公寓|家园|新村|大院|宿舍|大厦|社区|村委会|村(?![里民口子长干委霸头上落庄镇])|屯|寨|苑|胡同|巷(?!子)"
    r"|园(?![丁长林艺])|庄(?![稼园])|城(?![里管])|府(?!上))(?![区县市镇乡路街巷道])"
    r"|(?:大道|大街|路|街(?!道|坊))(?:[一二三四五六七八东西南北中]段)?(?![区县市镇乡]))")
_STRONG = frozenset("小区 花园 公寓 家园 新村 社区 村委会 村 屯 苑 大院".split())
_BUILDING = frozenset("号楼 号院 单元 栋 幢 座 室 户 房".split())
_ROOM = re.compile(r"[ \-]?(?:[0-9]{2,5}|[零〇一二三四五六七八九]{3,4})(?![0-9])(?:室|号|房|户)?")
_DASHED = re.compile(r"[ \-]?[0-9]{1,6}(?:-[0-9]{1,5}){1,3}(?![0-9])(?:室|号|房)?")
_CHAIN_GAP = re.compile(r"[ \-·,，]?")
_CLAUSE_END = re.compile(r"[，。！？；,.!?;\n]")
# A street or estate name that names an office or an activity: 人民中路派出所, 社区活动.
_NOT_HOME_AFTER = re.compile(r"(?:派出所|公安|分局|警务|银行|支行|分行|营业|医院|卫生院|小学|中学|学校|大学|校区|地铁|车站|站|"
                             r"邮局|超市|商场|市场|街道办|办事处|居委会|法院|检察院|政府|税务|社保|医保|活动|工作|服务|"
                             r"民警|网格|干部|规定)")


@dataclass
class _Part:
    start: int
    end: int
    unit: str  # the suffix: 路, 小区, 栋, 号 ...
    named: bool  # 人民中路, 阳光小区 (only real names are kept: not 马路, 我们小区)
    admin: bool = False  # right after 区/县/镇 …: 五华区人民路


def _name_start(work: str, end: int, floor: int, lex: Lexicon) -> Tuple[int, bool]:
    """Where the name before an address suffix starts, and whether an admin unit precedes it."""
    i = end
    while i > floor and end - i < 8:
        c = work[i - 1]
        if c in _ADMIN or work.startswith("街道", i - 2):
            return i, True
        if not _CJK.match(c) or c in lex.address_stop:
            break
        i -= 1
    return i, False


def _strip_places(work: str, i: int, end: int, lex: Lexicon) -> int:
    """Skip city and province names at the front: 昆明人民中路 → 人民中路."""
    while True:
        place = lex.places.at(work, i)
        if not place or end - i - len(place) < 2:
            return i
        i += len(place)


def _parts(work: str, lex: Lexicon) -> List[_Part]:
    parts: List[_Part] = []
    for m in _COMPONENT.finditer(work):
        if m.group("unit") == "区" and _CJK.match(m.group("num")):
            continue  # 二七区 is a district; B区, R1区 are parts of an estate
        if m.group("unit"):
            parts.append(_Part(m.start(), m.end(), m.group("unit"), named=False))
            continue
        floor = parts[-1].end if parts else 0  # a rejected name (马路, 城中村) is no floor: it is not kept
        start, admin = _name_start(work, m.start(), floor, lex)
        start = _strip_places(work, start, m.start(), lex)
        name, whole = work[start:m.start()], work[start:m.end()]
        tails = {name[i:] for i in range(len(name) - 1)} | {name, whole}  # 推销养老公寓: 养老
        generic = tails & lex.not_addresses or whole in lex.places.words or whole in lex.not_names.words
        chained = start == floor > 0  # right after another part: 汤郎村委会大村
        good = len(name) >= 2 or (len(name) == 1 and (admin or chained))  # 李家村; 金牛镇李村
        if good and (chained or not generic):
            parts.append(_Part(start, m.end(), m.group("named"), named=True, admin=admin))
    return parts


def _is_address(chain: List[_Part], room: bool, cue: bool) -> bool:
    """Whether parts next to each other make an address, given a room number after them and a residence cue before."""
    named = [p for p in chain if p.named]
    numbers = [p for p in chain if not p.named]
    buildings = sum(p.unit in _BUILDING for p in numbers) + room
    if any(p.unit in _STRONG for p in named):  # 阳光小区, 李家村
        return True
    if named and (numbers or room or cue or named[0].admin):  # 人民路12号, 住在人民路, 五华区人民路
        return True
    street_number = any(p.unit in ("号", "弄", "组", "队", "社") for p in numbers)  # 住在5组
    return buildings >= 2 or bool(buildings and len(numbers) >= 2) or bool((buildings or street_number) and cue)


def _addresses(work: str, home: List[Cue], lex: Lexicon) -> List[Span]:
    chains: List[List[_Part]] = []
    for part in _parts(work, lex):  # parts next to each other make one address
        if chains and _CHAIN_GAP.fullmatch(work, chains[-1][-1].end, part.start):
            chains[-1].append(part)
        else:
            chains.append([part])
    spans: List[Span] = []
    for chain in chains:
        start, end, last = chain[0].start, chain[-1].end, chain[-1]
        room = _ROOM if last.unit in _BUILDING or last.unit in ("层", "楼") else _DASHED if last.named else None
        tail = room.match(work, end) if room else None
        end = tail.end() if tail else end
        cue = any(c.end <= start and start - c.end <= 24 and not _CLAUSE_END.search(work, c.end, start) for c in home)
        if not tail and all(p.named for p in chain) and _NOT_HOME_AFTER.match(work, end):
            continue  # 人民中路派出所
        if not _is_address(chain, bool(tail), cue):
            continue
        if not chain[0].named:  # an estate name without a suffix: 住在保利香槟国际3栋
            name_start, admin = _name_start(work, start, spans[-1][1] if spans else 0, lex)
            name_start = _strip_places(work, name_start, start, lex)
            if start - name_start >= 2 and (admin or cue):
                start = name_start
        if spans and _CHAIN_GAP.fullmatch(work, spans[-1][1], start):  # 北京路延长线888号: one address
            start = spans.pop()[0]
        spans.append((start, end, "address"))
    return spans
