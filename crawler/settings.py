"""Scrapy settings for newsarchive crawls (``scrapy.cfg`` points here).

Every crawl, however it is started, writes into a job folder inside
``ARCHIVE_DIR`` (see :mod:`crawler.components.jobfolder`): its WARC files and ``items.jsonl``.
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
# An unreachable robots.txt (5xx, timeout, cut off) disallows everything (RFC 9309); it is tried again
# after each of these delays (seconds) while the host's requests wait, then the host is refused for a while.
ROBOTSTXT_RETRY_DELAYS = [10, 60, 300]
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Articles are large items; a small item queue keeps parsing from starving downloads.
CONCURRENT_ITEMS = 4

# No listening ports besides what a crawl needs: no telnet console, and no remote-control server
# (Scrapy 2.19 starts one by default; it executes code sent to it and writes a job file per crawl).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Scrapy re-reads each callback's source on every response to warn about generators that return
# values; our spiders are tested, and it costs time on every page.
WARN_ON_GENERATOR_RETURN_VALUE = False

# One JSON Lines file per job, written unbuffered so a killed crawl leaves only whole lines.
FEEDS = {
    "%(job_dir)s/items.jsonl": {"format": "jsonlines", "encoding": "utf-8"},
}
FEED_URI_PARAMS = "crawler.components.jobfolder.feed_uri_params"
FEED_STORAGES = {
    "": "crawler.components.feedstorage.LineFlushedFileStorage",
    "file": "crawler.components.feedstorage.LineFlushedFileStorage",
}
FEED_EXPORT_ENCODING = "utf-8"
# Same lines as Scrapy's JSON Lines exporter, about three times faster for dataclass items.
FEED_EXPORTERS = {
    "jsonlines": "crawler.components.exporters.DataclassJsonLinesExporter",
    "jsonl": "crawler.components.exporters.DataclassJsonLinesExporter",
}

ITEM_PIPELINES = {
    "crawler.components.pipelines.ArticleStatsPipeline": 900,
    "crawler.components.pipelines.MarkupDriftPipeline": 910,
}
# The site's markup changed (the crawl exits 1 and says so) when more than this share of the articles read,
# if there are at least MARKUP_DRIFT_MIN_ARTICLES of them, miss the same field (title, body, comment scores…).
MARKUP_DRIFT_THRESHOLD = 0.5
MARKUP_DRIFT_MIN_ARTICLES = 5

DOWNLOADER_MIDDLEWARES = {
    "crawler.components.useragent.ContactUserAgentMiddleware": 400,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    # Scrapy's own lets requests through unchecked while robots.txt is still downloading.
    "crawler.components.robotstxt.ConcurrentRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    # Next to the downloader: every response gets a capture time, also those the WARC handler did not archive.
    "crawler.components.capturetime.CaptureTimeMiddleware": 950,
}

EXTENSIONS = {
    # No network but the sites crawled: the Public Suffix List (cookies) from tldextract's bundled snapshot.
    "crawler.components.offline.OfflineLibraries": 0,
    # The job folder every component writes into (see crawler.domain.layout).
    "crawler.components.jobfolder.JobFolder": 0,
    # WARC output: owns the writer process; the download handler below hands it every exchange.
    "crawler.warc.extension.WarcArchive": 1,
    # The crawl's progress (PROGRESS_MODE below), instead of Scrapy's once-a-minute stats line.
    "scrapy.extensions.logstats.LogStats": None,
    "crawler.components.progress.CrawlProgress": 500,
    # Each page's download time, for the crawl report (FETCH_TIMES_ENABLED below).
    "crawler.components.fetchtimes.FetchTimes": 500,
}

LOG_LEVEL = "INFO"

# --- Progress and fetch times (crawler/components/progress.py, fetchtimes.py) ---
# Pages, articles, comments, rate and errors as the crawl goes: a status line on a terminal, a log line
# every PROGRESS_LOG_INTERVAL seconds otherwise (auto), or bar, log, none. Replaces Scrapy's LogStats.
PROGRESS_MODE = "auto"
PROGRESS_INTERVAL = 0.5
PROGRESS_LOG_INTERVAL = 30.0
# Each page's download time, in fetch-times.jsonl of the job folder (for newsarchive report).
FETCH_TIMES_ENABLED = True

# --- WARC output (crawler/warc/) ---
# Archive every HTTP exchange as WARC records, byte for byte as on the wire.
WARC_ENABLED = True
# Folder for the WARC files; empty means the crawl's job folder.
WARC_DIR = ""
# File name prefix; empty means the spider's name.
WARC_PREFIX = ""
# Start a new file once one reaches this many bytes (a request/response pair is never split).
WARC_MAX_SIZE = 1_000_000_000
# Who runs the crawl (a name, URL or e-mail address), written into each warcinfo record.
WARC_OPERATOR = ""
# Compress each record as its own gzip member (.warc.gz); off writes plain .warc files.
WARC_GZIP = True
# zlib level for that: 6 is as small as 9 on HTML and about twice as fast.
WARC_GZIP_LEVEL = 6
# Store a payload seen before (in this crawl or an earlier one into ARCHIVE_DIR) as a revisit record.
WARC_DEDUP_ENABLED = True
# Scrapy's HTTP/1.1 handler, archiving the raw bytes of each exchange through WarcArchive.
DOWNLOAD_HANDLERS = {
    "http": "crawler.warc.handler.ArchivingDownloadHandler",
    "https": "crawler.warc.handler.ArchivingDownloadHandler",
}
