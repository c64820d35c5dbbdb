"""Grouping similar short texts: what residents asked that the assistant could not answer.

Residents phrase one question many ways ("养老金诈骗怎么办", "养老诈骗怎么办？"), so
content editors want the variants counted together.  Texts are compared by the
Jaccard similarity of their character bigrams, which works for Chinese without a
word segmenter, and grouped greedily: most frequent first, each text joins the
first group whose example is similar enough, otherwise it starts a new group.
The result depends only on the input, never on dict or set order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterable, List, Tuple

DEFAULT_THRESHOLD = 0.4
MAX_SAMPLES = 3
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass
class TextGroup:
    """Texts judged to ask the same thing; ``example`` is the most frequent one."""

    example: str
    count: int
    variants: int = 1
    samples: List[str] = field(default_factory=list)

    def as_dict(self) -> Dict[str, object]:
        return {"example": self.example, "count": self.count, "variants": self.variants,
                "samples": list(self.samples)}


def normalise(text: str) -> str:
    """Lower case without spaces or punctuation, so "怎么办？" and "怎么办" compare equal."""
    return _NOISE.sub("", text.lower())


def shingles(text: str) -> FrozenSet[str]:
    """Character bigrams of the normalised text (the text itself when shorter than two)."""
    norm = normalise(text)
    if len(norm) < 2:
        return frozenset([norm]) if norm else frozenset()
    return frozenset(norm[i:i + 2] for i in range(len(norm) - 1))


def jaccard(a: FrozenSet[str], b: FrozenSet[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def group_similar(counted: Iterable[Tuple[str, int]], threshold: float = DEFAULT_THRESHOLD) -> List[TextGroup]:
    """Groups of similar texts from ``(text, count)`` pairs, largest group first."""
    ordered = sorted(((text, count) for text, count in counted if text.strip()), key=lambda p: (-p[1], p[0]))
    groups: List[TextGroup] = []
    keys: List[FrozenSet[str]] = []
    # Which groups hold a bigram: only those can reach the threshold, so the rest are skipped.
    by_shingle: Dict[str, List[int]] = {}
    for text, count in ordered:
        key = shingles(text)
        candidates = sorted({g for s in key for g in by_shingle.get(s, ())})
        match = next((g for g in candidates if jaccard(key, keys[g]) >= threshold), None)
        if match is None:
            groups.append(TextGroup(example=text, count=count))
            keys.append(key)
            for s in key:
                by_shingle.setdefault(s, []).append(len(groups) - 1)
            continue
        group = groups[match]
        group.count += count
        group.variants += 1
        if len(group.samples) < MAX_SAMPLES:
            group.samples.append(text)
    # A stable sort keeps the first-seen (more frequent example) order among equal counts.
    return sorted(groups, key=lambda g: -g.count)
