"""Rasa input channels that guard every message before Rasa sees it.

Loaded by credentials.yml: ``bot.rasa.channels.GuardedRestInput:`` and
``bot.rasa.channels.GuardedSocketIOInput:`` (the launcher and the cluster pass the same file).

They keep Rasa's standard paths (``/webhooks/rest/webhook`` and ``/socket.io``)
and wrap the ``on_new_message`` callback, so for both channels:

* personal data (phone, ID, card numbers, codes, e-mail) is replaced by typed
  placeholders *before* the tracker store, event store and logs see the text
  (the REST channel redacts as it reads the body, since Rasa's handler logs its
  own copy when a turn fails; bot/rasa/server.py covers Rasa's HTTP API);
* empty, non-text or over-long messages get a clear reply instead of reaching
  the model;
* one sender sending a burst is slowed down without affecting anyone else
  (bot/rasa/rate_limit.py; shared by the replicas through Redis when
  ``RATE_LIMIT_REDIS_URL`` is set);
* a turn that produced no reply at all (the action server is down, say) gets an
  apology with the hotlines, so the assistant never goes silent.

Registered in ``credentials.yml`` as ``bot.rasa.channels.GuardedRestInput`` and
``bot.rasa.channels.GuardedSocketIOInput``.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput

from bot.quiz.join_guard import source_key
from bot.rasa.rate_limit import Limiter, limiter
from bot.privacy.redaction import redact_text
from bot.settings import Settings

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 1000
MAX_SENDER_CHARS = 128  # the REST channel cuts longer ids; socket.io passes the client's session id
ALLOWED_METADATA = ("channel", "client_msg_id", "source")
CHANNELS = ("web", "event", "kiosk", "live")

TOO_LONG = f"您发的内容太长了（超过{MAX_MESSAGE_CHARS}字）。请分几次、简单说说遇到的事情。"
EMPTY = "请输入文字，告诉我您想问的问题。"
BAD_SESSION = "连接信息有误，请刷新页面后再试。"
SLOW_DOWN = "您发得太快了，请稍等几秒再发。"
UNAVAILABLE = (
    "抱歉，系统暂时有点忙，请过一会儿再问我一次。如果有人正让您转账，请先停下："
    "已经被骗请马上拨打110，拿不准可以打96110咨询。"
)


def limiter_from(settings: Settings) -> Limiter:
    # Channels are built by Rasa from credentials.yml: this is their entry point.
    return limiter(settings.sender_rate, settings.sender_burst, settings.rate_limit_redis_url)


class _CountingOutput(OutputChannel):
    """Passes messages through and remembers whether anything was sent."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    @classmethod
    def name(cls) -> Text:
        return "counting"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, item: str) -> Any:  # e.g. CollectingOutputChannel.messages
        return getattr(self.inner, item)


def peer_address(peer: str, forwarded: Optional[str], trusted: Tuple[str, ...]) -> str:
    """The client's address: nginx's ``X-Real-IP`` when the peer is a trusted proxy, else the peer."""
    if peer in trusted and (forwarded or "").strip():
        return forwarded.strip()
    return peer


def with_source(metadata: Any, address: str, settings: Settings) -> Dict[str, Any]:
    """The client's metadata with ``source`` set by us (what a client sends there is replaced)."""
    metadata = dict(metadata) if isinstance(metadata, dict) else {}
    metadata["source"] = source_key(address, settings.rasa_token) if address else ""
    return metadata


def clean_metadata(metadata: Any) -> Dict[str, Any]:
    """Only the keys the assistant uses; nothing a client adds gets stored."""
    if not isinstance(metadata, dict):
        return {}
    cleaned = {k: metadata[k] for k in ALLOWED_METADATA if isinstance(metadata.get(k), str) and len(metadata[k]) <= 64}
    if cleaned.get("channel") not in CHANNELS:
        cleaned.pop("channel", None)
    return cleaned


def guard(on_new_message: Callable[[UserMessage], Awaitable[Any]], limiter: Limiter) -> Callable:
    """Wrap Rasa's message callback with validation, redaction and a reply guarantee."""

    async def guarded(message: UserMessage) -> None:
        output = message.output_channel
        text = message.text
        if not isinstance(text, str) or not text.strip():
            await output.send_text_message(message.sender_id, EMPTY)
            return
        if not isinstance(message.sender_id, str) or not 0 < len(message.sender_id) <= MAX_SENDER_CHARS:
            # socket.io takes the client's session id as it comes
            await output.send_text_message(message.sender_id, BAD_SESSION)
            return
        if len(text) > MAX_MESSAGE_CHARS:
            await output.send_text_message(message.sender_id, TOO_LONG)
            return
        if not limiter.allow(str(message.sender_id)):
            await output.send_text_message(message.sender_id, SLOW_DOWN)
            return
        message.text = redact_text(text)
        message.metadata = clean_metadata(message.metadata)
        counting = _CountingOutput(output)
        message.output_channel = counting
        try:
            await on_new_message(message)
        finally:
            if counting.sent == 0:
                logger.warning("no reply for a message (action server down?); sent the apology")
                await output.send_text_message(message.sender_id, UNAVAILABLE)

    return guarded


class GuardedRestInput(RestInput):
    """Rasa's REST channel at ``/webhooks/rest/webhook``, guarded."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def __init__(self) -> None:
        super().__init__()
        self.settings = Settings.from_env()
        self.limiter = limiter_from(self.settings)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        return super().blueprint(guard(on_new_message, self.limiter))

    # A JSON body that is not an object (a list, a number) must not crash the handler.
    @staticmethod
    def _body(req: Any) -> Dict[str, Any]:
        body = req.json
        return body if isinstance(body, dict) else {}

    async def _extract_sender(self, req: Any) -> Optional[Text]:
        sender = self._body(req).get("sender")
        return str(sender)[:128] if sender not in (None, "") else None

    def _extract_message(self, req: Any) -> Optional[Text]:
        # Redacted here, not only in the guard: Rasa's handler keeps this copy and
        # logs it when the turn fails or times out (Redis down, a client gone).
        # One character past the limit is enough for the guard to refuse it.
        message = self._body(req).get("message")
        return redact_text(message[:MAX_MESSAGE_CHARS + 1]) if isinstance(message, str) else ""

    def _extract_input_channel(self, req: Any) -> Text:
        return self.name()

    def get_metadata(self, request: Any) -> Optional[Dict[Text, Any]]:
        address = peer_address(request.ip or "", request.headers.get("X-Real-IP"), self.settings.trusted_proxy_list)
        return with_source(self._body(request).get("metadata"), address, self.settings)


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel at ``/socket.io``, guarded."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings = Settings.from_env()
        self.limiter = limiter_from(self.settings)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        blueprint = super().blueprint(guard(on_new_message, self.limiter))
        handlers = self.sio.handlers.setdefault(self.namespace or "/", {})
        handle_message = handlers[self.user_message_evt]

        async def with_server_source(sid: Text, data: Any) -> None:
            # Rasa's handler passes the client's metadata on as is: set the source ourselves.
            if isinstance(data, dict):
                environ = self.sio.get_environ(sid, self.namespace) or {}
                address = peer_address(environ.get("REMOTE_ADDR", ""), environ.get("HTTP_X_REAL_IP"),
                                       self.settings.trusted_proxy_list)
                metadata = data.get(self.metadata_key)
                data = {**data, self.metadata_key: with_source(metadata if isinstance(metadata, dict) else {},
                                                               address, self.settings)}
            await handle_message(sid, data)

        handlers[self.user_message_evt] = with_server_source
        return blueprint
