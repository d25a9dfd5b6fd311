"""No network but the sites crawled: libraries that would fetch data on their own are pinned to what they ship.

Scrapy's cookie handling asks tldextract whether a cookie's domain is a public
suffix, and tldextract's default is to download the Public Suffix List on
first use (a crawl on a fresh or offline machine then reaches for the internet
and logs a long traceback). tldextract ships a snapshot of the list; with no
list URLs it uses that. The extractors are configured in place, Scrapy's and
tldextract's module-wide one, so nothing else changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


def pin_suffix_list() -> None:
    """Make the Public Suffix List lookups use tldextract's bundled snapshot, never a download."""
    import tldextract.tldextract
    from scrapy.downloadermiddlewares import cookies

    # Scrapy 2.19 keeps its extractor in a module global; tldextract.extract() uses TLD_EXTRACTOR.
    for extractor in (cookies._split_domain, tldextract.tldextract.TLD_EXTRACTOR):  # noqa: SLF001
        extractor.suffix_list_urls = ()


class OfflineLibraries:
    """Extension that pins the libraries' own data before the crawl makes its first request (see the module)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        pin_suffix_list()
        return cls()
