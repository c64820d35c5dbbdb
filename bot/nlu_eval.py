"""Measure understanding on the held-out set (``tests/nlu/heldout.yml``).

A knowledge example counts as right when the intent is ``faq`` *and* the
answer action would choose its topic (:func:`bot.topic_choice.choose_topic`);
other examples when the intent matches.  An
out-of-scope example that falls back (``nlu_fallback``) counts as right: the
resident sees the same polite "I can't help with that" reply.
"""
from __future__ import annotations

import collections
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import yaml

from bot.knowledge import KnowledgeBase, default_knowledge
from bot.settings import PROJECT_ROOT
from bot.topic_choice import choose_topic

HELDOUT_FILE = PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"
FALLBACK = "nlu_fallback"


def load_examples(path: Path = HELDOUT_FILE) -> List[Tuple[str, str]]:
    """(text, label) pairs; labels are intents, or ``faq/<topic>``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples = []
    for block in data.get("nlu", []):
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line[2:].strip())  # drop entity markup
                examples.append((text, block["intent"]))
    return examples


def predicted_label(parse: dict, kb: Optional[KnowledgeBase] = None) -> str:
    """The label a parse result amounts to, in the held-out set's terms."""
    intent = (parse.get("intent") or {}).get("name") or FALLBACK
    if intent == "faq":
        key = choose_topic(parse, kb or default_knowledge()).key
        return f"faq/{key}" if key else FALLBACK  # no key: the action gives the polite fallback
    return intent


@dataclass
class Report:
    total: int = 0
    correct: int = 0
    per_label: Dict[str, List[int]] = field(default_factory=lambda: collections.defaultdict(lambda: [0, 0]))
    confusions: collections.Counter = field(default_factory=collections.Counter)
    errors: List[Tuple[str, str, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def label_accuracy(self, label: str) -> float:
        right, count = self.per_label[label]
        return right / count if count else 0.0

    def markdown(self) -> str:
        lines = [f"Overall: {self.correct}/{self.total} = {self.accuracy:.1%}", "",
                 "| label | accuracy | n |", "|---|---|---|"]
        for label in sorted(self.per_label):
            right, count = self.per_label[label]
            lines.append(f"| {label} | {right / count:.0%} | {count} |")
        lines += ["", "Most frequent confusions (expected → predicted):"]
        for (expected, got), n in self.confusions.most_common(15):
            lines.append(f"- {expected} → {got}: {n}")
        return "\n".join(lines) + "\n"


def is_right(expected: str, got: str) -> bool:
    return got == expected or (expected == "out_of_scope" and got == FALLBACK)


def evaluate(examples: List[Tuple[str, str]], parse: Callable[[str], dict]) -> Report:
    report = Report()
    for text, expected in examples:
        got = predicted_label(parse(text))
        ok = is_right(expected, got)
        report.total += 1
        report.correct += ok
        report.per_label[expected][0] += ok
        report.per_label[expected][1] += 1
        if not ok:
            report.confusions[(expected, got)] += 1
            report.errors.append((text, expected, got))
    return report
