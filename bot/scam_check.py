"""Recognise a described situation and name the red flags the resident mentioned.

Residents often describe what happened ("有人说我快递丢了要赔我钱，让我开共享屏幕")
instead of asking about a fraud type.  The NLU model picks the topic; this module
decides whether the message is a description and which of the topic's red flags it
contains, so the reply can say what it saw.
"""
from __future__ import annotations

import re
from typing import List

from bot.knowledge import Topic

# Words that mark a story about something that happened to the resident (or a
# relative), as opposed to a question about a term.
_NARRATIVE = re.compile(
    r"有人|有个|对方|他说|她说|他们说|说我|让我|叫我|要我|喊我|给我打|给我发|打电话|来电话|"
    r"打来|加我|拉我|发来|收到|接到|找我|我在|我被|我妈|我爸|我家|老伴|孩子|儿子|女儿|"
    r"同学|朋友|网友|客服|群里|群主|上门|刚才|今天|昨天|最近|一个人|一个女|一个男"
)
# A bare "what is X" question is a definition request, even when it names a flag.
_DEFINITION = re.compile(r"^(.{0,12})(是啥|是什么|啥意思|什么意思|是个啥|咋回事)[?？吗呀啊。！!]*$")

_SIMPLIFY = str.maketrans({"帐": "账", "屏": "屏", "碼": "码", "賬": "账", "轉": "转"})


def normalise(text: str) -> str:
    """Lower-case, fold full-width forms and common variant characters."""
    folded = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII
            ch = chr(code - 0xFEE0)
        folded.append(ch)
    return "".join(folded).lower().translate(_SIMPLIFY)


def is_situation(text: str) -> bool:
    """True when the message tells what happened rather than asking about a term."""
    clean = normalise(text).strip()
    if _DEFINITION.match(clean):
        return False
    return bool(_NARRATIVE.search(clean))


def seen_flags(topic: Topic, text: str, limit: int = 3) -> List[str]:
    """The topic's red flags whose keywords occur in the message, in file order."""
    clean = normalise(text)
    found = []
    for red_flag in topic.red_flags:
        if any(normalise(k) in clean for k in red_flag.keywords):
            found.append(red_flag.flag)
        if len(found) == limit:
            break
    return found
