"""Understanding measured on text no one on the team wrote (tests/nlu/independent).

Each file was written by a helper who never saw the training data, as one kind of
resident (elderly, young, migrant workers, family members asking for someone),
from a persona and situations, not from examples.  Nothing in it is trained on.
The bars below are floors against regressions at the level measured when the set
was added (README, "How well it understands"); issue 14's targets are higher.
Set A (tests/nlu/independent) was written first; its errors were read to choose
what to work on.  Set B (tests/nlu/independent_b) was written later in the same
way; only its totals were read on 2026-12-06, its errors from 2026-12-07, so it is a
development set too.  Set C (tests/nlu/independent_c, 2026-12-07) is the measure:
only its totals are read.  Figures and every miss go to
reports/<set>.md and <set>_errors.tsv.
"""
import uuid

import pytest
import yaml

from bot.settings import PROJECT_ROOT
from bot.tools.nlu_eval import (
    DEVELOPMENT_SETS,
    INDEPENDENT_B_DIR,
    INDEPENDENT_C_DIR,
    INDEPENDENT_DIR,
    evaluate_independent,
    load_dialogues,
    load_independent,
    play_dialogue,
    training_lines,
    write_independent,
)

SHORT = 8
# Floors per set: overall, every voice, the share of out-of-scope messages answered
# with a topic (issue 14 wants none) and of conversations passing: the level
# measured on 2026-12-07 (README, "Measured accuracy") less a margin for
# retraining noise.  Set C's are its first measurement.
SETS = {
    "independent": {"dir": INDEPENDENT_DIR, "size": 1000, "overall": 0.94, "voice": 0.92, "oos_topic": 0.10,
                    "dialogues": 0.94},
    "independent_b": {"dir": INDEPENDENT_B_DIR, "size": 600, "overall": 0.93, "voice": 0.90,
                      "oos_topic": 0.10, "dialogues": 0.95},
    "independent_c": {"dir": INDEPENDENT_C_DIR, "size": 1000, "overall": 0.91, "voice": 0.87,
                      "oos_topic": 0.10, "dialogues": 0.84},
}


def trained_on(utterances) -> list:
    """The utterances that also appear in the training data.  A one-word query or a
    greeting ("你好", "保健品") is bound to coincide with a training line; anything
    longer than SHORT characters must not."""
    training = training_lines()
    return [u.text for u in utterances if u.text in training and len(u.text) > SHORT]


@pytest.fixture(scope="module")
def reports(parse):
    results = {}
    for name, spec in SETS.items():
        results[name] = evaluate_independent(load_independent(spec["dir"]), parse)
        write_independent(name, results[name], PROJECT_ROOT / "reports")
    return results


@pytest.mark.parametrize("name", SETS)
def test_the_set_covers_every_voice_and_is_not_trained_on(name):
    utterances = load_independent(SETS[name]["dir"])
    assert len(utterances) >= SETS[name]["size"]
    assert {"elderly", "young", "migrant", "family"} <= {u.voice for u in utterances}
    overlap = trained_on(utterances)
    assert overlap == [], f"independent utterances found in training data: {overlap[:5]}"


@pytest.mark.parametrize("name", SETS)
def test_the_conversation_set_is_large_enough(name):
    assert len(load_dialogues(SETS[name]["dir"])) >= 100


@pytest.mark.parametrize("name", SETS)
def test_overall_accuracy(reports, name):
    assert reports[name].accuracy >= SETS[name]["overall"], reports[name].markdown()


@pytest.mark.parametrize("name", SETS)
def test_every_voice_is_understood(reports, name):
    weak = {voice: f"{r.accuracy:.1%}" for voice, r in reports[name].per_voice.items()
            if r.accuracy < SETS[name]["voice"]}
    assert weak == {}, reports[name].markdown()


@pytest.mark.parametrize("name", SETS)
def test_an_out_of_scope_message_rarely_gets_a_topic_answer(reports, name):
    report = reports[name]
    wrong = [(t, got) for t, expected, got in report.overall.errors
             if expected == "out_of_scope" and got.startswith("faq/")]
    _, asked = report.overall.per_label["out_of_scope"]
    assert asked >= 40
    assert len(wrong) <= SETS[name]["oos_topic"] * asked, wrong


@pytest.mark.parametrize("name", SETS)
def test_the_conversations_pass(assistant, name):
    results = []
    for dialogue in load_dialogues(SETS[name]["dir"]):
        sender = f"dlg-{uuid.uuid4().hex[:8]}-{dialogue['id']}"
        passed, transcript = play_dialogue(dialogue, lambda text: assistant.say(sender, text))
        results.append((dialogue["id"], dialogue.get("category"), passed, transcript))
    out = PROJECT_ROOT / "reports"
    out.mkdir(exist_ok=True)
    (out / f"{name}_dialogues.md").write_text(
        "".join(f"## {i} ({c}): {'pass' if p else 'FAIL'}\n\n" + "\n".join(t) + "\n\n" for i, c, p, t in results),
        encoding="utf-8")
    rate = sum(p for _, _, p, _ in results) / len(results)
    assert rate >= SETS[name]["dialogues"], [i for i, _, p, _ in results if not p]


