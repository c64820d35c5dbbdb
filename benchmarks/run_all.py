"""One command for every load figure: ``python -m benchmarks.run_all [--quick]``.

In one run, one system after another (never two at once, so they do not share
the 2 cores):

1. ``bare-sqlite`` - the `rasa init` starter with SQL tracker store + SQL event
   broker on SQLite (benchmarks/baselines.py);
2. ``bare-memory`` - the same starter with the in-memory tracker store;
3. ``fraudbot`` - our assistant in its default profile, started as
   ``python -m bot.run.launcher --no-web`` with a throwaway FRAUDBOT_DATA_DIR and free
   ports (model: models/fraudbot.tar.gz).

Each gets the same load models (benchmarks/loadgen.py): single resident,
saturation, real residents (100 and 200).  Ours also gets the footprint: time
from start to ready, and the RSS of every process after 10,000 short
conversations.  Results: benchmarks/results/load.json and load.md
(``--quick``: load-quick.json / load-quick.md, so a smoke run never overwrites
the real figures).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Dict, List, Optional

from benchmarks import repeats, loadgen
from benchmarks.replicas import start_replicas, stop_replicas
from benchmarks.baselines import (BASE_ENV, BENCH_DIR, PROJECT_ROOT, START_TIMEOUT, Server, chat,
                                  ensure_starter, log, start_bare, stop, wait_for_reply)
from benchmarks.sysinfo import CpuMeter, file_fingerprint, free_port, loadavg, machine, rss_report, wait_for_quiet

RESULTS_DIR = BENCH_DIR / "results"
MODEL_PATH = PROJECT_ROOT / "models" / "fraudbot.tar.gz"

TARGETS = {
    "throughput_ratio_vs_sqlite": {"target": 1.5, "better": "higher",
                                   "what": "ours / bare-sqlite saturation throughput"},
    "p95_ms_at_100_residents": {"target": 300.0, "better": "lower",
                                "what": "our p95 latency with 100 real residents (ms)"},
    "single_median_ratio_vs_memory": {"target": 1.3, "better": "lower",
                                      "what": "ours / bare-memory single-resident median latency"},
}
REPLICA_TARGETS = {
    "replica_saturation_msg_s": {"target": 60.0, "better": "higher",
                                 "what": "replica profile saturation throughput (msg/s)"},
    "replica_p95_ms_at_200_residents": {"target": 500.0, "better": "lower",
                                        "what": "replica profile p95 latency with 200 real residents (ms)"},
}

CONFIGS: Dict[str, Dict] = {
    "full": {
        "single_messages": 200, "single_warmup": 5,
        "sat_residents": 50, "sat_warmup": 10.0, "sat_duration": 60.0,
        "residents": [100, 200], "arrival": 20.0, "res_duration": 90.0, "think": [3.0, 8.0],
        "short_count": 10_000, "short_concurrency": 4, "short_max_seconds": 1500.0,
        "timeout": 30.0,
    },
    "quick": {
        "single_messages": 20, "single_warmup": 3,
        "sat_residents": 10, "sat_warmup": 3.0, "sat_duration": 10.0,
        "residents": [10, 20], "arrival": 5.0, "res_duration": 20.0, "think": [3.0, 8.0],
        "short_count": 200, "short_concurrency": 4, "short_max_seconds": 120.0,
        "timeout": 30.0,
    },
}

SYSTEMS = {
    "bare-sqlite": "rasa init starter, `rasa run --enable-api`, SQL tracker store + SQL event broker on SQLite",
    "bare-memory": "rasa init starter, `rasa run --enable-api`, no endpoints (in-memory tracker store)",
    "fraudbot": "our assistant, `python -m bot.run.launcher --no-web`, default profile (endpoints.yml)",
    "fraudbot-replicas": "our assistant, production profile: `python -m bot.run.cluster --no-web`, 2 Rasa + 2 action "
                         "servers, PostgreSQL + Redis lock store; each message to the next replica in turn "
                         "(benchmarks/replicas.py)",
    "fraudbot-rasa-sql": "the same model, actions and launcher on Rasa's own `type: SQL` tracker store and "
                         "event broker (SQLite) instead of bot/rasa/tracker_store.py: the like-for-like baseline for ours",
    "fraudbot-memory": "EXPERIMENT (only with --experiments): ours with the in-memory tracker store and no "
                       "event broker, to separate the cost of persistence from the rest",
}
EXPERIMENTS = ("fraudbot-memory",)
# Ours without persistence: only the action endpoint.
MEMORY_ENDPOINTS = """\
action_endpoint:
  url: ${ACTION_ENDPOINT_URL}
