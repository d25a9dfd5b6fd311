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
from dataclasses import dataclass, field, fields
from functools import cache, cached_property
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.domain.timestamps import TimestampPolicy
from crawler.markup.selectors import Css, ElementSelector, UnsupportedSelector


class ProfileError(ValueError):
    """A site profile is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class ListingSelectors:
    """Listing pages: article teasers, their dates, and the next page."""

    item: Css
    link: Css
    date: Css
    next_page: Css


@dataclass(frozen=True)
class ArticleSelectors:
    """Article page fields (CSS selectors; ``*_drop`` remove nodes before reading text)."""

    title: Css
    author: Css
    published: Css
    published_meta: Css
    body: Css
    body_drop: tuple[Css, ...]
    tags: Css
    comment_count: Css
    comments_title: Css
    canonical: Css
    comments_block: Css
    comments_pager: Css


@dataclass(frozen=True)
class CommentSelectors:
    """Comment tree markup: CSS that tests one element by itself (no combinators; see
    :class:`crawler.markup.selectors.ElementSelector`), and the regular expression that finds a comment's id."""

    list: ElementSelector
    thread: ElementSelector
    replies: ElementSelector
    comment: ElementSelector
    id_pattern: re.Pattern[str]
    author: ElementSelector
    date: ElementSelector
    score: ElementSelector
    text: ElementSelector
    quote: ElementSelector
    quote_drop: ElementSelector
    smiley: ElementSelector
    deleted: ElementSelector


@dataclass(frozen=True)
class SiteProfile:
    """One site: identity, locale, URL patterns and selectors."""

    name: str
    site: str
    hosts: tuple[str, ...]
    start_urls: tuple[str, ...]
    timezone: str
    languages: tuple[str, ...]
    fallback_encoding: str
    title_suffixes: tuple[str, ...]
    boilerplate: tuple[re.Pattern[str], ...]
    article_url: re.Pattern[str]
    listing_url: re.Pattern[str]
    comments_url: str
    comments_page_number: re.Pattern[str]
    skin_pattern: re.Pattern[str]
    default_skin: str
    listing: ListingSelectors
    article: ArticleSelectors
    comments: CommentSelectors
    comments_ajax_headers: dict[str, str] = field(default_factory=dict)

    @cached_property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def timestamps(self) -> TimestampPolicy:
        """How this site's dates are read: in its zone, in its languages, human formats included."""
        return TimestampPolicy(zone=self.tzinfo, languages=self.languages)

    def article_id(self, path: str) -> str | None:
        """The site's own article id in a URL path, or None if the path is not an article."""
        match = self.article_url.search(path)
        return match.group("id") if match else None


def _section(data: dict[str, Any], cls: type, where: str) -> Any:
    """The selectors of one TOML section, compiled; an unknown, missing or invalid one names its key."""
    names = {f.name for f in fields(cls)}
    unknown = set(data) - names
    missing = names - set(data)
    if unknown or missing:
        raise ProfileError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    compile_one = ElementSelector if cls is CommentSelectors else Css
    compiled: dict[str, Any] = {}
    for key, value in data.items():
        try:
            if key == "id_pattern":
                compiled[key] = _compile(value, f"{where} {key}")
            elif isinstance(value, list):
                compiled[key] = tuple(compile_one(css) for css in value)
            else:
                compiled[key] = compile_one(value)
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
    return parse_profile(resource.read_text(encoding="utf-8"), f"{name}.toml")


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
