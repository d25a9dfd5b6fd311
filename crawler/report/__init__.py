"""``newsarchive report``: one self-contained HTML page about a crawl, or a whole archive of crawls.

:func:`write_report` gathers what the archive holds (:mod:`crawler.report.collect`),
draws the plots as inline SVG (:mod:`crawler.report.plots`) and writes the
page (:mod:`crawler.report.page`): no script, no stylesheet or font from
elsewhere, so it opens anywhere, offline, and can be mailed as one file.
"""

from crawler.report.page import ReportError, ReportResult, write_report

__all__ = ["ReportError", "ReportResult", "write_report"]
