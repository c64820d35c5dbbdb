"""The resident chat page in a real browser: asking, quick replies, history, elderly mode,
phones, accessibility, keyboard use, the embed widget, event join and hostile input."""
from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from bot.db.engine import make_engine, make_sessionmaker
from bot.quiz.store import QuizStore
from bot.settings import PROJECT_ROOT, Settings
from tests.browser.pages import ChatPage, console_errors, wait_until

PHONE = {"width": 360, "height": 640, "deviceScaleFactor": 1, "mobile": True}
XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


def test_a_typed_question_gets_an_answer(chat):
    chat.open()
    answer = chat.ask("刷单返利是什么")
    assert chat.texts("user") == ["刷单返利是什么"]
    assert any("刷单" in text for text in answer), answer
    assert console_errors(chat.driver) == [], "no script errors or CSP violations"


def test_quick_reply_shows_its_title_and_history_survives_a_reload(chat, browser):
    chat.open()
    chat.ask("刷单返利是什么")
    button = wait_until(browser, lambda d: chat.quick_reply("打哪个电话"), message="no 打哪个电话 quick reply")

    before = chat.bot_count()
    button.click()
    answer = chat.wait_answer(before)
    assert chat.texts("user") == ["刷单返利是什么", "打哪个电话"], "the title, not the /payload, is shown"
    assert any("96110" in text or "110" in text for text in answer), answer
    assert not button.is_enabled(), "a used set of quick replies is disabled"

    shown = [(m["sender"], m["text"], m["buttons"]) for m in chat.messages()]
    assert not any(m["pending"] for m in chat.messages())
    browser.refresh()
    chat.wait_connected()
    wait_until(browser, lambda d: [(m["sender"], m["text"], m["buttons"]) for m in chat.messages()] == shown,
               timeout=20, message="the reloaded page does not show the same conversation")
    assert chat.texts("user")[-1] == "打哪个电话", "history shows the button title, not /followup_hotline"


def test_elderly_mode_makes_text_large_and_is_remembered(chat, browser):
    chat.open()
    chat.ask("你好")
    toggle = browser.find_element(By.ID, "elderly-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    wait_until(browser, lambda d: toggle.get_attribute("aria-pressed") == "true")

    def smallest_message_font() -> float:
        sizes = browser.execute_script(
            "return Array.from(document.querySelectorAll('#transcript .msg-text'))"
            ".map(function (n) { return parseFloat(getComputedStyle(n).fontSize); });")
        assert sizes, "no message text on the page"
        return min(sizes)

    assert smallest_message_font() >= 20
    browser.refresh()
    chat.wait_connected()
    assert browser.find_element(By.ID, "elderly-toggle").get_attribute("aria-pressed") == "true"
    wait_until(browser, lambda d: chat.messages(), timeout=20)
    assert smallest_message_font() >= 20

    browser.find_element(By.ID, "elderly-toggle").click()
    wait_until(browser, lambda d: d.find_element(By.ID, "elderly-toggle").get_attribute("aria-pressed") == "false")
    assert smallest_message_font() < 20


def test_phone_viewport_has_no_sideways_scroll_and_keeps_the_composer_visible(chat, browser):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    chat.open()
    chat.ask("刷单返利是什么")
    assert browser.execute_script("return window.innerWidth") == 360

    def check_layout():
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
        for element_id in ("message-input", "send-button"):
            element = browser.find_element(By.ID, element_id)
            assert element.is_displayed(), element_id
            box = browser.execute_script("var r = arguments[0].getBoundingClientRect();"
                                         "return [r.left, r.top, r.right, r.bottom];", element)
            assert box[0] >= 0 and box[1] >= 0 and box[2] <= 360 and box[3] <= 640, (element_id, box)

    check_layout()
    out = Path(PROJECT_ROOT) / "artifacts" / "browser"
    out.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(out / "phone.png"))  # a person checks that the Chinese text renders

    browser.find_element(By.ID, "elderly-toggle").click()  # the largest text must fit too
    wait_until(browser, lambda d: d.find_element(By.ID, "elderly-toggle").get_attribute("aria-pressed") == "true")
    check_layout()


