"""Exit statuses of the newsarchive commands (documented in the README)."""

EXIT_OK = 0
# The work ran but not cleanly: crawl errors, unreadable input, a site that did not start.
EXIT_FAILED = 1
# Refused before any work: bad arguments or settings.
EXIT_USAGE = 2
