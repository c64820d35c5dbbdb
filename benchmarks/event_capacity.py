"""Event capacity: 500 participants join one event and answer a 5-question quiz at once.

``python -m benchmarks.event_capacity [--participants 500] [--profile default|replicas]``

Starts our assistant (default profile as `make run` does, or the replica profile
on PostgreSQL + Redis), creates one event with prizes in its project database,
then lets every participant at the same moment: join with the event code
("参加活动 123456"), start the quiz and tap an answer button five times (tapping
again, up to 3 times, after the "系统暂时有点忙" apology, as a person would), each
through the REST channel with a sender id of its own, as a phone would.  All
participants are in flight together (no client-side connection limit).

Reported: the time until the last participant has finished, message latency
percentiles, failures; then, from the database, that every answer is stored
exactly once (one row per participant and question, 5 per participant), every
attempt finished, and no more prizes were given than the event has.
Results: benchmarks/results/event_capacity.json and .md.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from datetime import date, datetime, timezone
from typing import Dict, List, Optional

import aiohttp

from benchmarks.baselines import log, stop
from benchmarks.loadgen import latency_stats, Recorder, Sample
from benchmarks.run_all import RESULTS_DIR, git_info, rasa_version, start_fraudbot
from benchmarks.sysinfo import CpuMeter, loadavg, machine, wait_for_quiet

QUESTIONS = 5
PRIZES = 50
TIMEOUT = 600.0  # seconds one reply may take when all participants queue at once
RETRIES, RETRY_WAIT = 3, 2.0  # a participant who gets the "busy" apology taps again
BUSY = "抱歉，系统暂时有点忙"  # bot/rasa/channels.py UNAVAILABLE: the turn got no reply from Rasa


async def participant(http: aiohttp.ClientSession, urls: List[str], sender: str, code: str,
                      rec: Recorder, rng: random.Random, first: int = 0) -> Dict:
    """One phone: join, start, answer five questions by tapping a button (turns go round the replicas)."""
    turn = first

    async def say(text: str) -> List[dict]:
        nonlocal turn
        url = urls[turn % len(urls)]
        turn += 1
        start = rec.now()
        outcome, data = "ok", []
        try:
            async with http.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                 timeout=aiohttp.ClientTimeout(total=TIMEOUT)) as resp:
                if resp.status != 200:
                    outcome = f"http_{resp.status}"
                else:
                    data = await resp.json()
                    outcome = "ok" if data else "empty"
        except asyncio.TimeoutError:
            outcome = "timeout"
        except aiohttp.ClientError as exc:
            outcome = f"error:{type(exc).__name__}"
        rec.samples.append(Sample(start, rec.now(), outcome))
        return data

    degraded = 0

    async def say_until_answered(text: str) -> List[dict]:
        """Like a person: after the "busy, please try again" apology, wait and tap again."""
        nonlocal degraded
        for _ in range(RETRIES + 1):
            reply = await say(text)
            if not any(str(m.get("text") or "").startswith(BUSY) for m in reply):
                return reply
            degraded += 1
            await asyncio.sleep(RETRY_WAIT)
        return reply

    await say_until_answered(f"参加活动 {code}")
    reply = await say_until_answered("/quiz_start")
    answered = 0
    for _ in range(QUESTIONS):
        buttons = [b for m in reply for b in (m.get("buttons") or [])]
        if not buttons:
            break
        reply = await say_until_answered(rng.choice(buttons)["payload"])
        answered += 1
    text = "".join(m.get("text") or "" for m in reply)
    return {"answered": answered, "finished": "答题结束" in text, "prize_code": "核销码" in text,
            "finished_at": rec.now(), "busy_replies": degraded}


async def run_event(urls: List[str], code: str, participants: int, seed: int = 7) -> Dict:
    rec = Recorder()
    rng = random.Random(seed)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        results = await asyncio.gather(*(participant(http, urls, f"event-{code}-{i}", code, rec, rng, first=i)
                                         for i in range(participants)))
    wall = rec.now()
    outcomes: Dict[str, int] = {}
    for s in rec.samples:
        outcomes[s.outcome] = outcomes.get(s.outcome, 0) + 1
    finish_times = sorted(r["finished_at"] for r in results)
    return {
        "participants": participants, "wall_s": round(wall, 1),
        "messages": len(rec.samples), "msg_s": round(len(rec.samples) / wall, 2) if wall else None,
        "outcomes": outcomes, "latency": latency_stats(rec.samples),
        "finished_in_chat": sum(r["finished"] for r in results),
        "answered_in_chat": sum(r["answered"] for r in results),
        "prize_codes_shown": sum(r["prize_code"] for r in results),
        "busy_replies": sum(r["busy_replies"] for r in results),
        "half_finished_after_s": round(finish_times[len(finish_times) // 2], 1) if finish_times else None,
    }


def check_database(database_url: str, event_id: int, participants: int) -> Dict:
    """Every answer exactly once, every attempt finished, prizes within the limit."""
    from sqlalchemy import func, select

    from bot.db.engine import make_engine, make_sessionmaker
    from bot.db.models import Prize, QuizAnswer, QuizAttempt

    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)
    with sessions() as s:
        attempts = s.execute(select(QuizAttempt).where(QuizAttempt.event_id == event_id)).scalars().all()
        ids = [a.id for a in attempts]
        per_question = s.execute(
            select(QuizAnswer.attempt_id, QuizAnswer.position, func.count())
            .where(QuizAnswer.attempt_id.in_(ids)).group_by(QuizAnswer.attempt_id, QuizAnswer.position)
        ).all() if ids else []
        prizes_given = s.execute(select(func.count()).select_from(Prize).where(
            Prize.event_id == event_id, Prize.attempt_id.is_not(None))).scalar_one()
    engine.dispose()
    rows = sum(n for _, _, n in per_question)
    duplicates = sum(1 for _, _, n in per_question if n > 1)
    finished = sum(1 for a in attempts if a.finished_at is not None)
    check = {
        "attempts": len(attempts), "attempts_finished": finished,
        "answer_rows": rows, "expected_answer_rows": participants * QUESTIONS,
        "answers_stored_twice": duplicates, "prizes_given": prizes_given, "prizes": PRIZES,
    }
    check["every_answer_exactly_once"] = (rows == participants * QUESTIONS and duplicates == 0
                                          and len(per_question) == participants * QUESTIONS)
    check["ok"] = (check["every_answer_exactly_once"] and len(attempts) == participants
                   and finished == participants and prizes_given <= PRIZES)
    return check


def markdown(report: Dict) -> str:
    m, r, c = report["machine"], report.get("run") or {}, report.get("database_check") or {}
    lat = r.get("latency") or {}
    lines = [
        "# Event capacity", "",
        f"Measured {report['date']} on {m['nproc']} × {m['cpu_model']}, {m['ram_gib']} GiB RAM, "
        f"Rasa {report['rasa_version']}, commit {report['git_commit']}"
        f"{' (with uncommitted changes)' if report.get('git_dirty') else ''}; profile `{report['profile']}`. "
        "Written by `python -m benchmarks.event_capacity`.", "",
    ]
    if report.get("error"):
        return "\n".join(lines + [f"**Failed:** {report['error']}", ""])
    lines += [
        "| what | value |", "|---|---:|",
        f"| participants, all at once | {r.get('participants')} |",
        f"| time until the last one finished (s) | {r.get('wall_s')} |",
        f"| half had finished after (s) | {r.get('half_finished_after_s')} |",
        f"| messages / throughput (msg/s) | {r.get('messages')} / {r.get('msg_s')} |",
        f"| message latency p50 / p95 / p99 (ms) | {lat.get('p50_ms')} / {lat.get('p95_ms')} / {lat.get('p99_ms')} |",
        f"| failed replies | {sum(v for k, v in (r.get('outcomes') or {}).items() if k != 'ok')} |",
        f"| \"busy, try again\" apologies (the participant tapped again) | {r.get('busy_replies')} |",
        f"| quizzes finished (chat / database) | {r.get('finished_in_chat')} / {c.get('attempts_finished')} |",
        f"| answer rows stored / expected | {c.get('answer_rows')} / {c.get('expected_answer_rows')} |",
        f"| answers stored twice | {c.get('answers_stored_twice')} |",
        f"| prizes given / available | {c.get('prizes_given')} / {c.get('prizes')} |",
        f"| **every answer stored exactly once** | {'yes' if c.get('every_answer_exactly_once') else '**no**'} |",
        "",
    ]
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--profile", choices=["default", "replicas"], default="default")
    parser.add_argument("--log-level", default="WARNING")
    parser.add_argument("--quiet-wait", type=float, default=300.0)
    parser.add_argument("--out", default="event_capacity")
    args = parser.parse_args(argv)
    if not 1 <= args.participants <= 5000:
        parser.error("--participants must be 1..5000")

    from bot.quiz.store import QuizStore
    from bot.db.engine import make_engine, make_sessionmaker

    report: Dict = {"date": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
                    "machine": machine(), "rasa_version": rasa_version(), **git_info(),
                    "profile": args.profile, "participants": args.participants}
    if args.quiet_wait > 0:
        report["quiet_before_start"] = wait_for_quiet(args.quiet_wait)
    report["loadavg_before"] = loadavg()
    if args.profile == "replicas":
        from benchmarks.replicas import start_replicas, stop_replicas
        server = start_replicas(args.log_level)
        database_url, urls, stopper = server.extra["databases"]["project"], server.extra["load_url"].split(","), \
            stop_replicas
    else:
        server = start_fraudbot(args.log_level)
        database_url, urls, stopper = f"sqlite:///{server.data_dir / 'fraudbot.db'}", [server.url], None
    try:
        engine = make_engine(database_url)
        event = QuizStore(make_sessionmaker(engine)).create_event(
            name="直播间有奖问答（容量测试）", held_on=date.today(), venue_type="线上直播",
            n_questions=QUESTIONS, pass_mark=3, n_prizes=PRIZES)
        engine.dispose()
        log(f"event {event.code}: {args.participants} participants at once ...")
        t0 = time.monotonic()
        with CpuMeter(server.pid) as meter:
            report["run"] = asyncio.run(run_event(urls, event.code, args.participants))
        report["run"]["cpu"] = meter.report
        log(f"done in {time.monotonic() - t0:.1f} s; checking the database ...")
        report["database_check"] = check_database(database_url, event.id, args.participants)
    except Exception as exc:
        report["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        report["exit_code"] = stopper(server) if stopper else stop(server, remove_data=True)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"{args.out}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    (RESULTS_DIR / f"{args.out}.md").write_text(markdown(report))
    print(markdown(report))
    return 0 if (report.get("database_check") or {}).get("ok") else 1


if __name__ == "__main__":
    raise SystemExit(main())
