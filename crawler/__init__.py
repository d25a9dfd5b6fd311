"""newsarchive: a Scrapy-based news scraper and web-archive crawler.

Crawls write archival WARC files and normalized, provenance-linked JSON Lines;
saved WARCs can be reprocessed offline into the same JSON Lines.
"""

__version__ = "0.1.0"