# Conversations written blind to find what fails (tests/nlu/dialogues_dev, 2026-12-07): harmful
# requests, money gone said late or indirectly, robust spellings, official numbers.  A
# development set: its failures are read and fixed by kind; the floors catch regressions.
# dialogues_dev.yml was the first file (59/60); the other three came later, each from one
# blind helper, and were measured on 2026-12-07 (README): robust 38/44, loss 37/42, harmful 26/32.
DEV_DIALOGUES = PROJECT_ROOT / "tests" / "nlu" / "dialogues_dev"
# dialogues_dev_mixed.yml (50, a fourth helper, late on 2026-12-07) was measured once before and
# once after one round: 15/50 -> 21/50; it asks for more than the others (comfort, tailored
# follow-ups), and its floor guards that level.
# On 2026-12-07 (fifth session) its tailored follow-ups were answered by concerns
# (data/concerns/): 22/50 -> 46/50.  dialogues_dev_k.yml (60, a fifth helper, same day) read
# 21/60 at first, 49/60 after two rounds of concerns and the out-of-scope replies;
# dialogues_dev_m.yml (60, family members, a sixth helper) 34/60 at first, 54/60 after one;
# dialogues_dev_n.yml (50, hard after-loss, harmful and noisy, a seventh) 23/50 at first, 35/50 after one.
# Sixth session (2026-12-07): pressure after a refusal keeps the stance, a long yes/no is read, more concerns:
# K 50 -> 53, M 54 -> 57, N 36 -> 44, mixed 46 -> 48; dialogues_dev_o.yml (60, all kinds, an eighth helper)
# read 53/60 at first and 57/60 after.  Seventh session: dialogues_dev_p.yml (60, all kinds, a ninth helper)
# read 49/60 at first and 59/60 after concerns, a stop told in a follow-up, the out-of-scope wording and English losses.
# Eighth session: dialogues_dev_q.yml (60, weighted to after-loss, noisy and follow-ups, a tenth
# helper) read 34/60 at first and 49/60 after (README, "Measured accuracy").
DEV_DIALOGUE_FLOORS = {"dialogues_dev": 0.90, "dialogues_dev_robust": 0.84, "dialogues_dev_loss": 0.84,
                       "dialogues_dev_harmful": 0.84, "dialogues_dev_mixed": 0.88, "dialogues_dev_k": 0.78,
                       "dialogues_dev_m": 0.86, "dialogues_dev_n": 0.74, "dialogues_dev_o": 0.88,
                       "dialogues_dev_p": 0.88, "dialogues_dev_q": 0.72}


def test_the_development_conversations_pass(assistant):
    results, rates = [], {}
    for path in sorted(DEV_DIALOGUES.glob("*.yml")):
        passed_here = []
        for dialogue in yaml.safe_load(path.read_text(encoding="utf-8"))["dialogues"]:
            sender = f"dev-{uuid.uuid4().hex[:8]}-{dialogue['id']}"
            passed, transcript = play_dialogue(dialogue, lambda text: assistant.say(sender, text))
            results.append((dialogue["id"], dialogue.get("category"), passed, transcript))
            passed_here.append(passed)
        rates[path.stem] = sum(passed_here) / len(passed_here)
    out = PROJECT_ROOT / "reports"
    out.mkdir(exist_ok=True)
    (out / "dialogues_dev.md").write_text(
        "".join(f"## {i} ({c}): {'pass' if p else 'FAIL'}\n\n" + "\n".join(t) + "\n\n" for i, c, p, t in results),
        encoding="utf-8")
    assert set(rates) == set(DEV_DIALOGUE_FLOORS), "every development file needs its floor"
    weak = {name: f"{rate:.0%}" for name, rate in rates.items() if rate < DEV_DIALOGUE_FLOORS[name]}
    assert weak == {}, [i for i, _, p, _ in results if not p]


# Development set D (tests/nlu/dev_d, 2026-12-07): the close topics (personal_info,
# legit_credit, illegal_ads, other_scam and their neighbours), written blind from the
# label guide; to be read and tuned on (set C stays unread).  The floor is its first measurement less a margin.
DEV_D_FLOOR = 0.86


def development_report(name: str, parse, size: int):
    """A development set's report (written to reports/), after checking it is whole and not trained on."""
    utterances = load_independent(DEVELOPMENT_SETS[name])
    assert len(utterances) >= size
    assert trained_on(utterances) == []
    report = evaluate_independent(utterances, parse)
    write_independent(name, report, PROJECT_ROOT / "reports")
    return report


def test_the_close_topics_development_set(parse):
    report = development_report("dev_d", parse, 300)
    assert report.accuracy >= DEV_D_FLOOR, report.markdown()


# Development set F (tests/nlu/dev_f, seventh session): 240 more on the close topics, 60 per voice,
# written blind by a tenth helper from the label guide.  First reading 87.1% (illegal_ads 65%,
# legit_credit 81%, personal_info 85%; no ordinary question answered with a topic).
DEV_F_FLOOR = 0.83


def test_the_second_close_topics_development_set(parse):
    report = development_report("dev_f", parse, 240)
    topic_answers = [t for t, expected, got in report.overall.errors if expected == "out_of_scope" and got.startswith("faq/")]
    assert report.accuracy >= DEV_F_FLOOR, report.markdown()
    assert topic_answers == []


# Development set E (tests/nlu/dev_e, 2026-12-07): out-of-scope look-alikes (bank errands,
# parcels, insurance, a child's games) and the fraud questions beside them, written blind.
# First reading 68.9% with 70 of 150 ordinary questions answered with a topic; 86.1% and 24
# after 600 blind out-of-scope training lines.  Floors: that level less a margin.
DEV_E_FLOOR, DEV_E_OOS_TOPIC = 0.83, 0.20


def test_ordinary_questions_rarely_get_a_fraud_answer(parse):
    report = development_report("dev_e", parse, 250)
    topic_answers = [t for t, expected, got in report.overall.errors if expected == "out_of_scope" and got.startswith("faq/")]
    _, ordinary = report.overall.per_label["out_of_scope"]
    assert report.accuracy >= DEV_E_FLOOR, report.markdown()
    assert len(topic_answers) / ordinary <= DEV_E_OOS_TOPIC, topic_answers
