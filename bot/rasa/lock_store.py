"""A Redis lock store whose tickets are issued atomically, for several Rasa replicas.

Loaded by deploy/endpoints.production.yml: ``lock_store: type: bot.rasa.lock_store.AtomicRedisLockStore``
(the embedded profile keeps Rasa's in-memory lock store).

Rasa's ``RedisLockStore`` (open source 3.6) changes a conversation's lock by
reading it, changing it in Python and writing it back.  Two replicas that receive
a message of one conversation at the same moment both read "no lock", both take
ticket 0 and both handle their turn at once; the replica that saves the tracker
last drops the other's turn (RasaHQ/rasa#9213; the fix, ``ConcurrentRedisLockStore``,
was reverted from open source).  This subclass keeps Rasa's ticket lock and its
Redis format but does every read-change-write inside a Redis transaction
(WATCH/MULTI/EXEC), retried when another replica got there first.

Selected in ``deploy/endpoints.production.yml``::

    lock_store:
      type: bot.rasa.lock_store.AtomicRedisLockStore
      url: ${REDIS_HOST}
      port: ${REDIS_PORT}
      ...
"""
from __future__ import annotations

import json
from typing import Callable, Optional, Text, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` with atomic ticket changes; same options as ``type: redis``."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Rasa builds custom lock stores from their endpoint config alone.
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _change(self, conversation_id: Text, change: Callable[[TicketLock], T], create: bool = False,
                delete_when_idle: bool = False) -> Optional[T]:
        """Apply ``change`` to the stored lock atomically; None if there is no lock and ``create`` is off."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    if stored is None and not create:
                        return None
                    lock = TicketLock.from_dict(json.loads(stored)) if stored else TicketLock(conversation_id)
                    result = change(lock)
                    pipe.multi()
                    if delete_when_idle and not lock.is_someone_waiting():
                        pipe.delete(key)
                    else:
                        pipe.set(key, lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another replica changed the lock first: read it again

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime), create=True)
        except Exception as error:  # as Rasa's: the channel turns it into an error reply
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        self._change(conversation_id, TicketLock.remove_expired_tickets)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        # One transaction: a ticket issued between "done" and "delete" must not be deleted.
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number), delete_when_idle=True)
