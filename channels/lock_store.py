"""Rasa's Redis ticket lock, atomic and off the event loop (endpoints.production.yml:
`type: channels.lock_store.SathiRedisLockStore`, the same settings as `type: redis`).

Rasa 3.6's `RedisLockStore` serves each turn with seven Redis commands (GET + SET to take a
ticket, GET to see whether it is served, GET + SET to give it back, GET, DEL), each a blocking
call on the rasa server's event loop, and each read-modify-write is two commands: two
replicas taking a ticket for one conversation at the same moment can both read the same lock
and both get ticket 0, so both run the turn at once. Here the same ticket lock (same key,
same JSON, same rules: first come first served, a ticket expires after the lock lifetime, the
lock disappears when no ticket is left) is kept by three Lua scripts that Redis runs
atomically, through the asyncio Redis client: one command to take a ticket (and learn
whether it is already served), one to give it back, and, only while another turn of the same
conversation holds the lock, one per wait to look again. docs/performance.md, round 4.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# tickets: the list of JSON strings of Rasa's TicketLock.dumps(); a ticket expires once the
# clock is past `expires` (Rasa's Ticket.has_expired)
_LIVE_TICKETS = """
local function live_tickets(raw, now)
  local tickets = {}
  if raw then
    for _, text in ipairs(cjson.decode(raw).tickets or {}) do
      local ticket = cjson.decode(text)
      if ticket.expires >= now then table.insert(tickets, ticket) end
    end
  end
  return tickets
end
local function save(key, conversation_id, tickets, ttl_ms)
  local texts = {}
  for i, t in ipairs(tickets) do
    texts[i] = cjson.encode({number = t.number, expires = t.expires})
  end
  local lock = cjson.encode({conversation_id = conversation_id, tickets = texts})
  if ttl_ms then
    redis.call('SET', KEYS[1], lock, 'PX', ttl_ms)
  else
    redis.call('SET', KEYS[1], lock, 'KEEPTTL')
  end
end
"""
# ARGV: conversation id, now, lifetime (s) -> {my ticket, ticket now served}
_TAKE = (
    _LIVE_TICKETS
    + """
local now, lifetime = tonumber(ARGV[2]), tonumber(ARGV[3])
local tickets = live_tickets(redis.call('GET', KEYS[1]), now)
local number = 0
if #tickets > 0 then number = tickets[#tickets].number + 1 end
table.insert(tickets, {number = number, expires = now + lifetime})
save(KEYS[1], ARGV[1], tickets, math.ceil(lifetime * 1000) + 1000)
return {number, tickets[1].number}
"""
)
# ARGV: conversation id, now -> ticket now served (expired tickets dropped), or nil: no lock
_SERVED = (
    _LIVE_TICKETS
    + """
local raw = redis.call('GET', KEYS[1])
if not raw then return nil end
local tickets = live_tickets(raw, tonumber(ARGV[2]))
if #tickets == 0 then
  redis.call('DEL', KEYS[1])
  return nil
end
save(KEYS[1], ARGV[1], tickets, nil)
return tickets[1].number
"""
)
# ARGV: conversation id, my ticket, now -> 1 when the lock was deleted (nobody waits)
_GIVE_BACK = (
    _LIVE_TICKETS
    + """
local raw = redis.call('GET', KEYS[1])
if not raw then return 1 end
local mine = tonumber(ARGV[2])
local left = {}
for _, t in ipairs(live_tickets(raw, tonumber(ARGV[3]))) do
  if t.number ~= mine then table.insert(left, t) end
end
if #left == 0 then
  redis.call('DEL', KEYS[1])
  return 1
end
save(KEYS[1], ARGV[1], left, nil)
return 0
"""
)


class SathiRedisLockStore(RedisLockStore):
    """`lock()` through the scripts above; every other method is Rasa's (same key, same JSON)."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        self._connection = self.red.connection_pool.connection_kwargs
        self._per_loop: dict[int, tuple[asyncio.AbstractEventLoop, Any, dict[str, Any]]] = {}

    def _scripts(self) -> dict[str, Any]:
        """The asyncio client and its registered scripts, one per event loop."""
        loop = asyncio.get_running_loop()
        held = self._per_loop.get(id(loop))
        if held is None or held[0] is not loop:
            import redis as sync_redis
            import redis.asyncio

            options = {k: v for k, v in self._connection.items() if k in _ASYNC_OPTIONS}
            pool = self.red.connection_pool
            if issubclass(pool.connection_class, sync_redis.SSLConnection):
                options["ssl"] = True
            client = redis.asyncio.Redis(**options)
            scripts = {
                "take": client.register_script(_TAKE),
                "served": client.register_script(_SERVED),
                "give_back": client.register_script(_GIVE_BACK),
            }
            held = self._per_loop[id(loop)] = (loop, client, scripts)
        return held[2]

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncGenerator[TicketLock, None]:
        key = self.key_prefix + conversation_id
        scripts = self._scripts()
        try:
            ticket, served = await scripts["take"](
                keys=[key], args=[conversation_id, time.time(), lock_lifetime]
            )
        except Exception as e:  # as Rasa's issue_ticket
            raise LockError(f"Error while acquiring lock. Error:\n{e}") from e
        try:
            while served != ticket:
                await asyncio.sleep(wait_time_in_seconds)
                served = await scripts["served"](keys=[key], args=[conversation_id, time.time()])
                if served is None:  # as Rasa's _acquire_lock: the lock expired meanwhile
                    raise LockError(
                        f"Could not acquire lock for conversation_id '{conversation_id}'."
                    )
            expires = time.time() + lock_lifetime
            yield TicketLock(conversation_id, deque([Ticket(int(ticket), expires)]))
        finally:
            await scripts["give_back"](keys=[key], args=[conversation_id, ticket, time.time()])


# what the asyncio client takes of the synchronous client's connection settings
_ASYNC_OPTIONS = {
    "host",
    "port",
    "db",
    "username",
    "password",
    "socket_timeout",
    "socket_connect_timeout",
    "ssl_certfile",
    "ssl_keyfile",
    "ssl_ca_certs",
}
