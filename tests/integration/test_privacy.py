"""Personal data never reaches the tracker store or the event store."""
import re
import sqlite3

from tests.server import reply_text

SECRET_PHONE = "13812345678"
SECRET_CARD = "6222021234567890128"


def test_redacted_before_storage_and_still_understood(assistant, sender):
    reply = reply_text(assistant.say(sender, f"有人打{SECRET_PHONE}说是客服，让我把验证码 3 8 2 9 1 0 告诉他，卡号{SECRET_CARD}"))
    assert "验证码" in reply  # still understood as a personal-information question

    texts = [e["text"] for e in assistant.tracker(sender)["events"] if e["event"] == "user"]
    assert texts and "[手机号]" in texts[0] and "[验证码]" in texts[0] and "[银行卡号]" in texts[0]
    for db in ("tracker.db", "events.db"):
        with sqlite3.connect(assistant.data_dir / db) as connection:
            dump = "\n".join(connection.iterdump())
        # JSON escapes Chinese (\u6253 for 打), so decode it first, or a number right after a
        # Chinese character would seem to continue the escape's last digit.
        dump = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), dump)
        # As numbers standing alone, not as digits inside other numbers: with thousands of stored
        # events, "382910" turns up inside some float timestamp by chance (1.79582035614382910728e+09).
        for secret in (SECRET_PHONE, SECRET_CARD, "382910", "3 8 2 9 1 0"):
            assert not re.search(rf"(?<![\d.]){re.escape(secret)}(?!\d)", dump), (db, secret)
