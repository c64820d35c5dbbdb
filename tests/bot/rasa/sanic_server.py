"""Serve a Sanic app (Rasa's, the action server's) on a free loopback port inside a test's event loop."""
from __future__ import annotations

import contextlib
import socket
from typing import Any, AsyncIterator


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    """Yield the base URL while `app` answers real HTTP requests on 127.0.0.1."""
    port = _free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True,
                                     access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()
