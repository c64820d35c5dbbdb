"""The word lists in ``data/privacy/`` that the identity finders share, read once.

``data/privacy/README.md`` says what each file holds.  Also here: the few
definitions every finder needs (the mask character, what a Chinese character is,
and :class:`Cue`, a cue word found by :func:`bot.privacy.identities.cues`).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, NamedTuple

from bot.settings import PROJECT_ROOT

DATA_DIR = PROJECT_ROOT / "data" / "privacy"
MASK = "\ue000"  # placeholders become this, so "[姓名]" is no 姓名 cue on a second pass
CJK = re.compile(r"[\u4e00-\u9fff]")
ADMIN = frozenset("省市区县镇乡州旗盟")
# Kin words × these make cues: 我老伴叫 (a name follows), 我儿子住 (an address follows).
_CALL_AFTER_KIN = ("叫", "名叫", "叫做", "的名字叫", "的名字是", "名字叫", "名字是", "的名字")
_HOME_AFTER_KIN = ("住", "住在", "家住", "家在", "家是")
# 我女儿是何晓雯, 对方是李明: a name may follow, but only a whole one (see names.find_name).
_SELF_AFTER_KIN = ("是",)


class Cue(NamedTuple):
    """A cue word at ``work[start:end]``; ``label`` is its line in cues.txt."""

    label: str
    start: int
    end: int


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


class Words:
    """A word set that answers "which of these starts at position i" fast."""

    def __init__(self, words: List[str]) -> None:
        self.words: FrozenSet[str] = frozenset(words)
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)
        self._first = frozenset(w[0] for w in self.words)  # most positions start no word: answer those at once

    def at(self, text: str, i: int) -> str:
        """The longest word starting at ``text[i]``, or ""."""
        if text[i:i + 1] not in self._first:
            return ""
        for n in self.lengths:
            if text[i:i + n] in self.words:
                return text[i:i + n]
        return ""

    def ending(self, text: str) -> str:
        """The longest word that ends ``text``, or ""."""
        return next((text[-n:] for n in self.lengths if n <= len(text) and text[-n:] in self.words), "")


@dataclass(frozen=True)
class Lexicon:
    """The word lists in data/privacy/ (its README.md says what each holds)."""

    cues: Dict[str, List[str]]
    surnames: Words
    call_surnames: Words
    titles: Words
    not_names: Words
    roles: Words
    kin: FrozenSet[str]
    clause_starts: Words
    places: Words
    transliteration: FrozenSet[str]
    not_addresses: FrozenSet[str]
    not_address_ends: Words
    not_admin: Words
    after_address: Words
    institutions: Words
    given_stop: FrozenSet[str]
    given_ok: FrozenSet[str]
    address_stop: FrozenSet[str]
    address_ok: FrozenSet[str]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The word lists, read once."""
    cues, kin, stops = _labelled("cues.txt"), _entries("kin.txt"), _labelled("stop_chars.txt")
    cues["call"] += [k + s for k in kin for s in _CALL_AFTER_KIN]
    cues["home"] += [k + s for k in kin for s in _HOME_AFTER_KIN]
    cues["self"] += [k + s for k in kin for s in _SELF_AFTER_KIN]
    return Lexicon(
        cues=cues, surnames=Words(_entries("surnames.txt")),
        call_surnames=Words(_entries("call_surnames.txt")), titles=Words(_entries("titles.txt")),
        not_names=Words(_entries("not_names.txt")), roles=Words(_entries("roles.txt")), kin=frozenset(kin),
        clause_starts=Words(_entries("clause_starts.txt")), places=Words(_entries("places.txt")),
        transliteration=frozenset("".join(_entries("transliteration.txt"))),
        not_addresses=frozenset(_entries("not_addresses.txt")),
        not_address_ends=Words(_entries("not_address_ends.txt")), not_admin=Words(_entries("not_admin.txt")),
        after_address=Words(_entries("after_address.txt")),
        institutions=Words(_entries("institutions.txt")), given_stop=frozenset("".join(stops["given"]) + MASK),
        given_ok=frozenset("".join(stops["given_ok"])), address_stop=frozenset("".join(stops["address"]) + MASK),
        address_ok=frozenset("".join(stops["address_ok"])))
