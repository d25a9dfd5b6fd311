"""Settings given on the command line (``-s NAME=VALUE``), checked against the type of their default.

Scrapy reads a setting's value only when the component that uses it starts:
``-s CONCURRENT_REQUESTS=abc`` fails deep inside the crawl's start-up with a
traceback, after the job folder was made. Reading each given value as its
default's type (bool, number, dict, list) first refuses it at once, naming
the setting. Settings with no default, or a text one, are taken as given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scrapy.settings import BaseSettings, Settings

_KINDS = (
    (bool, "True or False", BaseSettings.getbool),
    # Scrapy reads some number settings with getint and others with getfloat; either way it must be a number.
    (int, "a number", BaseSettings.getfloat),
    (float, "a number", BaseSettings.getfloat),
    (dict, "a dict (JSON)", BaseSettings.getdict),
    (list, "a list (comma-separated or JSON)", BaseSettings.getlist),
)


class SettingValueError(ValueError):
    """A setting's value cannot be read as the kind of value the setting takes."""


def check_setting_values(overrides: Mapping[str, Any], defaults: Settings) -> None:
    """Set each of *overrides* on a copy of *defaults* and read it back as its default's type.

    :class:`SettingValueError` names the first that cannot be read so.
    """
    for name, value in overrides.items():
        default = defaults.get(name)
        settings = defaults.copy()
        for kind, description, read in _KINDS:
            if isinstance(default, (kind, BaseSettings) if kind is dict else kind):
                try:
                    # A dict setting (FEEDS…) parses its JSON text as it is set.
                    settings.set(name, value, priority="cmdline")
                    read(settings, name)
                except (ValueError, TypeError) as e:
                    raise SettingValueError(f"setting {name} must be {description}, got {value!r}") from e
                break
