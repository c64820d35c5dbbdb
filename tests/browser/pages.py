"""Page helpers for the browser tests: waits and the resident chat page."""
from __future__ import annotations

from typing import Callable, List, Optional

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

WAIT = 60   # seconds: a bot answer goes through NLU, the action server and the socket
POLL = 0.1


def wait_until(driver, condition: Callable, timeout: float = WAIT, message: str = ""):
    """WebDriverWait with a short poll; `condition` takes the driver and returns a truthy value."""
    return WebDriverWait(driver, timeout, poll_frequency=POLL).until(condition, message)


def console_errors(driver) -> List[str]:
    """Console errors since the last call (script errors, CSP violations, failed loads);
    a missing favicon does not count."""
    return [entry["message"] for entry in driver.get_log("browser")
            if entry.get("level") == "SEVERE" and "/favicon.ico" not in entry.get("message", "")]


_MESSAGES_JS = """
return Array.from(document.querySelectorAll('#transcript .msg')).map(function (m) {
  var t = m.querySelector('.msg-text');
  return {sender: m.classList.contains('user') ? 'user' : 'bot',
          text: t ? t.textContent : '',
          pending: m.classList.contains('pending'),
          buttons: Array.from(m.querySelectorAll('.quick-replies button')).map(function (b) { return b.textContent; })};
});
"""


class ChatPage:
    """The resident chat page (also usable inside the widget's iframe once switched into it)."""

    def __init__(self, driver, base_url: str):
        self.driver = driver
        self.base_url = base_url.rstrip("/")

    def open(self, path: str = "/", connected: bool = True) -> "ChatPage":
        self.driver.get(self.base_url + path)
        if connected:
            self.wait_connected()
        return self

    def wait_connected(self, timeout: float = WAIT) -> None:
        """The status line says 已连接 only once the socket session is confirmed and history synced."""
        wait_until(self.driver, lambda d: d.execute_script(
            "var s = document.getElementById('status');"
            "return !!s && s.getAttribute('data-state') === 'ok' && s.textContent === '已连接';"),
            timeout, "the chat page never showed 已连接")

    def messages(self) -> List[dict]:
        return self.driver.execute_script(_MESSAGES_JS)

    def texts(self, sender: str) -> List[str]:
        return [m["text"] for m in self.messages() if m["sender"] == sender]

    def bot_count(self) -> int:
        return len(self.texts("bot"))

    def typing_hidden(self) -> bool:
        return self.driver.execute_script("return document.getElementById('typing').hidden;")

    def wait_answer(self, bots_before: int, timeout: float = WAIT) -> List[str]:
        """Wait for at least one new bot message and for the typing dots to go away (they hide
        1.5 s after the last message of a multi-message answer); return the new bot texts."""
        wait_until(self.driver, lambda d: self.bot_count() > bots_before and self.typing_hidden(),
                   timeout, "no bot answer arrived")
        return self.texts("bot")[bots_before:]

    def type_and_send(self, text: str) -> None:
        box = self.driver.find_element(By.ID, "message-input")
        box.clear()
        box.send_keys(text)
        self.driver.find_element(By.ID, "send-button").click()

    def ask(self, text: str, timeout: float = WAIT) -> List[str]:
        before = self.bot_count()
        self.type_and_send(text)
        return self.wait_answer(before, timeout)

    def quick_reply(self, title: str) -> Optional[WebElement]:
        """The enabled quick-reply button with this title (only the newest set is enabled)."""
        for button in self.driver.find_elements(By.CSS_SELECTOR, "#transcript .quick-replies button"):
            if button.text.strip() == title and button.is_enabled():
                return button
        return None
