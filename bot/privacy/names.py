"""Names after a name cue (我叫王芳, 本人陈志强, 我老伴叫孙桂兰, 收件人：周建平, 姓王名芳) and dotted names.

The words after a cue are a name when they start with a surname (a compound one
wins: 欧阳娜娜), or, after a colon or a quote, when they are any 2-4 characters
(姓名：阿依古丽).  They are no name when a title (王警官), a not-a-name word (高中,
安全, 马上) or a place (我是江苏人) follows the cue instead.  After 我是/本人 a role
may come first (我是退休教师何淑芬).  Dotted names (热依拉·艾力) are names with or
without a cue; after 我叫/我是 a minority name is the whole run of words when most of
its characters are those of transliterated names (扎西顿珠, 阿布都热合曼, 罗布次仁).
After someone else's 是 (我女儿是, 对方说他是) only a whole name counts: a surname, two
given characters and the end of the words (我女儿是何晓雯, 他是李国强警官; 他是苏宁的 stays).
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

from bot.privacy.lexicon import CJK, MASK, Cue, Lexicon

Span = Tuple[int, int, str]

_NAME_GAP = re.compile(r"[ \t:：,，]{0,3}")
_SURNAME_LINK = re.compile(r"[ ，,]{0,2}(?:名字叫|名字是|名叫|单名一个|单名|名|叫)[ :：]{0,2}")
# What follows 叫X when X is a thing: 一个叫安心借的app.
_THING_AFTER = re.compile(r"[^\W的]{0,3}?的?(?:app|APP|软件|平台|网站|群|公司|小程序|链接|游戏|网页|系统|东西|机构|项目|产品|基金|股票|"
                          r"理财|贷款|网贷|直播间|公众号|账户|账号|银行|医院|学校|超市|店|集团|中心)")
_ROLE_AFTER = frozenset("人生员工家族民户者师长主官兵")  # 我是江苏人, 我是高中生
_QUOTES = "“”\"'‘’「」『』《》(（"
_FIELD = re.compile(r"[\u4e00-\u9fff]{1,5}(?![\u4e00-\u9fff])")  # a form field's whole value: 户主姓名：张福来
_MINE = re.compile(r"(?:我的|他的|她的|我|他|她)?")
_FIRST_PERSON = frozenset("我本俺偶咱")  # 我是, 本人: the writer; 我女儿是, 他是: someone else


def find_name(work: str, cue: Cue, lex: Lexicon) -> Optional[Span]:
    """The name right after a name cue (labels ``call``, ``strong``, ``self``, ``surname``), or None."""
    j = _NAME_GAP.match(work, cue.end).end()
    if cue.label in ("strong", "self") and work[j:j + 1] in ("是", "为", "叫"):
        j += 1
    quoted = j < len(work) and work[j] in _QUOTES
    j += quoted
    colon = quoted or (j > cue.end and work[j - 1] in ":：")
    if j >= len(work) or work[j] == MASK or not CJK.match(work[j]):
        return None
    dotted = _dotted_end(work, j, lex) if "·" in work else j
    if dotted > j and not lex.places.at(work, j):
        return (j, dotted, "name")  # 阿依古丽·买买提
    if cue.label in ("self", "strong") and not colon:
        j = _after_roles(work, j, cue.label == "strong", lex)  # 我是退休教师何淑芬, 联系人是我女儿周婷
        if j >= len(work) or not CJK.match(work[j]):
            return None
    if lex.not_names.at(work, j) or lex.places.at(work, j) or lex.clause_starts.at(work, j):
        return None  # 我是高中生, 我是江苏人, 我叫一下
    other = cue.label == "self" and work[cue.start] not in _FIRST_PERSON
    run = _transliterated(work, j, lex) if cue.label in ("call", "self") and not other else j
    if run > j:
        return None if _THING_AFTER.match(work, run) else (j, run, "name")  # 我叫扎西顿珠
    called = cue.label == "call" and work[cue.end - 1] == "叫"  # 我老伴叫和丽华; not 孩子的名字和学校
    surname = lex.surnames.at(work, j) or (called and lex.call_surnames.at(work, j))
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
    field = _FIELD.match(work, j).end() - j if colon else 0
    if n + len(surname) < field <= 4:
        n = field - len(surname)  # 户主姓名：张福来: a form's field holds the whole name
    elif n == 1 and work[k + 1:k + 2] in lex.given_ok and (k + 2 == len(work) or not CJK.match(work[k + 2])):
        n = 2  # 我叫张福来，: a stop character common in given names, then punctuation
    if n == 2 and len(surname) == 1 and lex.surnames.at(work, k) and _name_char(work, k + 2, lex) \
            and _ends_name(work, k + 3, lex):
        n = 3  # 陈李秀英: her husband's surname before her own
    end = k + n
    if cue.label == "self" and work[end:end + 1] in _ROLE_AFTER or work[j:end] in lex.kin:  # 自称孙子的人
        return None
    whole = n == 2 and _ends_name(work, end, lex)
    if (other or not lex.surnames.at(work, j)) and not whole:
        return None  # 对方是苏宁的; 叫和好
    return None if _THING_AFTER.match(work, end) else (j, end, "name")  # 一个叫安心借的app


def _after_roles(work: str, j: int, kin: bool, lex: Lexicon) -> int:
    """Past the roles and fillers after 我是/本人 (退休教师, 那个, 一名), and with ``kin`` a relative
    after 联系人是 (我女儿), if any."""
    if kin:
        mine = _MINE.match(work, j).end()
        relative = _kin_at(work, mine, lex)
        if relative:
            return mine + len(relative)
    for _ in range(4):
        role = lex.roles.at(work, j)
        if not role:
            break
        j += len(role)
    return j


def _surname_then_given(work: str, j: int, surname: str, lex: Lexicon) -> Optional[Span]:
    """姓王名芳 and 姓王，叫建国 (the surname goes too); 姓王，叫王建国 (the full name); 我姓王 stays."""
    link = _SURNAME_LINK.match(work, j + len(surname)) if surname else None
    if not link:
        return None
    repeated = work.startswith(surname, link.end())
    p = link.end() + len(surname) * repeated
    n = _given(work, p, lex)
    return ((link.end() if repeated else j), p + n, "name") if n else None


def _name_char(work: str, i: int, lex: Lexicon) -> bool:
    return i < len(work) and bool(CJK.match(work[i])) and work[i] not in lex.given_stop \
        and not lex.clause_starts.at(work, i)


def _ends_name(work: str, i: int, lex: Lexicon) -> bool:
    """Whether a name may end before ``work[i]``: the text ends, or punctuation, a stop character,
    a new clause, a title or a kin word follows."""
    return not _name_char(work, i, lex) or len(lex.titles.at(work, i)) > 1 or len(_kin_at(work, i, lex)) > 1


def _kin_at(work: str, i: int, lex: Lexicon) -> str:
    return next((work[i:i + n] for n in (3, 2) if work[i:i + n] in lex.kin), "")


def _given(work: str, k: int, lex: Lexicon, most: int = 2) -> int:
    """How many characters from ``k`` make the given name (0 to ``most``)."""
    n = 0
    while n < most and k + n < len(work):
        c = work[k + n]
        if not CJK.match(c) or lex.clause_starts.at(work, k + n):
            break
        # 王来福, 李得胜: a stop character that is common in given names counts
        # when one more given character and the end of the name follow.
        if c in lex.given_stop and not (n == 0 and c in lex.given_ok and _name_char(work, k + 1, lex)
                                        and _ends_name(work, k + 2, lex)):
            break
        if n and (len(lex.titles.at(work, k + n)) > 1 or len(_kin_at(work, k + n, lex)) > 1):  # 王建国老师, 王芳老伴
            break
        n += 1
    return n


def _transliterated(work: str, j: int, lex: Lexicon) -> int:
    """The end of a minority or foreign name right after 我叫/我是 (次仁卓玛, 沙玛阿支), or ``j``:
    2-6 characters, three in four of them those of transliterated names, then the words end.
    阿 and one more (阿强, 阿姨) is a nickname or a word."""
    end = _segment(work, j, lex)
    letters = work[j:end]
    if not 2 + (letters[:1] == "阿") <= len(letters) <= 6 \
            or sum(c in lex.transliteration for c in letters) < 0.75 * len(letters):
        return j
    if end < len(work) and CJK.match(work[end]) and not lex.clause_starts.at(work, end):
        return j  # 我是哈萨克族, 我是阿里的
    return end


def _segment(work: str, i: int, lex: Lexicon) -> int:
    """The end of one part of a dotted name: up to 8 characters, stop characters only if names use them (买买提)."""
    j = i
    while j < len(work) and j - i < 8 and CJK.match(work[j]) \
            and (work[j] not in lex.given_stop or work[j] in lex.transliteration):
        j += 1
    return j


def _dotted_end(work: str, i: int, lex: Lexicon) -> int:
    """The end of a dotted name starting at ``i`` (2 or 3 parts of 2 or more characters), or ``i``."""
    end = _segment(work, i, lex)
    if end - i < 2:
        return i
    parts = 1
    while parts < 3 and work[end:end + 1] == "·":
        after = _segment(work, end + 1, lex)
        if after - end - 1 < 2:
            break
        end, parts = after, parts + 1
    return end if parts > 1 else i


def dotted_names(work: str, lex: Lexicon) -> List[Span]:
    """Names with a middle dot anywhere (古丽米热·艾合买提): the part before the dot back to a stop character."""
    found: List[Span] = []
    for dot in re.finditer("·", work):
        if found and dot.start() < found[-1][1]:
            continue  # the second dot of 阿卜杜拉·艾山·吐尔逊
        i = dot.start()
        while i > 0 and dot.start() - i < 8 and CJK.match(work[i - 1]) \
                and (work[i - 1] not in lex.given_stop or work[i - 1] in lex.transliteration):
            i -= 1
        i += len(_kin_at(work, i, lex))  # 我邻居迪丽热巴·迪力木拉提
        end = _dotted_end(work, i, lex)
        letters = work[i:end].replace("·", "")
        if end == i or sum(c in lex.transliteration for c in letters) < 0.6 * len(letters):
            continue  # 吃喝·玩乐: two words
        if lex.places.at(work, i) or lex.not_names.at(work, i):
            continue  # 云南·大理
        found.append((i, end, "name"))
    return found
