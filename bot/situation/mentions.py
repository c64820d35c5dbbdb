"""Every lexicon term of a message, as spaCy's PhraseMatcher finds it on the jieba tokens.

A :class:`Mention` is one hit (``field:value`` at a character span, in a clause);
the field modules (:mod:`.impersonation`, :mod:`.given`, and the channel and time
rules in :mod:`.extract`) decide which of them stand.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import List, Tuple

from bot.situation import lexicon, scope
from bot.situation.nlp import phrase_matcher, shared_nlp

Span = Tuple[int, int]


@dataclass(frozen=True)
class Mention:
    """One lexicon (or pattern) hit: ``field:value`` at a char span, in clause ``clause``."""

    field: str
    value: str
    start: int
    end: int
    clause: int


@functools.lru_cache(maxsize=1)
def _matcher():
    return phrase_matcher(lexicon.labelled_terms())


def mentions(text: str, bounds: List[Tuple[int, str]]) -> List[Mention]:
    """Every lexicon term in ``text`` as (field, value, char span, clause index)."""
    matcher = _matcher()  # first: building it adds the terms to the segmenter
    doc = shared_nlp()(text)
    vocab = doc.vocab.strings
    found = []
    for match_id, start, end in matcher(doc):
        label = vocab[match_id]
        if ":" not in label:
            continue
        span = doc[start:end]
        name, value = label.split(":", 1)
        found.append(Mention(name, value, span.start_char, span.end_char, scope.clause_index(bounds, span.start_char)))
    # A longer match hides the shorter ones inside it (今天上午 over 上午).
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: List[Mention] = []
    for m in found:
        if not any(k.start <= m.start and m.end <= k.end and (k.end - k.start) > (m.end - m.start) for k in kept):
            kept.append(m)
    return kept
