"""Worker stats in Redis, and the stats of the crawl as a whole, merged from them.

Each worker leaves its latest stats in the crawl's ``stats`` hash (every heartbeat, and once more when it ends),
so a worker killed outright still counts up to its last heartbeat. Merging adds the counters; times, the largest
figures and the finish reason are not sums and are merged by their own rule.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import redis

from crawler.distributed.crawljob import CrawlKeys

# Not counters: the crawl's figure is the largest of the workers'.
_LARGEST = ("elapsed_time_seconds", "memusage/max", "memusage/startup", "finish_time")
_SMALLEST = ("start_time",)
_NOT_MERGED = ("finish_reason", "distributed/worker")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def publish_stats(server: redis.Redis, keys: CrawlKeys, worker: str, stats: Mapping[str, Any]) -> None:
    """Leave *worker*'s *stats* in Redis (datetimes as ISO 8601 text)."""
    server.hset(keys.stats, worker, json.dumps({key: _plain(value) for key, value in stats.items()}))


def read_stats(server: redis.Redis, keys: CrawlKeys) -> dict[str, dict[str, Any]]:
    """Every worker's latest stats, by worker id."""
    return {worker.decode(): json.loads(data) for worker, data in server.hgetall(keys.stats).items()}


def merge_stats(per_worker: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """One set of stats for the crawl: counters added, times and peaks by their own rule, lists joined."""
    merged: dict[str, Any] = {}
    for stats in per_worker.values():
        for key, value in stats.items():
            if key in _NOT_MERGED:
                continue
            if key not in merged:
                merged[key] = list(value) if isinstance(value, list) else value
            elif key in _LARGEST:
                merged[key] = max(merged[key], value)
            elif key in _SMALLEST:
                merged[key] = min(merged[key], value)
            elif isinstance(value, list):
                merged[key] += [item for item in value if item not in merged[key]]
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                merged[key] += value
    return merged
