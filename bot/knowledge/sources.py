"""Where the content's facts come from: the source registry and the claim check.

The registry is every ``data/sources/*.yml`` file together: each file is a list of
sources (``id``, ``title``, ``issuer``, ``date``, optional ``url``, ``article``,
``supports`` and ``note``; a source without a date must say why in its note).  Knowledge bubbles and quiz questions cite sources by id.

The check finds what a message states that a reader may want to look up -- a law or
article, a penalty, a date, a number -- and fails unless one of the message's sources
covers it: the law by its title or article, the date by its date, a penalty or number
by the source's ``supports`` phrases.  ``python -m bot.tools.content_check`` prints every
problem in the bank; ``tests/bot/knowledge/test_sources.py`` runs the same check.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Sequence, Tuple

from bot.errors import ContentError
from bot.settings import PROJECT_ROOT
from bot.yaml_lists import read_list

SOURCES_DIR = PROJECT_ROOT / "data" / "sources"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

LAW, PENALTY, DATE, NUMBER = "law", "penalty", "date", "number"
_CN_NUM = "零一二两三四五六七八九十百"
# (kind, pattern); the first group, when present, is the claim's text.
_CLAIM_PATTERNS: Tuple[Tuple[str, "re.Pattern[str]"], ...] = (
    (LAW, re.compile(rf"第[0-9{_CN_NUM}]+条(?:之[{_CN_NUM}]+)?")),
    (LAW, re.compile(r"《([^》]+)》")),
    (LAW, re.compile(r"刑法|条例|民法典")),
    (PENALTY, re.compile(rf"判[处了]?\s*([0-9]+\s*(?:年|个月)|[{_CN_NUM}]+\s*(?:年|个月))")),
    (PENALTY, re.compile(r"无期徒刑|死刑|罚金|罚款|拘役")),
    (PENALTY, re.compile(r"(?<![0-9])([0-9]{1,2}\s*(?:年|个月))(?!代)")),
    (DATE, re.compile(r"[0-9]{4}\s*年(?:\s*[0-9]{1,2}\s*月(?:\s*[0-9]{1,2}\s*日)?)?")),
    (DATE, re.compile(r"(?<![0-9年])[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日")),
    (NUMBER, re.compile(r"[0-9]+(?:\.[0-9]+)?\s*(?:%|％|万|亿|起)")),
)


@dataclass(frozen=True)
class Claim:
    kind: str  # law, penalty, date or number
    text: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    issuer: str
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD; "" only with a note saying why
    url: str = ""
    article: str = ""
    supports: Tuple[str, ...] = ()  # short phrases the document states: "15年", "88.4%"
    note: str = ""
    file: str = ""

    @property
    def date_text(self) -> str:
        """The date as written in Chinese: 2021年5月1日."""
        parts = [int(p) for p in self.date.split("-") if p]
        return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日"))

    def covers(self, claim: Claim) -> bool:
        if claim.kind == LAW:
            where = [self.title, self.article, *self.supports]
        elif claim.kind == DATE:
            where = [self.date_text, *self.supports]
        else:
            where = list(self.supports)
        return any(claim.text in w for w in where)


def find_claims(text: str) -> List[Claim]:
    """What a message states that needs a source, in the order found."""
    claims: List[Claim] = []
    for kind, pattern in _CLAIM_PATTERNS:
        for match in pattern.finditer(text):
            found = match.group(1) if pattern.groups else match.group(0)
            claim = Claim(kind, re.sub(r"\s+", "", found))
            if claim not in claims:
                claims.append(claim)
    return claims


def uncovered(text: str, sources: Iterable[Source]) -> List[Claim]:
    """The claims in ``text`` that none of ``sources`` covers."""
    sources = list(sources)
    return [c for c in find_claims(text) if not any(s.covers(c) for s in sources)]


def _source(item: object, file: str, errors: List[str]) -> "Source | None":
    if not isinstance(item, dict):
        errors.append(f"{file}: every entry must be a source mapping")
        return None
    sid = str(item.get("id") or "?")
    missing = [k for k in ("id", "title", "issuer") if not item.get(k)]
    if not item.get("date") and not item.get("note"):
        missing.append("date (or a note saying why there is none)")
    if missing:
        errors.append(f"{file}: {sid}: missing {', '.join(missing)}")
        return None
    date = item.get("date") or ""
    date = date.isoformat() if isinstance(date, datetime.date) else str(date)
    if date and not _DATE.match(date):
        errors.append(f"{file}: {sid}: date must be YYYY, YYYY-MM or YYYY-MM-DD, got {date!r}")
        return None
    supports = item.get("supports") or []
    if not isinstance(supports, list):
        errors.append(f"{file}: {sid}: supports must be a list of phrases")
        return None
    return Source(
        id=sid, title=str(item["title"]).strip(), issuer=str(item["issuer"]).strip(), date=date,
        url=str(item.get("url") or "").strip(), article=str(item.get("article") or "").strip(),
        supports=tuple(str(s) for s in supports), note=str(item.get("note") or "").strip(), file=file,
    )


def load_registry(directory: Path = SOURCES_DIR) -> Dict[str, Source]:
    """Every source of every file in ``directory``, by id; all errors at once."""
    registry: Dict[str, Source] = {}
    errors: List[str] = []
    paths = sorted(directory.glob("*.yml"))
    if not paths:
        raise ContentError(f"no source files in {directory}")
    for path in paths:
        items = read_list(path, "sources", errors)
        for item in items or []:
            source = _source(item, path.name, errors)
            if source is None:
                continue
            if source.id in registry:
                errors.append(f"{path.name}: {source.id}: id already used in {registry[source.id].file}")
                continue
            registry[source.id] = source
    if errors:
        raise ContentError("source registry is invalid:\n" + "\n".join(errors))
    return registry


def check_message(where: str, text: str, ids: Sequence[str], registry: Mapping[str, Source]) -> List[str]:
    """Problems of one message: no source, an unknown id, a claim no source covers."""
    if not ids:
        return [f"{where}: no source"]
    errors = [f"{where}: unknown source {i!r}" for i in ids if i not in registry]
    known = [registry[i] for i in ids if i in registry]
    for claim in uncovered(text, known):
        errors.append(f"{where}: states {claim.text!r} ({claim.kind}) but none of {list(ids)} covers it")
    return errors


def check_bank(kb, questions, registry: Mapping[str, Source]) -> List[str]:
    """Every knowledge bubble and quiz question against the registry."""
    from bot.knowledge.topics import MESSAGE_FIELDS

    errors: List[str] = []
    for topic in kb.topics.values():
        errors += [f"{topic.key}.yml: topic sources: unknown source {i!r}" for i in topic.sources if i not in registry]
        for part in MESSAGE_FIELDS:
            for n, (text, ids) in enumerate(topic.cited(part), 1):
                errors += check_message(f"{topic.key}.yml: {part} #{n}", text, ids, registry)
    for q in questions:
        errors += check_message(f"{q.file}: {q.id}", q.claim_text, q.sources, registry)
    return errors
