"""The ``WARC_*`` settings, read and checked in one place, into one config object.

This module reads and checks these settings: :func:`warc_enabled`, then
:meth:`WarcConfig.from_settings` for the rest. The WARC archive extension
builds its config with them, ``newsarchive crawl`` and the distributed
workers call them before anything is written to refuse a bad value with exit
status 2. The one other reader is the free-space guard
(:mod:`crawler.components.diskguard`), which watches the disk of ``WARC_DIR``
and, as a Scrapy component below this package, cannot import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

_PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class WarcSettingError(ValueError):
    """A ``WARC_*`` setting has a value the writer cannot use; the message names the setting."""


def warc_enabled(settings: BaseSettings) -> bool:
    """``WARC_ENABLED``: whether the crawl writes WARC files at all."""
    return _bool_setting(settings, "WARC_ENABLED")


@dataclass(frozen=True)
class WarcConfig:
    """The other ``WARC_*`` settings, validated. Empty ``directory``/``prefix``: the job folder / the spider's name."""

    directory: str
    prefix: str
    max_size: int
    operator: str
    gzip_level: int | None
    dedup: bool

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> WarcConfig:
        """Read and check the settings; a bad value raises :class:`WarcSettingError` naming the setting."""
        prefix = str(settings.get("WARC_PREFIX") or "")
        if prefix and not _PREFIX.fullmatch(prefix):
            raise WarcSettingError(f"WARC_PREFIX must be letters, digits, '.', '_' or '-', got {prefix!r}")
        operator = str(settings.get("WARC_OPERATOR") or "")
        if "\n" in operator or "\r" in operator:
            raise WarcSettingError(f"WARC_OPERATOR must be one line, got {operator!r}")
        level = _int_setting(settings, "WARC_GZIP_LEVEL", minimum=0, maximum=9)
        return cls(
            directory=str(settings.get("WARC_DIR") or ""),
            prefix=prefix,
            max_size=_int_setting(settings, "WARC_MAX_SIZE", minimum=1),
            operator=operator,
            gzip_level=level if _bool_setting(settings, "WARC_GZIP") else None,
            dedup=_bool_setting(settings, "WARC_DEDUP_ENABLED"),
        )

    def directory_for(self, job_dir: Path) -> Path:
        """Where the WARC files of the crawl whose job folder is *job_dir* go."""
        return Path(self.directory) if self.directory else job_dir


def _int_setting(settings: BaseSettings, name: str, minimum: int, maximum: int | None = None) -> int:
    try:
        value = settings.getint(name)
    except ValueError as e:
        raise WarcSettingError(f"{name} must be a whole number, got {settings.get(name)!r}") from e
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise WarcSettingError(f"{name} must be at least {minimum}{upper}, got {value}")
    return value


def _bool_setting(settings: BaseSettings, name: str) -> bool:
    try:
        return settings.getbool(name)
    except ValueError as e:
        raise WarcSettingError(f"{name} must be True or False, got {settings.get(name)!r}") from e
