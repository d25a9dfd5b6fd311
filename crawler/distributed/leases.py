"""The reliable-queue part of the frontier: a popped request stays leased to its worker until it is finished.

scrapy-redis pops a request off the shared queue and forgets it: a worker that dies with requests in flight
loses them. Here a pop moves the request, in one atomic step, from the queue into the worker's lease hash
(``leases:{worker}``: token -> "score serialized-request"); the worker acks it once Scrapy is done with it
(response handled, callbacks run, new requests queued, lines handed on). A live worker renews its ``alive:{worker}``
key on every heartbeat; when the key has expired, any other worker (or the coordinator, the moment its own child
process ends) puts the dead worker's leases back into the queue with their priorities. The crawl is over when
start() has been run to its end, the queue is empty and nobody holds a lease: nothing can make new work then.

Plain redis-py and Lua, no Scrapy: :mod:`crawler.distributed.adapter` builds the scheduler on it.
"""

from __future__ import annotations

import itertools
import json
import logging
from dataclasses import dataclass

import redis

from crawler.distributed.crawljob import CrawlKeys

logger = logging.getLogger(__name__)

# Take the first request (lowest score = highest priority, scrapy-redis's order) into the worker's lease hash.
_POP = """
local top = redis.call('ZPOPMIN', KEYS[1])
if #top == 0 then return false end
redis.call('HSET', KEYS[2], ARGV[1], top[2] .. ' ' .. top[1])
return top[1]
"""

# Put every lease of a worker back into the queue and strike it off; returns {was it a member, requests requeued}.
_RELEASE = """
local values = redis.call('HVALS', KEYS[2])
for _, value in ipairs(values) do
  local space = string.find(value, ' ', 1, true)
  redis.call('ZADD', KEYS[1], string.sub(value, 1, space - 1), string.sub(value, space + 1))
end
redis.call('DEL', KEYS[2])
local member = redis.call('SREM', KEYS[3], ARGV[1])
if redis.call('GET', KEYS[4]) == 'seeding:' .. ARGV[1] then redis.call('DEL', KEYS[4]) end
if member == 1 and #values > 0 then redis.call('HINCRBY', KEYS[5], 'requeued', #values) end
return {member, #values}
"""

