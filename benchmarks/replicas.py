"""Our assistant in the production (replica) profile, for ``run_all --only fraudbot-replicas``.

``python -m bot.run.cluster`` with two Rasa and two action servers on this machine's
PostgreSQL (fresh databases, dropped afterwards) and Redis, as
tests/integration/test_replicas.py runs it.  The load generator sends each
message to the next replica in turn (no stickiness), so every conversation's
turns alternate between the replicas and go through the Redis lock and the
PostgreSQL tracker store.  PostgreSQL and Redis are not children of the cluster:
their CPU shows as ``other`` in the CPU table.

Set ``BENCH_POSTGRES_URL`` / ``BENCH_REDIS_URL`` to use other servers (defaults:
``TEST_POSTGRES_URL`` / ``TEST_REDIS_URL``, then 127.0.0.1).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, Optional

from benchmarks.baselines import BASE_ENV, PROJECT_ROOT, START_TIMEOUT, Server, stop, wait_for_reply
from benchmarks.sysinfo import free_port

ADMIN_URL = (os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL")
             or "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL") or os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
REPLICAS = 2


def _admin(sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(ADMIN_URL, connect_timeout=10)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def create_databases() -> Dict[str, str]:
    base = "fraudbot_bench_" + uuid.uuid4().hex[:8]
    names = {"project": base, "tracker": base + "_tracker", "events": base + "_events"}
    for name in names.values():
        _admin(f'CREATE DATABASE "{name}"')  # our names, not input
    root = ADMIN_URL.rsplit("/", 1)[0]
    return {kind: f"{root}/{name}" for kind, name in names.items()}


def drop_databases(databases: Dict[str, str]) -> None:
    for url in databases.values():
        _admin(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def start_replicas(log_level: str, env_extra: Optional[Dict[str, str]] = None) -> Server:
    from bot.run.cluster import free_port_block, local_profile

    databases = create_databases()
    data = Path(tempfile.mkdtemp(prefix="bench-replicas-"))
    settings = local_profile(databases, REDIS_URL, data, rasa_port=free_port_block(REPLICAS),
                             action_port=free_port_block(REPLICAS), web_port=free_port(), replicas=REPLICAS,
                             log_level=log_level)
    env_file = data / "production.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
    env = {k: v for k, v in os.environ.items() if k not in settings}
    env.update(BASE_ENV)
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    env.update(env_extra or {})  # settings to run with (benchmarks/ab.py); every child inherits them
    cmd = [sys.executable, "-m", "bot.run.cluster", "--env-file", str(env_file), "--no-web"]
    log_path = data / "cluster.log"
    started = time.monotonic()
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    urls = [f"http://127.0.0.1:{int(settings['RASA_PORT']) + i}" for i in range(REPLICAS)]
    server = Server(name="fraudbot-replicas", url=urls[0], proc=proc, data_dir=data, log_path=log_path,
                    started_at=started,
                    extra={"command": cmd, "load_url": ",".join(urls), "databases": databases,
                           "replicas": REPLICAS, "redis": REDIS_URL})
    deadline = started + START_TIMEOUT * 2
    while b"ready:" not in log_path.read_bytes():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_replicas(server)
            raise RuntimeError(f"the cluster did not start:\n{server.log_tail()}")
        time.sleep(0.2)
    server.ready_s = time.monotonic() - started
    try:
        server.first_reply_s = wait_for_reply(server, "你好")
    except Exception:
        stop_replicas(server)  # also drops the databases
        raise
    return server


def stop_replicas(server: Server) -> int:
    code = stop(server)
    try:
        drop_databases(server.extra["databases"])
    except Exception as error:  # reported, never hides the measurement
        print(f"could not drop the benchmark databases: {error}", file=sys.stderr)
    return code
