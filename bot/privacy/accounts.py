"""Chat-app ids after their cue word (WeChat, QQ, Alipay, Douyin/Kuaishou) and licence plates.

Both are shapes, so both are regular expressions: the value right after an app
cue (``微信号：laowang_1960``, ``QQ 12345678``) and a plate anywhere
(``云A12345``, ``京B·8K9Q2``, ``粤BD12345``).
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

from bot.privacy.lexicon import Cue

Span = Tuple[int, int, str]

_ID_GAP = re.compile(r"[ \t:：=]{0,3}(?:是|为|叫)?[ \t:：=]{0,3}(?:号码|号|账号|帐号|账户|[iI][dD])?[ \t:：=]{0,3}(?:是|为)?"
                     r"[ \t:：=]{0,3}[“\"'「『(（]?")
_ID_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-.@]{3,39}")
_ASCII_CUE = re.compile(r"[a-z]+", re.I)
_NOT_IDS = frozenset({"wechat", "weixin", "alipay", "douyin", "kuaishou", "tiktok", "qqmail", "online", "account"})
_UNIT_AFTER = re.compile(r" ?(?:元|块|万|千|百|%|岁|年|月|日|号|个|人|次|天|分钟|小时|秒|条|张|笔)")

# Province, letter, optional dot or space, 5 or 6 letters and digits (4 and 学/警/挂 … too).
_PLATE = re.compile(
    r"(?<![A-Za-z0-9])[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领]"
    r"[A-HJ-NP-Za-hj-np-z][ ·.\-]?(?=[A-Za-z0-9]{0,5}[0-9])(?:[A-Za-z0-9]{4}[挂学警港澳领]|[A-Za-z0-9]{5,6})(?![A-Za-z0-9])")


def app_id(work: str, cue: Cue) -> Optional[Span]:
    """The id right after an app cue, as (start, end, app), or None when what follows is no id."""
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


def plates(work: str) -> List[Span]:
    """Every licence plate in the folded text."""
    return [(m.start(), m.end(), "plate") for m in _PLATE.finditer(work)]
