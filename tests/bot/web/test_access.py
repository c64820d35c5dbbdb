"""Every non-public route refuses anonymous access; roles see only their pages."""

import pytest

from bot.users import create_user
from bot.web import create_app
from tests.bot.web.conftest import PASSWORD, sign_in

PUBLIC_PATHS = {"/", "/config.js", "/widget.js", "/embed-demo.html", "/healthz", "/api/history/{session_id}",
                "/login", "/logout"}


def concrete(path: str) -> str:
    return path.replace("{event_id:\\d+}", "1").replace("{event_id}", "1").replace("{session_id}", "abcdefgh12")


async def test_every_private_route_refuses_anonymous_access(client):
    app = client.server.app
    checked = 0
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter") or info.get("prefix")
        if route.method == "HEAD" or path.startswith("/static"):
            continue
        if path in PUBLIC_PATHS:
            assert getattr(route.handler, "access", None) == "public", path
            continue
        response = await client.request(route.method, concrete(path), allow_redirects=False)
        assert response.status in (302, 401), f"{route.method} {path} answered {response.status} anonymously"
        if response.status == 302:
            assert response.headers["Location"].startswith("/login")
        checked += 1
    assert checked >= 10


async def test_a_volunteer_cannot_open_reporting_or_admin_pages(client, make_user):
    make_user("vol1", "volunteer")
    response = await sign_in(client, "vol1")
    assert response.status == 302 and response.headers["Location"] == "/console"
    assert (await client.get("/console")).status == 200
    assert (await client.get("/admin/users")).status == 403


async def test_wrong_password_is_refused_and_rate_limited(client, make_user):
    make_user("vol2", "volunteer")
    for _ in range(5):
        assert (await sign_in(client, "vol2", "wrong-password")).status == 401
    response = await sign_in(client, "vol2")  # right password, but blocked now
    assert response.status == 429 and "5分钟" in await response.text()


async def test_the_session_cookie_is_httponly_and_samesite(client, make_user):
    make_user("mgr1", "manager")
    response = await sign_in(client, "mgr1")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


async def test_a_forged_cookie_is_ignored(client):
    client.session.cookie_jar.update_cookies({"fraudbot_session": "eyJ1aWQiOjF9.forged"})
    response = await client.get("/console", allow_redirects=False)
    assert response.status == 302


async def test_posts_without_csrf_are_refused(client, make_user):
    make_user("vol3", "volunteer")
    await sign_in(client, "vol3")
    response = await client.post("/console/events", data={"name": "x"})
    assert response.status == 403 and "过期" in await response.text()


async def test_login_form_needs_its_csrf_token(client, make_user):
    make_user("vol4", "volunteer")
    response = await client.post("/login", data={"username": "vol4", "password": "correct-horse-42"})
    assert response.status == 403


async def test_open_redirects_are_not_followed(client, make_user):
    import re
    make_user("vol5", "volunteer")
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
    response = await client.post("/login", data={"username": "vol5", "password": "correct-horse-42", "csrf": token,
                                                 "next": "//evil.example"}, allow_redirects=False)
    assert response.headers["Location"] == "/console"


@pytest.fixture
def proxied_app(settings, kb, bank):
    import dataclasses

    # The test client connects from 127.0.0.1, which plays nginx here.
    return create_app(dataclasses.replace(settings, trusted_proxies="127.0.0.1"), knowledge=kb, bank=bank)


async def test_behind_nginx_one_address_cannot_lock_out_a_volunteer_elsewhere(aiohttp_client, proxied_app):
    client = await aiohttp_client(proxied_app)
    create_user(client.server.app["sessions"], "vol3", PASSWORD, "volunteer")
    attacker = {"X-Real-IP": "203.0.113.9"}
    for _ in range(5):
        assert (await sign_in(client, "vol3", "wrong-password", headers=attacker)).status == 401
    assert (await sign_in(client, "vol3", headers=attacker)).status == 429
    # The volunteer, at another address behind the same nginx, still gets in.
    assert (await sign_in(client, "vol3", headers={"X-Real-IP": "198.51.100.4"})).status == 302


async def test_x_real_ip_from_an_untrusted_peer_is_ignored(client, make_user):
    make_user("vol4", "volunteer")
    for i in range(5):  # a client rotating a forged header is still one address
        assert (await sign_in(client, "vol4", "wrong-password", headers={"X-Real-IP": f"10.0.0.{i}"})).status == 401
    assert (await sign_in(client, "vol4", headers={"X-Real-IP": "10.0.0.99"})).status == 429


@pytest.mark.parametrize("target", ["//evil.example", "/\t/evil.example", "/\n/evil.example", "/\\evil.example",
                                    "https://evil.example/"])
async def test_after_sign_in_only_same_site_pages_are_followed(client, make_user, target):
    make_user("mgr9", "manager")
    page = await client.get("/login")
    import re
    token = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
    response = await client.post("/login", data={"username": "mgr9", "password": PASSWORD, "csrf": token,
                                                 "next": target}, allow_redirects=False)
    assert response.status == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location, location


def test_the_login_throttle_forgets_addresses_without_recent_failures():
    from bot.web.security import LoginThrottle

    throttle = LoginThrottle(limit=5, window=300.0, max_keys=100)
    for i in range(1000):
        assert not throttle.blocked(f"10.0.{i // 256}.{i % 256}|nobody")
    assert len(throttle._failures) == 0
    for i in range(1000):
        throttle.failed(f"10.1.{i // 256}.{i % 256}|someone")
    assert len(throttle._failures) <= 100
