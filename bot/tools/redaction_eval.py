"""Measure redaction of names, addresses, social-account ids and plates on an annotated set.

``python -m bot.tools.redaction_eval [PATH] [--model models/fraudbot.tar.gz]``

The set (``tests/bot/privacy/redaction_set.yml``) was written by someone who never
saw the redactor: each message lists the exact substrings that are personal data,
by kind.  What the redactor removed is read back from its output alone (the
stretches of the original replaced by a placeholder), so any implementation can be
measured the same way:

* recall of a kind: its annotated spans wholly replaced (by any placeholder: an
  Alipay account that is a phone number may become ``[手机号]``);
* precision of a kind: its placeholders that replaced text overlapping some
  annotated span.  Number kinds (phone, ID, card, code, e-mail) are out of scope
  here and counted in neither.

With ``--model`` it also parses every held-out NLU set raw and redacted, to show
that redaction does not cost understanding.
"""
from __future__ import annotations

import argparse
import collections
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import yaml

from bot.privacy.redaction import redact_text
from bot.settings import PROJECT_ROOT

SET_FILE = PROJECT_ROOT / "tests" / "bot" / "privacy" / "redaction_set.yml"
KIND_OF_PLACEHOLDER = {"[姓名]": "name", "[住址]": "address", "[微信号]": "wechat", "[QQ号]": "qq",
                       "[支付宝账号]": "alipay", "[抖音号]": "douyin", "[车牌号]": "plate"}
KINDS = tuple(KIND_OF_PLACEHOLDER.values())
_PLACEHOLDER = re.compile(r"\[[^\[\]]{1,8}\]")

Range = Tuple[int, int]


@dataclass
class KindScore:
    annotated: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.annotated if self.annotated else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0


@dataclass
class RedactionReport:
    per_kind: Dict[str, KindScore] = field(default_factory=lambda: collections.defaultdict(KindScore))
    misses: List[Tuple[str, str, str]] = field(default_factory=list)  # (kind, span, output)
    false_alarms: List[Tuple[str, str, str]] = field(default_factory=list)  # (kind, removed, output)
    messages: int = 0

    def total(self) -> KindScore:
        out = KindScore()
        for score in self.per_kind.values():
            out.annotated += score.annotated
            out.found += score.found
            out.predicted += score.predicted
            out.correct += score.correct
        return out

    def markdown(self) -> str:
        lines = [f"{self.messages} messages", "", "| kind | annotated | recall | redacted | precision |",
                 "|---|---|---|---|---|"]
        for kind in KINDS + ("all",):
            s = self.total() if kind == "all" else self.per_kind[kind]
            lines.append(f"| {kind} | {s.annotated} | {s.recall:.1%} | {s.predicted} | {s.precision:.1%} |")
        lines += ["", "Missed (kind, span, output):"] + [f"- {k}: `{s}` → {o}" for k, s, o in self.misses]
        lines += ["", "Removed but not personal (kind, text, output):"]
        lines += [f"- {k}: `{s}` → {o}" for k, s, o in self.false_alarms]
        return "\n".join(lines) + "\n"


def replaced_ranges(original: str, redacted: str) -> List[Tuple[int, int, str]]:
    """(start, end, placeholder) for each stretch of `original` a placeholder replaced.

    Two placeholders side by side ("[姓名][住址]") read as one stretch, of the first kind.
    """
    out = []
    matcher = difflib.SequenceMatcher(None, original, redacted, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op not in ("replace", "delete") or i1 == i2:
            continue
        inserted = redacted[j1:j2]
        found = _PLACEHOLDER.findall(inserted)
        out.append((i1, i2, found[0] if found else inserted))
    return out


def locate(text: str, spans: List[dict]) -> List[Tuple[str, Range]]:
    """Annotated spans as (kind, range): each at its first occurrence not already used."""
    used: List[Range] = []
    located = []
    for span in spans:
        start = text.find(span["text"])
        while start >= 0 and any(a <= start < b for a, b in used):
            start = text.find(span["text"], start + 1)
        if start < 0:
            raise ValueError(f"span {span['text']!r} is not in {text!r}")
        used.append((start, start + len(span["text"])))
        located.append((str(span["kind"]), used[-1]))
    return located


def score(messages: List[dict], redact: Callable[[str], str] = redact_text) -> RedactionReport:
    report = RedactionReport()
    for item in messages:
        text = str(item["text"])
        output = redact(text)
        removed = replaced_ranges(text, output)
        gold = locate(text, item.get("spans") or [])
        report.messages += 1
        for kind, (a, b) in gold:
            covered = all(any(s <= pos < e for s, e, _ in removed) for pos in range(a, b))
            report.per_kind[kind].annotated += 1
            report.per_kind[kind].found += covered
            if not covered:
                report.misses.append((kind, text[a:b], output))
        for s, e, placeholder in removed:
            kind = KIND_OF_PLACEHOLDER.get(placeholder)
            if kind is None:
                continue  # a number kind, or something that is not a placeholder
            hit = any(s < b and a < e for _, (a, b) in gold)
            report.per_kind[kind].predicted += 1
            report.per_kind[kind].correct += hit
            if not hit:
                report.false_alarms.append((kind, text[s:e], output))
    return report


def load(path: Path = SET_FILE) -> List[dict]:
    return list((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("messages") or [])


def understanding_with_and_without(model: str) -> Dict[str, Tuple[float, float]]:
    """Accuracy of every held-out NLU set, raw and redacted: {set: (raw, redacted)}."""
    from bot.tools.nlu_eval import INDEPENDENT_SETS, agent_parser, evaluate, load_examples, load_independent

    parse = agent_parser(Path(model))
    sets = {"team": load_examples(), **{name: [(u.text, u.label) for u in load_independent(directory)]
                                        for name, directory in INDEPENDENT_SETS.items()}}
    return {name: (evaluate(examples, parse).accuracy, evaluate(examples, lambda t: parse(redact_text(t))).accuracy)
            for name, examples in sets.items()}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=SET_FILE)
    parser.add_argument("--model", help="also compare NLU accuracy on raw and redacted held-out text")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "reports" / "redaction.md")
    args = parser.parse_args(argv)
    report = score(load(args.path))
    text = report.markdown()
    if args.model:
        rows = ["", "| held-out set | raw | redacted |", "|---|---|---|"]
        for name, (raw, red) in understanding_with_and_without(args.model).items():
            rows.append(f"| {name} | {raw:.1%} | {red:.1%} |")
        text = text.replace("\nMissed", "\n".join(rows) + "\n\nMissed", 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text.split("\nMissed")[0])
    print(f"report: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
