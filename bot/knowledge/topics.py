"""The knowledge base: one YAML file per topic in ``data/knowledge/``.

A bubble is a text, or ``{text: ..., sources: [id, ...]}`` when it cites sources of
its own; a plain text cites the topic's ``sources``.  The ids name entries of the
source registry (``bot.knowledge.sources``); ``Topic.messages`` returns plain texts.

The files are the single source of every knowledge answer; ``action_answer_topic``
composes the replies from them at run time.  Rasa still needs one retrieval response
per ``faq/<key>`` intent, so ``python -m bot.knowledge.topics export`` writes a placeholder
per key into domain.yml.  The placeholder holds the key only, never the answer text:
Rasa fingerprints retrieval responses as NLU training data (RasaHQ/rasa#10751), and an
edit of an answer must not retrain the classifier.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import yaml

from bot.errors import ContentError, UnknownTopic
from bot.settings import PROJECT_ROOT

KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"
DOMAIN_FILE = PROJECT_ROOT / "domain.yml"
MAX_MESSAGE_CHARS = 100  # an elderly reader's phone screen at a large font
MESSAGE_FIELDS = ("answer", "details", "what_to_do", "hotline", "transferred", "insist")
# Parts a topic may leave out: "insist" (the reply when the resident pushes back on a
# "no": 就借一次 / 他是我亲表哥 / 别人都在做) falls back to a text per alert.
OPTIONAL_FIELDS = ("insist",)

# What a described situation most likely is, per topic: used by scam_check.
ALERT_FRAUD = "fraud"  # "very likely a scam"
ALERT_ILLEGAL = "illegal"  # "this is against the law" (renting cards, fundraising)
ALERT_NONE = "none"  # advice topics: no alarm


@dataclass(frozen=True)
class RedFlag:
    flag: str
    keywords: Tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    sources: Tuple[str, ...]  # registry ids (data/sources/) behind every bubble without its own
    answer: Tuple[str, ...]
    details: Tuple[str, ...]
    what_to_do: Tuple[str, ...]
    hotline: Tuple[str, ...]
    transferred: Tuple[str, ...]
    red_flags: Tuple[RedFlag, ...]
    insist: Tuple[str, ...] = ()
    alert: str = ALERT_FRAUD
    situation: str = ""  # optional opening for a described situation
    terms: Tuple[str, ...] = ()  # words that name this topic (征信, 对公账户 …)
    # Per part, the source ids a bubble cites itself (empty: the topic's sources).
    bubble_sources: Tuple[Tuple[str, Tuple[Tuple[str, ...], ...]], ...] = ()

    def messages(self, part: str) -> Tuple[str, ...]:
        if part not in MESSAGE_FIELDS:
            raise ValueError(f"unknown answer part {part!r}")
        return getattr(self, part)

    def cited(self, part: str) -> List[Tuple[str, Tuple[str, ...]]]:
        """Each bubble of ``part`` with the source ids behind it."""
        own = dict(self.bubble_sources).get(part) or ((),) * len(self.messages(part))
        return [(text, ids or self.sources) for text, ids in zip(self.messages(part), own)]


def _strings(path: Path, data: dict, name: str, required: bool = True) -> Tuple[str, ...]:
    value = data.get(name)
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(f"{path.name}: '{name}' must be a non-empty list of texts")
    return tuple(v.strip() for v in value)


def _bubbles(path: Path, data: dict, name: str) -> Tuple[Tuple[str, ...], Tuple[Tuple[str, ...], ...]]:
    """A part's bubbles: each a text, or ``{text: ..., sources: [id, ...]}``."""
    value = data.get(name)
    if not isinstance(value, list) or not value:
        raise ContentError(f"{path.name}: '{name}' must be a non-empty list of texts")
    texts, sources = [], []
    for item in value:
        if isinstance(item, dict):
            text, ids = item.get("text"), item.get("sources")
            if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i.strip() for i in ids):
                raise ContentError(f"{path.name}: a bubble in '{name}' needs 'sources', a list of source ids")
        else:
            text, ids = item, []
        if not isinstance(text, str) or not text.strip():
            raise ContentError(f"{path.name}: '{name}' must be a non-empty list of texts")
        texts.append(text.strip())
        sources.append(tuple(i.strip() for i in ids))
    return tuple(texts), tuple(sources)


