"""Measure understanding on the held-out sets.

* ``tests/nlu/heldout.yml``: written by the team, in the training data's voice;
* ``tests/nlu/independent/<voice>.yml``: written by people who never saw the
  training data, each as a resident persona (elderly, young, migrant workers,
  family members asking for someone).  Never trained on, but its errors were
  read to choose what to work on, so it has become a development set too;
* ``tests/nlu/independent_b/<voice>.yml``: written the same way on 2026-12-06; its
  totals only were read that day, its errors from 2026-12-07, so it is a
  development set now too;
* ``tests/nlu/independent_c/<voice>.yml``: written the same way on 2026-12-07 by new
  helpers and never read by the team (only its totals): the figure that says
  what residents get.
Reported per topic and per voice by ``python -m bot.tools.nlu_eval`` (``make nlu-report``).

A knowledge example counts as right when the intent is ``faq`` *and* the
answer action would choose its topic (:func:`bot.knowledge.topic_choice.choose_topic`);
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

from bot.knowledge.topics import KnowledgeBase, default_knowledge
from bot.settings import PROJECT_ROOT
from bot.knowledge.topic_choice import GENERAL_TOPIC, choose_topic, followup_topic

HELDOUT_FILE = PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"
INDEPENDENT_DIR = PROJECT_ROOT / "tests" / "nlu" / "independent"
INDEPENDENT_B_DIR = PROJECT_ROOT / "tests" / "nlu" / "independent_b"
INDEPENDENT_C_DIR = PROJECT_ROOT / "tests" / "nlu" / "independent_c"
INDEPENDENT_SETS = {"independent": INDEPENDENT_DIR, "independent_b": INDEPENDENT_B_DIR,
                    "independent_c": INDEPENDENT_C_DIR}
# Written blind as well, but to be read and tuned on (the close topics, 2026-12-07).
DEVELOPMENT_SETS = {name: PROJECT_ROOT / "tests" / "nlu" / name for name in ("dev_d", "dev_e", "dev_f")}
FALLBACK = "nlu_fallback"


def training_lines(directory: Path = PROJECT_ROOT / "data" / "nlu") -> set:
    """Every training example's text, to check that no held-out text is trained on."""
    lines = set()
    for path in directory.glob("*.yml"):
        lines |= {line.strip()[2:].strip() for line in path.read_text(encoding="utf-8").splitlines()
                  if line.strip().startswith("- ")}
    return lines


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
    """The label a parse result amounts to, in the held-out set's terms: the topic answered.

    A follow-up intent in a first message is answered for the message's own topic,
    or the follow-up's general topic (:func:`bot.knowledge.topic_choice.followup_topic`,
    as the follow-up action does), so it counts as that topic; one with neither
    keeps its intent.
    """
    intent = (parse.get("intent") or {}).get("name") or FALLBACK
    if intent == "faq":
        key = choose_topic(parse, kb or default_knowledge()).key
        return f"faq/{key}" if key else FALLBACK  # no key: the action gives the polite fallback
    if intent in GENERAL_TOPIC:
        key = followup_topic(parse, kb or default_knowledge())
        return f"faq/{key}" if key else intent
    return intent


def intent_of(parse: dict) -> str:
    return (parse.get("intent") or {}).get("name") or FALLBACK


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
        parsed = parse(text)
        got = predicted_label(parsed)
        # A follow-up asked as such ("我已经转钱了") is right as its intent, whatever topic answers it.
        ok = is_right(expected, got) or (expected in GENERAL_TOPIC and intent_of(parsed) == expected)
        report.total += 1
        report.correct += ok
        report.per_label[expected][0] += ok
        report.per_label[expected][1] += 1
        if not ok:
            report.confusions[(expected, got)] += 1
            report.errors.append((text, expected, got))
    return report


@dataclass(frozen=True)
class Utterance:
    text: str
    label: str
    voice: str
    money_gone: bool = False


def load_independent(directory: Path = INDEPENDENT_DIR) -> List[Utterance]:
    """Every utterance of the independent sets, with its voice."""
    utterances = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        voice = str(data.get("voice") or path.stem)
        for item in data.get("utterances") or []:
            utterances.append(Utterance(str(item["text"]), str(item["label"]), voice, bool(item.get("money_gone"))))
    return utterances


def load_dialogues(directory: Path = INDEPENDENT_DIR) -> List[dict]:
    """The independent multi-turn conversations, in ../shared/eval's dialogue format."""
    dialogues = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        dialogues.extend(data.get("dialogues") or [])
    return dialogues


@dataclass
class VoiceReport:
    overall: Report = field(default_factory=Report)
    per_voice: Dict[str, Report] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        return self.overall.accuracy

    @property
    def total(self) -> int:
        return self.overall.total

    def markdown(self) -> str:
        lines = [f"Overall: {self.overall.correct}/{self.overall.total} = {self.overall.accuracy:.1%}", "",
                 "| voice | accuracy | n |", "|---|---|---|"]
        for voice, report in sorted(self.per_voice.items()):
            lines.append(f"| {voice} | {report.accuracy:.1%} | {report.total} |")
        return "\n".join(lines) + "\n\nPer label:\n\n" + self.overall.markdown().split("\n", 2)[2]


