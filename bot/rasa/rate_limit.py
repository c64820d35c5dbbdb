"""Per-sender chat rate limits: a token bucket per sender.

Not named in a Rasa file: the channels of :mod:`bot.rasa.channels` (credentials.yml) call it
before Rasa sees a message.

``burst`` messages at once, refilled at ``rate`` per second.  Two kinds, one
interface (``allow(sender) -> bool``):

* :class:`TokenBucket` keeps the buckets in the process: the default profile,
  one Rasa server.
* :class:`RedisTokenBucket` keeps them in Redis (``RATE_LIMIT_REDIS_URL``), so a
  sender whose messages a load balancer spreads over several Rasa replicas gets
  the same limit as on one.  Each check is one atomic Lua call.  If Redis cannot
  be reached messages are let through for a few seconds (and it is logged): a
  broken limiter must not silence residents, nor stall the event loop.
"""
from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Optional, Union

logger = logging.getLogger(__name__)


class TokenBucket:
    """In-process buckets; the least recently seen senders are forgotten first."""

    def __init__(self, rate: float = 1.0, burst: int = 10, max_senders: int = 100_000) -> None:
        self.rate = rate
        self.burst = burst
        self.max_senders = max_senders
        self._buckets: "OrderedDict[str, tuple]" = OrderedDict()

    def allow(self, sender: str, now: Optional[float] = None) -> bool:
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.pop(sender, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        allowed = tokens >= 1.0
        self._buckets[sender] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > self.max_senders:
            self._buckets.popitem(last=False)
        return allowed


# KEYS[1] bucket; ARGV: rate, burst, ttl (s).  Time from the Redis server, so the
# replicas' clocks do not matter.  Returns 1 when allowed.
_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rate, burst, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens, ts = tonumber(state[1]), tonumber(state[2])
if tokens == nil then tokens, ts = burst, now end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local allowed = 0
if tokens >= 1 then tokens = tokens - 1; allowed = 1 end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', now)
redis.call('EXPIRE', KEYS[1], ttl)
return allowed
"""


class RedisTokenBucket:
    """Buckets shared by every replica, in Redis (keys ``fraudbot:rate:<sender>``, expiring)."""

    PREFIX = "fraudbot:rate:"

    def __init__(self, url: str, rate: float = 1.0, burst: int = 10, timeout: float = 0.5) -> None:
        import redis

        self.rate = rate
        self.burst = burst
        self.client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        self._script = self.client.register_script(_LUA)
        # Long enough for an empty bucket to refill, at least a minute.
        self.ttl = max(60, int(burst / rate) + 1 if rate > 0 else 3600)
        self._down_until = 0.0

    RETRY_AFTER = 10.0  # seconds without asking Redis after it failed

    def allow(self, sender: str, now: Optional[float] = None) -> bool:
        import redis

        if time.monotonic() < self._down_until:
            return True
        try:
            return bool(self._script(keys=[self.PREFIX + sender], args=[self.rate, self.burst, self.ttl]))
        except redis.RedisError as error:
            # The call is synchronous on Rasa's event loop: do not wait on a dead Redis per message.
            self._down_until = time.monotonic() + self.RETRY_AFTER
            logger.error("rate limiter: Redis unavailable (%s); messages let through for %.0f s",
                         type(error).__name__, self.RETRY_AFTER)
            return True


Limiter = Union[TokenBucket, RedisTokenBucket]


def limiter(rate: float, burst: int, redis_url: str = "") -> Limiter:
    """The shared Redis limiter when `redis_url` is set, else the in-process one."""
    if redis_url:
        return RedisTokenBucket(redis_url, rate=rate, burst=burst)
    return TokenBucket(rate=rate, burst=burst)