"""
# The default profile (endpoints.yml) with Rasa's own SQL classes.
RASA_SQL_ENDPOINTS = """\
action_endpoint:
  url: ${ACTION_ENDPOINT_URL}

tracker_store:
  type: SQL
  dialect: sqlite
  db: ${FRAUDBOT_DATA_DIR}/tracker.db

event_broker:
  type: SQL
  dialect: sqlite
  db: ${FRAUDBOT_DATA_DIR}/events.db
"""


# --- our assistant ------------------------------------------------------------------


def start_fraudbot(log_level: str, endpoints_text: Optional[str] = None,
                   env_extra: Optional[Dict[str, str]] = None) -> Server:
    """Start our assistant as `make run` does (without the web app); wait for "ready:" and a reply.

    `endpoints_text`: run with this endpoints file instead of the default profile (experiments).
    `env_extra`: settings to run with (benchmarks/ab.py).
    """
    if not MODEL_PATH.exists():
        raise RuntimeError(f"no trained model at {MODEL_PATH}: run `make train` first")
    data = Path(tempfile.mkdtemp(prefix="bench-fraudbot-"))
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}
    env = {**os.environ, **BASE_ENV, **{k: str(v) for k, v in ports.items()}}
    env.update({
        "FRAUDBOT_DATA_DIR": str(data),
        "RASA_TOKEN": "bench-" + uuid.uuid4().hex[:12],
        "LOG_LEVEL": log_level,
        "PYTHONPATH": str(PROJECT_ROOT),
    })
    env.update(env_extra or {})
    cmd = [sys.executable, "-m", "bot.run.launcher", "--no-web"]
    if endpoints_text is not None:
        (data / "endpoints.yml").write_text(endpoints_text)
        cmd += ["--endpoints", str(data / "endpoints.yml")]
    log_path = data / "launcher.log"
    started = time.monotonic()
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(name="fraudbot", url=f"http://127.0.0.1:{ports['RASA_PORT']}", proc=proc, data_dir=data,
                    log_path=log_path, started_at=started,
                    extra={"command": cmd, "ports": ports, "model": str(MODEL_PATH)})
    deadline = started + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"launcher exited with {proc.returncode}:\n{server.log_tail()}")
        if b"ready:" in log_path.read_bytes():
            server.ready_s = time.monotonic() - started
            break
        time.sleep(0.1)
    else:
        stop(server)
        raise RuntimeError(f"launcher not ready within {START_TIMEOUT} s:\n{server.log_tail()}")
    server.first_reply_s = wait_for_reply(server, "你好")
    return server


# --- one system ----------------------------------------------------------------------


def settle(server: Server, probe: str, timeout: float = 180.0) -> float:
    """Let the server finish what the last load left queued; returns seconds waited."""
    t0 = time.monotonic()
    time.sleep(2.0)
    deadline = t0 + timeout
    while time.monotonic() < deadline:
        try:
            if chat(server.url, "bench-settle", probe, timeout=max(1.0, deadline - time.monotonic())):
                break
        except Exception:
            time.sleep(1.0)
    return round(time.monotonic() - t0, 1)


def log_summary(path: Path) -> Dict:
    """Size of the server's log and its most frequent lines (what it printed under load)."""
    from collections import Counter
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return {}
    common = Counter(line[:200] for line in lines if line.strip()).most_common(5)
    return {"bytes": path.stat().st_size, "lines": len(lines),
            "most_common": [{"count": c, "line": line} for line, c in common]}


def measured(server: Server, coro) -> Dict:
    with CpuMeter(server.pid) as meter:
        result = asyncio.run(coro)
    result["cpu"] = meter.report
    return result


