"""Who takes part, and where: venue and audience vocabularies, nicknames, pseudonymous sender keys.

The vocabularies are the choices the volunteer console offers and the dashboard
filters by; a nickname is checked before it is stored or shown on the kiosk.
"""
from __future__ import annotations

import hashlib
import re

from bot.errors import InputError

VENUE_TYPES = ("社区", "老年活动中心", "乡村", "商圈", "学校", "企业", "线上直播", "民族地区", "其他")
AUDIENCE_GROUPS = ("老年人", "学生/青少年", "新市民", "通用")
CHANNELS = ("web", "event", "kiosk", "live")
# Nicknames residents may not use (insults, slurs, impersonating staff).
_RUDE = ("傻", "逼", "屌", "操你", "草泥马", "妈的", "滚", "死", "贱", "婊", "sb", "fuck", "shit", "nmsl", "cnm",
         "管理员", "客服", "警察", "官方")


def sender_key(sender_id: str) -> str:
    """A stable pseudonymous key for a chat sender; the raw id is not stored."""
    return hashlib.sha256(f"fraudbot:{sender_id}".encode("utf-8")).hexdigest()[:32]


def check_nickname(nickname: str) -> str:
    """A cleaned nickname, or InputError naming what is wrong."""
    name = (nickname or "").strip()
    if not name:
        return ""
    if len(name) > 12:
        raise InputError("昵称最多12个字，请换个短一点的。")
    lowered = name.lower().replace(" ", "")
    if any(word in lowered for word in _RUDE):
        raise InputError("这个昵称不太合适，请换一个文明的昵称。")
    if re.search(r"\d{5,}", name):
        raise InputError("昵称里请不要写电话或证件号码。")
    if name[0] in "=+-@":  # a spreadsheet opening the volunteer's CSV export would run it as a formula
        raise InputError("昵称不能以 = + - @ 开头，请换一个。")
    return name
