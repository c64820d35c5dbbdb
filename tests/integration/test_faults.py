"""Faults on the default (SQLite) profile: Rasa killed mid-quiz, the action server down.

These tests kill processes, so they run their own action server and Rasa server,
with the launcher's commands and environment, instead of the shared `assistant`.
"""
from __future__ import annotations

import signal
import subprocess
import uuid
from pathlib import Path
from typing import Dict, Iterator

import pytest

from bot.rasa.channels import UNAVAILABLE
from bot.db.engine import upgrade
from bot.run.launcher import MODEL_PATH, child_env, commands, stop_all, wait_until_up
from bot.settings import PROJECT_ROOT, Settings
from tests.integration.test_quiz_chat import answer_for, current_question
from tests.server import RunningAssistant, free_port, reply_text

START_TIMEOUT = 600  # a Rasa server needs 30-40 s alone, much more on a busy machine


class Stack:
    """The action server and one Rasa server on a throwaway data folder, each stoppable on its own."""

    def __init__(self, data_dir: Path) -> None:
        self.settings = Settings.from_env({
            "FRAUDBOT_DATA_DIR": str(data_dir), "RASA_PORT": str(free_port()), "ACTION_PORT": str(free_port()),
            "RASA_TOKEN": "test-token-" + uuid.uuid4().hex[:8], "LOG_LEVEL": "WARNING",
        })
        self.env = child_env(self.settings)
        self.commands = commands(self.settings, "endpoints.yml", with_web=False)
        self.health = {"actions": f"http://127.0.0.1:{self.settings.action_port}/health",
                       "rasa": f"http://127.0.0.1:{self.settings.rasa_port}/"}
        self.procs: Dict[str, subprocess.Popen] = {}
        self.logs = data_dir
        self.assistant = RunningAssistant(
            rasa_url=f"http://127.0.0.1:{self.settings.rasa_port}", web_url="", token=self.settings.rasa_token,
            data_dir=data_dir, env=self.env)
        upgrade(self.settings.database_url)  # as the launcher does before starting anything

    def log_tail(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-4000:]

    def running(self, name: str) -> bool:
        return name in self.procs and self.procs[name].poll() is None

    def start(self, name: str) -> None:
        with open(self.logs / f"{name}.log", "ab") as log:
            self.procs[name] = subprocess.Popen(self.commands[name], cwd=PROJECT_ROOT, env=self.env, stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)
        if not wait_until_up(self.health[name], START_TIMEOUT, {name: self.procs[name]}):
            pytest.fail(f"{name} did not start:\n" + self.log_tail(name))

    def ensure_running(self) -> None:
        for name in ("actions", "rasa"):
            if not self.running(name):
                self.start(name)

    def kill(self, name: str) -> None:
        """SIGKILL: no clean-up, no flush, as when the machine runs out of memory."""
        self.procs[name].send_signal(signal.SIGKILL)
        assert self.procs[name].wait(timeout=30) == -signal.SIGKILL

    def stop(self, name: str) -> None:
        stop_all({name: self.procs[name]})


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    if not MODEL_PATH.exists():
        pytest.fail("no trained model: run `make test`, which trains first")
    running = Stack(tmp_path_factory.mktemp("faults"))
    yield running
    stop_all(running.procs)


def test_rasa_killed_mid_quiz_resumes_at_the_same_question(stack, sender):
    stack.ensure_running()
    say = stack.assistant.say
    number, question = current_question(say(sender, "来做题"))
    assert number == 1
    reply = say(sender, answer_for(question, right=True))
    number, question = current_question(reply)
    assert number == 2 and "答对了" in reply_text(reply)
    reply = say(sender, answer_for(question, right=False))
    number, question = current_question(reply)
    assert number == 3 and "答对了" not in reply_text(reply)

    stack.kill("rasa")
    stack.start("rasa")  # same data folder, so the same tracker.db

    # The answer is judged against question 3 and the round goes on to question 4.
    reply = say(sender, answer_for(question, right=True))
    text = reply_text(reply)
    assert "答对了" in text, f"question 3 was not resumed after the restart: {text}"
    number, question = current_question(reply)
    assert number == 4, text
    for position in (4, 5):
        reply = say(sender, answer_for(question, right=True))
        text = reply_text(reply)
        assert "答对了" in text
        if position < 5:
            number, question = current_question(reply)
            assert number == position + 1, text
    # Questions 1 and 2 (right, wrong) from before the crash still count.
    assert "4/5" in text and "答题结束" in text


def test_action_server_down_gets_an_apology_then_recovers(stack, sender):
    stack.ensure_running()
    stack.stop("actions")

    reply = reply_text(stack.assistant.say(sender, "刷单返利是怎么回事"))
    assert UNAVAILABLE in reply, f"expected the apology with the hotlines, got: {reply!r}"
    assert "110" in reply and "96110" in reply

    stack.start("actions")
    reply = reply_text(stack.assistant.say(sender, "刷单返利是怎么回事"))
    assert UNAVAILABLE not in reply
    assert "刷单" in reply, reply
