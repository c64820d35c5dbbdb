"""How long one dashboard page view takes on a million turns (SQLite).

Builds a SQLite database with ``bot.tools.synthetic.generate`` under
``benchmarks/.cache/`` (reused on later runs: its name carries the sizes and the
seed), brings its schema to the newest migration, then times the queries one page
view runs (the filter options and ``report_queries.summary``) for a dozen filter
combinations, a few runs each.  Writes ``benchmarks/results/dashboard.json`` and
prints a markdown table.  The target is under 1 s per page view.

    python -m benchmarks.dashboard_bench [--turns 1000000] [--quiz-answers 100000] [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import func, select

from bot.reporting import queries as report_queries
from bot.db.engine import make_engine, make_sessionmaker, upgrade
from bot.knowledge.topics import default_knowledge
from bot.db.models import Campaign, Conversation, Event, QuizAnswer, Turn
from bot.quiz.bank import default_bank
from bot.reporting.filters import Filters
from bot.settings import PROJECT_ROOT

BENCH_DIR = PROJECT_ROOT / "benchmarks"
CACHE_DIR = BENCH_DIR / ".cache"
RESULTS_FILE = BENCH_DIR / "results" / "dashboard.json"
TARGET_SECONDS = 1.0
# A synthetic attempt answers about 4.7 questions (most finish a round of five).
ANSWERS_PER_ATTEMPT = 4.7


def database(turns: int, answers: int, seed: int) -> Tuple[str, float]:
    """The URL of the benchmark database and how long building it took (0 if reused)."""
    from bot.tools.synthetic import generate

    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = CACHE_DIR / f"dashboard-t{turns}-a{answers}-s{seed}.db"
    url = f"sqlite:///{path}"
    built = 0.0
    if not path.exists():
        partial = path.with_suffix(".partial.db")
        for leftover in CACHE_DIR.glob(partial.name + "*"):
            leftover.unlink()
        partial_url = f"sqlite:///{partial}"
        upgrade(partial_url)
        engine = make_engine(partial_url)
        started = time.perf_counter()
        try:
            generate(make_sessionmaker(engine), turns=turns, quiz_attempts=round(answers / ANSWERS_PER_ATTEMPT),
                     seed=seed)
        finally:
            engine.dispose()
        built = time.perf_counter() - started
        checkpoint(partial)
        partial.rename(path)  # only a complete database is ever reused
    upgrade(url)  # a reused database gets migrations added since it was built
    return url, built


def checkpoint(path: Path) -> None:
    """Fold the WAL into the file so renaming it moves everything."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def combinations(sessions: Any) -> List[Tuple[str, Filters]]:
    """About a dozen filter combinations, from none to most of them together."""
    with sessions() as s:
        campaign = s.execute(select(Campaign.id).order_by(Campaign.id)).scalar_one()
        first = s.execute(select(func.min(Event.held_on))).scalar_one()
        busiest = s.execute(select(Conversation.event_id).where(Conversation.event_id.is_not(None))
                            .group_by(Conversation.event_id).order_by(func.count().desc())).scalars().first()
        event = s.get(Event, busiest)
    month = dict(date_from=first.replace(day=1), date_to=first.replace(day=1) + timedelta(days=29))
    # Two weeks around the busiest event, so that combining filters still leaves data.
    two_weeks = dict(date_from=event.held_on - timedelta(days=6), date_to=event.held_on + timedelta(days=7))
    return [
        ("无筛选", Filters()),
        ("整月", Filters(**month)),
        ("两周", Filters(**two_weeks)),
        ("宣传活动", Filters(campaign_id=campaign)),
        ("支行", Filters(branch=event.branch)),
        ("单场活动", Filters(event_id=event.id)),
        ("场地类型", Filters(venue_type=event.venue_type)),
        ("渠道 web", Filters(channel="web")),
        ("人群 老年人", Filters(audience="老年人")),
        ("宣传活动+两周", Filters(campaign_id=campaign, **two_weeks)),
        ("支行+场地+两周", Filters(branch=event.branch, venue_type=event.venue_type, **two_weeks)),
        ("渠道+人群+两周", Filters(channel="web", audience="老年人", **two_weeks)),
        ("全部条件", Filters(campaign_id=campaign, branch=event.branch, venue_type=event.venue_type,
                            channel="event", audience="老年人", **two_weeks)),
    ]


