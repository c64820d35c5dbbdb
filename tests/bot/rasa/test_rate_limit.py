"""bot/rasa/rate_limit.py: a sender who floods is slowed down, on one process or across replicas."""
from __future__ import annotations

import os
import uuid

import pytest

from bot.rasa.channels import limiter_from
from bot.rasa.rate_limit import RedisTokenBucket, TokenBucket
from bot.settings import Settings

REDIS_URL = os.environ.get("TEST_REDIS_URL") or ""


def test_token_bucket_refills():
    bucket = TokenBucket(rate=1.0, burst=2)
    assert bucket.allow("a", now=0) and bucket.allow("a", now=0)
    assert not bucket.allow("a", now=0)
    assert bucket.allow("a", now=1.5)
    assert bucket.allow("b", now=0), "another sender has a bucket of its own"


def test_settings_choose_the_limiter(tmp_path):
    assert isinstance(limiter_from(Settings(data_dir=tmp_path)), TokenBucket)
    shared = limiter_from(Settings(data_dir=tmp_path, rate_limit_redis_url="redis://127.0.0.1:1/0"))
    assert isinstance(shared, RedisTokenBucket)


def test_an_unreachable_redis_lets_residents_through_without_waiting_on_it(monkeypatch):
    bucket = RedisTokenBucket("redis://127.0.0.1:1/0", rate=0.0, burst=1, timeout=0.2)
    calls = []
    real = bucket._script
    monkeypatch.setattr(bucket, "_script", lambda **kw: calls.append(1) or real(**kw))
    assert all(bucket.allow("resident") for _ in range(3))
    assert len(calls) == 1, "after one failure Redis is left alone for a while"


@pytest.fixture
def redis_url():
    if not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set (.ci/run sets it)")
    return REDIS_URL


def test_two_replicas_share_one_budget(redis_url):
    # Two Rasa replicas, each with its own limiter object, one Redis.
    a = RedisTokenBucket(redis_url, rate=0.0, burst=10)
    b = RedisTokenBucket(redis_url, rate=0.0, burst=10)
    sender = "flood-" + uuid.uuid4().hex
    allowed = sum((a if i % 2 else b).allow(sender) for i in range(1000))
    assert allowed == 10, "a burst spread over replicas gets the burst once, not once per replica"
    assert a.allow("other-" + uuid.uuid4().hex), "everyone else is still served"


def test_the_bucket_refills_in_redis(redis_url):
    import time

    bucket = RedisTokenBucket(redis_url, rate=20.0, burst=2)
    sender = "refill-" + uuid.uuid4().hex
    assert bucket.allow(sender) and bucket.allow(sender)
    assert not bucket.allow(sender)
    time.sleep(0.2)  # 20 tokens/s: several back
    assert bucket.allow(sender)
    assert 0 < bucket.client.ttl(RedisTokenBucket.PREFIX + sender) <= 60
