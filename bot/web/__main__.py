"""Entry point: ``python -m bot.web`` runs the app built by :func:`create_app`."""
import logging
import sys

from aiohttp import web

from bot.settings import InsecureSettings, Settings
from bot.web.app import create_app


def main() -> int:
    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    try:
        app = create_app(settings)
    except InsecureSettings as error:
        print(f"bot.web: {error}", file=sys.stderr)
        return 2
    web.run_app(app, host=settings.web_host, port=settings.web_port, access_log=None, print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