def run_system(name: str, starter: Callable[[], Server], profile: loadgen.Profile, cfg: Dict,
               footprint: bool, quiet_wait: float) -> Dict:  # noqa: C901
    out: Dict = {"system": name, "description": SYSTEMS[name], "profile": profile.name}
    if quiet_wait > 0:
        log(f"{name}: waiting (at most {quiet_wait:.0f} s) for the machine to be idle ...")
        out["quiet_before_start"] = wait_for_quiet(quiet_wait)
        log(f"{name}: {out['quiet_before_start']}")
    out["loadavg_before_start"] = loadavg()
    log(f"{name}: starting ...")
    server = starter()
    out["command"] = server.extra.get("command")
    model = server.extra.get("model")
    out["model"] = file_fingerprint(Path(model)) if model else None
    out["startup"] = {"ready_s": round(server.ready_s, 1), "first_reply_s": round(server.first_reply_s, 1)}
    log(f"{name}: ready after {server.ready_s:.1f} s, first reply after {server.first_reply_s:.1f} s")
    probe = profile.conversations[0][0]
    url = server.extra.get("load_url", server.url)  # replicas: every Rasa server, round-robin
    try:
        out["rss_at_ready"] = rss_report(server.pid)
        t = cfg["timeout"]

        log(f"{name}: single resident, {cfg['single_messages']} messages ...")
        out["single"] = measured(server, loadgen.single_resident(
            url, profile, cfg["single_messages"], cfg["single_warmup"], timeout=t))
        log(f"{name}: single median {out['single']['median_ms']} ms")

        out["settle_s"] = {"after_single": settle(server, probe)}
        log(f"{name}: saturation, {cfg['sat_residents']} residents, "
            f"{cfg['sat_warmup']:.0f} s warm-up + {cfg['sat_duration']:.0f} s ...")
        out["saturation"] = measured(server, loadgen.saturation(
            url, profile, cfg["sat_residents"], cfg["sat_warmup"], cfg["sat_duration"], timeout=t))
        log(f"{name}: saturation {out['saturation']['throughput_msg_s']} msg/s")
        out["settle_s"]["after_saturation"] = settle(server, probe)

        out["residents"] = {}
        for n in cfg["residents"]:
            log(f"{name}: {n} real residents for {cfg['res_duration']:.0f} s ...")
            res = measured(server, loadgen.real_residents(
                url, profile, n, cfg["arrival"], cfg["res_duration"], tuple(cfg["think"]), timeout=t))
            out["residents"][str(n)] = res
            lat = res["latency"]
            log(f"{name}: {n} residents p50/p95/p99 {lat['p50_ms']}/{lat['p95_ms']}/{lat['p99_ms']} ms, "
                f"failed {res['failed']}")
            out["settle_s"][f"after_residents_{n}"] = settle(server, probe)

        out["rss_after_load"] = rss_report(server.pid)
        if footprint:
            log(f"{name}: footprint, {cfg['short_count']} short conversations "
                f"(at most {cfg['short_max_seconds']:.0f} s) ...")
            short = measured(server, loadgen.short_conversations(
                url, profile, cfg["short_count"], cfg["short_concurrency"], timeout=t,
                max_seconds=cfg["short_max_seconds"]))
            out["footprint"] = {"short_conversations": short, "rss_after": rss_report(server.pid)}
            log(f"{name}: {short['conversations_finished']} short conversations in {short['wall_s']} s, "
                f"RSS now {out['footprint']['rss_after']['total_rss_mib']} MiB")
    finally:
        # What persistence the server actually used (Rasa falls back to memory on a bad store type).
        out["data_files"] = {f.name: f.stat().st_size for f in sorted(server.data_dir.iterdir()) if f.is_file()}
        out["log"] = log_summary(server.log_path)
        out["exit_code"] = (stop_replicas if server.extra.get("databases") else stop)(server)
        log(f"{name}: stopped (exit code {out['exit_code']})")
    return out


# --- summary ------------------------------------------------------------------------------


def _get(d: Optional[Dict], *keys):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def _ratio(a, b) -> Optional[float]:
    return round(a / b, 3) if a is not None and b else None


def _p95(system: Optional[Dict], residents: str):
    """p95 over every message, failures counted as slowest (older results: over the replies only)."""
    return (_get(system, "residents", residents, "latency_all", "p95_ms")
            or _get(system, "residents", residents, "latency", "p95_ms"))


