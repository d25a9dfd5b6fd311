"""Finding a news site's articles without knowing the site: what the ``news`` spider reads besides articles.

Page-level readers with no I/O, each taking a response or its parsed text:
:mod:`~crawler.pages.discovery.sitemaps` (robots.txt ``Sitemap:`` lines, sitemap
indexes, Google News sitemaps, through Scrapy's own sitemap reader),
:mod:`~crawler.pages.discovery.feeds` (RSS 2.0, RSS 1.0 and Atom, through Scrapy's
``xmliter_lxml``; ``<link rel=alternate>`` on HTML pages),
:mod:`~crawler.pages.discovery.listings` (the home page and section pages: teaser
links, menus, pagination), :mod:`~crawler.pages.discovery.comment_pages` (an
article's other comment pages). :mod:`~crawler.pages.discovery.assembly` merges an article's comment pages
into its one line; the crawl's bookkeeping (what was found where, what is in
flight, the ``max_articles`` and ``since`` limits) is
:mod:`crawler.domain.frontier`'s. Whether a page *is* an
article is decided by :mod:`crawler.pages.evidence`.
"""
