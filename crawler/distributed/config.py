"""The ``DISTRIBUTED_*`` settings of a worker, read in one place, and the one way to reach Redis.

A worker's crawl is an ordinary Scrapy crawl with these settings added by :mod:`crawler.distributed.worker`:
``DISTRIBUTED_REDIS_URL`` (the shared Redis), ``DISTRIBUTED_WORKER_ID`` (``w1``, ``w2``…: in WARC file names and
Redis keys), ``ARCHIVE_JOB_ID`` (the crawl), ``DISTRIBUTED_LEASE_SECONDS`` (a worker silent this long is given up
for dead and its requests requeued; default 30) and ``DISTRIBUTED_POLL_SECONDS`` (how often an idle worker asks
Redis for work and whether the crawl is over; default 0.05).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import redis

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

DEFAULT_LEASE_SECONDS = 30.0
DEFAULT_POLL_SECONDS = 0.05
CONNECT_TIMEOUT_SECONDS = 5.0


class RedisUnreachable(ConnectionError):
    """Redis cannot be used at the URL given; the message says why."""


class DistributedSettingError(ValueError):
    """A ``DISTRIBUTED_*`` setting has a value a worker cannot use; the message names it."""


@dataclass(frozen=True)
class DistributedConfig:
    redis_url: str
    job_id: str
    worker_id: str
    lease_seconds: float
    poll_seconds: float

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> DistributedConfig:
        lease = _positive(settings, "DISTRIBUTED_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
        poll = _positive(settings, "DISTRIBUTED_POLL_SECONDS", DEFAULT_POLL_SECONDS)
        if poll * 3 > lease:
            raise DistributedSettingError(f"DISTRIBUTED_POLL_SECONDS ({poll}) must be at most a third of "
                                          f"DISTRIBUTED_LEASE_SECONDS ({lease}): heartbeats come that often")
        return cls(
            redis_url=str(settings.get("DISTRIBUTED_REDIS_URL") or ""),
            job_id=str(settings.get("ARCHIVE_JOB_ID") or ""),
            worker_id=str(settings.get("DISTRIBUTED_WORKER_ID") or ""),
            lease_seconds=lease,
            poll_seconds=poll,
        )

    @property
    def heartbeat_seconds(self) -> float:
        return min(self.lease_seconds / 3, max(self.poll_seconds, 1.0))


def connect(url: str) -> redis.Redis:
    """A client for the Redis at *url*, checked with a PING; :class:`RedisUnreachable` says why not."""
    try:
        server = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS, socket_timeout=60,
                                      health_check_interval=30)
        server.ping()
    except ValueError as e:
        raise RedisUnreachable(f"not a Redis URL: {url!r} ({e})") from e
    except redis.RedisError as e:
        raise RedisUnreachable(f"cannot reach Redis at {url}: {e}") from e
    return server


def _positive(settings: BaseSettings, name: str, default: float) -> float:
    try:
        value = settings.getfloat(name, default)
    except ValueError as e:
        raise DistributedSettingError(f"{name} must be a number of seconds, got {settings.get(name)!r}") from e
    if value <= 0:
        raise DistributedSettingError(f"{name} must be above 0, got {value}")
    return value
