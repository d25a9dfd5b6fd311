"""Resuming a crawl that was cut short, in its own job folder, from what its WARC files hold.

- :mod:`crawler.resume.closeout`: the unfinished WARC files and JSON Lines of a job, closed out.
- :mod:`crawler.resume.handler`: the download handler that answers from the job's WARCs and fetches the rest.
- :mod:`crawler.resume.run`: :func:`resume_crawl`, what ``newsarchive crawl … --resume JOB_DIR`` runs.
"""
