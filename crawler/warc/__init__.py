"""Archival WARC output: every HTTP exchange of a crawl, byte for byte as it crossed the wire.

- :mod:`crawler.warc.capture`: a download handler that tees the exact bytes sent and received.
- :mod:`crawler.warc.records`: pure functions from those bytes (plus ids and dates) to WARC records.
- :mod:`crawler.warc.writer`: gzip-per-record files with IIPC names, ``.open`` until closed, rotation.
- :mod:`crawler.warc.dedup`: the payload-digest index that turns repeated payloads into revisits.
- :mod:`crawler.warc.archiver`: from one exchange to a request/response (or revisit) pair on disk.
- :mod:`crawler.warc.worker`: the writer process that runs the archiver off the crawl's interpreter.
- :mod:`crawler.warc.middleware`: the downloader middleware that archives every network response.
- :mod:`crawler.warc.reader` (with :mod:`crawler.warc.members`): the damage-tolerant reader of any WARC file,
  and :mod:`crawler.warc.extract`, one record read back from its offset; used by ``warc check`` and reprocessing.
- :mod:`crawler.warc.check` and :mod:`crawler.warc.index`: ``newsarchive warc check`` / ``newsarchive warc index``.
"""
