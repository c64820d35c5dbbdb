"""Understanding measured on text no one on the team wrote (tests/nlu/independent).

Each file was written by a helper who never saw the training data, as one kind of
resident (elderly, young, migrant workers, family members asking for someone),
from a persona and situations, not from examples.  Nothing in it is trained on.
The bars below are floors against regressions at the level measured when the set
was added (README, "How well it understands"); issue 14's targets are higher.
Figures and every miss go to reports/independent.md and independent_errors.tsv.
"""
import uuid

import pytest

from bot.tools.nlu_eval import evaluate_independent, load_dialogues, load_independent, play_dialogue, training_lines
from bot.settings import PROJECT_ROOT

SHORT = 8
OVERALL_FLOOR = 0.90
VOICE_FLOOR = 0.85
DIALOGUE_FLOOR = 0.80
# Issue 14 wants none; measured 8 of 51 on 2026-12-06 (README).  A floor until fixed.
OUT_OF_SCOPE_TOPIC_ANSWERS_MAX = 0.20


@pytest.fixture(scope="module")
def report(parse):
    result = evaluate_independent(load_independent(), parse)
    out = PROJECT_ROOT / "reports"
    out.mkdir(exist_ok=True)
    (out / "independent.md").write_text(result.markdown(), encoding="utf-8")
    (out / "independent_errors.tsv").write_text(
        "".join(f"{t}\t{e}\t{g}\n" for t, e, g in result.overall.errors), encoding="utf-8")
    return result


def test_the_independent_set_covers_every_voice_and_is_not_trained_on():
    utterances = load_independent()
    assert len(utterances) >= 1000 and len(load_dialogues()) >= 100
    assert {"elderly", "young", "migrant", "family"} <= {u.voice for u in utterances}
    training = training_lines()
    # A one-word query or a greeting ("你好", "保健品") is bound to coincide with a
    # training line; anything longer than SHORT characters must not.
    overlap = [u.text for u in utterances if u.text in training and len(u.text) > SHORT]
    assert overlap == [], f"independent utterances found in training data: {overlap[:5]}"


def test_overall_accuracy(report):
    assert report.accuracy >= OVERALL_FLOOR, report.markdown()


def test_every_voice_is_understood(report):
    weak = {voice: f"{r.accuracy:.1%}" for voice, r in report.per_voice.items() if r.accuracy < VOICE_FLOOR}
    assert weak == {}, report.markdown()


def test_an_out_of_scope_message_rarely_gets_a_topic_answer(report):
    wrong = [(t, got) for t, expected, got in report.overall.errors
             if expected == "out_of_scope" and got.startswith("faq/")]
    _, asked = report.overall.per_label["out_of_scope"]
    assert asked >= 40
    assert len(wrong) <= OUT_OF_SCOPE_TOPIC_ANSWERS_MAX * asked, wrong


def test_the_conversations_pass(assistant):
    results = []
    for dialogue in load_dialogues():
        sender = f"dlg-{uuid.uuid4().hex[:8]}-{dialogue['id']}"
        passed, transcript = play_dialogue(dialogue, lambda text: assistant.say(sender, text))
        results.append((dialogue["id"], dialogue.get("category"), passed, transcript))
    out = PROJECT_ROOT / "reports"
    out.mkdir(exist_ok=True)
    (out / "independent_dialogues.md").write_text(
        "".join(f"## {i} ({c}): {'pass' if p else 'FAIL'}\n\n" + "\n".join(t) + "\n\n" for i, c, p, t in results),
        encoding="utf-8")
    rate = sum(p for _, _, p, _ in results) / len(results)
    assert rate >= DIALOGUE_FLOOR, [i for i, _, p, _ in results if not p]
