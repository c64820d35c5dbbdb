"""Personal data never reaches Rasa's logs or stores, whichever way the text comes in.

These run Rasa's own handlers over real HTTP (not a stand-in for them): the REST
channel's, which log their own copy of the body when a turn fails or times out,
and Rasa's HTTP API, which stores what it is sent.
"""
import asyncio
import logging

import aiohttp
import pytest
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic

from bot.rasa import server as rasa_server
from bot.rasa.channels import GuardedRestInput
from tests.bot.rasa.sanic_server import serving

SECRET_TEXT = "我手机13812345678，卡号6222021234567890128，验证码382910"
LEAKS = ("13812345678", "6222021234567890128", "382910")
TOKEN = "api-token-" + "x" * 20


@pytest.fixture(autouse=True)
def sanic_test_mode():
    Sanic.test_mode = True
    yield
    Sanic.test_mode = False


@pytest.fixture
def logs(caplog, capfd):
    """Everything Rasa logged (stdlib logging and structlog, which prints) as one string."""
    caplog.set_level(logging.DEBUG)

    def read() -> str:
        out, err = capfd.readouterr()
        return caplog.text + out + err

    return read


def assert_no_leak(text: str) -> None:
    for value in LEAKS:
        assert value not in text


def rest_app(on_new_message) -> Sanic:
    app = Sanic("rest_privacy")
    app.blueprint(GuardedRestInput().blueprint(on_new_message), url_prefix="/webhooks/rest")
    return app


class RedisDown(Exception):
    """What the lock store raises while Redis is away."""


@pytest.mark.parametrize("failure", [RedisDown("connection refused"), asyncio.CancelledError()])
async def test_a_failed_or_timed_out_turn_logs_no_personal_data(logs, failure):
    async def rasa_fails(message):
        raise failure

    async with serving(rest_app(rasa_fails)) as url, aiohttp.ClientSession() as http:
        async with http.post(f"{url}/webhooks/rest/webhook",
                             json={"sender": "s1", "message": SECRET_TEXT}) as response:
            assert response.status == 200
    text = logs()
    assert "rest.message.received" in text, "Rasa's handler should have logged the failure"
    assert_no_leak(text)
    assert "[手机号]" in text  # what was logged is the redacted text


class StubProcessor:
    """Rasa's processor steps the /messages endpoint calls, over an in-memory tracker store."""

    def __init__(self, store):
        self.store = store

    async def log_message(self, message, should_save_tracker=True):
        tracker = await self.store.get_or_create_tracker(message.sender_id)
        tracker.update(UserUttered(message.text, parse_data={"text": message.text, "intent": {"name": "faq"}}))
        return tracker

    async def fetch_tracker_with_initial_session(self, sender_id, output_channel=None):
        return await self.store.get_or_create_tracker(sender_id)

    async def run_action_extract_slots(self, output_channel, tracker):
        return tracker

    async def save_tracker(self, tracker):
        await self.store.save(tracker)


class StubAgent:
    def __init__(self):
        self.tracker_store = InMemoryTrackerStore(Domain.empty())
        self.lock_store = InMemoryLockStore()
        self.processor = StubProcessor(self.tracker_store)
        self.domain = Domain.empty()

    def is_ready(self):
        return True


@pytest.fixture
def rasa_api():
    from rasa import server

    rasa_server.redact_http_api_once()
    agent = StubAgent()
    return server.create_app(agent=agent, auth_token=TOKEN), agent


async def stored_texts(agent, sender):
    tracker = await agent.tracker_store.retrieve(sender)
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


async def test_text_sent_through_rasas_http_api_is_stored_redacted(rasa_api, logs):
    app, agent = rasa_api
    async with serving(app) as url, aiohttp.ClientSession() as http:
        async with http.post(f"{url}/conversations/api-user/messages", params={"token": TOKEN},
                             json={"text": SECRET_TEXT, "sender": "user"}) as response:
            assert response.status == 200
            assert_no_leak(await response.text())
        event = {"event": "user", "text": SECRET_TEXT, "parse_data": {"text": SECRET_TEXT, "intent": {}}}
        async with http.post(f"{url}/conversations/api-events/tracker/events", params={"token": TOKEN},
                             json=[event]) as response:
            assert response.status == 200
    assert (await stored_texts(agent, "api-user"))[-1].startswith("我手机[手机号]")
    assert (await stored_texts(agent, "api-events"))[-1].startswith("我手机[手机号]")
    assert_no_leak(str((await agent.tracker_store.retrieve("api-events")).current_state()))
    assert_no_leak(logs())


def test_every_message_rasa_builds_is_redacted():
    from rasa.core.channels.channel import UserMessage

    rasa_server.redact_http_api_once()
    assert UserMessage(SECRET_TEXT).text == "我手机[手机号]，卡号[银行卡号]，验证码[验证码]"
    assert UserMessage('/join_event{"join_code":"418857"}').text == '/join_event{"join_code":"418857"}'
