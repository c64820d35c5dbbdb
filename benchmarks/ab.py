"""A/B of one setting on our assistant: ``python -m benchmarks.ab DIRECT_TF_CALLS=1 DIRECT_TF_CALLS=0``.

Machines here are shared and their speed drifts by 2x within an hour, so one
start of each variant says little.  This runs the variants in ABBA order
(A B, then B A, ... for ``--rounds``), each on a fresh start of the assistant
(default profile, or ``--replicas``), with the same short load on each start:

* a single resident (median latency),
* saturation (throughput, messages per second),
* optionally ``--residents N`` real residents (p50 / p95 latency).

The result file holds every start and, per variant, the median over its starts;
the markdown gives B / A for each figure.  Compare within one file only.
Results: benchmarks/results/<--out>.json and .md (default ``ab-<setting>``).
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import datetime, timezone
from typing import Dict, List, Optional, Tuple

from benchmarks import loadgen
from benchmarks.baselines import log
from benchmarks.replicas import start_replicas, stop_replicas
from benchmarks.run_all import RESULTS_DIR, git_info, measured, rasa_version, settle, start_fraudbot, stop
from benchmarks.sysinfo import machine, wait_for_quiet

FIGURES = (  # (key, label, which way is better)
    ("single_median_ms", "single resident, median ms", "lower"),
    ("saturation_msg_s", "saturation, msg/s", "higher"),
    ("residents_p50_ms", "real residents, p50 ms", "lower"),
    ("residents_p95_ms", "real residents, p95 ms", "lower"),
)


def parse_variant(text: str) -> Dict[str, str]:
    """``"A=1,B=x"`` -> ``{"A": "1", "B": "x"}``; a bare ``-`` is the unchanged assistant."""
    if text.strip() == "-":
        return {}
    pairs = [p for p in text.split(",") if p.strip()]
    if not pairs or any("=" not in p for p in pairs):
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE[,NAME=VALUE] or -, got {text!r}")
    return {k.strip(): v.strip() for k, v in (p.split("=", 1) for p in pairs)}


def order(rounds: int) -> List[int]:
    """ABBA ...: variant 0 and 1 start first equally often, so a drift of the machine cancels out."""
    return [i for r in range(rounds) for i in ((0, 1) if r % 2 == 0 else (1, 0))]


def one_start(env: Dict[str, str], args: argparse.Namespace) -> Dict:
    profile = loadgen.PROFILES["fraudbot"]
    if args.quiet_wait > 0:
        wait_for_quiet(args.quiet_wait)
    server = start_replicas(args.log_level, env) if args.replicas else start_fraudbot(args.log_level, env_extra=env)
    url = server.extra.get("load_url", server.url)
    probe = profile.conversations[0][0]
    out: Dict = {"env": env, "ready_s": round(server.ready_s, 1), "started": time.strftime("%H:%M:%S")}
    try:
        single = measured(server, loadgen.single_resident(url, profile, args.single, 5))
        out["single_median_ms"] = single["median_ms"]
        settle(server, probe)
        sat = measured(server, loadgen.saturation(url, profile, args.saturation_residents, 10.0, args.seconds))
        out["saturation_msg_s"] = sat["throughput_msg_s"]
        out["saturation_failed"] = sat["failed"]
        if args.residents:
            settle(server, probe)
            res = measured(server, loadgen.real_residents(url, profile, args.residents, 20.0, args.seconds,
                                                          (3.0, 8.0)))
            out["residents_p50_ms"] = res["latency"]["p50_ms"]
            out["residents_p95_ms"] = res["latency"]["p95_ms"]
            out["residents_failed"] = res["failed"]
    finally:
        out["exit_code"] = (stop_replicas if args.replicas else stop)(server)
    return out


def summary(starts: List[Dict], variants: Tuple[Dict[str, str], Dict[str, str]]) -> Dict:
    per: Dict[str, Dict] = {}
    for name, env in zip("AB", variants):
        mine = [s for s in starts if s["env"] == env]
        per[name] = {"env": env, "starts": len(mine)}
        for key, _, _ in FIGURES:
            values = [s[key] for s in mine if s.get(key) is not None]
            per[name][key] = round(statistics.median(values), 2) if values else None
            per[name][key + "_all"] = values
    ratios = {key: (round(per["B"][key] / per["A"][key], 3) if per["A"][key] and per["B"][key] is not None
                    else None) for key, _, _ in FIGURES}
    return {"variants": per, "b_over_a": ratios}


def markdown(report: Dict) -> str:
    per, ratios = report["summary"]["variants"], report["summary"]["b_over_a"]

    def env_text(env: Dict[str, str]) -> str:
        return ", ".join(f"`{k}={v}`" for k, v in env.items()) or "unchanged"

    m = report["machine"]
    lines = [f"# A/B: {env_text(per['A']['env'])} (A) against {env_text(per['B']['env'])} (B)", "",
             f"Measured {report['date']} on {m['nproc']} × {m['cpu_model']}, {m['ram_gib']} GiB RAM, "
             f"Python {m['python']}, Rasa {report['rasa_version']}; commit {report['git_commit']}"
             f"{' (uncommitted changes)' if report['git_dirty'] else ''}; "
             f"{'replica' if report['replicas'] else 'default'} profile; {report['rounds']} rounds in ABBA order, "
             f"a fresh start each; figures are the median over each variant's starts.", "",
             "| figure | A | B | B / A | better |", "|---|---:|---:|---:|---|"]
    for key, label, better in FIGURES:
        if per["A"][key] is None and per["B"][key] is None:
            continue
        lines.append(f"| {label} | {per['A'][key]} | {per['B'][key]} | {ratios[key]} | {better} |")
    lines += ["", "Every start, in order:", "", "| # | variant | started | single median ms | saturation msg/s "
              "| residents p50 / p95 ms | failed |", "|---:|---|---|---:|---:|---:|---:|"]
    for i, s in enumerate(report["starts"], 1):
        name = "A" if s["env"] == per["A"]["env"] else "B"
        failed = s.get("saturation_failed", 0) + s.get("residents_failed", 0)
        residents = (f"{s['residents_p50_ms']} / {s['residents_p95_ms']}" if s.get("residents_p95_ms") is not None
                     else "–")
        lines.append(f"| {i} | {name} | {s.get('started', '')} | {s.get('single_median_ms')} | {s.get('saturation_msg_s')} "
                     f"| {residents} | {failed} |")
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("a", type=parse_variant, help="variant A: NAME=VALUE[,NAME=VALUE], or - for unchanged")
    parser.add_argument("b", type=parse_variant, help="variant B, the same way")
    parser.add_argument("--rounds", type=int, default=2, help="ABBA rounds; each round starts A and B once")
    parser.add_argument("--replicas", action="store_true", help="the replica profile (PostgreSQL, Redis)")
    parser.add_argument("--single", type=int, default=100, help="messages of the single resident")
    parser.add_argument("--saturation-residents", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=45.0, help="measured seconds of each load")
    parser.add_argument("--residents", type=int, default=0, help="also N real residents (0: not measured)")
    parser.add_argument("--quiet-wait", type=float, default=60.0, help="wait at most this long for an idle machine")
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--out", help="name of the result files (default ab-<first setting of A>)")
    args = parser.parse_args(argv)
    if args.a == args.b:
        parser.error("A and B are the same")
    variants = (args.a, args.b)
    stem = args.out or "ab-" + (next(iter(args.a or args.b)).lower().replace("_", "-"))
    report: Dict = {"date": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
                    "machine": machine(), "rasa_version": rasa_version(), **git_info(),
                    "replicas": args.replicas, "rounds": args.rounds, "starts": []}
    for n, index in enumerate(order(args.rounds), 1):
        env = variants[index]
        log(f"start {n} of {2 * args.rounds}: {'AB'[index]} {env}")
        report["starts"].append(one_start(env, args))
        log(f"  {report['starts'][-1]}")
    report["summary"] = summary(report["starts"], variants)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"{stem}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    (RESULTS_DIR / f"{stem}.md").write_text(markdown(report))
    print((RESULTS_DIR / f"{stem}.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
