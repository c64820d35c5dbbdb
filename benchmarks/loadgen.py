"""Load generator for Rasa's REST channel (asyncio + aiohttp).

Every simulated resident has its own sender id and goes through a realistic
multi-turn conversation (``POST {url}/webhooks/rest/webhook`` with
``{"sender", "message"}``).  Four load models, each bounded in message count
*and* in time:

* :func:`saturation` - a closed loop: R residents each send their next message
  as soon as the reply arrives; after a warm-up, replies completed during a
  fixed window give the throughput (msg/s).
* :func:`real_residents` - N residents arrive spread over the first seconds and
  wait a uniform 3-8 s between messages; gives latency percentiles at a
  realistic offered load.
* :func:`single_resident` - one resident at a time, messages strictly one after
  another; gives the unloaded latency.
* :func:`short_conversations` - a fixed number of short conversations (used to
  grow the server before reading its memory footprint).

All traffic goes to the URL given, which must be on 127.0.0.1/localhost.  A
comma-separated list of URLs (Rasa replicas) spreads the messages round-robin,
message by message, as a load balancer without stickiness would: one
conversation's turns land on different replicas.

Run one model by hand, e.g.::

    python -m benchmarks.loadgen --url http://127.0.0.1:5005 --profile fraudbot saturation --duration 20
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import random
import resource
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple
from urllib.parse import urlparse

import aiohttp

DEFAULT_TIMEOUT = 30.0  # seconds a single reply may take before it counts as a timeout
# The client closes idle connections before Sanic does (its keep-alive is 5 s), so a
# resident who pauses never reuses a socket the server is closing at that instant.
CLIENT_KEEPALIVE = 2.0
# Hard caps that bound every loop even if a duration is mis-set.
MAX_MESSAGES_PER_RUN = 500_000
MAX_SECONDS_PER_RUN = 3_600

# --- conversations -----------------------------------------------------------

# Chinese conversations for the anti-fraud assistant: a greeting, fraud questions
# in residents' words (not copied from the training data), follow-ups
# ("那怎么办", "打哪个电话", "我已经转钱了") and thanks / goodbye.
FRAUDBOT_CONVERSATIONS: List[List[str]] = [
    ["你好", "有人打电话说我涉嫌洗钱，要我把钱转到安全账户", "那怎么办", "谢谢"],
    ["您好", "网上说在家点赞就能赚钱，一个赞三块，这种兼职能做不", "我已经转钱了", "那怎么办", "谢谢你", "再见"],
    ["在吗", "有个老师在群里天天推荐股票，说跟着他买保证翻倍，还让下载一个炒股app", "那怎么办",
     "打哪个电话", "好的谢谢"],
    ["你好", "网恋对象让我跟他一起在一个平台上投资，说稳赚", "详细说说", "那怎么办", "多谢啦"],
    ["老师好", "有人说能帮我注销校园贷，不然影响征信", "那该怎么办呢", "谢谢", "拜拜"],
    ["你好呀", "自称客服说我买的东西有质量问题要理赔，让我开屏幕共享", "已经给他验证码了",
     "去哪里举报", "太感谢了"],
    ["您好", "有人出钱租我的银行卡，说就用几天，犯法吗", "那怎么办", "谢谢你"],
    ["在不在", "我妈接到电话说是我领导，让她先转两万块钱", "打哪个电话", "谢谢", "再见"],
    ["你能做什么", "游戏里有人低价卖装备，让我去别的平台交易", "那怎么办", "谢谢"],
    ["你好", "一个陌生人加我微信说是我老同学，要借五千块急用", "转了两千怎么办", "感谢耐心解答"],
]
# Short conversations for the footprint run: a resident asks one thing and leaves.
FRAUDBOT_SHORT: List[List[str]] = [
    ["有人打电话说我涉嫌洗钱，要我把钱转到安全账户"],
    ["刷单返利是不是都是骗人的"],
    ["荐股群靠谱吗"],
    ["你好"],
]

# English conversations the `rasa init` starter understands (greet, mood_unhappy,
# mood_great, affirm, deny, bot_challenge, goodbye).
BARE_CONVERSATIONS: List[List[str]] = [
    ["hi", "I am sad", "yes", "bye"],
    ["hello", "I am feeling very good", "bye"],
    ["hey", "I am sad", "no", "goodbye"],
    ["good morning", "are you a bot?", "I am great", "see you later"],
    ["hello there", "my day was horrible", "of course", "have a nice day"],
    ["hey there", "unhappy", "not really", "I am sad", "yes", "bye bye"],
]
BARE_SHORT: List[List[str]] = [["hi"], ["I am sad"], ["bye"]]


def guard_replies() -> Tuple[str, ...]:
    """The canned replies of our guarded channels (bot/rasa/channels.py): "系统暂时有点忙", "发得太快了" ...

    A 200 with one of these is not an answer: it counts as ``degraded``.  Read from
    the source with ``ast`` so the load generator does not import Rasa.
    """
    import ast
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "bot" / "rasa" / "channels.py"
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return ()
    texts = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and node.targets[0].id in {"UNAVAILABLE", "SLOW_DOWN", "EMPTY", "TOO_LONG"}:
            try:
                value = ast.literal_eval(node.value)
            except ValueError:  # an f-string: keep its literal start
                parts = [v.value for v in getattr(node.value, "values", []) if isinstance(v, ast.Constant)]
                value = parts[0] if parts else ""
            if isinstance(value, str) and value:
                texts.append(value[:12])
    return tuple(texts)


@dataclass(frozen=True)
class Profile:
    name: str
    conversations: Sequence[Sequence[str]]
    short_conversations: Sequence[Sequence[str]]
    degraded_prefixes: Tuple[str, ...] = ()  # replies that mean "not answered"


PROFILES: Dict[str, Profile] = {
    "fraudbot": Profile("fraudbot", FRAUDBOT_CONVERSATIONS, FRAUDBOT_SHORT, guard_replies()),
    "bare": Profile("bare", BARE_CONVERSATIONS, BARE_SHORT),
}

# --- measurement ---------------------------------------------------------------


@dataclass
class Sample:
    start: float  # seconds since the run started
    end: float
    outcome: str  # "ok", "empty", "timeout", "http_<status>", "error:<Type>"

    @property
    def latency(self) -> float:
        return self.end - self.start


@dataclass
class Recorder:
    t0: float = field(default_factory=time.monotonic)
    samples: List[Sample] = field(default_factory=list)
    conversations_started: int = 0
    conversations_finished: int = 0

    def now(self) -> float:
        return time.monotonic() - self.t0


def percentile(sorted_values: Sequence[float], q: float) -> Optional[float]:
    """Linear-interpolated percentile (q in 0..100) of an already sorted list."""
    if not sorted_values:
        return None
    if len(sorted_values) == 1:
        return sorted_values[0]
    pos = (len(sorted_values) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def latency_stats(samples: Sequence[Sample]) -> Dict[str, Optional[float]]:
    """Latency of successful replies, in milliseconds."""
    values = sorted(s.latency * 1000.0 for s in samples if s.outcome == "ok")
    r = lambda v: None if v is None else round(v, 1)  # noqa: E731
    return {
        "count": len(values),
        "p50_ms": r(percentile(values, 50)),
        "p95_ms": r(percentile(values, 95)),
        "p99_ms": r(percentile(values, 99)),
        "mean_ms": r(sum(values) / len(values)) if values else None,
        "min_ms": r(values[0]) if values else None,
        "max_ms": r(values[-1]) if values else None,
    }


FAILED = "failed"  # a percentile that falls among the failed messages


def latency_all_stats(samples: Sequence[Sample]) -> Dict[str, object]:
    """Percentiles over every message sent: a failed or timed-out one counts as slower than any reply.

    Left out, failures would flatter an overloaded server: its slowest replies are
    the ones that never came.
    """
    ok = sorted(s.latency * 1000.0 for s in samples if s.outcome == "ok")
    values = ok + [math.inf] * (len(samples) - len(ok))

    def at(q: float) -> object:
        v = percentile(values, q)
        return None if v is None else (FAILED if not math.isfinite(v) else round(v, 1))

    return {"count": len(values), "failed": len(values) - len(ok), "p50_ms": at(50), "p95_ms": at(95),
            "p99_ms": at(99)}


def outcome_counts(samples: Sequence[Sample]) -> Dict[str, int]:
    counts = Counter(s.outcome for s in samples)
    return dict(sorted(counts.items()))


def summarize(rec: Recorder, samples: Sequence[Sample], **extra) -> Dict:
    outcomes = outcome_counts(samples)
    failed = sum(v for k, v in outcomes.items() if k != "ok")
    return {
        **extra,
        "messages": len(samples),
        "ok": outcomes.get("ok", 0),
        "failed": failed,
        "timeouts": outcomes.get("timeout", 0),
        "outcomes": outcomes,
        "latency": latency_stats(samples),
        "latency_all": latency_all_stats(samples),
        "conversations_started": rec.conversations_started,
        "conversations_finished": rec.conversations_finished,
    }


# --- HTTP ----------------------------------------------------------------------


def check_local(url: str) -> str:
    """`url` (or each of a comma-separated list), checked to be on this machine."""
    urls = [u.strip().rstrip("/") for u in url.split(",") if u.strip()]
    for u in urls:
        host = urlparse(u).hostname
        if host not in {"127.0.0.1", "localhost", "::1"}:
            raise ValueError(f"load is only ever sent to this machine, not to {host!r}")
    return ",".join(urls)


_next_target = itertools.count()


def target(url: str) -> str:
    """One URL of a comma-separated list, round-robin over the calls."""
    if "," not in url:
        return url
    urls = url.split(",")
    return urls[next(_next_target) % len(urls)]


def new_session(connections: int) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=max(1, connections), keepalive_timeout=CLIENT_KEEPALIVE)
    return aiohttp.ClientSession(connector=connector)


async def send(session: aiohttp.ClientSession, url: str, sender: str, text: str, rec: Recorder,
               timeout: float = DEFAULT_TIMEOUT, degraded: Tuple[str, ...] = ()) -> Sample:
    start = rec.now()
    try:
        async with session.post(f"{target(url)}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                timeout=aiohttp.ClientTimeout(total=timeout)) as resp:
            body = await resp.read()
            if resp.status != 200:
                outcome = f"http_{resp.status}"
            else:
                try:
                    data = json.loads(body)
                    outcome = "ok" if isinstance(data, list) and data else "empty"
                    if outcome == "ok" and degraded and any(
                            isinstance(m, dict) and str(m.get("text") or "").startswith(degraded) for m in data):
                        outcome = "degraded"
                except ValueError:
                    outcome = "error:BadJSON"
    except asyncio.TimeoutError:
        outcome = "timeout"
    except aiohttp.ClientError as exc:
        outcome = f"error:{type(exc).__name__}"
    sample = Sample(start, rec.now(), outcome)
    rec.samples.append(sample)
    return sample


def sender_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def cpu_seconds() -> float:
    """CPU time used by this (load generator) process."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


