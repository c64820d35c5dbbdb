"""Concerns: the questions residents ask beside a topic, answered in one bubble.

A topic's answer says what the scam is and what to do.  Residents then ask what
their own story raises: 他连我身份证号都知道 咋可能是假的, 前面那两千不就白瞎了,
已经报警了 还能干点啥, 银行电话咋打, 网贷的钱我还得还吗.  Each concern in
``data/concerns/*.yml`` names the words that raise it (every group of ``when``
needs one of its words, none of ``unless`` may occur; ``or_when``, when given, is a
second such set that raises the same answer, as 12381 + 回电话 and 短信 + 不用回 do), the topics it belongs to
(none: any topic), whether it is only for a resident whose money has (not) gone,
whether it answers the message alone (密码忘了怎么重置 needs no scam talk), and the one
bubble that answers it, with its sources like any knowledge bubble.

The first concern in file order that the message raises is the one answered, so
the files list the narrow concerns before the broad ones.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Tuple

import yaml

from bot.errors import ContentError
from bot.normalise import normalise as fold
from bot.knowledge.topics import MAX_MESSAGE_CHARS
from bot.settings import PROJECT_ROOT

CONCERNS_DIR = PROJECT_ROOT / "data" / "concerns"


def normalise(text: str) -> str:
    """The pipeline's fold (traditional, full-width, Cantonese, spoken digits), and 帐 → 账."""
    return fold(text).replace("帐", "账")


@dataclass(frozen=True)
class Concern:
    key: str
    when: Tuple[Tuple[str, ...], ...]  # every group needs one of its words
    text: str
    sources: Tuple[str, ...]
    unless: Tuple[str, ...] = ()
    topics: Tuple[str, ...] = ()  # empty: a concern on any topic, or with none
    not_after_loss: bool = False  # 是不是就没事了: only when no money has gone
    answers_alone: bool = False  # 密码忘了怎么重置: the whole answer, even as a first message
    only_after_loss: bool = False  # 要报警吗: only when money has gone
    or_when: Tuple[Tuple[str, ...], ...] = ()  # another set of groups that raises the same answer

    def raised_by(self, clean: str, topic_key: Optional[str], money_gone: bool) -> bool:
        if self.topics and topic_key not in self.topics:
            return False
        if (self.not_after_loss and money_gone) or (self.only_after_loss and not money_gone):
            return False
        if any(word in clean for word in self.unless):
            return False
        return any(all(any(word in clean for word in group) for group in groups)
                   for groups in (self.when, self.or_when) if groups)


def _words(path: Path, key: str, value: object, name: str) -> Tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip() for w in value):
        raise ContentError(f"{path.name}: concern {key!r}: '{name}' must be a non-empty list of words")
    return tuple(normalise(w.strip()) for w in value)


def load_file(path: Path) -> Tuple[Concern, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContentError(f"{path.name}: not valid YAML ({error})") from error
    items = (data or {}).get("concerns") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise ContentError(f"{path.name}: expected a non-empty 'concerns' list")
    concerns = []
    for item in items:
        key = item.get("key") if isinstance(item, dict) else None
        if not key:
            raise ContentError(f"{path.name}: every concern needs a 'key'")
        when, or_when = item.get("when"), item.get("or_when")
        for name, groups in (("when", when), ("or_when", or_when)):
            if (groups is not None or name == "when") and (not isinstance(groups, list) or not groups):
                raise ContentError(f"{path.name}: concern {key!r}: '{name}' must be a list of word lists")
        text = str(item.get("text") or "").strip()
        if not text or len(text) > MAX_MESSAGE_CHARS:
            raise ContentError(f"{path.name}: concern {key!r}: 'text' must be 1 to {MAX_MESSAGE_CHARS} characters")
        concerns.append(Concern(
            key=str(key),
            when=tuple(_words(path, key, group, "when") for group in when),
            text=text,
            sources=_words(path, key, item.get("sources"), "sources"),
            unless=_words(path, key, item["unless"], "unless") if item.get("unless") else (),
            topics=tuple(str(t) for t in item.get("topics") or ()),
            not_after_loss=bool(item.get("not_after_loss", False)),
            answers_alone=bool(item.get("answers_alone", False)),
            only_after_loss=bool(item.get("only_after_loss", False)),
            or_when=tuple(_words(path, key, group, "or_when") for group in or_when or ()),
        ))
    return tuple(concerns)


def load_concerns(directory: Path = CONCERNS_DIR) -> Tuple[Concern, ...]:
    paths = sorted(directory.glob("*.yml"))
    concerns = tuple(c for path in paths for c in load_file(path))
    keys = [c.key for c in concerns]
    duplicated = sorted({k for k in keys if keys.count(k) > 1})
    if duplicated:
        raise ContentError(f"concern keys used twice: {duplicated}")
    return concerns


@functools.lru_cache(maxsize=1)
def default_concerns() -> Tuple[Concern, ...]:
    return load_concerns()


def concern_for(text: str, topic_key: Optional[str] = None, money_gone: bool = False,
                concerns: Optional[Tuple[Concern, ...]] = None) -> Optional[Concern]:
    """The first concern the message raises, or None."""
    if not text or text.startswith("/"):
        return None
    clean = normalise(text)
    for concern in default_concerns() if concerns is None else concerns:
        if concern.raised_by(clean, topic_key, money_gone):
            return concern
    return None
