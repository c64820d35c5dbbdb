"""Real-browser tests: headless Chromium driven by Selenium against the running assistant.

Every test in this folder is marked ``browser``. Each test gets a fresh Chromium
profile, so localStorage (the chat session id, elderly mode) never leaks between
tests. When a test fails, a screenshot and the page source are saved to
artifacts/browser/<test-name>.png and .html.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

from bot.settings import PROJECT_ROOT
from tests.browser.pages import ChatPage

HERE = Path(__file__).resolve().parent
ARTIFACTS = Path(PROJECT_ROOT) / "artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
_REPORTS = pytest.StashKey[dict]()


# ---------- marking and outcome tracking ----------

def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    item.stash.setdefault(_REPORTS, {})[report.when] = report


def _failed(item) -> bool:
    return any(report.failed for report in item.stash.get(_REPORTS, {}).values())


def artifact_name(nodename: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", nodename).strip("_") or "test"


def save_artifacts(driver, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        driver.switch_to.default_content()  # a test may have left us inside the widget iframe
    except WebDriverException:
        pass
    try:
        driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    except WebDriverException as error:
        (ARTIFACTS / f"{name}.png.txt").write_text(f"screenshot failed: {error}", encoding="utf-8")
    try:
        source = driver.page_source
    except WebDriverException as error:
        source = f"<!-- page source unavailable: {error} -->"
    (ARTIFACTS / f"{name}.html").write_text(source, encoding="utf-8")


# ---------- the browser ----------

def chrome_options(profile_dir: str) -> webdriver.ChromeOptions:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,900", "--lang=zh-CN",
                f"--user-data-dir={profile_dir}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "SEVERE"})  # for pages.console_errors
    return options


@pytest.fixture
def browser(request):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("Chromium or chromedriver missing: `make browser-deps` "
                    "(apt-get install -y chromium chromium-driver fonts-wqy-microhei)")
    profile = tempfile.mkdtemp(prefix="fraudbot-chrome-")
    driver = webdriver.Chrome(options=chrome_options(profile), service=Service(CHROMEDRIVER))
    try:
        driver.set_window_size(1280, 900)
        driver.set_page_load_timeout(60)
        yield driver
    finally:
        try:
            if _failed(request.node):
                save_artifacts(driver, artifact_name(request.node.name))
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def chat(browser, assistant) -> ChatPage:
    return ChatPage(browser, assistant.web_url)