# --- load models ---------------------------------------------------------------


async def saturation(url: str, profile: Profile, residents: int = 50, warmup: float = 10.0,
                     duration: float = 60.0, timeout: float = DEFAULT_TIMEOUT, seed: int = 1) -> Dict:
    """Closed loop: each resident sends the next message as soon as the reply arrives.

    Throughput = replies (ok) completed inside [warmup, warmup + duration] / duration.
    Latency percentiles are over the same window.
    """
    url = check_local(url)
    rng = random.Random(seed)
    rec = Recorder()
    end_at = min(warmup + duration, MAX_SECONDS_PER_RUN)
    cpu0 = cpu_seconds()

    async def resident(i: int, session: aiohttp.ClientSession) -> None:
        convo_rng = random.Random(rng.random())
        while rec.now() < end_at and len(rec.samples) < MAX_MESSAGES_PER_RUN:
            sender = sender_id(f"sat{i}")
            rec.conversations_started += 1
            for text in convo_rng.choice(profile.conversations):
                if rec.now() >= end_at or len(rec.samples) >= MAX_MESSAGES_PER_RUN:
                    return
                await send(session, url, sender, text, rec, timeout, profile.degraded_prefixes)
            rec.conversations_finished += 1

    async with new_session(residents) as session:
        await asyncio.gather(*(resident(i, session) for i in range(residents)))
    window = [s for s in rec.samples if warmup <= s.end <= end_at]
    ok_in_window = sum(1 for s in window if s.outcome == "ok")
    return summarize(
        rec, window,
        model="saturation", residents=residents, warmup_s=warmup, duration_s=duration,
        throughput_msg_s=round(ok_in_window / duration, 2),
        messages_total=len(rec.samples), outcomes_total=outcome_counts(rec.samples),
        wall_s=round(rec.now(), 1), loadgen_cpu_s=round(cpu_seconds() - cpu0, 1),
    )


