"""Reprocessing: saved WARCs in, the JSON Lines a live crawl of them wrote out, on every core, offline.

- :mod:`crawler.reprocess.captures`: from a file's records to captures and problems.
- :mod:`crawler.reprocess.scan`: reading a file's records (with :mod:`crawler.warc.reader`, the reader
  ``warc check`` uses too), whole or in stretches read in parallel.
- :mod:`crawler.reprocess.index` (and :mod:`crawler.reprocess.cdxj`): captures by URL and crawl, and the choice
  of the capture that answers a request.
- :mod:`crawler.reprocess.replay`: stored HTTP bytes to the Scrapy response the live handler built.
- :mod:`crawler.reprocess.handler`: the download handler that answers requests from the WARCs.
- :mod:`crawler.reprocess.starts`: the spider to run and the captures it starts from.
- :mod:`crawler.reprocess.workers`: forked workers, each a Scrapy process over its share.
- :mod:`crawler.reprocess.plan`: the replay half of a run (spider, starting points, workers), which needs
  Scrapy and is imported while the index is scanned.
- :mod:`crawler.reprocess.run`: :func:`reprocess`, the whole run; :mod:`crawler.reprocess.result`: its outcome.
"""

from crawler.reprocess.result import ReprocessResult
from crawler.reprocess.run import reprocess

__all__ = ["ReprocessResult", "reprocess"]
