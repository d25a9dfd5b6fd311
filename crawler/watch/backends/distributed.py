"""The Redis backend: each run is one crawl over several workers, ``newsarchive crawl … --redis URL --workers N``.

The run is the local backend's crawl command with ``--redis`` and ``--workers``
added: a coordinator process on this machine (it inherits the job lock, logs to
``crawl.log`` and is stopped with one SIGTERM, which it passes on to its
workers) starts N local workers, and any ``newsarchive worker --redis URL``
started on other machines joins the run while it lasts. The coordinator writes
the run's ``items.jsonl`` and the workers' merged ``stats.json`` into the job
folder, so the scheduler finishes the run as it finishes a local one.

A plan's limits apply per worker (``CLOSESPIDER_PAGECOUNT`` counts the pages
one worker fetched), and spider arguments a distributed crawl refuses (the
topwar spider's ``max_articles``) refuse the plan before anything runs.
"""

from __future__ import annotations

from crawler.distributed.config import RedisUnreachable, connect
from crawler.distributed.coordinator import check_distributed_setup
from crawler.runs.outcome import RunRefused
from crawler.watch.backends.local import LocalBackend, crawl_command
from crawler.watch.plans import Plan, crawl_settings
from crawler.watch.runs import RunSpec


class RedisBackend(LocalBackend):
    """Runs each crawl over *workers* local processes sharing the Redis at *redis_url*."""

    name = "redis"
    resumes = False  # a crawl over several workers has no --resume: an interrupted run is retried anew

    def __init__(self, redis_url: str, workers: int):
        self.redis_url = redis_url
        self.workers = workers

    @classmethod
    def for_plan(cls, plan: Plan, redis_url: str, workers: int) -> RedisBackend:
        """A backend for *plan*, or :class:`RunRefused` (exit status 2, before anything runs) if a job cannot run
        over several workers or Redis does not answer, as ``newsarchive crawl --redis`` refuses them."""
        for job in plan.jobs.values():
            try:
                check_distributed_setup(job.spider, job.args, crawl_settings(job, {}), workers)
            except RunRefused as e:
                raise RunRefused(f"job {job.name}: {e}") from e
        try:
            connect(redis_url).close()
        except RedisUnreachable as e:
            raise RunRefused(str(e)) from e
        return cls(redis_url, workers)

    def command(self, spec: RunSpec) -> list[str]:
        return [*crawl_command(spec), "--redis", self.redis_url, "--workers", str(self.workers)]