async def real_residents(url: str, profile: Profile, residents: int = 100, arrival: float = 20.0,
                         duration: float = 90.0, think: Tuple[float, float] = (3.0, 8.0),
                         timeout: float = DEFAULT_TIMEOUT, seed: int = 2) -> Dict:
    """Residents arrive evenly over `arrival` seconds and pause `think` s between messages.

    No message is started after `duration`; a resident who finishes a conversation
    leaves and a new one (new sender id) takes their place, so the offered load
    stays steady.  Latency percentiles are over every message sent.
    """
    url = check_local(url)
    rng = random.Random(seed)
    rec = Recorder()
    duration = min(duration, MAX_SECONDS_PER_RUN)
    cpu0 = cpu_seconds()

    async def resident(i: int, session: aiohttp.ClientSession) -> None:
        my_rng = random.Random(rng.random())
        await asyncio.sleep(arrival * i / max(1, residents))
        while rec.now() < duration and len(rec.samples) < MAX_MESSAGES_PER_RUN:
            sender = sender_id(f"res{i}")
            rec.conversations_started += 1
            for n, text in enumerate(my_rng.choice(profile.conversations)):
                if n:
                    await asyncio.sleep(my_rng.uniform(*think))
                if rec.now() >= duration or len(rec.samples) >= MAX_MESSAGES_PER_RUN:
                    return
                await send(session, url, sender, text, rec, timeout, profile.degraded_prefixes)
            rec.conversations_finished += 1
            await asyncio.sleep(my_rng.uniform(*think))

    async with new_session(residents) as session:
        await asyncio.gather(*(resident(i, session) for i in range(residents)))
    steady = [s for s in rec.samples if s.start >= arrival]
    return summarize(
        rec, rec.samples,
        model="real_residents", residents=residents, arrival_s=arrival, duration_s=duration,
        think_s=list(think), offered_msg_s=round(len(rec.samples) / duration, 2),
        latency_after_arrival=latency_stats(steady),
        wall_s=round(rec.now(), 1), loadgen_cpu_s=round(cpu_seconds() - cpu0, 1),
    )


