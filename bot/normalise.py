"""Fold the ways residents type the same words into one form.

Residents write traditional characters (a phone set up by a relative in Hong
Kong or Taiwan), full-width letters and digits (Chinese input methods), emoji
and runs of punctuation (？？？ ！！！).  None of that changes what they mean,
and each variant splits the statistics the classifier learns from.  The fold:

1. traditional → simplified with OpenCC's ``t2s`` tables (the ``opencc`` wheel
   ships the dictionaries; nothing is downloaded);
2. full-width ASCII (Ｗｅｃｈａｔ, １２３) → half-width, the ideographic space → a space;
3. emoji and pictographs → a space; a run of the same punctuation → one mark;
4. lower case, runs of spaces → one space.

Used by the Rasa pipeline (bot/rasa/normaliser.py) before tokenising, and by the
scam check's keyword matching, so both read the same text.
"""
from __future__ import annotations

import functools
import re

# Emoji, pictographs, dingbats, variation selectors and the zero-width joiner.
_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\U00002600-\U000027BF\U00002B00-\U00002BFF\U0000FE00-\U0000FE0F\U0000200D\U000020E3]+"
)
_REPEATED_PUNCT = re.compile(r"([!?,.~。，？！、…·\-—=*#])\1+")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _converter().convert(text)


def fold_width(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        elif code == 0x3000:
            ch = " "
        out.append(ch)
    return "".join(out)


def normalise(text: str) -> str:
    """The folded form of a resident's message (see the module docstring)."""
    if not text:
        return text
    text = fold_width(to_simplified(text))
    text = _EMOJI.sub(" ", text)
    text = _REPEATED_PUNCT.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip().lower()
