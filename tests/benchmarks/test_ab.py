"""benchmarks/ab.py: the A/B runner's order, parsing and summary (the loads themselves are measured, not tested)."""
from __future__ import annotations

import argparse

import pytest

from benchmarks import ab


def test_abba_order_starts_each_variant_first_equally_often():
    assert ab.order(1) == [0, 1]
    assert ab.order(2) == [0, 1, 1, 0]
    starts = ab.order(4)
    assert starts.count(0) == starts.count(1) == 4
    firsts = [starts[i] for i in range(0, len(starts), 2)]
    assert firsts.count(0) == firsts.count(1)


def test_variants_are_settings_or_unchanged():
    assert ab.parse_variant("DIRECT_TF_CALLS=0") == {"DIRECT_TF_CALLS": "0"}
    assert ab.parse_variant("A=1, B=x=y") == {"A": "1", "B": "x=y"}
    assert ab.parse_variant("-") == {}
    with pytest.raises(argparse.ArgumentTypeError):
        ab.parse_variant("DIRECT_TF_CALLS")


def test_the_summary_is_the_median_of_each_variants_starts_and_their_ratio():
    a, b = {"X": "1"}, {"X": "0"}
    starts = [
        {"env": a, "single_median_ms": 40, "saturation_msg_s": 30.0},
        {"env": b, "single_median_ms": 50, "saturation_msg_s": 20.0},
        {"env": b, "single_median_ms": 70, "saturation_msg_s": 24.0},
        {"env": a, "single_median_ms": 44, "saturation_msg_s": 32.0},
    ]
    result = ab.summary(starts, (a, b))
    assert result["variants"]["A"]["single_median_ms"] == 42
    assert result["variants"]["B"]["saturation_msg_s"] == 22.0
    assert result["b_over_a"]["saturation_msg_s"] == round(22.0 / 31.0, 3)
    assert result["b_over_a"]["residents_p95_ms"] is None  # not measured: no ratio invented
    report = {"date": "d", "machine": {"nproc": 2, "cpu_model": "AMD EPYC", "ram_gib": 23.5, "python": "3.10.13"}, "rasa_version": "3.6.21", "git_commit": "abc", "git_dirty": False,
              "replicas": False, "rounds": 2, "starts": starts, "summary": result}
    text = ab.markdown(report)
    assert "| saturation, msg/s | 31.0 | 22.0 | 0.71 | higher |" in text
    assert "p95" not in text.split("Every start")[0]
    assert "on 2 × AMD EPYC, 23.5 GiB RAM" in text


def test_failed_and_timed_out_messages_count_in_the_percentiles():
    from benchmarks.loadgen import FAILED, Sample, latency_all_stats

    replies = [Sample(0.0, 0.1 * (i + 1), "ok") for i in range(90)]  # 100 ms ... 9 s
    failures = [Sample(0.0, 30.0, "timeout")] * 8 + [Sample(0.0, 0.01, "http_503")] * 2
    stats = latency_all_stats(replies + failures)
    assert stats["count"] == 100 and stats["failed"] == 10
    assert stats["p50_ms"] == 5050.0  # the median reply, not pulled down by the fast 503s
    assert stats["p95_ms"] == FAILED and stats["p99_ms"] == FAILED  # the slowest 10% never got a reply


def test_several_runs_alternate_the_order_and_report_medians():
    from benchmarks.repeats import like_for_like, median_of_runs, run_order

    assert [run_order(["a", "b", "c"], r) for r in range(3)] == [["a", "b", "c"], ["c", "b", "a"], ["a", "b", "c"]]
    runs = [{"fraudbot": {"saturation": {"throughput_msg_s": v}, "single": {"median_ms": m},
                          "residents": {"100": {"latency_all": {"p95_ms": p}, "failed": f}}},
             "fraudbot-rasa-sql": {"saturation": {"throughput_msg_s": b}, "single": {"median_ms": 40.0}}}
            for v, m, p, f, b in ((30.0, 20.0, 120.0, 0, 25.0), (10.0, 25.0, "failed", 7, 26.0),
                                  (28.0, 21.0, 140.0, 1, 24.0))]
    runs[2]["bare-sqlite"] = {"system": "bare-sqlite", "error": "RuntimeError: did not start"}
    systems = median_of_runs(runs)
    ours = systems["fraudbot"]
    assert ours["saturation"]["throughput_msg_s"] == 28.0 and ours["single"]["median_ms"] == 21.0
    assert ours["residents"]["100"]["latency_all"]["p95_ms"] == 140.0  # a failed run's p95 counts as the slowest
    assert ours["residents"]["100"]["failed"] == 1 and ours["runs_measured"] == 3
    assert systems["bare-sqlite"]["error"].startswith("RuntimeError")
    assert like_for_like(systems) == {"throughput_ratio": round(28.0 / 25.0, 2), "single_median_ratio": 0.53}
