"""Recognise a described situation and name the red flags the resident mentioned.

Residents often describe what happened ("有人说我快递丢了要赔我钱，让我开共享屏幕")
instead of asking about a fraud type.  The NLU model picks the topic; this module
decides whether the message is a description and which of the topic's red flags it
contains, so the reply can say what it saw.
"""
from __future__ import annotations

import functools
import re
from typing import List, Tuple

from bot.knowledge.topics import Topic
from bot.normalise import fold_width, to_simplified
from bot.situation.nlp import phrase_matcher, shared_nlp

# Words that mark a story about something that happened to the resident (or a
# relative), as opposed to a question about a term.
_NARRATIVE = re.compile(
    r"有人|有个|对方|他说|她说|他们说|说我|让我|叫我|要我|喊我|给我打|给我发|打电话|来电话|"
    r"打来|加我|拉我|发来|收到|接到|找我|我在|我被|我妈|我爸|我家|老伴|孩子|儿子|女儿|"
    r"同学|朋友|网友|客服|群里|群主|上门|刚才|今天|昨天|最近|一个人|一个女|一个男|来了个|来了俩|来了两个|来了一个"
)
# A bare "what is X" question is a definition request, even when it names a flag.
_DEFINITION = re.compile(r"^(.{0,12})(是啥|是什么|啥意思|什么意思|是个啥|咋回事)[?？吗呀啊。！!]*$")

PURPOSE = "scam_check"  # its own jieba segmenter, with the red-flag keywords as words

# OpenCC's t2s keeps 帐 (a valid simplified form); residents mean 账 by it.
_VARIANTS = str.maketrans({"帐": "账"})


def normalise(text: str) -> str:
    """Lower-case, fold full-width forms and traditional characters (bot/normalise.py),
    and the 帐/账 variant, so keywords and messages meet in one form."""
    return fold_width(to_simplified(text)).lower().translate(_VARIANTS)


def is_situation(text: str) -> bool:
    """True when the message tells what happened rather than asking about a term."""
    clean = normalise(text).strip()
    if _DEFINITION.match(clean):
        return False
    return bool(_NARRATIVE.search(clean))


@functools.lru_cache(maxsize=64)
def _flag_matcher(flags: Tuple[Tuple[str, ...], ...]):
    """A PhraseMatcher for one topic (label ``i`` is its i-th red flag), and its keywords by flag."""
    keywords = {str(i): [normalise(k) for k in group] for i, group in enumerate(flags) if group}
    return phrase_matcher(keywords, PURPOSE), keywords


def seen_flags(topic: Topic, text: str, limit: int = 3) -> List[str]:
    """The topic's red flags whose keywords occur in the message, in file order.

    spaCy's PhraseMatcher finds keywords made of whole jieba tokens.  jieba also
    glues keywords to their neighbours (征信修复, 手持身份证|照片), so a keyword
    also counts inside one token or when it starts or ends on a token boundary;
    only one that begins and ends in the middle of two words is not there
    (取现 in 零存整取|现在).
    """
    matcher, keywords = _flag_matcher(tuple(tuple(flag.keywords) for flag in topic.red_flags))
    clean = normalise(text)
    doc = shared_nlp(PURPOSE)(clean)
    hits = {int(doc.vocab.strings[match_id]) for match_id, _, _ in matcher(doc)}
    starts = {t.idx for t in doc}
    ends = {t.idx + len(t.text) for t in doc}
    token_at = {i: t.i for t in doc for i in range(t.idx, t.idx + len(t.text))}
    for i, group in keywords.items():
        if int(i) not in hits and any(_on_words(clean, k, starts, ends, token_at) for k in group):
            hits.add(int(i))
    return [topic.red_flags[i].flag for i in sorted(hits)][:limit]


def _on_words(text: str, keyword: str, starts: set, ends: set, token_at: dict) -> bool:
    at = text.find(keyword)
    while keyword and at >= 0:
        end = at + len(keyword)
        if at in starts or end in ends or token_at.get(at) == token_at.get(end - 1):
            return True
        at = text.find(keyword, at + 1)
    return False
