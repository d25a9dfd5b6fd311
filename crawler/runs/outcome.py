"""How a run ends: its exit status, decided by one rule for crawls and reprocessing alike.

A run that is refused before it starts raises :class:`RunRefused` (bad
arguments or settings: nothing was written) or :class:`RunFailed` (what it
needs did not come up); a run stopped by a signal raises :class:`RunInterrupted`
(exit status 128 + the signal's number, as shells report it: 130 for SIGINT,
143 for SIGTERM); a run that happened returns a result whose ``exit_status``
comes from :func:`ran_cleanly`. The CLI maps them all to the exit statuses
the README documents.
"""

from __future__ import annotations

import signal
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

EXIT_OK = 0
# The work ran but not cleanly: crawl errors, unreadable input, a site that did not start.
EXIT_FAILED = 1
# Refused before any work: bad arguments or settings.
EXIT_USAGE = 2


class RunRefused(ValueError):
    """The run was refused before anything was written: bad arguments or settings (exit status 2)."""

    exit_status = EXIT_USAGE


class RunFailed(RuntimeError):
    """The run could not take place: something it needs did not come up (exit status 1)."""

    exit_status = EXIT_FAILED


class RunInterrupted(BaseException):
    """The run was stopped by SIGINT (Ctrl-C) or SIGTERM before it finished (exit status 128 + the signal's number).

    A BaseException, as KeyboardInterrupt is, so that no ``except Exception``
    on the way swallows it. *result*, if the run has one, says what it had done.
    """

    def __init__(self, signum: int, result: Any = None):
        super().__init__(f"interrupted by {signal_name(signum)}")
        self.signum = signum
        self.result = result

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


def signal_name(signum: int) -> str:
    """``SIGINT (Ctrl-C)``, ``SIGTERM``: a signal as people know it."""
    try:
        name = signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"
    return f"{name} (Ctrl-C)" if signum == signal.SIGINT else name


def ran_cleanly(finish_reasons: Iterable[str], stats: Mapping[str, Any], errors: Sequence[str] = ()) -> bool:
    """Whether a run went cleanly: every crawl in it finished, and nothing was logged as an error or raised.

    Warnings about partly readable pages are counted, not failures.
    """
    return (all(reason == "finished" for reason in finish_reasons) and not errors
            and not stats.get("log_count/ERROR") and not stats.get("spider_exceptions/count"))


def missing_fields_lines(stats: Mapping[str, Any]) -> list[str]:
    """The summary line counting articles by field they lacked (``newsarchive/missing/<field>``), if any did."""
    prefix = "newsarchive/missing/"
    counts = [f"{key.removeprefix(prefix)} in {value} article{'' if value == 1 else 's'}"
              for key, value in sorted(stats.items()) if key.startswith(prefix)]
    return [f"  fields missing:  {', '.join(counts)}"] if counts else []
