"""Two bare Rasa assistants to compare against: the `rasa init` starter, unchanged.

* ``bare-sqlite`` - the starter run with the persistence Rasa's docs give for a
  single machine: SQL tracker store (dialect sqlite, a db file) and SQL event
  broker (sqlite).
* ``bare-memory`` - the starter with no endpoints file: in-memory tracker store,
  no event broker.

The starter project is created and trained once in ``benchmarks/.cache/starter``
(``rasa init --no-prompt``) and reused.  Servers run ``rasa run --enable-api`` on
127.0.0.1 with a throwaway data folder; :func:`start_bare` returns once the
server answers a chat message.

Also holds the server handle and start/stop helpers that ``run_all`` uses for our
own assistant.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from benchmarks.sysinfo import cmdline, free_port, tree

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
CACHE_DIR = BENCH_DIR / ".cache"
STARTER_DIR = CACHE_DIR / "starter"
RASA_BIN = Path(sys.executable).parent / "rasa"

INIT_TIMEOUT = 1800  # seconds for `rasa init` (it trains the starter model)
START_TIMEOUT = 300  # seconds until a server must answer
STOP_TIMEOUT = 60

BASE_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}

SQLITE_ENDPOINTS = """\
# Rasa's documented single-machine persistence: SQL tracker store and SQL event broker on SQLite.
tracker_store:
  type: SQL
  dialect: sqlite
  db: {data}/tracker.db

event_broker:
  type: SQL
  dialect: sqlite
  db: {data}/events.db
"""

CREDENTIALS = "rest:\n"

KINDS = ("sqlite", "memory")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- the starter model -----------------------------------------------------------


def starter_model() -> Optional[Path]:
    models = sorted((STARTER_DIR / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def ensure_starter() -> Path:
    """The trained `rasa init` starter model; created and trained on first use only."""
    model = starter_model()
    if model:
        return model
    if STARTER_DIR.exists():  # a half-made project from an interrupted run
        shutil.rmtree(STARTER_DIR)
    STARTER_DIR.mkdir(parents=True)
    log(f"creating and training the rasa init starter in {STARTER_DIR} (once) ...")
    env = {**os.environ, **BASE_ENV}
    with open(CACHE_DIR / "init.log", "wb") as out:
        subprocess.run([str(RASA_BIN), "init", "--no-prompt", "--init-dir", str(STARTER_DIR)],
                       cwd=CACHE_DIR, env=env, stdin=subprocess.DEVNULL, stdout=out,
                       stderr=subprocess.STDOUT, timeout=INIT_TIMEOUT, check=True)
    model = starter_model()
    if not model:
        raise RuntimeError(f"rasa init trained no model; see {CACHE_DIR / 'init.log'}")
    return model


# --- servers -------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    url: str  # http://127.0.0.1:PORT
    proc: subprocess.Popen
    data_dir: Path
    log_path: Path
    started_at: float  # time.monotonic() just before Popen
    ready_s: Optional[float] = None  # start -> the server reports ready (ours: the launcher's "ready:")
    first_reply_s: Optional[float] = None  # start -> first chat reply received
    extra: Dict = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def chat(url: str, sender: str, text: str, timeout: float = 30.0) -> List[dict]:
    body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def wait_for_reply(server: Server, probe: str, timeout: float = START_TIMEOUT) -> float:
    """Block until the REST channel answers `probe`; returns seconds since the start."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.proc.returncode}:\n{server.log_tail()}")
        try:
            if chat(server.url, "bench-probe", probe, timeout=30):
                return time.monotonic() - server.started_at
        except Exception:  # not listening yet, or model still loading
            pass
        time.sleep(0.25)
    stop(server)
    raise RuntimeError(f"{server.name} did not answer within {timeout:.0f} s:\n{server.log_tail()}")


def start_bare(kind: str, log_level: str = "WARNING", port: Optional[int] = None) -> Server:
    """Start the starter assistant with SQLite persistence (`sqlite`) or in memory (`memory`)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    model = ensure_starter()
    data = Path(tempfile.mkdtemp(prefix=f"bench-bare-{kind}-"))
    (data / "credentials.yml").write_text(CREDENTIALS)
    port = port or free_port()
    cmd = [str(RASA_BIN), "run", "--model", str(model), "--port", str(port), "--interface", "127.0.0.1",
           "--enable-api", "--credentials", str(data / "credentials.yml")]
    if kind == "sqlite":
        (data / "endpoints.yml").write_text(SQLITE_ENDPOINTS.format(data=data))
        cmd += ["--endpoints", str(data / "endpoints.yml")]
    # (memory: the run folder has no endpoints.yml, so Rasa uses its in-memory tracker store)
    env = {**os.environ, **BASE_ENV, "LOG_LEVEL": log_level}
    log_path = data / "rasa.log"
    started = time.monotonic()
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=data, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(name=f"bare-{kind}", url=f"http://127.0.0.1:{port}", proc=proc, data_dir=data,
                    log_path=log_path, started_at=started, extra={"command": cmd, "model": str(model)})
    server.first_reply_s = wait_for_reply(server, "hi")
    server.ready_s = server.first_reply_s  # `rasa run` has no ready line: the first answer is ready
    return server


def stop(server: Server, remove_data: bool = True) -> Optional[int]:
    """SIGTERM the server (and, if needed, SIGKILL its process group); returns its exit code."""
    proc = server.proc
    family = [(pid, cmdline(pid)) for pid in tree(proc.pid)] if proc.poll() is None else []
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=30)
    # Our launcher puts each child in its own session: make sure none outlives it.
    for pid, cmd in family[1:]:
        if cmd and cmdline(pid) == cmd:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    if remove_data:
        shutil.rmtree(server.data_dir, ignore_errors=True)
    return proc.returncode


def main() -> int:
    """`python -m benchmarks.baselines`: train the starter if needed, start both, say hi, stop."""
    for kind in KINDS:
        server = start_bare(kind)
        try:
            log(f"{server.name} answered after {server.first_reply_s:.1f} s at {server.url}: "
                f"{chat(server.url, 'manual', 'I am sad')}")
        finally:
            stop(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