def test_transcript_is_a_live_log(chat, browser):
    chat.open()
    transcript = browser.find_element(By.ID, "transcript")
    assert transcript.get_attribute("role") == "log"
    assert transcript.get_attribute("aria-live") in ("polite", "assertive")
    assert transcript.get_attribute("aria-label")


def test_privacy_notice_is_shown(chat, browser):
    chat.open()
    notice = browser.find_element(By.CSS_SELECTOR, ".privacy-notice")
    assert notice.is_displayed()
    assert "隐私" in notice.text and "验证码" in notice.text and "密码" in notice.text


def test_keyboard_only_question_and_answer(chat, browser):
    chat.open()
    assert browser.execute_script("return document.activeElement === document.body")
    keys = ActionChains(browser)
    for _ in range(10):
        if browser.execute_script("return document.activeElement.id") == "message-input":
            break
        keys.send_keys(Keys.TAB).perform()
    assert browser.execute_script("return document.activeElement.id") == "message-input", \
        "Tab from the top of the page never reached the message box"

    before = chat.bot_count()
    ActionChains(browser).send_keys("刷单返利是什么").send_keys(Keys.ENTER).perform()
    answer = chat.wait_answer(before)
    assert chat.texts("user") == ["刷单返利是什么"]
    assert any("刷单" in text for text in answer), answer
    assert browser.execute_script("return document.activeElement.id") == "message-input", \
        "focus stays in the message box after sending"


def test_hotline_numbers_become_tel_links(chat, browser):
    chat.open()
    answer = chat.ask("打哪个电话")
    assert any("96110" in text for text in answer), answer
    links = browser.find_elements(By.CSS_SELECTOR, '#transcript .msg.bot a[href="tel:96110"]')
    assert links and all(link.text == "96110" for link in links)


def test_embed_widget_opens_the_chat_in_an_iframe(browser, assistant):
    browser.get(assistant.web_url + "/embed-demo.html")
    launcher = wait_until(browser, lambda d: d.find_elements(By.ID, "fraudbot-launcher"), timeout=20)[0]
    assert launcher.get_attribute("aria-expanded") == "false"
    launcher.click()
    frame = wait_until(browser, lambda d: d.find_elements(By.ID, "fraudbot-frame"), timeout=20)[0]
    assert frame.is_displayed()
    assert launcher.get_attribute("aria-expanded") == "true"

    browser.switch_to.frame(frame)
    inner = ChatPage(browser, assistant.web_url)
    inner.wait_connected()
    assert "embed" in browser.find_element(By.TAG_NAME, "body").get_attribute("class").split()
    answer = inner.ask("刷单返利是什么")
    assert any("刷单" in text for text in answer), answer

    browser.switch_to.default_content()
    browser.find_element(By.CSS_SELECTOR, '#fraudbot-panel button[aria-label="关闭防骗小助手"]').click()
    wait_until(browser, lambda d: not d.find_element(By.ID, "fraudbot-panel").is_displayed())
    assert launcher.get_attribute("aria-expanded") == "false"

    # Escape inside the iframe closes the panel too (the frame asks the host page by postMessage).
    launcher.click()
    browser.switch_to.frame(browser.find_element(By.ID, "fraudbot-frame"))
    browser.find_element(By.ID, "message-input").send_keys(Keys.ESCAPE)
    browser.switch_to.default_content()
    wait_until(browser, lambda d: not d.find_element(By.ID, "fraudbot-panel").is_displayed(), timeout=10,
               message="Escape in the chat did not close the widget")
    assert browser.execute_script("return document.activeElement.id") == "fraudbot-launcher", \
        "focus returns to the launcher"
    assert console_errors(browser) == [], "no script errors or CSP violations on the host page or in the frame"