def targets(systems: Dict[str, Dict], ours_name: str = "fraudbot") -> Dict:
    ours, sqlite, memory = systems.get(ours_name), systems.get("bare-sqlite"), systems.get("bare-memory")
    values = {
        "throughput_ratio_vs_sqlite": _ratio(_get(ours, "saturation", "throughput_msg_s"),
                                             _get(sqlite, "saturation", "throughput_msg_s")),
        "p95_ms_at_100_residents": _p95(ours, "100"),
        "single_median_ratio_vs_memory": _ratio(_get(ours, "single", "median_ms"),
                                                _get(memory, "single", "median_ms")),
    }
    replicas = systems.get("fraudbot-replicas")
    if ours_name == "fraudbot" and replicas and "error" not in replicas:
        values["replica_saturation_msg_s"] = _get(replicas, "saturation", "throughput_msg_s")
        values["replica_p95_ms_at_200_residents"] = _p95(replicas, "200")
    out = {}
    for key, spec in {**TARGETS, **REPLICA_TARGETS}.items():
        if key not in values:
            continue
        v = values[key]
        if v == loadgen.FAILED:  # the percentile is a message that never got its reply
            out[key] = {**spec, "measured": v, "met": False, "factor_off": None}
            continue
        met = None if v is None else (v >= spec["target"] if spec["better"] == "higher" else v <= spec["target"])
        # how far off: measured / target for "higher", target / measured... kept simple: the factor to go
        factor = None
        if v:
            factor = round(spec["target"] / v, 2) if spec["better"] == "higher" else round(v / spec["target"], 2)
        out[key] = {**spec, "measured": v, "met": met, "factor_off": factor}
    return out


BUSY_OTHER_CORES = 0.3


def _parts(s: Dict) -> List[Optional[Dict]]:
    return [s.get("single"), s.get("saturation"), *(s.get("residents") or {}).values(),
            _get(s, "footprint", "short_conversations")]