async def single_resident(url: str, profile: Profile, messages: int = 200, warmup_messages: int = 5,
                          timeout: float = DEFAULT_TIMEOUT, max_seconds: float = 600.0, seed: int = 3) -> Dict:
    """One resident at a time, `messages` strictly sequential messages (after a short warm-up).

    Conversations follow one another, each with its own sender id, so a tracker
    never grows beyond one realistic conversation.
    """
    url = check_local(url)
    rng = random.Random(seed)
    rec = Recorder()
    total = warmup_messages + messages
    async with new_session(1) as session:
        while len(rec.samples) < total and rec.now() < min(max_seconds, MAX_SECONDS_PER_RUN):
            sender = sender_id("single")
            rec.conversations_started += 1
            for text in rng.choice(profile.conversations):
                if len(rec.samples) >= total:
                    break
                await send(session, url, sender, text, rec, timeout, profile.degraded_prefixes)
            rec.conversations_finished += 1
    measured = rec.samples[warmup_messages:]
    stats = summarize(rec, measured, model="single_resident", warmup_messages=warmup_messages,
                      wall_s=round(rec.now(), 1))
    stats["median_ms"] = stats["latency"]["p50_ms"]
    return stats


async def short_conversations(url: str, profile: Profile, count: int = 10_000, concurrency: int = 20,
                              timeout: float = DEFAULT_TIMEOUT, max_seconds: float = 900.0,
                              seed: int = 4) -> Dict:
    """`count` short conversations (one question each), `concurrency` at a time, bounded by `max_seconds`."""
    url = check_local(url)
    rng = random.Random(seed)
    rec = Recorder()
    max_seconds = min(max_seconds, MAX_SECONDS_PER_RUN)
    next_index = 0

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal next_index
        while next_index < count and rec.now() < max_seconds:
            next_index += 1
            sender = sender_id("short")
            rec.conversations_started += 1
            for text in rng.choice(profile.short_conversations):
                await send(session, url, sender, text, rec, timeout, profile.degraded_prefixes)
            rec.conversations_finished += 1

    async with new_session(concurrency) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return summarize(rec, rec.samples, model="short_conversations", requested=count,
                     concurrency=concurrency, complete=rec.conversations_finished >= count,
                     wall_s=round(rec.now(), 1),
                     msg_s=round(len(rec.samples) / max(rec.now(), 1e-9), 2))


# --- CLI -----------------------------------------------------------------------


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Send load to a Rasa REST channel on this machine.")
    parser.add_argument("--url", default="http://127.0.0.1:5005", help="Rasa server (127.0.0.1 only)")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="fraudbot")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    sub = parser.add_subparsers(dest="model", required=True)
    p = sub.add_parser("saturation")
    p.add_argument("--residents", type=int, default=50)
    p.add_argument("--warmup", type=float, default=10.0)
    p.add_argument("--duration", type=float, default=60.0)
    p = sub.add_parser("residents")
    p.add_argument("--residents", type=int, default=100)
    p.add_argument("--arrival", type=float, default=20.0)
    p.add_argument("--duration", type=float, default=90.0)
    p = sub.add_parser("single")
    p.add_argument("--messages", type=int, default=200)
    p = sub.add_parser("short")
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args(argv)
    profile = PROFILES[args.profile]
    if args.model == "saturation":
        coro = saturation(args.url, profile, args.residents, args.warmup, args.duration, args.timeout)
    elif args.model == "residents":
        coro = real_residents(args.url, profile, args.residents, args.arrival, args.duration,
                              timeout=args.timeout)
    elif args.model == "single":
        coro = single_resident(args.url, profile, args.messages, timeout=args.timeout)
    else:
        coro = short_conversations(args.url, profile, args.count, args.concurrency, args.timeout)
    print(json.dumps(asyncio.run(coro), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