@pytest.fixture
def event(assistant):
    settings = Settings.from_env(assistant.env)
    engine = make_engine(settings.database_url)
    try:
        yield QuizStore(make_sessionmaker(engine)).create_event(
            name="浏览器测试活动" + uuid.uuid4().hex[:4], held_on=date.today(), venue_type="社区",
            n_questions=3, pass_mark=2, n_prizes=0)
    finally:
        engine.dispose()


def test_event_link_shows_the_join_form_and_welcomes_by_event_name(chat, browser, event):
    chat.open(f"/?event={event.code}")
    form = browser.find_element(By.ID, "join-form")
    assert form.is_displayed()
    assert event.code in browser.find_element(By.ID, "join-title").text
    assert not browser.find_element(By.ID, "message-input").is_displayed(), "the composer waits for joining"

    browser.find_element(By.ID, "nickname-input").send_keys("小王")
    before = chat.bot_count()
    browser.find_element(By.ID, "join-button").click()
    answer = chat.wait_answer(before)
    assert chat.texts("user") == ["参加活动"]
    assert any(event.name in text and "欢迎" in text for text in answer), answer
    assert not form.is_displayed()
    assert browser.find_element(By.ID, "message-input").is_displayed()

    browser.refresh()
    chat.wait_connected()
    assert not browser.find_element(By.ID, "join-form").is_displayed(), "a reload must not ask to join again"


def test_markup_in_a_message_is_shown_as_text_and_never_runs(chat, browser):
    chat.open()
    chat.ask(XSS)

    def check():
        assert chat.texts("user") == [XSS], "the message is shown literally"
        assert browser.execute_script("return typeof window.__xss") == "undefined"
        assert not browser.find_elements(By.CSS_SELECTOR, "#transcript img, #transcript script")

    check()
    browser.refresh()
    chat.wait_connected()
    wait_until(browser, lambda d: chat.texts("user"), timeout=20)
    check()  # the history endpoint's copy is rendered safely too
    assert not [e for e in console_errors(browser) if "Content Security Policy" in e], \
        "nothing even tried to run (a CSP report would mean markup became live HTML)"


def test_a_network_drop_loses_and_doubles_nothing(chat, browser):
    """Offline, the question waits; back online it is sent once and answered once."""
    chat.open()
    chat.ask("你好")
    browser.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    browser.execute_script("window.dispatchEvent(new Event('offline'))")
    before = chat.bot_count()
    chat.type_and_send("刷单返利是什么")
    browser.set_network_conditions(offline=False, latency=0, download_throughput=-1, upload_throughput=-1)
    browser.execute_script("window.dispatchEvent(new Event('online'))")
    answer = chat.wait_answer(before, timeout=60)
    assert any("刷单" in text for text in answer), answer
    wait_until(browser, lambda d: not any(m["pending"] for m in chat.messages()), timeout=30,
               message="the queued question was never confirmed")
    assert chat.texts("user") == ["你好", "刷单返利是什么"], "sent exactly once"
    answers = [t for t in chat.texts("bot") if "刷单" in t]
    assert len(answers) == len(set(answers)), "no answer is shown twice"
    stored = [m for m in browser.execute_async_script(_HISTORY_JS) if m["sender"] == "user"]
    assert [m["text"] for m in stored] == ["你好", "刷单返利是什么"], "the server stored the question exactly once"
    assert all(m.get("client_msg_id") for m in stored), "the history tells the page which of its messages are stored"


_HISTORY_JS = """
var done = arguments[arguments.length - 1];
fetch('/api/history/' + encodeURIComponent(localStorage.getItem('fraudbot.session')),
      {cache: 'no-store', headers: {'X-History-Key': localStorage.getItem('fraudbot.historyKey')}})
  .then(function (r) { return r.json(); }).then(function (d) { done(d.messages); });
"""

