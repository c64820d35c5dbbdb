"""The aiohttp web app: chat page and widget, volunteer console, manager dashboard."""
from bot.web.app import create_app

__all__ = ["create_app"]