_RELEASE_SEED = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
"""

# Queued requests, leased requests (all workers), the seed state and whether the crawl is still published,
# read at one instant.
_STATE = """
local leased = 0
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  leased = leased + redis.call('HLEN', ARGV[1] .. ':leases:' .. worker)
end
return {redis.call('ZCARD', KEYS[1]), leased, redis.call('GET', KEYS[3]) or '', redis.call('EXISTS', KEYS[4])}
"""


@dataclass(frozen=True)
class CrawlState:
    """The frontier at one instant."""

    queued: int
    leased: int
    seed: str
    withdrawn: bool = False

    @property
    def finished(self) -> bool:
        """Nothing left to do, or the coordinator has ended the crawl (its keys are gone)."""
        return self.withdrawn or (self.seed == "done" and self.queued == 0 and self.leased == 0)


@dataclass(frozen=True)
class Lease:
    """A popped request's token in its worker's lease hash, and its serialized form."""

    token: str
    data: bytes


class LeaseBook:
    """One worker's view of the leases of crawl *keys* (``worker`` None: the coordinator, which pops nothing)."""

    def __init__(self, server: redis.Redis, keys: CrawlKeys, worker: str | None, lease_seconds: float):
        self.server = server
        self.keys = keys
        self.worker = worker
        self.lease_ms = max(1, int(lease_seconds * 1000))
        self._tokens = itertools.count(1)
        self._pop = server.register_script(_POP)
        self._release = server.register_script(_RELEASE)
        self._state = server.register_script(_STATE)
        self._release_seed = server.register_script(_RELEASE_SEED)
        self.left = False

    # --- membership -------------------------------------------------------------------------------------
    def join(self, about: dict[str, object]) -> None:
        """Register this worker as alive; *about* (host, pid…) is kept in its alive key for whoever looks."""
        self._about = json.dumps(about)
        self.server.sadd(self.keys.workers, self._me)
        self.server.set(self.keys.alive(self._me), self._about, px=self.lease_ms)

    def heartbeat(self) -> bool:
        """Renew this worker's lease; False when it had been given up for dead (its leases were requeued)."""
        if self.left:
            return True
        pipe = self.server.pipeline()
        pipe.set(self.keys.alive(self._me), self._about, px=self.lease_ms)
        pipe.sadd(self.keys.workers, self._me)
        _, added = pipe.execute()
        return added == 0

    def leave(self) -> int:
        """Give back what is still leased (nothing, after a clean close) and strike this worker off."""
        self.left = True
        _, requeued = self.release(self._me)
        self.server.delete(self.keys.alive(self._me))
        return requeued

    def release(self, worker: str) -> tuple[bool, int]:
        """Requeue every lease of *worker* and strike it off: (whether it was a member, how many requeued)."""
        keys = self.keys
        member, requeued = self._release(
            keys=[keys.requests, keys.leases(worker), keys.workers, keys.seed, keys.counters], args=[worker])
        return bool(member), int(requeued)

    def reap(self) -> list[tuple[str, int]]:
        """Requeue the leases of every worker whose alive key expired: [(worker, requests requeued)]."""
        reaped = []
        for raw in self.server.smembers(self.keys.workers):
            worker = raw.decode()
            if worker == self.worker or self.server.exists(self.keys.alive(worker)):
                continue
            member, requeued = self.release(worker)
            if member:
                reaped.append((worker, requeued))
                self.record(f"worker {worker} stopped renewing its lease; {requeued} of its requests were requeued")
                self.server.hincrby(self.keys.counters, "workers_lost", 1)
        return reaped

    def members(self) -> dict[str, dict[str, object]]:
        """The registered workers and what their alive keys say (an empty dict for one whose key expired)."""
        found = {}
        for raw in self.server.smembers(self.keys.workers):
            about = self.server.get(self.keys.alive(raw.decode()))
            found[raw.decode()] = json.loads(about) if about else {}
        return found

    # --- requests ---------------------------------------------------------------------------------------
    def pop(self) -> Lease | None:
        """Lease the first request of the queue to this worker."""
        token = str(next(self._tokens))
        data = self._pop(keys=[self.keys.requests, self.keys.leases(self._me)], args=[token])
        return None if data is None else Lease(token, data)

    def ack(self, tokens: list[str]) -> None:
        """These leases are finished: what they led to is queued or handed on."""
        if tokens:
            self.server.hdel(self.keys.leases(self._me), *tokens)

    # --- the crawl as a whole ---------------------------------------------------------------------------
    def state(self) -> CrawlState:
        keys = self.keys
        queued, leased, seed, published = self._state(keys=[keys.requests, keys.workers, keys.seed, keys.descriptor],
                                                       args=[keys.base])
        return CrawlState(int(queued), int(leased), seed.decode() if isinstance(seed, bytes) else str(seed),
                          withdrawn=not published)

    def claim_seed(self) -> bool:
        """Whether this worker is the one to run the spider's start() (nobody did, or its seeder died)."""
        return bool(self.server.set(self.keys.seed, f"seeding:{self._me}", nx=True))

    def seed_done(self) -> None:
        self.server.set(self.keys.seed, "done")

    def release_seed(self) -> None:
        """Give up the seeding claim (this worker stops before start() ended), if it is still this worker's."""
        self._release_seed(keys=[self.keys.seed], args=[f"seeding:{self._me}"])

    def record(self, event: str) -> None:
        logger.warning("%s", event)
        self.server.rpush(self.keys.events, event)

    @property
    def _me(self) -> str:
        if self.worker is None:
            raise RuntimeError("the coordinator's lease book pops and leases nothing")
        return self.worker
