"""The ``WARC_*`` settings, read and checked once for the handler and the middleware."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


@dataclass(frozen=True)
class WarcConfig:
    """The ``WARC_*`` settings, validated."""

    directory: str
    prefix: str
    max_size: int
    operator: str
    gzip_level: int | None
    dedup: bool

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> WarcConfig:
        """Read and check the settings; a bad value raises NotConfigured naming the setting."""
        prefix = str(settings.get("WARC_PREFIX") or "")
        if prefix and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", prefix):
            raise NotConfigured(f"WARC_PREFIX must be letters, digits, '.', '_' or '-', got {prefix!r}")
        operator = str(settings.get("WARC_OPERATOR") or "")
        if "\n" in operator or "\r" in operator:
            raise NotConfigured(f"WARC_OPERATOR must be one line, got {operator!r}")
        max_size = int_setting(settings, "WARC_MAX_SIZE", minimum=1)
        level = int_setting(settings, "WARC_GZIP_LEVEL", minimum=0, maximum=9)
        return cls(
            directory=str(settings.get("WARC_DIR") or ""),
            prefix=prefix,
            max_size=max_size,
            operator=operator,
            gzip_level=level if bool_setting(settings, "WARC_GZIP") else None,
            dedup=bool_setting(settings, "WARC_DEDUP_ENABLED"),
        )


def int_setting(settings: BaseSettings, name: str, minimum: int, maximum: int | None = None) -> int:
    try:
        value = settings.getint(name)
    except ValueError as e:
        raise NotConfigured(f"{name} must be a whole number, got {settings.get(name)!r}") from e
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise NotConfigured(f"{name} must be at least {minimum}{upper}, got {value}")
    return value


def bool_setting(settings: BaseSettings, name: str) -> bool:
    try:
        return settings.getbool(name)
    except ValueError as e:
        raise NotConfigured(f"{name} must be True or False, got {settings.get(name)!r}") from e
