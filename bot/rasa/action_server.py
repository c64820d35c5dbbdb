"""``python -m bot.rasa.action_server --actions actions --port N``: the Rasa SDK action server, guarded.

The launcher and the cluster start the action server through this module
instead of ``rasa run actions``, which listens on every interface and lets
anyone who reaches port 5055 run any action (start, score and finish a quiz,
issue a prize code).  Here:

* it listens on ``ACTION_HOST`` (default 127.0.0.1);
* when ``ACTION_TOKEN`` is set, ``/webhook`` and ``/actions`` answer only calls
  whose ``X-Action-Token`` header holds it (bot/rasa/server.py makes Rasa send
  it); ``/health`` stays open for the launcher and load balancers;
* it refuses to start beyond loopback, or in the production profile, without
  a token of at least 24 characters;
* CORS is off: no browser has any business calling actions.
"""
from __future__ import annotations

import hmac
import os
import sys
from typing import Any, Callable, Optional

from bot.settings import InsecureSettings, Settings

TOKEN_HEADER = "X-Action-Token"
OPEN_PATHS = ("/health",)


def token_guard(token: str) -> Callable[[Any], Any]:
    """A Sanic request middleware answering 401 unless the request carries `token`."""
    from sanic import response

    expected = token.encode("utf-8")

    async def check(request: Any) -> Optional[Any]:
        if not token or request.path in OPEN_PATHS:
            return None
        given = (request.headers.get(TOKEN_HEADER) or "").encode("utf-8")
        if not hmac.compare_digest(given, expected):
            return response.json({"error": "missing or wrong action token"}, status=401)
        return None

    return check


def create_app(settings: Settings, action_package: Any = "actions") -> Any:
    """Rasa SDK's app for `action_package`, with the token check and without CORS."""
    from rasa_sdk import endpoint

    sdk_create_app = getattr(endpoint, "_fraudbot_create_app", endpoint.create_app)
    app = sdk_create_app(action_package, cors_origins=None)
    app.register_middleware(token_guard(settings.action_token), "request")
    return app


def _install(settings: Settings) -> None:
    """Make rasa_sdk's own ``run`` build the guarded app."""
    from rasa_sdk import endpoint

    if not hasattr(endpoint, "_fraudbot_create_app"):
        endpoint._fraudbot_create_app = endpoint.create_app
    endpoint.create_app = lambda package, cors_origins=None, auto_reload=False: create_app(settings, package)


def main(argv: Optional[list] = None) -> int:
    settings = Settings.from_env()
    try:
        settings.require_secrets(("ACTION_TOKEN",), settings.action_host)
    except InsecureSettings as error:
        print(f"bot.rasa.action_server: {error}", file=sys.stderr)
        return 2
    _install(settings)
    os.environ["SANIC_HOST"] = settings.action_host  # what rasa_sdk.endpoint.run binds to
    from rasa_sdk.__main__ import main_from_args
    from rasa_sdk.endpoint import create_argument_parser

    main_from_args(create_argument_parser().parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
