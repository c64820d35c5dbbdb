"""Score the extractor on an annotated YAML file (the annotation rules in tests/nlu/situations/heldout_b.yml).

    python -m bot.tools.situation_eval tests/bot/situation/dev.yml [--report reports/situations.md]

Entity level: each non-null gold value is an entity, and so is each prediction;
a prediction is right when it equals the gold value (``given_away``: one entity
per item).  ``unclear`` counts as a value of money_sent.  Also reported: the
precision of money_sent ``yes``, the number the replies depend on.
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

import yaml

from bot.situation import extract

FIELDS = ("money_sent", "amount", "channel", "when", "impersonated", "given_away")


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def gold_value(name: str, value):
    """YAML 1.1 reads an unquoted yes/no as a boolean; the format means the words."""
    if name == "money_sent" and isinstance(value, bool):
        return "yes" if value else "no"
    if name == "given_away":
        return tuple(value or ())
    if name == "amount" and value is not None:
        return int(value)
    return value if value not in ("", "null") else None


def _items(name: str, value) -> List:
    if name == "given_away":
        return sorted(set(value))
    return [] if value is None else [value]


def load(path: str) -> List[dict]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["utterances"]


def score(utterances: Iterable[dict]) -> Tuple[Dict[str, Score], Score, List[Tuple[str, str, object, object]]]:
    """Per-field scores, the money_sent 'yes' score, and every (text, field, gold, predicted) miss."""
    scores = {name: Score() for name in FIELDS}
    yes = Score()
    misses = []
    for utterance in utterances:
        text = str(utterance["text"])
        predicted = extract(text)
        for name in FIELDS:
            gold = gold_value(name, utterance.get(name))
            guess = getattr(predicted, name)
            gold_items, guess_items = _items(name, gold), _items(name, guess)
            s = scores[name]
            s.gold += len(gold_items)
            s.predicted += len(guess_items)
            s.true_positives += sum(1 for item in guess_items if item in gold_items)
            if gold_items != guess_items:
                misses.append((text, name, gold, guess))
        gold_sent = gold_value("money_sent", utterance.get("money_sent"))
        yes.gold += gold_sent == "yes"
        yes.predicted += predicted.money_sent == "yes"
        yes.true_positives += gold_sent == "yes" and predicted.money_sent == "yes"
    return scores, yes, misses


def report(path: str, scores: Dict[str, Score], yes: Score, misses, count: int) -> str:
    lines = [f"# Situation extraction on `{path}` ({count} utterances)", "",
             "| field | precision | recall | F1 | gold | predicted |", "|---|---|---|---|---|---|"]
    for name, s in scores.items():
        lines.append(f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.gold} | {s.predicted} |")
    lines += ["", f"money_sent = yes: precision {yes.precision:.3f}, recall {yes.recall:.3f} "
                  f"({yes.true_positives}/{yes.predicted} predicted, {yes.gold} gold)", "",
              f"## Misses ({len(misses)})", "", "| text | field | gold | predicted |", "|---|---|---|---|"]
    for text, name, gold, guess in misses:
        lines.append(f"| {text} | {name} | {gold} | {guess} |")
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--report", default="reports/situations.md")
    args = parser.parse_args(argv)
    utterances = load(args.path)
    scores, yes, misses = score(utterances)
    text = report(args.path, scores, yes, misses, len(utterances))
    os.makedirs(os.path.dirname(args.report) or ".", exist_ok=True)
    with open(args.report, "w", encoding="utf-8") as handle:
        handle.write(text)
    for name, s in scores.items():
        print(f"{name:14s} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}")
    print(f"money_sent=yes precision {yes.precision:.3f} ({yes.true_positives}/{yes.predicted}), "
          f"recall {yes.recall:.3f}; report: {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
