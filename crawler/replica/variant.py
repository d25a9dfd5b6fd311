"""Which site the replica serves and how its pages are marked up: ``--site``, ``--theme`` and the engine options.

A variant is a site (``en``: the English Military Review; ``ru``: a
Russian-language DLE site in windows-1251), a theme (the set of ``.tpl``
files) and four settings of the engine that real DLE sites differ in. The
options are orthogonal where the engine is; a combination a theme cannot
show is refused with one line, naming the option.

=============  ===========================================================
``--ratings``  ``guest``: bare rating spans (what a crawler sees);
               ``member``: a voter's view, spans inside ``ratig-layer`` /
               ``comments-ratig-layer`` wrappers with vote links;
               ``likes``: the likes/dislikes layout (counters
               ``comments-likes-id-N`` / ``comments-dislikes-id-N``)
``--comments`` ``tree`` (nested ``comments-tree-list``) or ``flat``
               (tree comments off: in posting order, no nesting)
``--deleted``  ``absent`` (stock DLE: the row is gone) or ``blanked``
               (a moderator replaced the text; the comment stays)
``--charset``  ``utf-8`` or ``windows-1251`` (declared only by
               ``<meta http-equiv>``; the HTTP header names no charset)
=============  ===========================================================
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace

SITES = ("en", "ru")
THEMES = ("military", "topwar", "dle14", "smartphone", "drifted")
RATINGS = ("guest", "member", "likes")
COMMENTS = ("tree", "flat")
DELETED = ("absent", "blanked")
CHARSETS = ("utf-8", "windows-1251")

DEFAULT_THEME = {"en": "military", "ru": "dle14"}
# Per theme: ratings, comments, deleted, charset when not given (None: the theme has no such choice).
THEME_DEFAULTS = {
    "military": ("member", "tree", None, "utf-8"),
    "topwar": ("guest", "tree", "blanked", "utf-8"),
    "dle14": ("guest", "tree", "absent", "utf-8"),
    "smartphone": (None, "tree", "absent", "utf-8"),
    "drifted": ("guest", "tree", "absent", "utf-8"),
}
RU_THEMES = ("dle14", "smartphone", "drifted")


@dataclass(frozen=True)
class Variant:
    """A site and its markup; fields left None take the theme's defaults in :meth:`resolved`."""

    site: str = "en"
    theme: str | None = None
    ratings: str | None = None
    comments: str | None = None
    deleted: str | None = None
    charset: str | None = None

    def resolved(self) -> Variant:
        """Every field set; ValueError (one line naming the option) for a combination no theme shows."""
        if self.site not in SITES:
            raise ValueError(f"unknown site {self.site!r} (choose from {', '.join(SITES)})")
        theme = self.theme or DEFAULT_THEME[self.site]
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r} (choose from {', '.join(THEMES)})")
        if self.site == "ru" and theme not in RU_THEMES:
            raise ValueError(f"--site ru is a stock DLE site: --theme {theme} is not one of {', '.join(RU_THEMES)}")
        defaults = dict(zip(("ratings", "comments", "deleted", "charset"), THEME_DEFAULTS[theme], strict=True))
        if self.site == "ru":
            defaults["charset"] = "windows-1251"
        chosen = {}
        for name, allowed in (("ratings", RATINGS), ("comments", COMMENTS), ("deleted", DELETED),
                              ("charset", CHARSETS)):  # fmt: skip
            value = getattr(self, name)
            if value is not None and value not in allowed:
                raise ValueError(f"--{name} {value!r}: choose from {', '.join(allowed)}")
            fixed = theme == "military" or defaults[name] is None
            if value is not None and fixed and value != defaults[name]:
                raise ValueError(f"--theme {theme} has no --{name} choice"
                                 + (f" (it shows {defaults[name]})" if defaults[name] else ""))  # fmt: skip
            chosen[name] = value if value is not None else defaults[name]
        return replace(self, theme=theme, **chosen)


# The replica's other site, not a DataLife Engine one (crawler.replica.wordpress).
WORDPRESS = "wordpress"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The variant's command-line options (``python -m crawler.replica`` and ``newsarchive replica``)."""
    parser.add_argument("--site", choices=(*SITES, WORDPRESS), default="en",
                        help="en: the English Military Review (default); ru: a Russian DLE site in windows-1251; "
                        "wordpress: a WordPress news site (crawler.replica.wordpress: no DLE options)")
    parser.add_argument("--theme", choices=THEMES, default=None,
                        help="page markup (default: military for --site en, dle14 for --site ru)")
    parser.add_argument("--ratings", choices=RATINGS, default=None, help="rating markup (default: the theme's)")
    parser.add_argument("--comments", choices=COMMENTS, default=None, help="tree or flat comments (default: tree)")
    parser.add_argument("--deleted", choices=DELETED, default=None,
                        help="deleted comments: absent, or blanked by a moderator (default: the theme's)")
    parser.add_argument("--charset", choices=CHARSETS, default=None,
                        help="page encoding (default: utf-8; windows-1251 for --site ru)")  # fmt: skip


def wordpress_options_given(args: argparse.Namespace) -> list[str]:
    """The DLE-only options given with ``--site wordpress`` (which takes none of them)."""
    return [f"--{name}" for name in ("theme", "ratings", "comments", "deleted", "charset")
            if getattr(args, name) is not None]


def from_arguments(args: argparse.Namespace) -> Variant:
    return Variant(args.site, args.theme, args.ratings, args.comments, args.deleted, args.charset)
