"""The pages of DLE's front controller ``/index.php?do=...`` and the site's static pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.replica.model import SITE_NAME, STORIES_PER_PAGE
from crawler.replica.reply import Reply, redirect
from crawler.replica.templates import Page, escape, join

if TYPE_CHECKING:
    from crawler.replica.routes import Router

REGISTER_FORM = (
    '<form method="post" action="{home}/index.php?do=register" class="register">'
    '<label>Login <input type="text" name="name"></label><br>'
    '<label>Password <input type="password" name="password1"></label><br>'
    '<label>E-mail <input type="email" name="email"></label><br>'
    '<button type="submit">Register</button></form>'
)
RULES = (
    "Comments must relate to the topic of the publication. Insults, obscene language, calls for violence, "
    "advertising and flooding are prohibited. The administration reserves the right to delete comments "
    "and block users who violate these rules without warning.<br><br>"
    "Materials of the site may be reprinted only with an active hyperlink to the source."
)


def index_php(router: Router, host: str, args: dict[str, str]) -> Reply | None:
    """``/index.php``: old-style story links, search, registration, contacts; else the main page."""
    if "newsid" in args:
        article = router.content.articles.get(int(args["newsid"])) if args["newsid"].isdigit() else None
        return None if article is None else redirect(f"http://{host}{article.path}")
    do = args.get("do", "")
    if do == "search":
        return _search(router, host, args.get("story", ""))
    if do == "register":
        return router.html(
            host,
            ("register",),
            lambda r: Page.from_markup(
                r.info("Registration", REGISTER_FORM.format(home=r.home), "Registration", "/index.php?do=register")
            ),
        )
    if do == "feedback":
        return router.html(
            host,
            ("feedback",),
            lambda r: Page.from_markup(
                r.info(
                    "Contacts",
                    "Editorial office: editor@topwar.ru. Advertising: adv@topwar.ru.",
                    "Feedback",
                    "/index.php?do=feedback",
                )
            ),
        )
    return router.html(host, ("main", 1), lambda r: r.listing(router.content.stories, 1, "/"))


def _search(router: Router, host: str, query: str) -> Reply:
    """Stories whose title holds *query*; rendered per request, like a real search."""
    renderer = router.renderer(host)
    words = query.strip().lower()
    found = [a for a in router.content.stories if words and words in a.title.lower()][:STORIES_PER_PAGE]
    heading = f"Search results for &laquo;{escape(query)}&raquo;: {len(found)}"
    content = join([f'<div class="berrors">{heading}</div>\n', *(renderer.short_story(a) for a in found)])
    markup = renderer.layout(title=f"Search - {SITE_NAME}", content=content, canonical="https://en.topwar.ru/")
    return Reply(page=Page.from_markup(markup))


def rules(router: Router, host: str) -> Reply | None:
    return router.html(
        host, ("rules",), lambda r: Page.from_markup(r.info("Rules of the site", RULES, "Rules", "/rules.html"))
    )
