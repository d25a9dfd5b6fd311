"""The project's Scrapy components, one job each, built in ``from_crawler`` from settings.

Downloader middlewares (:mod:`useragent`, :mod:`robotstxt`, :mod:`capturetime`), item pipelines
(:mod:`pipelines`), the feed exporter and storage (:mod:`exporters`, :mod:`feedstorage`) and
extensions (:mod:`jobfolder`). The WARC components live in :mod:`crawler.warc`.
"""
