"""scrapy-redis's scheduler, queue and duplicate filter on Scrapy 2.19, made reliable: the ONE adapter module.

We use scrapy-redis's ``Scheduler`` (enqueueing through its Redis ``RFPDupeFilter``) and its ``PriorityQueue``
(requests serialized with ``Request.to_dict`` and pickle into a sorted set, score = -priority) as they are. What
does not fit current Scrapy, or a crawl whose workers may die, is adapted here and nowhere else:

- ``RedisSpider`` is not used: it feeds itself through ``start_requests()``, which Scrapy 2.13+ no longer calls.
  Spiders keep their own ``async def start()``, run by one worker (:mod:`crawler.distributed.seeding`).
- scrapy-redis pops a request destructively (``ZRANGE`` + ``ZREMRANGEBYRANK``): a dead worker's requests are
  lost. :class:`LeasedPriorityQueue` pops into the worker's lease hash instead (:mod:`crawler.distributed.leases`)
  and :class:`LeasedScheduler` acks a lease the moment the engine is done with its request. Scrapy has no public
  "done with this request" hook (scrapy/scrapy#7978); the engine's set of requests in progress
  (``engine._slot.inprogress``, which Scrapy's own ``get_engine_status`` reads too) is the place: a request leaves
  it only after its download, callback or errback, the requests it led to (queued in Redis) and its items (handed
  on) are done. The scheduler puts a set there that tells it when a request leaves (:class:`_InProgress`). An ack
  any later would widen what a worker's death makes run twice: a finished article page re-run starts its chain of
  comment pages (``dont_filter`` requests) a second time.
- Its scheduler flushes the shared queue and fingerprints on close unless ``SCHEDULER_PERSIST``: one worker
  finishing would wipe the others' work. Here it never flushes; the coordinator removes a finished crawl's keys.
- Its blocking pop (``SCHEDULER_IDLE_BEFORE_CLOSE``) would block the reactor, and an idle Scrapy engine asks its
  scheduler again only every 5 s: an idle worker would miss work another worker queued. The engine's heartbeat is
  set to ``DISTRIBUTED_POLL_SECONDS`` instead (``engine._SLOT_HEARTBEAT_INTERVAL``, set on ``engine_started``,
  read right after).
- Its ``enqueue_request`` records a request's fingerprint, then pushes the request: two round trips. A worker
  that dies between them leaves a request that is "seen" but queued nowhere, and the re-run of its parent's
  lease then filters it out for good. Here both happen in one Lua script (:data:`_SEEN_AND_PUSH`).
- Its stats calls pass ``spider=``, which Scrapy deprecates: this scheduler counts without it.
- A request that cannot be serialized (a callback that is not a spider method, cb_kwargs that do not pickle) or
  decoded is logged as an error and counted, instead of an exception deep in the engine.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from crawler.distributed.membership import DistributedWorker

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Self

    import redis
    from scrapy import Spider
    from scrapy.core.engine import ExecutionEngine
    from scrapy.crawler import Crawler

    from crawler.distributed.leases import Lease, LeaseBook

logger = logging.getLogger(__name__)

# Record the fingerprint and queue the request in one step: both or neither (1: queued, 0: seen before).
_SEEN_AND_PUSH = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""


class LeasedPriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop leases the request to this worker instead of dropping it."""

    def __init__(self, server: redis.Redis, spider: Spider, key: str, book: LeaseBook):
        super().__init__(server, spider, key, serializer=picklecompat)
        self.book = book
        self.leases: dict[Request, Lease] = {}
        self.undecodable = 0

    def pop(self, timeout: int = 0) -> Request | None:
        lease = self.book.pop()
        if lease is None:
            return None
        try:
            request = self._decode_request(lease.data)
        except (ValueError, TypeError, AttributeError, pickle.UnpicklingError) as e:
            # It will not decode on any other worker either: drop it loudly rather than hold the crawl open.
            logger.error("a queued request cannot be read back (%s: %s); dropped", type(e).__name__, e)
            self.undecodable += 1
            self.book.ack([lease.token])
            return None
        self.leases[request] = lease
        return request


