"""A real socket.io client: session persistence across a reconnect.

Rasa 3.6 calls ``sio.enter_room`` without awaiting it; with python-socketio 5.10+
replies would never arrive. This test fails if the pin in requirements.txt drifts.
"""
import asyncio
import uuid

import socketio

from tests.server import reply_text


async def ask_over_socketio(url: str, session_id: str, text: str, timeout: float = 60) -> list:
    client = socketio.AsyncClient(reconnection=False)
    replies: list = []
    confirmed = asyncio.Event()
    got_reply = asyncio.Event()

    @client.on("session_confirm")
    async def _confirm(data):
        confirmed.set()

    @client.on("bot_uttered")
    async def _reply(data):
        replies.append(data)
        got_reply.set()

    await client.connect(url, socketio_path="/socket.io", transports=["websocket"])
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), timeout)
        await client.emit("user_uttered", {"message": text, "session_id": session_id})
        await asyncio.wait_for(got_reply.wait(), timeout)
        await asyncio.sleep(1.0)  # collect the rest of a multi-message answer
    finally:
        await client.disconnect()
    return [{"text": r.get("text"), "buttons": r.get("quick_replies") or []} for r in replies]


async def test_replies_arrive_and_the_session_survives_a_reconnect(assistant):
    session_id = uuid.uuid4().hex
    first = await ask_over_socketio(assistant.rasa_url, session_id, "刷单返利是什么")
    assert "刷单" in reply_text(first)
    second = await ask_over_socketio(assistant.rasa_url, session_id, "那打哪个电话")
    assert "110" in reply_text(second) or "96110" in reply_text(second)

    tracker = assistant.tracker(session_id)
    user_texts = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    assert user_texts == ["刷单返利是什么", "那打哪个电话"]
    sessions = [e for e in tracker["events"] if e["event"] == "session_started"]
    assert len(sessions) == 1, "both questions belong to one conversation"
    assert tracker["slots"]["topic"] == "shuadan"
