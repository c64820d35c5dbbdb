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



async def test_hundreds_of_simultaneous_action_calls_share_a_bounded_pool(action, aiohttp_server):
    # 500 people tap an answer at one moment: Rasa must not open 500 connections to the
    # action server at once (its accept queue holds 100), and every call must get its reply.
    import asyncio

    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    now = peak = 0

    async def webhook(request: web.Request) -> web.Response:
        nonlocal now, peak
        now += 1
        peak = max(peak, now)
        await asyncio.sleep(0.01)
        now -= 1
        return web.json_response({"events": [], "responses": [{"text": (await request.json())["n"]}]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    server = await aiohttp_server(app)
    endpoint = EndpointConfig(url=str(server.make_url("/webhook")))
    replies = await asyncio.gather(*(endpoint.request(json={"n": str(i)}, method="post") for i in range(300)))
    assert [r["responses"][0]["text"] for r in replies] == [str(i) for i in range(300)]
    assert 1 < peak <= Settings().action_connections
