"""What the situation extractor reads, measured on 340 messages annotated by a
helper who never saw its patterns (tests/nlu/situations/heldout.yml).

Issue 16 asks for F1 >= 0.9 per field and money_sent 'yes' precision >= 0.97.
Measured 2026-12-06 (README, "What spaCy reads"): when, impersonated and channel
reach 0.9, the others do not yet.  These floors catch regressions; the report
with every miss goes to reports/situations_heldout.md.
"""
from bot.tools.situation_eval import load, report, score
from bot.settings import PROJECT_ROOT

HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "situations" / "heldout.yml"
F1_FLOORS = {"money_sent": 0.78, "amount": 0.85, "channel": 0.88, "when": 0.95,
             "impersonated": 0.89, "given_away": 0.79}
YES_PRECISION_FLOOR = 0.87


def test_every_field_stays_at_its_measured_level():
    utterances = load(str(HELDOUT))
    assert len(utterances) >= 300
    scores, yes, misses = score(utterances)
    out = PROJECT_ROOT / "reports"
    out.mkdir(exist_ok=True)
    (out / "situations_heldout.md").write_text(report(str(HELDOUT), scores, yes, misses, len(utterances)),
                                               encoding="utf-8")
    weak = {name: round(s.f1, 3) for name, s in scores.items() if s.f1 < F1_FLOORS[name]}
    assert weak == {}
    assert yes.precision >= YES_PRECISION_FLOOR, "telling someone who has not paid that they have"