def evaluate_independent(utterances: List[Utterance], parse: Callable[[str], dict]) -> VoiceReport:
    result = VoiceReport()
    for voice in sorted({u.voice for u in utterances}):
        mine = [u for u in utterances if u.voice == voice]
        result.per_voice[voice] = evaluate([(u.text, u.label) for u in mine], parse)
    for report in result.per_voice.values():
        result.overall.total += report.total
        result.overall.correct += report.correct
        for label, (right, count) in report.per_label.items():
            result.overall.per_label[label][0] += right
            result.overall.per_label[label][1] += count
        result.overall.confusions.update(report.confusions)
        result.overall.errors.extend(report.errors)
    return result


# Replies that admit not understanding (as ../shared/eval/run_dialogues.py judges them).
CONFUSED = ("没听懂", "没有听懂", "没理解您", "没有理解您", "没明白您", "不太明白您", "不明白您",
            "不太理解您", "换个说法", "换种说法", "换个问法", "无法回答", "不能回答", "回答不了")


def reply_text(messages: List[dict]) -> str:
    parts = []
    for m in messages:
        parts.append(m.get("text") or "")
        parts.extend(b.get("title") or "" for b in m.get("buttons") or [])
    return "\n".join(parts)


def judge_turn(turn: dict, reply: str) -> Tuple[bool, List[List[str]], List[str]]:
    """Every expect_all group needs one of its strings; nothing of expect_none (nor,
    on a judged turn, an admission of not understanding) may appear."""
    missing = [g for g in turn.get("expect_all", []) if not any(a in reply for a in g)]
    none = list(turn.get("expect_none", []))
    if turn.get("not_confused", True) and ("expect_all" in turn or "expect_none" in turn):
        none += CONFUSED
    forbidden = [w for w in none if w in reply]
    return not missing and not forbidden, missing, forbidden


def play_dialogue(dialogue: dict, say: Callable[[str], List[dict]]) -> Tuple[bool, List[str]]:
    """Play one conversation (a turn is a text or ``button: N``); (passed, transcript)."""
    last: List[dict] = []
    transcript: List[str] = []
    passed = True
    for turn in dialogue["turns"]:
        if "button" in turn:
            buttons = [b for m in last for b in m.get("buttons") or []]
            index = int(turn["button"]) - 1
            if index >= len(buttons):
                transcript.append(f"<button {turn['button']}>: no such button")
                return False, transcript
            text = buttons[index]["payload"]
        else:
            text = str(turn["text"])
        last = say(text)
        reply = reply_text(last)
        ok, missing, forbidden = judge_turn(turn, reply)
        passed = passed and ok
        transcript.append(f"> {text}\n{reply}" + ("" if ok else f"\n  MISSING {missing} FORBIDDEN {forbidden}"))
    return passed, transcript


def agent_parser(model: Path) -> Callable[[str], dict]:
    """Parse in this process with a trained model (no server needed)."""
    import asyncio
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    logging.getLogger("rasa").setLevel(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    return lambda text: loop.run_until_complete(agent.parse_message(text))


def write_independent(name: str, result: VoiceReport, out: Path) -> None:
    """reports/<name>.md, and every miss in reports/<name>_errors.tsv."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.md").write_text(result.markdown(), encoding="utf-8")
    (out / f"{name}_errors.tsv").write_text(
        "".join(f"{t}\t{e}\t{g}\n" for t, e, g in result.overall.errors), encoding="utf-8")


def write_reports(parse: Callable[[str], dict], out: Path) -> Tuple[Report, Dict[str, VoiceReport]]:
    """reports/heldout.md, independent{,_b,_c}.md and dev_{d,e}.md, with every miss in a .tsv beside them."""
    out.mkdir(parents=True, exist_ok=True)
    heldout = evaluate(load_examples(), parse)
    (out / "heldout.md").write_text(heldout.markdown(), encoding="utf-8")
    independent = {}
    for name, directory in {**INDEPENDENT_SETS, **DEVELOPMENT_SETS}.items():
        utterances = load_independent(directory)
        if utterances:
            independent[name] = evaluate_independent(utterances, parse)
            write_independent(name, independent[name], out)
    return heldout, independent


def main(argv: Optional[List[str]] = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Accuracy on the held-out sets, per topic and per voice.")
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "fraudbot.tar.gz")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "reports")
    args = parser.parse_args(argv)
    heldout, independent = write_reports(agent_parser(args.model), args.out)
    print(f"heldout.yml: {heldout.accuracy:.1%} of {heldout.total}")
    for name, result in independent.items():
        print(f"\n## {name}\n")
        print(result.markdown())
    print(f"written to {args.out}/: heldout.md, " + ", ".join(f"{n}.md, {n}_errors.tsv" for n in independent))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