# Take a history snapshot now and answer the page's next history read with it, as a read that
# reached Rasa before it stored the newest turn would be answered; later reads are real.
# Also count every transcript node the page removes.
_STALE_NEXT_HISTORY_JS = """
var done = arguments[arguments.length - 1];
var real = window.fetch.bind(window);
window.__historyReads = 0;
window.__removedNodes = 0;
new MutationObserver(function (records) {
  records.forEach(function (r) { window.__removedNodes += r.removedNodes.length; });
}).observe(document.getElementById('transcript'), {childList: true});
real('/api/history/' + encodeURIComponent(localStorage.getItem('fraudbot.session')),
     {cache: 'no-store', headers: {'X-History-Key': localStorage.getItem('fraudbot.historyKey')}})
  .then(function (r) { return r.json(); })
  .then(function (stale) {
    window.fetch = function (url, options) {
      if (String(url).indexOf('/api/history/') !== -1 && window.__historyReads++ === 0) {
        return Promise.resolve(new Response(JSON.stringify(stale),
          {status: 200, headers: {'Content-Type': 'application/json'}}));
      }
      return real(url, options);
    };
    done(stale.messages.length);
  });
"""


def test_a_history_read_older_than_the_screen_erases_nothing(chat, browser):
    """Rasa stores a turn after its answer has gone out, so a reconnect can read a history that
    lacks the question just answered. The question and answer stay on screen, once each."""
    chat.open()
    chat.ask("你好")
    browser.execute_async_script(_STALE_NEXT_HISTORY_JS)
    chat.ask("刷单返利是什么")
    shown = [(m["sender"], m["text"]) for m in chat.messages()]
    browser.execute_script("window.dispatchEvent(new Event('online'))")  # the page reconnects and re-reads
    wait_until(browser, lambda d: d.execute_script("return window.__historyReads") >= 2, timeout=30,
               message="after a history older than the screen, the page never read it again")
    chat.wait_connected()
    wait_until(browser, lambda d: [(m["sender"], m["text"]) for m in chat.messages()] == shown, timeout=20,
               message="the transcript changed")
    assert browser.execute_script("return window.__removedNodes") == 0, "nothing was erased, even for a moment"
    assert chat.texts("user") == ["你好", "刷单返利是什么"]


_STORED_SESSION_JS = """
var keys = [];
for (var i = 0; i < sessionStorage.length; i++) keys.push(sessionStorage.key(i));
return {session: localStorage.getItem('fraudbot.session'), key: localStorage.getItem('fraudbot.historyKey'),
        tabKeys: keys};
"""


def test_the_kiosks_next_participant_cannot_read_the_previous_ones_chat(chat, browser, assistant):
    engine = make_engine(Settings.from_env(assistant.env).database_url)
    try:
        event = QuizStore(make_sessionmaker(engine)).create_event(name="平板测试", held_on=date.today(),
                                                                  venue_type="社区", n_prizes=3)
    finally:
        engine.dispose()
    chat.open(f"/?kiosk={event.code}")
    first = browser.execute_script(_STORED_SESSION_JS)
    assert first["key"], "the web app issued a history key with the session"
    browser.find_element(By.ID, "kiosk-next").click()
    # The screen clears at once; the new session's id and key arrive from /api/session just after.
    wait_until(browser, lambda d: d.execute_script(_STORED_SESSION_JS)["key"] not in ("", first["key"]),
               message="下一位 did not get a new session and history key")
    chat.wait_connected()
    second = browser.execute_script(_STORED_SESSION_JS)
    assert second["session"] != first["session"]
    assert not any(first["session"] in k for k in second["tabKeys"]), "the previous id is gone from storage"
    status = browser.execute_async_script("""
var done = arguments[arguments.length - 1];
fetch('/api/history/' + arguments[0], {cache: 'no-store', headers: {'X-History-Key': arguments[1]}})
  .then(function (r) { done(r.status); });""", first["session"], second["key"])
    assert status == 403, "the next participant's key does not open the previous participant's history"
