"""Public pages: the resident chat page, widget, config, history, health."""
from __future__ import annotations

import asyncio
import json
import logging
import re

from aiohttp import ClientError, ClientTimeout, web

from bot.web.access import public

logger = logging.getLogger(__name__)
_SESSION_ID = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")
HISTORY_LIMIT = 200
HISTORY_KEY_HEADER = "X-History-Key"


@public
async def chat_page(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(request.app["static_dir"] / "chat.html",
                            headers={"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache"})


@public
async def embed_demo(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(request.app["static_dir"] / "embed-demo.html",
                            headers={"Content-Type": "text/html; charset=utf-8"})


@public
async def widget_js(request: web.Request) -> web.StreamResponse:
    response = web.FileResponse(request.app["static_dir"] / "widget.js",
                                headers={"Content-Type": "application/javascript; charset=utf-8"})
    response.headers["Access-Control-Allow-Origin"] = "*"  # embedded on the bank's own site
    return response


@public
async def config_js(request: web.Request) -> web.Response:
    # A fresh session id and its history key, for a browser that has none yet.
    config = {"rasaUrl": request.app["rasa_public_origin"], "socketPath": "/socket.io", "historyUrl": "/api/history/",
              "sessionUrl": "/api/session", "session": request.app["history_keys"].new_session()}
    body = "window.FRAUDBOT_CONFIG = " + json.dumps(config) + ";\n"
    return web.Response(text=body, content_type="application/javascript", headers={"Cache-Control": "no-store"})


@public
async def new_session(request: web.Request) -> web.Response:
    """A new chat session id with the key that alone can read its history (the kiosk's 下一位)."""
    return web.json_response(request.app["history_keys"].new_session(), headers={"Cache-Control": "no-store"})


@public
async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def transcript(events: list) -> list:
    """User and bot messages of a tracker, as the chat page shows them."""
    messages = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            # Button payloads ("/faq{...}") are kept: the page shows the button's title.
            message = {"sender": "user", "text": event.get("text") or ""}
            # The page's own id for the message tells it which of its questions are stored.
            client_id = (event.get("metadata") or {}).get("client_msg_id")
            if isinstance(client_id, str) and client_id:
                message["client_msg_id"] = client_id
            messages.append(message)
        elif kind == "bot":
            data = event.get("data") or {}
            buttons = data.get("buttons") or data.get("quick_replies") or []
            messages.append({
                "sender": "bot", "text": event.get("text") or "",
                "buttons": [{"title": b.get("title", ""), "payload": b.get("payload", "")} for b in buttons],
            })
    return messages[-HISTORY_LIMIT:]


@public
async def history(request: web.Request) -> web.Response:
    """The conversation so far, read from Rasa's tracker (texts already redacted).

    Only for the browser holding the session's history key (``X-History-Key``),
    which the web app issued with the id: knowing an id is not enough.
    """
    session_id = request.match_info["session_id"]
    if not _SESSION_ID.match(session_id):
        return web.json_response({"error": "会话编号无效。"}, status=400)
    if not request.app["history_keys"].valid(session_id, request.headers.get(HISTORY_KEY_HEADER)):
        return web.json_response({"error": "无权读取这段聊天记录。", "messages": []}, status=403)
    settings = request.app["settings"]
    url = f"{settings.rasa_url}/conversations/{session_id}/tracker"
    try:
        async with request.app["http"].get(url, params={"token": settings.rasa_token,
                                                        "include_events": "AFTER_RESTART"},
                                           timeout=ClientTimeout(total=request.app["history_timeout"])) as response:
            if response.status != 200:
                raise ClientError(f"status {response.status}")
            tracker = await response.json()
    except (ClientError, asyncio.TimeoutError, ValueError) as error:  # aiohttp's timeout is asyncio's
        logger.warning("history unavailable for a session: %s", error)
        return web.json_response({"error": "暂时无法读取聊天记录。", "messages": []}, status=503)
    return web.json_response({"messages": transcript(tracker.get("events") or [])})
