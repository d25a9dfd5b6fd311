"""Keeping sites under watch: scheduled crawls, comment revisits with score history, incremental runs.

- :mod:`crawler.watch.plans`: crawl plans (TOML), validated on load.
- :mod:`crawler.watch.policy`: cron slots, durations and when a revisit is due (pure functions).
- :mod:`crawler.watch.state`: runs and per-article knowledge, in SQLite in the archive folder.
- :mod:`crawler.watch.locks`: one run of a job at a time, across schedulers.
- :mod:`crawler.watch.runs`: a run's job folder, run plan and manifest; reading back what it captured.
- :mod:`crawler.watch.scheduler`: runs due jobs, recovers after a crash, stops cleanly.
- :mod:`crawler.watch.backends`: local processes (default) or a scrapyd server.
- :mod:`crawler.watch.incremental`: the spider's side — what a run fetches and what a 304 means.
- :mod:`crawler.watch.extension`: the run's final stats, written into its job folder.
- :mod:`crawler.watch.history` and :mod:`crawler.watch.export`: ``newsarchive export``, score histories.
- :mod:`crawler.watch.commands`: what the ``newsarchive watch`` subcommands do.
- :mod:`crawler.watch.demo`: ``newsarchive demo --watch``.
"""
