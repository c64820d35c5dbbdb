"""Hostile input at public endpoints gets a clear error or a normal reply, and
the server keeps serving everyone else."""
import asyncio
import json
import urllib.error
import urllib.request

import aiohttp

from bot.rasa.channels import EMPTY, SLOW_DOWN, TOO_LONG
from tests.server import reply_text


def post(url: str, body: bytes, content_type: str = "application/json"):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_rest_channel_hostile_bodies(assistant, sender):
    url = assistant.rest_url
    cases = {
        "empty body": b"",
        "empty message": json.dumps({"sender": sender, "message": ""}).encode(),
        "100k characters": json.dumps({"sender": sender, "message": "骗" * 100_000}).encode(),
        "invalid utf-8": b'{"sender": "x", "message": "\xff\xfe\xfa"}',
        "malformed json": b'{"sender": "x", "message": ',
        "deeply nested": b'{"sender": "x", "message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "json list": b"[1, 2, 3]",
        "message not text": json.dumps({"sender": sender, "message": {"a": 1}}).encode(),
        "wrong content type": b"sender=x&message=hello",
    }
    for name, body in cases.items():
        content_type = "application/x-www-form-urlencoded" if name == "wrong content type" else "application/json"
        status, text = post(url, body, content_type)
        assert status in (200, 400, 413), f"{name}: {status} {text[:200]}"
        replies = []
        if status == 200:
            assert text.startswith("["), name
            replies = [r.get("text") for r in json.loads(text)]
            assert replies and all(replies), name
        if name == "100k characters":
            assert replies == [TOO_LONG]
        if name in ("empty message", "message not text"):
            assert replies == [EMPTY]
    # Still serving normally afterwards.
    assert "刷单" in reply_text(assistant.say(sender, "刷单返利是什么"))


async def test_a_burst_from_one_sender_is_rate_limited_while_others_are_served(assistant, sender):
    async with aiohttp.ClientSession() as session:
        async def say(who, text):
            async with session.post(assistant.rest_url, json={"sender": who, "message": text}) as response:
                assert response.status == 200
                return await response.json()

        semaphore = asyncio.Semaphore(50)

        async def flood(i):
            async with semaphore:
                return await say(sender, f"你好{i}")

        burst = asyncio.gather(*(flood(i) for i in range(1000)))
        other = await say("bystander-" + sender, "安全账户是什么")
        results = await burst
    slowed = sum(1 for r in results if r and r[0].get("text") == SLOW_DOWN)
    assert slowed >= 900, f"only {slowed} of 1000 burst messages were rate-limited"
    assert "安全账户" in reply_text(other)


def test_web_app_hostile_input(assistant):
    base = assistant.web_url
    for path in ("/api/history/" + "a" * 5000, "/api/history/..%2F..%2Fetc", "/api/history/%ff%fe"):
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        assert status in (400, 404), path
    for body, content_type in ((b"", "application/x-www-form-urlencoded"), (b"\xff\xfe", "text/plain"),
                               (b"username=" + b"x" * 300_000, "application/x-www-form-urlencoded")):
        status, _ = post(base + "/login", body, content_type)
        assert status in (400, 403, 413), status
    with urllib.request.urlopen(base + "/healthz", timeout=30) as response:
        assert response.status == 200
