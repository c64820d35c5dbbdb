"""Fixture plugin: start the assistant once per test session, as `make run` starts it.

The launcher runs on free ports with a throwaway data folder; tests talk to it
over HTTP and socket.io like a resident's browser would.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

import pytest

from bot.run.launcher import MODEL_PATH
from bot.settings import PROJECT_ROOT

START_TIMEOUT = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RunningAssistant:
    rasa_url: str
    web_url: str
    token: str
    data_dir: Path
    env: Dict[str, str]

    @property
    def rest_url(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"

    def say(self, sender: str, text: str, metadata: Dict = None) -> List[dict]:
        body = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        request = urllib.request.Request(self.rest_url, data=json.dumps(body).encode("utf-8"),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8"))

    def tracker(self, sender: str) -> dict:
        url = f"{self.rasa_url}/conversations/{sender}/tracker?token={self.token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read().decode("utf-8"))


def reply_text(messages: List[dict]) -> str:
    parts = []
    for m in messages:
        parts.append(m.get("text") or "")
        parts.extend(b.get("title", "") for b in m.get("buttons") or [])
    return "\n".join(parts)


def start_launcher(tmp: Path, extra_env: Dict[str, str] = None, args: List[str] = ()) -> tuple:
    if not MODEL_PATH.exists():
        pytest.fail("no trained model: run `make test`, which trains first")
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}
    env = dict(os.environ)
    env.update({k: str(v) for k, v in ports.items()})
    env.update({
        "FRAUDBOT_DATA_DIR": str(tmp),
        "RASA_TOKEN": "test-token-" + uuid.uuid4().hex[:8],
        "LOG_LEVEL": "WARNING",
        "PUBLIC_URL": f"http://localhost:{ports['WEB_PORT']}",
    })
    env.update(extra_env or {})
    log = open(tmp / "launcher.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "bot.run.launcher", *args], cwd=PROJECT_ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail("launcher exited early:\n" + (tmp / "launcher.log").read_text(errors="replace")[-4000:])
        if b"ready:" in (tmp / "launcher.log").read_bytes():
            break
        time.sleep(1)
    else:
        proc.send_signal(signal.SIGTERM)
        pytest.fail("assistant did not start in time:\n" + (tmp / "launcher.log").read_text(errors="replace")[-4000:])
    assistant = RunningAssistant(
        rasa_url=f"http://localhost:{env['RASA_PORT']}", web_url=f"http://localhost:{env['WEB_PORT']}",
        token=env["RASA_TOKEN"], data_dir=tmp, env=env,
    )
    return proc, assistant


def stop_launcher(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("assistant")
    proc, running = start_launcher(tmp)
    yield running
    stop_launcher(proc)
    assert proc.returncode == 0, "Ctrl-C/SIGTERM should stop every process cleanly"


@pytest.fixture
def sender() -> str:
    return "test-" + uuid.uuid4().hex
