"""What the situation extractor reads, measured on messages annotated by helpers who
never saw its patterns.

* ``tests/nlu/situations/heldout.yml`` (set A, 340 messages) and ``heldout_b.yml``
  (set B, 323): their misses were read, by kind, to choose what to fix, so they are
  development sets now (as are tests/bot/situation/dev.yml and dev_b.yml);
* ``tests/nlu/situations/heldout_c.yml`` (set C, 432 messages, 2026-12-07): only
  its totals are read: the figure to report.

Issue 16 asks for F1 >= 0.9 per field and money_sent 'yes' precision >= 0.97.
Measured 2026-12-07 (README, "What spaCy reads"); these floors catch regressions,
and the reports with every miss go to reports/situations_<set>.md.
"""
import pytest

from bot.settings import PROJECT_ROOT
from bot.tools.situation_eval import load, report, score

SETS = {
    "heldout": {"f1": {"money_sent": 0.86, "amount": 0.90, "channel": 0.92, "when": 0.97,
                       "impersonated": 0.91, "given_away": 0.91}, "yes_precision": 0.95},
    "heldout_b": {"f1": {"money_sent": 0.95, "amount": 0.94, "channel": 0.91, "when": 0.95,
                         "impersonated": 0.95, "given_away": 0.95}, "yes_precision": 0.96},
    "heldout_c": {"f1": {"money_sent": 0.88, "amount": 0.92, "channel": 0.89, "when": 0.92,
                         "impersonated": 0.91, "given_away": 0.92}, "yes_precision": 0.92},
}


@pytest.mark.parametrize("name", SETS)
def test_every_field_stays_at_its_measured_level(name):
    path = PROJECT_ROOT / "tests" / "nlu" / "situations" / f"{name}.yml"
    utterances = load(str(path))
    assert len(utterances) >= 300
    scores, yes, misses = score(utterances)
    out = PROJECT_ROOT / "reports"
    out.mkdir(exist_ok=True)
    (out / f"situations_{name}.md").write_text(report(str(path), scores, yes, misses, len(utterances)),
                                              encoding="utf-8")
    weak = {field: round(s.f1, 3) for field, s in scores.items() if s.f1 < SETS[name]["f1"][field]}
    assert weak == {}
    assert yes.precision >= SETS[name]["yes_precision"], "telling someone who has not paid that they have"


# Development sets written blind for the "money gone" verdict (tests/bot/situation/dev_*.yml,
# 2026-12-07): D and E (elderly, family), F (mixed; relabelled under the project's rules),
# G (young), H (migrant workers), I (family members writing for a relative), J (elderly),
# K (someone else's case, an old loss or one from the news told before today's: its writer
# labels only the case asked about), L (very short messages), M (money talk where often
# nothing left: the other side's claims and screenshots, promises, debts, plans), N (money talk where nothing is
# gone now: refunds in full, the resident's own errands, hypothetical questions), O (hard cases on both sides:
# legitimate payments beside a scam, "none of my money went", losses said with other verbs; first reading
# F1 0.853, "yes" precision 0.944).  Their misses were read to fix
# kinds; the floors keep what was reached (money_sent F1, "yes" precision): never tell
# someone who has not paid that they have.
DEV_SETS = {"dev_d": (0.96, 0.98), "dev_e": (0.95, 0.98), "dev_f": (0.90, 0.98), "dev_g": (0.91, 0.98),
            "dev_h": (0.90, 0.98), "dev_i": (0.94, 0.98), "dev_j": (0.86, 0.95), "dev_k": (0.77, 0.74),
            "dev_l": (0.86, 0.98), "dev_m": (0.83, 0.83), "dev_n": (0.86, 0.95),
            "dev_o": (0.86, 0.97)}


@pytest.mark.parametrize("name", DEV_SETS)
def test_money_gone_is_said_only_when_it_went_on_the_development_sets(name):
    utterances = load(str(PROJECT_ROOT / "tests" / "bot" / "situation" / f"{name}.yml"))
    assert len(utterances) >= 200
    scores, yes, _ = score(utterances)
    f1_floor, precision_floor = DEV_SETS[name]
    assert scores["money_sent"].f1 >= f1_floor
    assert yes.precision >= precision_floor, "telling someone who has not paid that they have"
