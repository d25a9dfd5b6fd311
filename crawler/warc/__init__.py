"""Archival WARC output: every HTTP exchange of a crawl, byte for byte as it crossed the wire.

- :mod:`crawler.warc.http11`: the adapter to Scrapy's private HTTP/1.1 internals that tees the exact bytes.
- :mod:`crawler.warc.handler`: the download handler that archives every exchange it downloads.
- :mod:`crawler.warc.extension`: :class:`WarcArchive`, the one component that owns the writer and its
  configuration (:mod:`crawler.warc.config`, the only reader of the ``WARC_*`` settings).
- :mod:`crawler.warc.records`: pure functions from those bytes (plus ids and dates) to WARC records.
- :mod:`crawler.warc.writer`: gzip-per-record files with IIPC names, ``.open`` until closed, rotation.
- :mod:`crawler.warc.dedup`: the payload-digest index that turns repeated payloads into revisits.
- :mod:`crawler.warc.archiver`: from one exchange to a request/response (or revisit) pair on disk.
- :mod:`crawler.warc.worker` (and :mod:`crawler.warc.worker_client`): the writer process that runs the
  archiver off the crawl's interpreter.
- :mod:`crawler.warc.reader` (with :mod:`crawler.warc.members`): the damage-tolerant reader of any WARC file,
  and :mod:`crawler.warc.extract`, one record read back from its offset; used by ``warc check`` and reprocessing.
- :mod:`crawler.warc.check` and :mod:`crawler.warc.index`: ``newsarchive warc check`` / ``newsarchive warc index``.
"""
