"""The production profile: two Rasa replicas and two action servers on PostgreSQL and Redis.

One conversation alternates between the replicas message by message, as a load
balancer without stickiness would send it, and must behave as if one server
answered.  `python -m bot.run.cluster` starts everything against fresh databases.
"""
from __future__ import annotations

import concurrent.futures
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator, List, Optional
from urllib.parse import urlsplit

import pytest

from bot.run.cluster import free_port_block, local_profile
from bot.run.launcher import MODEL_PATH
from bot.settings import PROJECT_ROOT
from tests.integration.test_quiz_chat import answer_for, current_question
from tests.server import RunningAssistant, free_port, reply_text

pytestmark = pytest.mark.postgres

# `.ci/run` sets both; the defaults are this machine's servers.
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL") or "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
START_TIMEOUT = 900  # two Rasa servers loading a model on a busy 2-core machine


def unreachable() -> Optional[str]:
    """Why the PostgreSQL or Redis this test needs cannot be used, or None."""
    import psycopg2
    import redis

    try:
        psycopg2.connect(ADMIN_URL, connect_timeout=5).close()
    except psycopg2.Error as error:
        return f"PostgreSQL not reachable at TEST_POSTGRES_URL={ADMIN_URL}: {error}".strip()
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=5).ping()
    except redis.RedisError as error:
        return f"Redis not reachable at TEST_REDIS_URL={REDIS_URL}: {error}"
    return None


@pytest.fixture(scope="module")
def databases() -> Iterator[Dict[str, str]]:
    """Fresh project, tracker and event databases; dropped afterwards."""
    reason = unreachable()
    if reason:
        pytest.skip(reason)
    import psycopg2

    base = "fraudbot_test_" + uuid.uuid4().hex[:10]
    names = {"project": base, "tracker": base + "_tracker", "events": base + "_events"}
    admin = psycopg2.connect(ADMIN_URL)
    admin.autocommit = True
    with admin.cursor() as cursor:
        for name in names.values():
            cursor.execute(f'CREATE DATABASE "{name}"')  # names are ours, not input
    server = urlsplit(ADMIN_URL)
    yield {kind: server._replace(path="/" + name).geturl() for kind, name in names.items()}
    with admin.cursor() as cursor:
        for name in names.values():
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def profile(tmp: Path, databases: Dict[str, str]) -> Dict[str, str]:
    """A settings file as an operator writes it from deploy/production.env.example."""
    return local_profile(databases, REDIS_URL, tmp, rasa_port=free_port_block(2), action_port=free_port_block(2),
                         web_port=free_port())


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, databases) -> Iterator[List[RunningAssistant]]:
    """`python -m bot.run.cluster` running the profile; one RunningAssistant per Rasa replica."""
    if not MODEL_PATH.exists():
        pytest.fail("no trained model: run `make test`, which trains first")
    tmp = tmp_path_factory.mktemp("cluster")
    settings = profile(tmp, databases)
    env_file = tmp / "production.env"
    env_file.write_text("# written by test_replicas\n" + "".join(f"{k}={v}\n" for k, v in settings.items()))
    # Variables in the environment win over the file: keep only the file's.
    env = {k: v for k, v in os.environ.items() if k not in settings}
    log_path = tmp / "cluster.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "bot.run.cluster", "--env-file", str(env_file)],
                                cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)

    def log_tail() -> str:
        return log_path.read_text(errors="replace")[-6000:]

    deadline = time.monotonic() + START_TIMEOUT
    while b"ready:" not in log_path.read_bytes():
        if proc.poll() is not None:
            pytest.fail("the cluster exited early:\n" + log_tail())
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(60)
            pytest.fail("the cluster did not start in time:\n" + log_tail())
        time.sleep(1)
    rasa_port = int(settings["RASA_PORT"])
    replicas = [
        RunningAssistant(rasa_url=f"http://127.0.0.1:{rasa_port + i}", web_url=f"http://127.0.0.1:{settings['WEB_PORT']}",
                         token=settings["RASA_TOKEN"], data_dir=tmp, env=settings)
        for i in range(2)
    ]
    yield replicas
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pytest.fail("the cluster did not stop on SIGTERM:\n" + log_tail())
    assert proc.returncode == 0, "SIGTERM should stop every process cleanly:\n" + log_tail()


def query(url: str, sql: str, *params) -> list:
    import psycopg2

    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    connection.close()
    return rows


def test_one_conversation_alternating_between_replicas(cluster, databases, sender):
    a, b = cluster
    said: List[str] = []

    def say(replica: RunningAssistant, text: str) -> List[dict]:
        said.append(text)
        return replica.say(sender, text)

    # The topic slot written through A is what B answers the follow-up from.
    assert "非法集资" in reply_text(say(a, "什么是非法集资"))
    hotline = reply_text(say(b, "打哪个电话"))
    assert "举报非法集资" in hotline and "12345" in hotline, hotline

    number, question = current_question(say(a, "来做题"))
    assert number == 1 and question is not None
    replicas = iter([b, a] * 10)
    score = 0
    for position in range(5):
        if position == 1:
            # A knowledge question mid-quiz; the next replica still resumes question 2.
            interrupted = say(next(replicas), "等等，安全账户是什么")
            assert "安全账户" in reply_text(interrupted)
            assert current_question(interrupted) == (2, question)
        right = position != 2  # the third one wrong on purpose
        reply = say(next(replicas), answer_for(question, right))
        text = reply_text(reply)
        assert ("答对了" in text) == right, text
        score += right
        if position < 4:
            number, question = current_question(reply)
            assert number == position + 2, f"numbering jumped across replicas: {text}"
    assert f"{score}/5" in text and "答题结束" in text

    # Either replica reads back the same single conversation.
    trackers = [replica.tracker(sender) for replica in (a, b)]
    assert trackers[0]["events"] == trackers[1]["events"]
    events = trackers[0]["events"]
    assert [e["text"] for e in events if e["event"] == "user"] == said
    assert sum(e["event"] == "session_started" for e in events) == 1
    assert query(databases["tracker"], "SELECT DISTINCT sender_id FROM events") == [(sender,)]
    assert query(databases["events"], "SELECT count(*) FROM events WHERE sender_id = %s", sender)[0][0] > len(said)
    # Both action servers wrote the round to the one project database.
    assert query(databases["project"], "SELECT status, score FROM quiz_attempts") == [("finished", score)]


def test_concurrent_messages_are_handled_one_at_a_time(cluster):
    """Both replicas get a message of one conversation at once: the Redis lock serialises them."""
    a, b = cluster
    sender = "test-" + uuid.uuid4().hex
    a.say(sender, "你好")  # the session exists before the races
    pairs = [("刷单返利是怎么回事", "什么是杀猪盘"), ("安全账户是什么", "打哪个电话"), ("来做题", "不答了")]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for first, second in pairs:
            replies = list(pool.map(lambda job: job[0].say(sender, job[1]), [(a, first), (b, second)]))
            assert all(reply_text(r) for r in replies)
    events = b.tracker(sender)["events"]
    users = [i for i, e in enumerate(events) if e["event"] == "user"]
    assert len(users) == 1 + 2 * len(pairs), "a message was lost: two replicas saved the same conversation at once"
    for start, end in zip(users, users[1:] + [len(events)]):
        turn = events[start + 1:end]
        # Each turn is whole: its own answer, ending by listening again.
        assert any(e["event"] == "bot" for e in turn), turn
        assert [e.get("name") for e in turn if e["event"] == "action"][-1] == "action_listen"
