import asyncio
import dataclasses
import json
import re

import pytest
from aiohttp import web

from bot.web import create_app
from bot.web.views_public import transcript

EVENTS = [{"event": "user", "text": "中奖电话要我交手续费，卡号[银行卡号]"},
          {"event": "bot", "text": "这是骗局，不要转账。您的核销码是：ABCD2345"}]


@pytest.fixture
async def fake_rasa(aiohttp_server):
    """A stand-in for Rasa's tracker endpoint on a port of its own (never the real 5005)."""
    state = {"mode": "ok", "seen": []}
    never = asyncio.Event()

    async def tracker(request):
        state["seen"].append(request.match_info["sid"])
        if state["mode"] == "hang":
            await never.wait()
        if state["mode"] == "error":
            return web.json_response({"error": "boom"}, status=500)
        return web.json_response({"events": EVENTS})

    app = web.Application()
    app.router.add_get("/conversations/{sid}/tracker", tracker)
    server = await aiohttp_server(app)
    yield state, str(server.make_url("")).rstrip("/")
    never.set()


@pytest.fixture
async def site(aiohttp_client, fake_rasa, settings, kb, bank):
    state, url = fake_rasa
    app = create_app(dataclasses.replace(settings, rasa_url=url), knowledge=kb, bank=bank)
    app["history_timeout"] = 0.3
    return await aiohttp_client(app), state


async def page_session(client):
    """The session id and history key the chat page gets from config.js."""
    text = await (await client.get("/config.js")).text()
    return json.loads(re.search(r"= (.*);", text).group(1))["session"]


async def test_chat_page_is_served_with_a_strict_csp(client):
    response = await client.get("/")
    assert response.status == 200
    html = await response.text()
    assert "防骗小助手" in html and "/static/vendor/socket.io.min.js" in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "http" not in html.split("<body", 1)[0].replace("http-equiv", ""), "no CDN in the page head"


async def test_config_points_the_page_at_rasa(client):
    text = await (await client.get("/config.js")).text()
    assert '"socketPath": "/socket.io"' in text and "rasaUrl" in text


async def test_widget_script_is_served(client):
    response = await client.get("/widget.js")
    assert response.status == 200 and "fraudbot-launcher" in await response.text()


async def test_history_rejects_a_bad_session_id(client):
    assert (await client.get("/api/history/%3Cscript%3E")).status == 400


async def test_a_browser_reads_its_own_history_with_the_key_it_was_given(site):
    client, _ = site
    mine = await page_session(client)
    response = await client.get(f"/api/history/{mine['session_id']}", headers={"X-History-Key": mine["history_key"]})
    assert response.status == 200
    assert [m["text"] for m in (await response.json())["messages"]] == [e["text"] for e in EVENTS]


async def test_knowing_someone_elses_session_id_does_not_reveal_their_prize_code(site):
    client, rasa = site
    victim, attacker = await page_session(client), await page_session(client)
    assert victim["session_id"] != attacker["session_id"]
    for headers in ({}, {"X-History-Key": attacker["history_key"]}, {"X-History-Key": "x" * 43}):
        response = await client.get(f"/api/history/{victim['session_id']}", headers=headers)
        assert response.status == 403 and "ABCD2345" not in await response.text()
    assert rasa["seen"] == [], "Rasa is not even asked"


async def test_the_kiosk_gets_a_fresh_session_for_the_next_participant(site):
    client, _ = site
    first = await (await client.post("/api/session")).json()
    second = await (await client.post("/api/session")).json()
    assert first["session_id"] != second["session_id"] and first["history_key"] != second["history_key"]


@pytest.mark.parametrize("mode", ["error", "hang", "down"])
async def test_history_says_when_rasa_fails_is_too_slow_or_is_down(site, fake_rasa, mode, unused_tcp_port):
    client, rasa = site
    rasa["mode"] = mode
    if mode == "down":  # nothing listens there
        client.server.app["settings"] = dataclasses.replace(client.server.app["settings"],
                                                            rasa_url=f"http://127.0.0.1:{unused_tcp_port}")
    mine = await page_session(client)
    response = await client.get(f"/api/history/{mine['session_id']}", headers={"X-History-Key": mine["history_key"]})
    assert response.status == 503 and (await response.json())["messages"] == []


async def test_only_the_resident_chat_page_may_be_framed(client):
    chat = await client.get("/")
    assert "frame-ancestors *" in chat.headers["Content-Security-Policy"]
    for path in ("/login", "/console", "/dashboard", "/admin/users", "/embed-demo.html"):
        response = await client.get(path, allow_redirects=False)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_transcript_keeps_messages_payloads_and_buttons():
    events = [
        {"event": "user", "text": "刷单是啥"},
        {"event": "bot", "text": "刷单返利是骗局", "data": {"buttons": [{"title": "详细说说", "payload": "/followup_more"}]}},
        {"event": "user", "text": "/followup_more", "metadata": {"channel": "web", "client_msg_id": "c-2"}},
        {"event": "action", "name": "action_listen"},
    ]
    assert transcript(events) == [
        {"sender": "user", "text": "刷单是啥"},
        {"sender": "bot", "text": "刷单返利是骗局", "buttons": [{"title": "详细说说", "payload": "/followup_more"}]},
        {"sender": "user", "text": "/followup_more", "client_msg_id": "c-2"},
    ]
