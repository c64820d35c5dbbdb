"""The action server: on loopback by default, and with ACTION_TOKEN only Rasa's calls are run."""
import os
import subprocess
import sys

import aiohttp
import pytest
from sanic import Sanic

from bot.rasa import action_server
from bot.settings import PROJECT_ROOT, Settings
from tests.bot.rasa.sanic_server import serving

TOKEN = "t" * 32
CALL = {"next_action": "action_quiz_start", "sender_id": "attacker", "version": "3.6.2",
        "tracker": {"sender_id": "attacker", "slots": {}, "latest_message": {}, "events": []}, "domain": {}}


@pytest.fixture(autouse=True)
def sanic_test_mode():
    Sanic.test_mode = True  # several apps called "rasa_sdk" in one process
    yield
    Sanic.test_mode = False


async def test_a_forged_webhook_call_without_the_token_runs_no_action(tmp_path):
    app = action_server.create_app(Settings(data_dir=tmp_path, action_token=TOKEN), "actions.quiz_actions")
    async with serving(app) as url, aiohttp.ClientSession() as http:
        async with http.post(f"{url}/webhook", json=CALL) as response:
            assert response.status == 401
        async with http.post(f"{url}/webhook", json=CALL, headers={"X-Action-Token": "wrong" * 8}) as response:
            assert response.status == 401
        async with http.get(f"{url}/actions") as response:
            assert response.status == 401
        async with http.get(f"{url}/health") as response:
            assert response.status == 200  # the launcher's and the load balancer's check


async def test_rasa_with_the_token_reaches_the_actions(tmp_path):
    app = action_server.create_app(Settings(data_dir=tmp_path, action_token=TOKEN), "actions.quiz_actions")
    async with serving(app) as url, aiohttp.ClientSession() as http:
        async with http.get(f"{url}/actions", headers={"X-Action-Token": TOKEN}) as response:
            assert response.status == 200
            assert "action_quiz_start" in {a["name"] for a in await response.json()}


def run_action_server(env):
    return subprocess.run([sys.executable, "-m", "bot.rasa.action_server", "--actions", "actions", "--port", "1"],
                          cwd=PROJECT_ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("env", [{"ACTION_HOST": "0.0.0.0"}, {"FRAUDBOT_PROFILE": "production", "ACTION_TOKEN": "short"}])
def test_it_refuses_to_listen_beyond_loopback_or_in_production_without_a_real_token(env):
    result = run_action_server({"ACTION_TOKEN": "", **env})
    assert result.returncode == 2 and "ACTION_TOKEN" in result.stderr


def test_rasa_sends_the_token_to_the_action_server_only():
    import asyncio

    from rasa.utils.endpoints import EndpointConfig

    from bot.rasa import server as rasa_server

    async def headers(url):
        session = EndpointConfig(url).session()
        try:
            return dict(session.headers)
        finally:
            await session.close()

    saved = EndpointConfig.session
    try:
        rasa_server._pooled_sessions(4, "http://127.0.0.1:5055/webhook", TOKEN)
        assert asyncio.run(headers("http://127.0.0.1:5055/webhook"))["X-Action-Token"] == TOKEN
        assert "X-Action-Token" not in asyncio.run(headers("http://nlg.example/"))
    finally:
        EndpointConfig.session = saved