def load_topic(path: Path) -> Topic:
    """Parse and check one knowledge file; errors name the file and the field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContentError(f"{path.name}: not valid YAML ({error})") from error
    if not isinstance(data, dict):
        raise ContentError(f"{path.name}: expected a mapping at the top")
    key = data.get("key")
    if key != path.stem:
        raise ContentError(f"{path.name}: key {key!r} must equal the file name {path.stem!r}")
    flags = []
    for item in data.get("red_flags") or []:
        if not isinstance(item, dict) or not item.get("flag") or not item.get("keywords"):
            raise ContentError(f"{path.name}: each red flag needs 'flag' and 'keywords'")
        flags.append(RedFlag(str(item["flag"]).strip(), tuple(str(k) for k in item["keywords"])))
    alert = data.get("alert", ALERT_FRAUD)
    if alert not in (ALERT_FRAUD, ALERT_ILLEGAL, ALERT_NONE):
        raise ContentError(f"{path.name}: alert must be fraud, illegal or none")
    parts = {part: _bubbles(path, data, part) for part in MESSAGE_FIELDS
             if part not in OPTIONAL_FIELDS or data.get(part) is not None}
    topic = Topic(
        key=key,
        title=str(data.get("title") or "").strip(),
        sources=_strings(path, data, "sources"),
        **{part: texts for part, (texts, _) in parts.items()},
        bubble_sources=tuple((part, ids) for part, (_, ids) in parts.items()),
        red_flags=tuple(flags),
        alert=alert,
        situation=str(data.get("situation") or "").strip(),
        terms=tuple(str(t) for t in data.get("terms") or ()),
    )
    if not topic.title:
        raise ContentError(f"{path.name}: 'title' is missing")
    for part in MESSAGE_FIELDS:
        for message in topic.messages(part):
            if len(message) > MAX_MESSAGE_CHARS:
                raise ContentError(
                    f"{path.name}: a message in '{part}' has {len(message)} characters "
                    f"(at most {MAX_MESSAGE_CHARS} fit a phone screen): {message[:20]}…"
                )
    return topic


class KnowledgeBase:
    """All topics, by key."""

    def __init__(self, topics: Iterable[Topic]) -> None:
        self.topics: Dict[str, Topic] = {t.key: t for t in topics}

    @classmethod
    def load(cls, directory: Path = KNOWLEDGE_DIR) -> "KnowledgeBase":
        paths = sorted(directory.glob("*.yml"))
        if not paths:
            raise ContentError(f"no knowledge files in {directory}")
        return cls(load_topic(p) for p in paths)

    def get(self, key: Optional[str]) -> Topic:
        if not key or key not in self.topics:
            raise UnknownTopic(key)
        return self.topics[key]

    def keys(self) -> List[str]:
        return sorted(self.topics)


_default: Optional[KnowledgeBase] = None


def default_knowledge() -> KnowledgeBase:
    """The project's knowledge base, loaded once per process."""
    global _default
    if _default is None:
        _default = KnowledgeBase.load()
    return _default


BEGIN_MARK = "  # BEGIN knowledge responses"
END_MARK = "  # END knowledge responses"


def export_responses(kb: KnowledgeBase) -> str:
    """Rasa retrieval responses (``utter_faq/<key>``) as lines of domain.yml.

    Each holds only its key: the answer is composed from the knowledge file."""
    return "".join(f"  utter_faq/{key}:\n    - text: \"faq/{key}\"\n" for key in sorted(kb.topics))


def sync_domain(domain_path: Path, kb: KnowledgeBase) -> bool:
    """Rewrite the generated block of domain.yml; True when it changed."""
    text = domain_path.read_text(encoding="utf-8")
    try:
        head, rest = text.split(BEGIN_MARK, 1)
        begin_line, rest = rest.split("\n", 1)
        _, tail = rest.split(END_MARK, 1)
    except ValueError as error:
        raise ContentError(f"{domain_path.name}: the generated knowledge block markers are missing") from error
    new = head + BEGIN_MARK + begin_line + "\n" + export_responses(kb) + END_MARK + tail
    if new == text:
        return False
    domain_path.write_text(new, encoding="utf-8")
    return True


def main(argv: List[str]) -> int:
    if argv[:1] != ["export"]:
        print("usage: python -m bot.knowledge.topics export", file=sys.stderr)
        return 2
    if sync_domain(DOMAIN_FILE, KnowledgeBase.load()):
        print("updated the knowledge responses in domain.yml")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