def page_view(sessions: Any, filters: Filters, bank: Any, titles: Dict[str, str]) -> Dict[str, Any]:
    """What the dashboard runs for one page view: the form's options and the figures."""
    report_queries.filter_options(sessions)
    return report_queries.summary(sessions, filters, bank=bank, titles=titles)


def machine() -> Dict[str, Any]:
    cpu, ram_kb = platform.processor() or "unknown", 0
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
        ram_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal")))
    except (OSError, StopIteration):
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(ram_kb / 1024 ** 2, 1),
            "load_average": [round(x, 2) for x in os.getloadavg()], "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version}


def run(turns: int, answers: int, runs: int, seed: int, out: Optional[Path]) -> Dict[str, Any]:
    url, built = database(turns, answers, seed)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    bank = default_bank()
    titles = {key: topic.title for key, topic in default_knowledge().topics.items()}
    try:
        with sessions() as s:
            sizes = {"turns": s.execute(select(func.count()).select_from(Turn)).scalar_one(),
                     "conversations": s.execute(select(func.count()).select_from(Conversation)).scalar_one(),
                     "quiz_answers": s.execute(select(func.count()).select_from(QuizAnswer)).scalar_one(),
                     "events": s.execute(select(func.count()).select_from(Event)).scalar_one()}
        page_view(sessions, Filters(), bank, titles)  # warm the OS file cache, as a live server has it
        results = []
        for name, filters in combinations(sessions):
            times, cpu = [], []
            for _ in range(runs):
                started, cpu_started = time.perf_counter(), time.process_time()
                data = page_view(sessions, filters, bank, titles)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)  # all threads: less sensitive to other load
            results.append({"name": name, "filters": filters.as_query(), "runs_s": [round(t, 4) for t in times],
                            "median_s": round(statistics.median(times), 4), "max_s": round(max(times), 4),
                            "median_cpu_s": round(statistics.median(cpu), 4),
                            "conversations": data["headline"]["online_reach"],
                            "questions": data["headline"]["questions"]})
    finally:
        engine.dispose()
    report = {"date": datetime.now().isoformat(timespec="seconds"), "machine": machine(), "database": url,
              "build_seconds": round(built, 1), "sizes": sizes, "runs_per_combination": runs,
              "target_seconds": TARGET_SECONDS, "all_under_target": all(r["max_s"] < TARGET_SECONDS for r in results),
              "results": results}
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report


def markdown(report: Dict[str, Any]) -> str:
    m, sizes = report["machine"], report["sizes"]
    lines = [f"Dashboard page view, {sizes['turns']:,} turns / {sizes['conversations']:,} conversations / "
             f"{sizes['quiz_answers']:,} quiz answers, {report['runs_per_combination']} runs each",
             f"{report['date']} · {m['nproc']} CPUs {m['cpu']} · {m['ram_gb']} GB RAM · load {m['load_average']} · "
             f"SQLite {m['sqlite']}", "",
             "| filters | conversations | turns | median s | max s | CPU s | < 1 s |",
             "|---|---:|---:|---:|---:|---:|:-:|"]
    for r in report["results"]:
        lines.append(f"| {r['name']} | {r['conversations']:,} | {r['questions']:,} | {r['median_s']:.3f} | "
                     f"{r['max_s']:.3f} | {r['median_cpu_s']:.3f} | {'yes' if r['max_s'] < TARGET_SECONDS else 'NO'} |")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dashboard_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=1_000_000, help="turns in the database (default 1000000)")
    parser.add_argument("--quiz-answers", type=int, default=100_000,
                        help="about this many quiz answers (default 100000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per filter combination (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic data (default 1)")
    parser.add_argument("--out", type=Path, default=RESULTS_FILE, help=f"JSON results (default {RESULTS_FILE})")
    args = parser.parse_args(argv)
    report = run(args.turns, args.quiz_answers, args.runs, args.seed, args.out)
    print(markdown(report))
    return 0 if report["all_under_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