class LeasedScheduler(Scheduler):
    """scrapy-redis's scheduler over :class:`LeasedPriorityQueue`, for one worker of a distributed crawl.

    Built from the :class:`~crawler.distributed.membership.DistributedWorker` extension (its Redis client, keys,
    worker id and lease book), which must be enabled.
    """

    def __init__(self, crawler: Crawler, worker: DistributedWorker):
        keys = worker.book.keys
        super().__init__(server=worker.server, persist=True, queue_key=keys.requests, dupefilter_key=keys.dupefilter,
                         idle_before_close=0, serializer=picklecompat)
        self.crawler = crawler
        self.stats = crawler.stats
        self.book = worker.book
        self.poll_seconds = worker.config.poll_seconds
        self.queue: LeasedPriorityQueue
        self._seen_and_push = self.server.register_script(_SEEN_AND_PUSH)
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        worker = crawler.get_extension(DistributedWorker)
        if worker is None:
            raise RuntimeError("LeasedScheduler needs the DistributedWorker extension "
                               "(crawler.distributed.membership.DistributedWorker) and DISTRIBUTED_REDIS_URL")
        return cls(crawler, worker)

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.queue = LeasedPriorityQueue(self.server, spider, self.queue_key, self.book)
        self.df = RFPDupeFilter(self.server, key=self.dupefilter_key,
                                debug=self.crawler.settings.getbool("DUPEFILTER_DEBUG"))
        if len(self.queue):
            logger.info("Joining a crawl under way (%d requests queued)", len(self.queue))

    def engine_started(self) -> None:
        # Both are read once the engine starts asking its scheduler, just after this signal (see the docstring).
        engine = self.crawler.engine
        engine._SLOT_HEARTBEAT_INTERVAL = self.poll_seconds  # noqa: SLF001
        slot = engine._slot  # noqa: SLF001
        slot.inprogress = _InProgress(slot.inprogress, self.request_finished)

    def request_finished(self, request: Request) -> None:
        """The engine is done with *request*: if it came from the queue, its lease is released."""
        lease = self.queue.leases.pop(request, None)
        if lease is not None:
            self.book.ack([lease.token])

    def close(self, reason: str) -> None:
        self.ack_finished()
        requeued = self.book.leave()
        if requeued:
            logger.warning("%d unfinished requests went back to the shared queue", requeued)
        self.stats.set_value("distributed/undecodable_requests", self.queue.undecodable)

    def enqueue_request(self, request: Request) -> bool:
        try:
            data = self.queue._encode_request(request)  # noqa: SLF001 (scrapy-redis's own encoding, as push uses)
        except (ValueError, TypeError, AttributeError, pickle.PicklingError) as e:
            logger.error("%s cannot go through Redis (%s: %s); not crawled", request, type(e).__name__, e)
            self.stats.inc_value("distributed/unserializable_requests")
            return False
        if request.dont_filter:
            self.server.execute_command("ZADD", self.queue.key, -request.priority, data)
        elif not self._seen_and_push(keys=[self.df.key, self.queue.key],
                                     args=[self.df.request_fingerprint(request), -request.priority, data]):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop()
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def ack_finished(self) -> None:
        """Ack every lease whose request the engine is done with (at close: whatever was not acked on the way)."""
        leases = self.queue.leases
        if not leases:
            return
        busy = _in_progress(self.crawler.engine)
        done = [request for request in leases if request not in busy]
        if done:
            self.book.ack([leases.pop(request).token for request in done])

    def origin_of(self, request: Request) -> str | None:
        """A name for the queued request *request* came from, the same on whichever worker runs it (None if it
        came from elsewhere, e.g. start())."""
        lease = self.queue.leases.get(request)
        return None if lease is None else hashlib.sha1(lease.data).hexdigest()[:20]


class _InProgress(set):
    """The engine's set of requests in progress, telling *on_done* about each request that leaves it."""

    def __init__(self, requests: set[Request], on_done: Callable[[Request], None]):
        super().__init__(requests)
        self.on_done = on_done

    def remove(self, request: Request) -> None:
        super().remove(request)
        self.on_done(request)


def _in_progress(engine: ExecutionEngine | None) -> Any:
    """The requests the engine has taken from its scheduler and not finished (an empty set once it closed)."""
    slot = getattr(engine, "_slot", None)
    return slot.inprogress if slot is not None else frozenset()
