"""The atomic Redis lock store: one conversation, one replica at a time.

Needs Redis (TEST_REDIS_URL, this machine's by default); `.ci/run` provides it.
Each store below is a separate connection, as two Rasa replicas would have.
"""
import asyncio
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import redis
from rasa.utils.endpoints import EndpointConfig

from bot.rasa.lock_store import AtomicRedisLockStore

REDIS_URL = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture
def make_store():
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=5).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at TEST_REDIS_URL={REDIS_URL}: {error}")
    url = urlsplit(REDIS_URL)
    prefix = "test" + uuid.uuid4().hex[:8]  # Rasa accepts alphanumeric prefixes only
    config = EndpointConfig(url=url.hostname, type="bot.rasa.lock_store.AtomicRedisLockStore", port=url.port or 6379,
                            db=url.path.lstrip("/") or "0", password=url.password or "", key_prefix=prefix)
    stores = []

    def make() -> AtomicRedisLockStore:
        stores.append(AtomicRedisLockStore(config))
        return stores[-1]

    yield make
    if stores:
        for key in stores[0].red.scan_iter(prefix + ":*"):
            stores[0].red.delete(key)


def test_replicas_asking_at_once_never_share_a_ticket(make_store):
    replicas = [make_store() for _ in range(4)]
    with ThreadPoolExecutor(8) as pool:
        tickets = list(pool.map(lambda i: replicas[i % 4].issue_ticket("conv"), range(80)))
    assert sorted(tickets) == list(range(80))


async def test_the_second_replica_waits_for_the_first(make_store):
    a, b = make_store(), make_store()
    order = []
    a_holds, release = asyncio.Event(), asyncio.Event()

    async def first():
        async with a.lock("conv", wait_time_in_seconds=0.01):
            order.append("a starts")
            a_holds.set()
            await release.wait()  # a's turn lasts until the test says so
            order.append("a ends")

    async def second():
        async with b.lock("conv", wait_time_in_seconds=0.01):
            order.append("b starts")
            order.append("b ends")

    holder = asyncio.create_task(first())
    await a_holds.wait()
    waiter = asyncio.create_task(second())
    while len(a.get_lock("conv").tickets) < 2:  # until b's ticket is queued behind a's
        await asyncio.sleep(0)
    await asyncio.sleep(0.05)  # b polls a few times meanwhile; it must not get in
    assert order == ["a starts"]
    release.set()
    await asyncio.gather(holder, waiter)
    assert order == ["a starts", "a ends", "b starts", "b ends"]
    assert a.get_lock("conv") is None, "the lock is removed once nobody waits"


def test_cleanup_keeps_the_lock_while_someone_waits(make_store):
    a, b = make_store(), make_store()
    first, second = a.issue_ticket("conv"), b.issue_ticket("conv")
    a.cleanup("conv", first)
    lock = b.get_lock("conv")
    assert lock is not None and not lock.is_locked(second)
    b.cleanup("conv", second)
    assert b.get_lock("conv") is None
