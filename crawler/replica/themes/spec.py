"""What sets the engine themes apart: template files, date formats, pager bits, rating blocks, JSON style.

Every engine theme renders the same site data through its own ``.tpl`` files
(``data/<name>_*.tpl``); the engine's own markup (:mod:`crawler.replica.dle`)
is the same for all of them. ``dates="topwar"`` writes dates the way the
English edition's machine translation does (as the default theme does);
``"stock"`` uses DLE's ``langdate`` with the site's formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.replica.templates import Template

ICON_LIKE = '<svg title="Like" class="icon icon-like"><use xlink:href="#icon-like"></use></svg>'
ICON_DISLIKE = '<svg title="Dislike" class="icon icon-dislike"><use xlink:href="#icon-dislike"></use></svg>'

# The Default template's [rating-type-3] block (plus/minus) and [rating-type-4] block (likes/dislikes).
STOCK_PLUSMINUS = Template(
    '<div class="rate">\n\t\t\t\t<div class="rate_like-dislike">\n\t\t\t\t\t{plus}\n\t\t\t\t\t{rating}\n'
    "\t\t\t\t\t{minus}\n\t\t\t\t</div>\n\t\t\t</div>",
    "stock plus/minus rating",
)
STOCK_LIKES = Template(
    '<div class="rate">\n\t\t\t\t<div class="rate_like-dislike">\n'
    '\t\t\t\t\t<span class="ratingtypeplusminus ignore-select ratingplus">{likes}</span>\n\t\t\t\t\t{plus}\n'
    '\t\t\t\t\t<span class="ratingtypeplusminus ratingminus ignore-select">{dislikes}</span>\n\t\t\t\t\t{minus}\n'
    "\t\t\t\t</div>\n\t\t\t</div>",
    "stock likes/dislikes rating",
)
TOPWAR_PLUSMINUS = Template('<div class="votes">{plus}{rating}{minus}</div>', "topwar plus/minus rating")
TOPWAR_LIKES = Template(
    '<div class="votes votes--likes"><span class="votes__up">{likes}</span>{plus}'
    '<span class="votes__down">{dislikes}</span>{minus}</div>',
    "topwar likes/dislikes rating",
)
DRIFTED_PLUSMINUS = Template("{plus}{rating}{minus}", "drifted plus/minus rating")
DRIFTED_LIKES = Template('<i class="nv-up">{likes}</i>{plus}<i class="nv-down">{dislikes}</i>{minus}', "drifted likes")


@dataclass(frozen=True)
class ThemeSpec:
    """One engine theme."""

    name: str  # data/<name>_*.tpl
    skin: str  # /templates/<skin>/
    dates: str  # "stock" or "topwar"
    title_separator: str  # between the story title and the site name in <title>
    prev_inner: str  # what [prev-link]...[/prev-link] holds
    next_inner: str
    plusminus: Template
    likes: Template
    speedbar: str = '<div class="speedbar"><div class="over">{crumbs}</div></div>'  # {crumbs}: links joined by &raquo;
    sidebar_tags: str = ""  # the tags block in the sidebar of a story page ({tags}, labels); "" if none
    shows_ratings: bool = True
    stale_next: bool = True  # DLE 13/14's "next" link (see crawler.replica.dle.navigation)
    json: str = "dle14"  # "dle14": text/html, unescaped; "php": application/json, \/ and \uXXXX
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # per language, over the stock labels


SPECS = {
    "dle14": ThemeSpec(
        "dle14", "Default", "stock", " &raquo; ",
        '<svg class="icon icon-left"><use xlink:href="#icon-left"></use></svg>',
        '<svg class="icon icon-right"><use xlink:href="#icon-right"></use></svg>',
        STOCK_PLUSMINUS, STOCK_LIKES,
        sidebar_tags='\t\t\t\t\t<div class="block tags_block">\n\t\t\t\t\t\t<h4 class="title"><b>{l-tags}</b></h4>\n'
                     '\t\t\t\t\t\t<div class="tag_list">\n\t\t\t\t\t\t\t{tags}\n\t\t\t\t\t\t</div>\n\t\t\t\t\t</div>\n',
    ),
    "topwar": ThemeSpec(
        "topwar", "Topwar", "topwar", " - ",
        '<span class="pager__prev">&larr;</span>', '<span class="pager__next">&rarr;</span>',
        TOPWAR_PLUSMINUS, TOPWAR_LIKES, stale_next=False, json="php",
        speedbar='<div class="breadcrumbs fs-0875 c-muted">{crumbs}</div>',
    ),
    "smartphone": ThemeSpec(
        "smartphone", "smartphone", "stock", " &raquo; ",
        '<b class="pprev ico">{l-prev-page}</b>', '<b class="pnext ico">{l-next-page}</b>',
        STOCK_PLUSMINUS, STOCK_LIKES, shows_ratings=False, speedbar='<div id="speedbar">{crumbs}</div>',
    ),
    "drifted": ThemeSpec(
        "drifted", "Nova", "stock", " | ",
        '<span class="nv-back">&lsaquo;</span>', '<span class="nv-forward">&rsaquo;</span>',
        DRIFTED_PLUSMINUS, DRIFTED_LIKES, speedbar='<div class="nv-trail">{crumbs}</div>',
    ),
}  # fmt: skip

# DLE's date settings: timestamp_active (stories) and timestamp_comment, per site language.
STORY_DATE_FORMAT = {"en": "j F Y, H:i", "ru": "d-m-Y, H:i"}
COMMENT_DATE_FORMAT = {"en": "j M Y H:i", "ru": "d-m-Y, H:i"}
