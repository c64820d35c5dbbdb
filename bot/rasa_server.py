"""``python -m bot.rasa_server run ...``: Rasa's own command line, with fixes for Rasa 3.6.21.

The launcher and the cluster start Rasa through this module instead of the
``rasa`` script.  Each fix is small, keeps Rasa's behaviour and has a test
(tests/bot/test_rasa_server.py); the reasons and figures are in the README.

* ``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` for every
  action-server reply, which builds and checks a validator for Rasa's large
  event schema every time: about 14 ms of CPU per custom action here, while a
  validator built once validates the same reply in well under a millisecond.
  The patched method validates against the same schema, raises the same
  ``ValidationError`` with the same hint.
* ``EndpointConfig.request`` opens a new HTTP client session, and so a new TCP
  connection, for every call to the action server.  The patched method keeps
  one session per endpoint and event loop, with keep-alive connections that are
  closed after 2 s idle (before the action server's own 5 s keep-alive ends, so
  a request never goes out on a connection the server is closing).
"""
from __future__ import annotations

import sys
from typing import Any, Dict

_PATCHED = "_fraudbot_patched"


def _cached_validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


KEEPALIVE_SECONDS = 2.0


def _patch_endpoint_sessions() -> None:
    import asyncio

    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    def session(self: EndpointConfig) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        sessions = self.__dict__.setdefault("_fraudbot_sessions", {})
        cached = sessions.get(id(loop))
        if cached is None or cached.closed:
            auth = (aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
                    if self.basic_auth else None)
            cached = aiohttp.ClientSession(
                headers=self.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS))
            sessions[id(loop)] = cached
        return _Borrowed(cached)

    EndpointConfig.session = session


class _Borrowed:
    """``async with endpoint.session() as s`` without closing the shared session at the end."""

    def __init__(self, session: Any) -> None:
        self.session = session

    async def __aenter__(self) -> Any:
        return self.session

    async def __aexit__(self, *exc: Any) -> None:
        return None


def apply() -> None:
    """Install the fixes (idempotent)."""
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if getattr(RemoteAction, _PATCHED, False):
        return
    validator = _cached_validator()

    def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))  # the error jsonschema.validate raises
        if error is None:
            return True
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = _validate_action_result
    _patch_endpoint_sessions()
    setattr(RemoteAction, _PATCHED, True)


def main() -> None:
    apply()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
