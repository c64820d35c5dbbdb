"""Personal data never reaches Rasa's stores, its logs, the reporting tables or the history page.

Each way text comes in is tried: the REST channel, a REST client that hangs up
mid-turn (Rasa's handler logs its own copy of the body then), and Rasa's HTTP
API, each with a message of numbers (phone, card, code) and one of identities
(name, address, WeChat id, QQ number, plate).  Then every place that keeps or
shows text is searched.
"""
import json
import re
import socket
import sqlite3
import urllib.request
from urllib.parse import urlsplit

from bot.db.engine import make_engine, make_sessionmaker
from bot.reporting.ingest import ingest, store_engine
from bot.settings import Settings
from bot.web.security import HistoryKeys
from tests.server import reply_text

SECRET_PHONE = "13812345678"
SECRET_CARD = "6222021234567890128"
SECRETS = (SECRET_PHONE, SECRET_CARD, "382910", "3 8 2 9 1 0")
MESSAGE = f"有人打{SECRET_PHONE}说是客服，让我把验证码 3 8 2 9 1 0 告诉他，卡号{SECRET_CARD}"
# Words, not numbers: searched as plain substrings (the QQ number and plate as numbers too).
SECRET_NAME, SECRET_ROAD, SECRET_ESTATE = "滕雪芹", "翠湖南路", "金碧花园"
SECRET_WECHAT, SECRET_QQ, SECRET_PLATE = "txq_lanzhou", "2876543210", "云A7K3P9"
SECRET_WORDS = (SECRET_NAME, SECRET_ROAD, SECRET_ESTATE, SECRET_WECHAT, SECRET_PLATE, "7K3P9")
IDENTITY_MESSAGE = (f"我叫{SECRET_NAME}，家住五华区{SECRET_ROAD}88号{SECRET_ESTATE}5栋2单元301，"
                    f"有个客服加我微信号{SECRET_WECHAT}，QQ{SECRET_QQ}，说我的车{SECRET_PLATE}违章了")
IDENTITY_PLACEHOLDERS = ("[姓名]", "[住址]", "[微信号]", "[QQ号]", "[车牌号]")


def readable(text: str) -> str:
    # JSON escapes Chinese (\u6253 for 打), so decode it first, or a number right after a
    # Chinese character would seem to continue the escape's last digit.
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def assert_no_secret(where: str, text: str) -> None:
    text = readable(text)
    # As numbers standing alone, not as digits inside other numbers: with thousands of stored
    # events, "382910" turns up inside some float timestamp by chance (1.79582035614382910728e+09).
    for secret in SECRETS + (SECRET_QQ,):
        assert not re.search(rf"(?<![\d.]){re.escape(secret)}(?!\d)", text), (where, secret)
    for secret in SECRET_WORDS:
        assert secret not in text, (where, secret)


def hang_up_mid_turn(rasa_url: str, sender: str, message: str = MESSAGE) -> None:
    """Send a whole REST request, then close the connection before the answer comes."""
    url = urlsplit(rasa_url)
    body = json.dumps({"sender": sender, "message": message}).encode("utf-8")
    head = (f"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: {url.netloc}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("ascii")
    with socket.create_connection((url.hostname, url.port), timeout=10) as connection:
        connection.sendall(head + body)


def post_to_rasa_api(assistant, sender: str, message: str = MESSAGE) -> None:
    request = urllib.request.Request(
        f"{assistant.rasa_url}/conversations/{sender}/messages?token={assistant.token}",
        data=json.dumps({"text": message, "sender": "user"}).encode("utf-8"),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert_no_secret("HTTP API reply", response.read().decode("utf-8"))


def test_redacted_wherever_it_comes_in_and_wherever_it_is_kept(assistant, sender):
    reply = reply_text(assistant.say(sender, MESSAGE))
    assert "验证码" in reply  # still understood as a personal-information question
    assert_no_secret("reply", reply_text(assistant.say(sender, IDENTITY_MESSAGE)))
    hang_up_mid_turn(assistant.rasa_url, sender + "-gone")
    hang_up_mid_turn(assistant.rasa_url, sender + "-gone-identity", IDENTITY_MESSAGE)
    post_to_rasa_api(assistant, sender + "-api")
    post_to_rasa_api(assistant, sender + "-api-identity", IDENTITY_MESSAGE)
    assistant.say(sender, "谢谢")  # a later turn on the same Rasa: the hung-up turns are over by now

    texts = [e["text"] for e in assistant.tracker(sender)["events"] if e["event"] == "user"]
    assert texts and "[手机号]" in texts[0] and "[验证码]" in texts[0] and "[银行卡号]" in texts[0]
    assert len(texts) >= 2 and all(p in texts[1] for p in IDENTITY_PLACEHOLDERS), texts[1:2]
    api_texts = [e["text"] for e in assistant.tracker(sender + "-api")["events"] if e["event"] == "user"]
    assert api_texts and "[手机号]" in api_texts[0]
    api_texts = [e["text"] for e in assistant.tracker(sender + "-api-identity")["events"] if e["event"] == "user"]
    assert api_texts and all(p in api_texts[0] for p in IDENTITY_PLACEHOLDERS), api_texts

    # The reporting tables, as the web app's ingestion fills them.
    settings = Settings.from_env(assistant.env)
    events, project = store_engine(settings.events_db_url), make_engine(settings.database_url)
    try:
        ingest(events, make_sessionmaker(project))
    finally:
        events.dispose()
        project.dispose()
    for db in ("tracker.db", "events.db", "fraudbot.db"):
        with sqlite3.connect(assistant.data_dir / db) as connection:
            assert_no_secret(db, "\n".join(connection.iterdump()))
        assert_no_secret(db + "-wal", (assistant.data_dir / f"{db}-wal").read_bytes().decode("utf-8", "replace")
                         if (assistant.data_dir / f"{db}-wal").exists() else "")

    # What the resident's own browser reads back.
    key = HistoryKeys(settings.secret_key).issue(sender)
    request = urllib.request.Request(f"{assistant.web_url}/api/history/{sender}", headers={"X-History-Key": key})
    with urllib.request.urlopen(request, timeout=30) as response:
        history = response.read().decode("utf-8")
    assert "[手机号]" in readable(history) and "[姓名]" in readable(history)
    assert_no_secret("history", history)

    # Every process's log (the launcher collects them all).
    assert_no_secret("logs", (assistant.data_dir / "launcher.log").read_text(encoding="utf-8", errors="replace"))