def fmt(v, digits: int = 1) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def markdown(report: Dict) -> str:
    m = report["machine"]
    lines = [
        f"# Load benchmarks ({report['mode']})",
        "",
        f"Measured {report['date']} on {m['nproc']} × {m['cpu_model']}, {m['ram_gib']} GiB RAM, "
        f"Python {m['python']}, Rasa {report.get('rasa_version', '?')}; project commit "
        f"{report.get('git_commit', '?')}{' (with uncommitted changes)' if report.get('git_dirty') else ''}. "
        f"Log level {report['log_level']}. Load generator on the same machine. "
        "Written by `python -m benchmarks.run_all`; every figure is measured in that run"
        + (f", as the median of {len(report.get('runs') or [])} runs in alternating order"
           if len(report.get("runs") or []) > 1 else "") + ".",
        "",
        "| system | start → ready (s) | saturation (msg/s) | single median (ms) | "
        + " | ".join(f"{n} residents p50 / p95 / p99 (ms)" for n in report["config"]["residents"])
        + " | failed / timeouts (all loads) |",
        "|---|---:|---:|---:|" + "---:|" * len(report["config"]["residents"]) + "---:|",
    ]
    for name in SYSTEMS:
        s = report["systems"].get(name)
        if not s:
            continue
        if "error" in s:
            lines.append(f"| {name} | failed: {s['error'].splitlines()[0][:80]} |")
            continue
        cells = [name, fmt(_get(s, "startup", "ready_s")), fmt(_get(s, "saturation", "throughput_msg_s"), 2),
                 fmt(_get(s, "single", "median_ms"))]
        failed = timeouts = 0
        for part in [s.get("single"), s.get("saturation"), *(s.get("residents") or {}).values()]:
            if part:
                outcomes = part.get("outcomes_total") or part.get("outcomes") or {}
                failed += sum(v for k, v in outcomes.items() if k != "ok")
                timeouts += outcomes.get("timeout", 0)
        for n in report["config"]["residents"]:
            lat = _get(s, "residents", str(n), "latency_all") or _get(s, "residents", str(n), "latency") or {}
            cells.append(f"{fmt(lat.get('p50_ms'))} / {fmt(lat.get('p95_ms'))} / {fmt(lat.get('p99_ms'))}")
        cells.append(f"{failed} / {timeouts}")
        lines.append("| " + " | ".join(cells) + " |")

    busy = []
    for name, s in report["systems"].items():
        if name == "fraudbot-replicas":  # PostgreSQL and Redis are its "other"
            continue
        others = [p["cpu"]["other_cores"] for p in _parts(s) if p and p.get("cpu")]
        if others and sum(others) / len(others) > BUSY_OTHER_CORES:
            busy.append(f"{name} (on average {sum(others) / len(others):.2f} cores used by other processes)")
    if busy:
        lines += ["", "**Warning: the machine was busy with other work while these were measured: "
                  + "; ".join(busy) + ". Their figures are pessimistic; rerun on an idle machine.**"]

    like = report.get("like_for_like") or {}
    if any(v is not None for v in like.values()):
        lines += ["", "## Like for like", "",
                  "The headline compares ours with the `rasa init` starter, whose default model is heavier than "
                  "ours.  Beside it, the same model and actions on Rasa's own SQL stores "
                  "(`fraudbot-rasa-sql`): what our stores change, and nothing else.", "",
                  f"- saturation, ours / same model on Rasa's SQL stores: ×{fmt(like.get('throughput_ratio'), 2)}",
                  f"- single median, ours / same model on Rasa's SQL stores: "
                  f"×{fmt(like.get('single_median_ratio'), 2)}"]
    lines += ["", "## Targets", "", "| what | measured | target | met | off by |", "|---|---:|---:|:---:|---:|"]
    rows = [(t["what"], key, t) for key, t in report["targets"].items()]
    for exp, ts in (report.get("experiment_targets") or {}).items():
        rows += [(f"EXPERIMENT: {t['what'].replace('ours', exp).replace('our ', exp + ' ')}", key, t)
                 for key, t in ts.items()]
    for label, key, t in rows:
        op = "≥" if t["better"] == "higher" else "≤"
        met = "–" if t["met"] is None else ("yes" if t["met"] else "**no**")
        off = "" if t["met"] or t["factor_off"] is None else f"×{t['factor_off']}"
        lines.append(f"| {label} | {fmt(t['measured'], 3 if 'ratio' in key else 1)} | {op} {t['target']} "
                     f"| {met} | {off} |")

    ours = report["systems"].get("fraudbot") or {}
    if ours.get("rss_at_ready"):
        lines += ["", "## Footprint (ours)", ""]
        fp = ours.get("footprint") or {}
        short = fp.get("short_conversations") or {}
        if short:
            lines.append(f"Short conversations (one message each) run: {short.get('conversations_finished')} of "
                         f"{short.get('requested')} in {short.get('wall_s')} s "
                         f"({short.get('msg_s')} msg/s, {short.get('failed')} failed).")
            lines.append("")
        after_label = f"after +{short.get('conversations_finished', 0)} short conversations (MiB)"
        lines += [f"| process | RSS at ready (MiB) | after the load models (MiB) | {after_label} | peak (MiB) |",
                  "|---|---:|---:|---:|---:|"]
        by_role = {}
        for stage in ("rss_at_ready", "rss_after_load"):
            for p in (ours.get(stage) or {}).get("processes", []):
                by_role.setdefault(p["role"], {})[stage] = p
        for p in (fp.get("rss_after") or {}).get("processes", []):
            by_role.setdefault(p["role"], {})["after"] = p
        for r, st in by_role.items():
            last = st.get("after") or st.get("rss_after_load") or st.get("rss_at_ready")
            lines.append(f"| {r} | {fmt(_get(st, 'rss_at_ready', 'rss_mib'))} | "
                         f"{fmt(_get(st, 'rss_after_load', 'rss_mib'))} | {fmt(_get(st, 'after', 'rss_mib'))} | "
                         f"{fmt(last.get('peak_rss_mib'))} |")
        lines.append(f"| **total** | {fmt(_get(ours, 'rss_at_ready', 'total_rss_mib'))} | "
                     f"{fmt(_get(ours, 'rss_after_load', 'total_rss_mib'))} | "
                     f"{fmt(_get(fp, 'rss_after', 'total_rss_mib'))} | |")
        lines.append("")
        lines.append(f"Start → ready: {fmt(_get(ours, 'startup', 'ready_s'))} s (launcher prints `ready:`); "
                     f"first chat reply {fmt(_get(ours, 'startup', 'first_reply_s'))} s after start.")

    lines += ["", "## CPU during each load (cores; the machine has "
              f"{m['nproc']})", "",
              "`other` is CPU used by anything else on the machine meanwhile: when it is large the "
              "figures of that row were measured on a shared, busy machine.  For fraudbot-replicas it "
              "includes PostgreSQL and Redis, which that profile uses.", "",
              "| system | load | server | load generator | other |", "|---|---|---:|---:|---:|"]
    for name, s in report["systems"].items():
        parts = [("single", s.get("single")), ("saturation", s.get("saturation"))]
        parts += [(f"{n} residents", v) for n, v in (s.get("residents") or {}).items()]
        parts += [("short conversations", _get(s, "footprint", "short_conversations"))]
        for label, part in parts:
            cpu = (part or {}).get("cpu")
            if cpu:
                lines.append(f"| {name} | {label} | {cpu['server_cores']} | {cpu['loadgen_cores']} | "
                             f"{cpu['other_cores']} |")
    lines += ["", "See benchmarks/README.md for what each number means.", ""]
    return "\n".join(lines)


# --- main ---------------------------------------------------------------------------------


