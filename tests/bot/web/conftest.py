"""Web app fixtures: a throwaway database and signed-in clients per role."""
import re

import pytest

from bot.web.users import create_user
from bot.web import create_app

PASSWORD = "correct-horse-42"


@pytest.fixture
def app(settings, kb, bank):
    return create_app(settings, knowledge=kb, bank=bank)


@pytest.fixture
async def client(aiohttp_client, app):
    return await aiohttp_client(app)


async def sign_in(client, username: str, password: str = PASSWORD, headers=None):
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
    return await client.post("/login", data={"username": username, "password": password, "csrf": token},
                             allow_redirects=False, headers=headers)


@pytest.fixture
def make_user(client):
    def make(username: str, role: str) -> None:
        create_user(client.server.app["sessions"], username, PASSWORD, role)
    return make


async def csrf_of(client, path: str = "/console") -> str:
    page = await client.get(path)
    return re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
