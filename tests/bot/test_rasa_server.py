"""bot/rasa_server.py: Rasa's command line with the action-reply validator built once."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot import rasa_server
from bot.launcher import commands
from bot.settings import Settings

GOOD = {"events": [{"event": "slot", "name": "topic", "value": "safe_account"}],
        "responses": [{"text": "这是诈骗，别转账。"}]}


@pytest.fixture(scope="module")
def action() -> RemoteAction:
    rasa_server.apply()
    return RemoteAction("action_answer_topic", None)


def test_a_valid_reply_passes(action):
    assert action._validate_action_result(GOOD) is True
    assert action._validate_action_result({"events": [], "responses": []}) is True


@pytest.mark.parametrize("bad", [
    {"events": "not a list", "responses": []},
    {"events": [{"event": "no-such-event"}], "responses": []},
    {"events": [], "responses": ["a bare string"]},
])
def test_a_bad_reply_is_refused_with_rasas_hint(action, bad):
    with pytest.raises(ValidationError) as caught:
        action._validate_action_result(bad)
    assert "Failed to validate Action server response" in caught.value.message


def test_the_validator_is_built_once(action, monkeypatch):
    import jsonschema

    def forbidden(*args, **kwargs):
        raise AssertionError("jsonschema.validate builds a new validator per call")

    monkeypatch.setattr(jsonschema, "validate", forbidden)
    for _ in range(3):
        assert action._validate_action_result(GOOD) is True


def test_apply_is_idempotent(action):
    patched = RemoteAction._validate_action_result
    rasa_server.apply()
    assert RemoteAction._validate_action_result is patched


def test_the_launcher_starts_rasa_through_it(tmp_path):
    cmd = commands(Settings(data_dir=tmp_path), "endpoints.yml", with_web=False)["rasa"]
    assert cmd[1:4] == ["-m", "bot.rasa_server", "run"]