def git_info() -> Dict:
    def git(*args) -> str:
        try:
            return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                                  timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""
    return {"git_commit": git("rev-parse", "--short", "HEAD"), "git_dirty": bool(git("status", "--porcelain"))}


def rasa_version() -> str:
    try:
        from importlib.metadata import version
        return version("rasa")
    except Exception:
        return "?"


def write(report: Dict, stem: str) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    report["targets"] = targets(report["systems"])
    report["experiment_targets"] = {name: targets(report["systems"], name)
                                    for name in EXPERIMENTS if name in report["systems"]}
    report["like_for_like"] = repeats.like_for_like(report["systems"])
    (RESULTS_DIR / f"{stem}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    (RESULTS_DIR / f"{stem}.md").write_text(markdown(report))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Run every load benchmark and write benchmarks/results/load.*")
    parser.add_argument("--quick", action="store_true", help="short smoke run (writes load-quick.*)")
    parser.add_argument("--only", nargs="+", choices=list(SYSTEMS), help="measure only these systems")
    parser.add_argument("--experiments", action="store_true",
                        help="also measure the experimental variants (" + ", ".join(EXPERIMENTS) + ")")
    parser.add_argument("--out", help="name of the result files in benchmarks/results (default load, "
                                      "load-quick with --quick); use another for partial or experimental runs")
    parser.add_argument("--no-footprint", action="store_true", help="skip the 10,000 short conversations")
    parser.add_argument("--log-level", default="WARNING", help="LOG_LEVEL of every server (default WARNING)")
    parser.add_argument("--runs", type=int, default=3,
                        help="measure every system this many times, reversing the order on every other run, "
                             "and report the median of each figure (default 3)")
    parser.add_argument("--quiet-wait", type=float, default=300.0,
                        help="before each system, wait at most this many seconds for the machine to be "
                             "idle (0: do not wait; default 300)")
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    cfg = CONFIGS[mode]
    stem = args.out or ("load-quick" if args.quick else "load")
    report: Dict = {
        "date": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
        "mode": mode, "machine": machine(), "rasa_version": rasa_version(), **git_info(),
        "log_level": args.log_level, "config": cfg, "systems": {}, "complete": False,
    }
    log(f"load benchmarks ({mode}) on {report['machine']}; load average {loadavg()}")
    ensure_starter()
    starters = {
        "bare-sqlite": (lambda: start_bare("sqlite", args.log_level), loadgen.PROFILES["bare"], False),
        "bare-memory": (lambda: start_bare("memory", args.log_level), loadgen.PROFILES["bare"], False),
        "fraudbot": (lambda: start_fraudbot(args.log_level), loadgen.PROFILES["fraudbot"], True),
        "fraudbot-replicas": (lambda: start_replicas(args.log_level), loadgen.PROFILES["fraudbot"], False),
        "fraudbot-rasa-sql": (lambda: start_fraudbot(args.log_level, RASA_SQL_ENDPOINTS),
                              loadgen.PROFILES["fraudbot"], False),
        "fraudbot-memory": (lambda: start_fraudbot(args.log_level, MEMORY_ENDPOINTS),
                            loadgen.PROFILES["fraudbot"], False),
    }
    t0 = time.monotonic()
    chosen = args.only or [n for n in SYSTEMS if args.experiments or n not in EXPERIMENTS]
    report["runs"] = []
    for run in range(max(1, args.runs)):
        measured_now: Dict[str, Dict] = {}
        report["runs"].append(measured_now)
        for name in repeats.run_order(chosen, run):
            starter, profile, footprint = starters[name]
            log(f"run {run + 1} of {args.runs}: {name}")
            try:
                measured_now[name] = run_system(name, starter, profile, cfg,
                                                footprint and not args.no_footprint and run == 0, args.quiet_wait)
            except Exception as exc:  # record it and go on with the next system
                log(f"{name}: FAILED: {exc}")
                measured_now[name] = {"system": name, "error": f"{type(exc).__name__}: {exc}",
                                      "traceback": traceback.format_exc()}
            report["systems"] = repeats.median_of_runs(report["runs"])
            write(report, stem)
    report["complete"] = True
    report["total_wall_s"] = round(time.monotonic() - t0, 1)
    write(report, stem)
    log(f"wrote {RESULTS_DIR / (stem + '.json')} and {stem}.md in {report['total_wall_s']:.0f} s")
    print((RESULTS_DIR / f"{stem}.md").read_text())
    return 0 if all("error" not in s for s in report["systems"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
