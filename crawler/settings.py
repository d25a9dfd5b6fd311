"""Scrapy settings for newsarchive crawls (``scrapy.cfg`` points here).

Every crawl, however it is started, writes into a job folder inside
``ARCHIVE_DIR`` (see :mod:`crawler.jobs`): its WARC files and ``items.jsonl``.
"""

from crawler import __version__

BOT_NAME = "newsarchive"

# Spiders live in the top-level ``spiders`` package, one site (or one job) per module.
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Output folder; each crawl gets its own job folder inside it.
ARCHIVE_DIR = "archive"
# Job folder name; empty means "{UTC date}-{spider name}", made unique per crawl.
ARCHIVE_JOB_ID = ""

# Identify ourselves to site operators; set USER_AGENT_CONTACT (a URL or an e-mail
# address) so they can reach whoever runs the crawl.
USER_AGENT_CONTACT = ""
USER_AGENT = f"newsarchive/{__version__}"

# Politeness for real sites: obey robots.txt, few parallel requests per site,
# and let AutoThrottle back off when the site slows down.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Articles are large items; a small item queue keeps parsing from starving downloads.
CONCURRENT_ITEMS = 4

# No listening ports besides what a crawl needs.
TELNETCONSOLE_ENABLED = False

# One JSON Lines file per job, written unbuffered so a killed crawl leaves only whole lines.
FEEDS = {
    "%(job_dir)s/items.jsonl": {"format": "jsonlines", "encoding": "utf-8"},
}
FEED_URI_PARAMS = "crawler.jobs.feed_uri_params"
FEED_STORAGES = {"": "crawler.feeds.LineFlushedFileStorage", "file": "crawler.feeds.LineFlushedFileStorage"}
FEED_EXPORT_ENCODING = "utf-8"

ITEM_PIPELINES = {
    "crawler.pipelines.ArticleStatsPipeline": 900,
}

DOWNLOADER_MIDDLEWARES = {
    "crawler.useragent.ContactUserAgentMiddleware": 400,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
}

LOG_LEVEL = "INFO"
