"""Several runs of the load benchmarks: alternating order, the median of each figure.

One run on a shared machine can be off by half (the same starter made 31.9 msg/s
one afternoon and 19.7 that evening), and the system measured later in a run
meets a warmer, or busier, machine.  So ``run_all --runs N`` measures every
system N times, reversing the order on every other run (A B, B A, ...), and
reports each figure as the median over the runs (:func:`median_of_runs`).
A percentile that fell on a failed message (``"failed"``) counts as slower
than any reply in the median too.
"""
from __future__ import annotations

import math
import statistics
from typing import Any, Dict, List, Optional, Sequence

FAILED = "failed"  # benchmarks.loadgen.FAILED


def run_order(systems: Sequence[str], run: int) -> List[str]:
    """The systems in the order of run number `run` (0-based): forward, then reversed, ..."""
    return list(systems) if run % 2 == 0 else list(reversed(systems))


def _number(v: Any) -> Optional[float]:
    if v == FAILED:
        return math.inf
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    return None


def _median_value(values: List[Any]) -> Any:
    numbers = [_number(v) for v in values]
    if not all(n is not None for n in numbers):
        return values[0]
    m = statistics.median(numbers)
    if not math.isfinite(m):
        return FAILED
    if all(isinstance(v, int) for v in values) and float(m).is_integer():
        return int(m)
    return round(m, 3)


def merge(results: List[Any]) -> Any:
    """The median of each numeric leaf over `results` (same shape); other leaves from the first."""
    present = [r for r in results if r is not None]
    if not present:
        return None
    if all(isinstance(r, dict) for r in present):
        keys = list(dict.fromkeys(k for r in present for k in r))
        return {k: merge([r.get(k) for r in present]) for k in keys}
    return _median_value(present)


def median_of_runs(runs: List[Dict[str, Dict]]) -> Dict[str, Dict]:
    """Per system, the median over the runs in which it did not fail; each run's own figures stay in ``runs``."""
    names = list(dict.fromkeys(name for run in runs for name in run))
    systems: Dict[str, Dict] = {}
    for name in names:
        good = [run[name] for run in runs if name in run and "error" not in run[name]]
        if not good:
            systems[name] = next(run[name] for run in runs if name in run)
            continue
        systems[name] = {**merge(good), "runs_measured": len(good)}
    return systems


def like_for_like(systems: Dict[str, Dict], ours: str = "fraudbot", same_model: str = "fraudbot-rasa-sql") -> Dict:
    """Ours against the same model on Rasa's own SQL stores: what our stores and fixes change, nothing else."""
    def ratio(*path: str) -> Optional[float]:
        a, b = systems.get(ours), systems.get(same_model)
        for key in path:
            a = a.get(key) if isinstance(a, dict) else None
            b = b.get(key) if isinstance(b, dict) else None
        if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or not b:
            return None
        return round(a / b, 2)

    return {"throughput_ratio": ratio("saturation", "throughput_msg_s"),
            "single_median_ratio": ratio("single", "median_ms")}
