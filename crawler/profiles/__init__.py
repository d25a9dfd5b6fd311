"""Site profiles: everything site-specific about a site, as data.

A profile is a TOML file in this folder (``topwar.toml`` is the model to copy):
the site's name and hosts, timezone and languages of its dates, URL patterns,
selectors for listing, article and comment markup, and the boilerplate to drop.
Adding a site built on the same CMS is a new profile, not new code. The
profile is validated when it is loaded, so a typo fails early with the file
and key in the message.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import MISSING, fields
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.markup.fields import FieldChain
from crawler.markup.selectors import Css, ElementSelector, UnsupportedSelector
from crawler.profiles.model import (
    EXPECTABLE_COMMENT_FIELDS,
    ArticleSelectors,
    CommentSelectors,
    ListingSelectors,
    SiteProfile,
)

__all__ = ["ProfileError", "SiteProfile", "available_profiles", "load_profile", "parse_profile", "profile_for_host"]

# Comment fields whose selectors are tried in order of trust; the others match any of theirs.
_ORDERED_COMMENT_FIELDS = frozenset({"author", "date", "score", "likes", "dislikes", "text"})


class ProfileError(ValueError):
    """A site profile is missing, malformed or inconsistent."""


def _section(data: dict[str, Any], cls: type, where: str) -> Any:
    """The selectors of one TOML section, compiled; an unknown, missing or invalid one names its key.

    A value is a selector or a list of them: for article and listing fields and
    the comment value fields, in order of trust; for the other comment keys, any of them.
    """
    names = {f.name for f in fields(cls)}
    unknown = set(data) - names
    missing = {f.name for f in fields(cls) if f.default is MISSING} - set(data)
    if unknown or missing:
        raise ProfileError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    compiled: dict[str, Any] = {}
    for key, value in data.items():
        specs = [value] if isinstance(value, str) else value
        try:
            if key == "expect":
                if not isinstance(value, list) or not set(value) <= set(EXPECTABLE_COMMENT_FIELDS):
                    raise TypeError(f"expected a list of some of {list(EXPECTABLE_COMMENT_FIELDS)}, got {value!r}")
                compiled[key] = tuple(value)
                continue
            if not isinstance(specs, list) or not specs or not all(isinstance(spec, str) for spec in specs):
                raise TypeError("expected a selector or a list of selectors")
            if key == "id_pattern":
                compiled[key] = _compile(value, f"{where} {key}")
            elif key == "body_drop":
                compiled[key] = tuple(Css(spec) for spec in specs)
            elif cls is not CommentSelectors:
                compiled[key] = FieldChain(specs)
            elif key in _ORDERED_COMMENT_FIELDS:
                compiled[key] = tuple(ElementSelector(spec) for spec in specs)
            else:
                compiled[key] = ElementSelector(", ".join(specs))
        except (UnsupportedSelector, TypeError) as e:
            raise ProfileError(f"{where} {key}: {e}") from e
    return cls(**compiled)


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as e:
        raise ProfileError(f"{where}: bad regular expression {pattern!r}: {e}") from e


def parse_profile(text: str, origin: str) -> SiteProfile:
    """Build a :class:`SiteProfile` from TOML *text*; *origin* names it in errors."""
    try:
        data = tomllib.loads(text)
        urls = data.pop("urls")
        sections = {name: data.pop(name) for name in ("listing", "article", "comments")}
        headers = data.pop("comments_ajax_headers", {})
        boilerplate = tuple(_compile(p, f"{origin} boilerplate") for p in data.pop("boilerplate", []))
        profile = SiteProfile(
            **{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()},
            boilerplate=boilerplate,
            article_url=_compile(urls["article"], f"{origin} [urls] article"),
            listing_url=_compile(urls["listing"], f"{origin} [urls] listing"),
            comments_url=urls["comments"],
            comments_page_number=_compile(urls["comments_page_number"], f"{origin} [urls] comments_page_number"),
            skin_pattern=_compile(urls["skin_pattern"], f"{origin} [urls] skin_pattern"),
            default_skin=urls["default_skin"],
            listing=_section(sections["listing"], ListingSelectors, f"{origin} [listing]"),
            article=_section(sections["article"], ArticleSelectors, f"{origin} [article]"),
            comments=_section(sections["comments"], CommentSelectors, f"{origin} [comments]"),
            comments_ajax_headers=dict(headers),
        )
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(f"{origin}: not valid TOML: {e}") from e
    except (KeyError, TypeError) as e:
        raise ProfileError(f"{origin}: missing or unexpected key: {e}") from e
    if not re.fullmatch(r"[a-z][a-z0-9_]*", profile.name):
        raise ProfileError(f"{origin}: name {profile.name!r} must be lower-case letters, digits and '_' (it names the "
                           "site's spider)")
    if "(?P<id>" not in profile.article_url.pattern:
        raise ProfileError(f"{origin} [urls] article: the pattern needs a named group 'id'")
    try:
        ZoneInfo(profile.timezone)
    except ZoneInfoNotFoundError as e:
        raise ProfileError(f"{origin}: unknown timezone {profile.timezone!r}") from e
    return profile


@cache
def load_profile(name: str) -> SiteProfile:
    """The bundled profile called *name* (``crawler/profiles/<name>.toml``)."""
    resource = resources.files(__package__) / f"{name}.toml"
    if not resource.is_file():
        raise ProfileError(f"no site profile {name!r}; available: {', '.join(available_profiles())}")
    profile = parse_profile(resource.read_text(encoding="utf-8"), f"{name}.toml")
    if profile.name != name:
        raise ProfileError(f"{name}.toml: name {profile.name!r} must be the file's name, {name!r}")
    return profile


def available_profiles() -> list[str]:
    """Names of the bundled profiles."""
    return sorted(p.name.removesuffix(".toml") for p in resources.files(__package__).iterdir()
                  if p.name.endswith(".toml"))


def profile_for_host(host: str) -> SiteProfile | None:
    """The bundled profile that claims *host*, if any."""
    host = host.lower().removeprefix("www.")
    for name in available_profiles():
        profile = load_profile(name)
        if host in profile.hosts:
            return profile
    return None
