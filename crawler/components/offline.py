"""No network but the sites crawled, no files but the archive's: libraries' own data pinned to what they ship.

Scrapy's cookie handling asks tldextract whether a cookie's domain is a public
suffix, and tldextract's default is to download the Public Suffix List on
first use (a crawl on a fresh or offline machine then reaches for the internet
and logs a long traceback) and to keep it in ``~/.cache/python-tldextract``.
tldextract ships a snapshot of the list: an extractor with no list URLs reads
that, and with no ``cache_dir`` it writes nothing (it parses the snapshot once
per process, in milliseconds). Scrapy's extractor and tldextract's module-wide
one are replaced by such extractors, so nothing else changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import tldextract.tldextract
from scrapy.downloadermiddlewares import cookies
from tldextract import TLDExtract

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


class OfflineExtract(TLDExtract):
    """A tldextract extractor on the bundled snapshot of the Public Suffix List, with no cache file."""

    @classmethod
    def like(cls, extractor: TLDExtract) -> OfflineExtract:
        """*extractor* itself if it is one already, else one that answers as it would."""
        if isinstance(extractor, cls):
            return extractor
        return cls(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True,
                   include_psl_private_domains=extractor.include_psl_private_domains,
                   extra_suffixes=extractor.extra_suffixes)


def pin_suffix_list() -> None:
    """Make the Public Suffix List lookups use tldextract's bundled snapshot: no download, no cache file."""
    # Scrapy 2.19 keeps its extractor in a module global, looked up on each call; tldextract.extract() uses
    # TLD_EXTRACTOR the same way.
    cookies._split_domain = OfflineExtract.like(cookies._split_domain)  # noqa: SLF001
    tldextract.tldextract.TLD_EXTRACTOR = OfflineExtract.like(tldextract.tldextract.TLD_EXTRACTOR)


class OfflineLibraries:
    """Extension that pins the libraries' own data before the crawl makes its first request (see the module)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        pin_suffix_list()
        return cls()
