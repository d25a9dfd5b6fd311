"""One crawl over several worker processes and machines, sharing its frontier through Redis (scrapy-redis).

``newsarchive crawl SPIDER --redis URL --workers N`` (:func:`crawler.distributed.coordinator.run_distributed_crawl`)
creates the job folder, publishes the crawl in Redis, starts N local workers and writes ``items.jsonl``;
``newsarchive worker --redis URL`` (:func:`crawler.distributed.worker.run_worker`) joins a crawl from any
machine. Each worker is an ordinary Scrapy crawl whose scheduler is scrapy-redis's, adapted to Scrapy 2.19 and
made reliable in :mod:`crawler.distributed.adapter`.
"""
