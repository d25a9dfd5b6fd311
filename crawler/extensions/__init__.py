"""Scrapy extensions of a live crawl: its progress display (:mod:`.progress`) and its fetch times (:mod:`.timings`)."""
