"""Staff pages in a real browser: sign-in per role, creating an event, role refusals."""
from __future__ import annotations

import re
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By

from bot.db.engine import make_engine, make_sessionmaker
from bot.settings import Settings
from bot.web.users import create_user
from tests.browser.pages import console_errors, wait_until

PASSWORD = "browser-test-pass-1"


@dataclass(frozen=True)
class Staff:
    volunteer: str
    manager: str


@pytest.fixture(scope="module")
def staff(assistant) -> Staff:
    """A volunteer and a manager in the running assistant's database."""
    settings = Settings.from_env(assistant.env)
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    suffix = uuid.uuid4().hex[:6]
    try:
        accounts = Staff(volunteer=f"vol_{suffix}", manager=f"mgr_{suffix}")
        create_user(sessions, accounts.volunteer, PASSWORD, "volunteer", "测试志愿者")
        create_user(sessions, accounts.manager, PASSWORD, "manager", "测试管理员")
        return accounts
    finally:
        engine.dispose()


def path_of(browser) -> str:
    return urlparse(browser.current_url).path


def sign_in(browser, base_url: str, username: str, password: str = PASSWORD) -> str:
    browser.get(base_url + "/login")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, 'form[action="/login"] button[type="submit"]').click()
    wait_until(browser, lambda d: path_of(d) != "/login", timeout=20, message="still on /login after signing in")
    return path_of(browser)


def http_status(url: str) -> int:
    """Status of an anonymous GET, without following redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_volunteer_signs_in_to_the_console_and_creates_an_event(browser, assistant, staff):
    assert sign_in(browser, assistant.web_url, staff.volunteer) == "/console"
    assert browser.find_element(By.TAG_NAME, "h1").text == "活动答题"
    assert "测试志愿者" in browser.find_element(By.CSS_SELECTOR, ".topbar").text

    browser.find_element(By.CSS_SELECTOR, 'a[href="/console/events/new"]').click()
    wait_until(browser, lambda d: path_of(d) == "/console/events/new", timeout=20)
    name = "社区防骗讲座" + uuid.uuid4().hex[:4]
    browser.find_element(By.ID, "name").send_keys(name)
    browser.find_element(By.ID, "place").send_keys("幸福社区活动室")
    browser.find_element(By.CSS_SELECTOR, 'form[action="/console/events"] button[type="submit"]').click()
    wait_until(browser, lambda d: re.fullmatch(r"/console/events/\d+", path_of(d)), timeout=20,
               message="creating the event did not open its page")

    assert browser.find_element(By.TAG_NAME, "h1").text == name
    code = browser.find_element(By.CSS_SELECTOR, "strong.code").text
    assert re.fullmatch(r"\d{6}", code), code
    join_link = browser.find_element(By.XPATH, "//a[contains(@href, '?event=')]")
    assert join_link.get_attribute("href").endswith(f"/?event={code}")

    qr = browser.find_element(By.CSS_SELECTOR, 'img[alt="参加活动的二维码"]')
    assert qr.get_attribute("src").endswith("/qr.svg")
    wait_until(browser, lambda d: d.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth > 0;", qr), timeout=20,
        message="the QR code image did not load")
    # console.js fills the live figures from stats.json
    wait_until(browser, lambda d: d.find_element(By.ID, "s-participants").text == "0", timeout=20)

    assert console_errors(browser) == [], "no script errors or CSP violations in the console"

    browser.get(assistant.web_url + "/console")
    assert code in browser.find_element(By.CSS_SELECTOR, "table").text


def dashboard_exists(assistant) -> bool:
    """GET /dashboard (anonymous): 404 until the route is built, a redirect to /login after."""
    return http_status(assistant.web_url + "/dashboard") != 404


def test_manager_signs_in_and_can_use_the_console(browser, assistant, staff):
    landed = sign_in(browser, assistant.web_url, staff.manager)
    if dashboard_exists(assistant):
        assert landed == "/dashboard", "a manager's home after signing in is the dashboard"
    else:  # until the dashboard is built, the console is what a manager can use
        assert landed in ("/dashboard", "/console"), landed
    browser.get(assistant.web_url + "/console")
    assert path_of(browser) == "/console"
    assert browser.find_element(By.TAG_NAME, "h1").text == "活动答题"
    assert browser.find_element(By.CSS_SELECTOR, '.topbar a[href="/dashboard"]').is_displayed()


def test_manager_lands_on_a_working_dashboard(browser, assistant, staff):
    assert dashboard_exists(assistant), "a manager who signs in must not land on a 404 page"
    assert sign_in(browser, assistant.web_url, staff.manager) == "/dashboard"
    assert "出错了" not in browser.find_element(By.TAG_NAME, "h1").text
    assert "页面不存在" not in browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.CSS_SELECTOR, '.topbar a[href="/dashboard"]').is_displayed()
    assert console_errors(browser) == [], "no script errors or CSP violations on the dashboard"


def test_volunteer_is_refused_the_dashboard(browser, assistant, staff):
    assert dashboard_exists(assistant), "/dashboard answers 404"
    sign_in(browser, assistant.web_url, staff.volunteer)
    browser.get(assistant.web_url + "/dashboard")
    assert browser.find_element(By.TAG_NAME, "h1").text == "出错了（403）"
    assert not browser.find_elements(By.CSS_SELECTOR, '.topbar a[href="/dashboard"]')


def test_volunteer_is_refused_the_user_admin_page(browser, assistant, staff):
    sign_in(browser, assistant.web_url, staff.volunteer)
    browser.get(assistant.web_url + "/admin/users")
    assert browser.find_element(By.TAG_NAME, "h1").text == "出错了（403）"
    assert "没有权限" in browser.find_element(By.CSS_SELECTOR, "main [role=alert]").text
    assert not browser.find_elements(By.CSS_SELECTOR, 'form[action="/admin/users"]')
    assert not browser.find_elements(By.CSS_SELECTOR, '.topbar a[href="/admin/users"]')
