"""Entry point: ``python -m bot.web`` runs the app built by :func:`create_app`."""
import logging

from aiohttp import web

from bot.settings import Settings
from bot.web.app import create_app


def main() -> None:
    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    web.run_app(create_app(settings), port=settings.web_port, access_log=None, print=None)


if __name__ == "__main__":
    main()
