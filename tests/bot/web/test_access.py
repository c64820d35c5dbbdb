"""Every non-public route refuses anonymous access; roles see only their pages."""

import pytest

from bot.web.users import create_user
from bot.web import create_app
from tests.bot.web.conftest import PASSWORD, csrf_of, sign_in

PUBLIC_PATHS = {"/", "/config.js", "/widget.js", "/embed-demo.html", "/healthz", "/api/history/{session_id}",
                "/api/session",
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


def forge_admin_cookie(client, secret: str) -> None:
    from bot.web.security import SessionSigner

    forged = SessionSigner(secret).dumps({"uid": 1, "username": "admin", "role": "admin", "name": "x", "csrf": "c",
                                          "sv": 0})
    client.session.cookie_jar.update_cookies({"fraudbot_session": forged})


@pytest.mark.parametrize("overrides", [{"profile": "production"}, {"web_host": "0.0.0.0"}])
def test_the_web_app_refuses_to_start_with_the_public_default_key(settings, kb, bank, overrides):
    import dataclasses

    from bot.settings import InsecureSettings

    with pytest.raises(InsecureSettings, match="SECRET_KEY"):
        create_app(dataclasses.replace(settings, **overrides), knowledge=kb, bank=bank)


async def test_an_admin_cookie_signed_with_the_default_key_opens_nothing_in_production(
        aiohttp_client, settings, kb, bank):
    import dataclasses

    from bot.settings import DEFAULT_SECRET_KEY

    app = create_app(dataclasses.replace(settings, profile="production", secret_key="k" * 40,
                                         rasa_token="r" * 30, action_token="a" * 30), knowledge=kb, bank=bank)
    client = await aiohttp_client(app)
    create_user(app["sessions"], "admin", PASSWORD, "admin")  # uid 1: the forged cookie names a real admin
    forge_admin_cookie(client, DEFAULT_SECRET_KEY)
    assert (await client.get("/admin/users", allow_redirects=False)).status == 302
    response = await client.post("/admin/users", data={"username": "intruder", "password": "x" * 12,
                                                       "role": "admin", "csrf": "c"}, allow_redirects=False)
    assert response.status == 401
    with app["sessions"]() as session:
        from sqlalchemy import select

        from bot.db.models import User
        assert session.execute(select(User.username)).scalars().all() == ["admin"]


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


async def test_an_old_cookie_stops_working_after_logout(client, make_user):
    make_user("vol7", "volunteer")
    await sign_in(client, "vol7")
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/"))["fraudbot_session"].value
    csrf = await csrf_of(client)
    assert (await client.post("/logout", data={"csrf": csrf}, allow_redirects=False)).status == 302
    client.session.cookie_jar.update_cookies({"fraudbot_session": cookie})  # a copy kept by whoever stole it
    assert (await client.get("/console", allow_redirects=False)).status == 302


async def test_logout_needs_the_pages_csrf_token(client, make_user):
    make_user("vol8", "volunteer")
    await sign_in(client, "vol8")
    assert (await client.post("/logout", data={}, allow_redirects=False)).status == 403
    assert (await client.get("/console", allow_redirects=False)).status == 200  # still signed in


@pytest.mark.parametrize("change", ["disable", "role"])
async def test_disabling_a_user_or_changing_their_role_ends_their_open_sessions(client, make_user, change):
    from bot.web.users import set_active, set_role

    make_user("mgr7", "manager")
    await sign_in(client, "mgr7")
    assert (await client.get("/dashboard", allow_redirects=False)).status == 200
    sessions = client.server.app["sessions"]
    if change == "disable":
        set_active(sessions, "mgr7", False)
    else:
        set_role(sessions, "mgr7", "volunteer")
    assert (await client.get("/dashboard", allow_redirects=False)).status == 302


async def test_twenty_parallel_wrong_passwords_get_at_most_five_tries(client, make_user):
    import asyncio
    import re

    from aiohttp import DummyCookieJar

    make_user("vol9", "volunteer")
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
    client.session._cookie_jar = DummyCookieJar()  # each request keeps the same login-form cookie
    headers = {"Cookie": f"fraudbot_login_csrf={token}"}

    async def guess(i):
        response = await client.post("/login", data={"username": "vol9", "password": f"wrong-{i}", "csrf": token},
                                     headers=headers, allow_redirects=False)
        return response.status

    statuses = await asyncio.gather(*(guess(i) for i in range(20)))
    assert statuses.count(401) == 5 and statuses.count(429) == 15, statuses


def test_an_unknown_username_costs_the_same_bcrypt_work_as_a_known_one(sessions, monkeypatch):
    import bcrypt

    from bot.web.users import authenticate

    create_user(sessions, "known", PASSWORD, "volunteer")
    authenticate(sessions, "warm-up", "x")  # the unknown-user hash is made once per process
    calls = []
    for name in ("hashpw", "checkpw"):
        real = getattr(bcrypt, name)
        monkeypatch.setattr(bcrypt, name, lambda *a, _real=real, _name=name: calls.append(_name) or _real(*a))
    for username in ("known", "nobody-such"):
        calls.clear()
        assert authenticate(sessions, username, "wrong-password") is None
        assert calls == ["checkpw"], username


@pytest.fixture
def behind_tls_proxy(settings, kb, bank):
    import dataclasses

    return create_app(dataclasses.replace(settings, trusted_proxies="127.0.0.1"), knowledge=kb, bank=bank)


async def test_the_cookie_is_secure_when_nginx_says_the_browser_used_https(aiohttp_client, behind_tls_proxy):
    client = await aiohttp_client(behind_tls_proxy)
    create_user(behind_tls_proxy["sessions"], "mgr8", PASSWORD, "manager")
    response = await sign_in(client, "mgr8", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in response.headers["Set-Cookie"]


async def test_a_forwarded_proto_from_an_untrusted_peer_does_not_make_the_cookie_secure(client, make_user):
    make_user("mgr6", "manager")
    response = await sign_in(client, "mgr6", headers={"X-Forwarded-Proto": "https"})
    assert response.status == 302 and "Secure" not in response.headers["Set-Cookie"]
