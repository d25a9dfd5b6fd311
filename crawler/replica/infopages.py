"""The pages of DLE's front controller ``/index.php?do=...`` and the site's static pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.replica.model import STORIES_PER_PAGE
from crawler.replica.reply import Reply, redirect

if TYPE_CHECKING:
    from crawler.replica.routes import Router

REGISTER_FORM = (
    '<form method="post" action="{home}/index.php?do=register" class="register">'
    '<label>Login <input type="text" name="name"></label><br>'
    '<label>Password <input type="password" name="password1"></label><br>'
    '<label>E-mail <input type="email" name="email"></label><br>'
    '<button type="submit">Register</button></form>'
)
FEEDBACK = "Editorial office: editor@topwar.ru. Advertising: adv@topwar.ru."
RULES = (
    "Comments must relate to the topic of the publication. Insults, obscene language, calls for violence, "
    "advertising and flooding are prohibited. The administration reserves the right to delete comments "
    "and block users who violate these rules without warning.<br><br>"
    "Materials of the site may be reprinted only with an active hyperlink to the source."
)
# (heading, message, <title>) of each page, per site language.
TEXTS = {
    "en": {"register": ("Registration", REGISTER_FORM, "Registration"),
           "feedback": ("Contacts", FEEDBACK, "Feedback"),
           "rules": ("Rules of the site", RULES, "Rules")},
    "ru": {"register": ("Регистрация", REGISTER_FORM.replace("Login", "Логин").replace("Password", "Пароль")
                        .replace("Register", "Зарегистрироваться"), "Регистрация"),
           "feedback": ("Контакты", "Редакция: info@voenvestnik.ru.", "Обратная связь"),
           "rules": ("Правила сайта", ("Комментарии должны относиться к теме публикации. Оскорбления, мат и "
                                       "реклама запрещены."), "Правила")},
}  # fmt: skip


def index_php(router: Router, host: str, args: dict[str, str]) -> Reply | None:
    """``/index.php``: old-style story links, search, registration, contacts; else the main page."""
    if "newsid" in args:
        article = router.content.articles.get(int(args["newsid"])) if args["newsid"].isdigit() else None
        return None if article is None else redirect(f"http://{host}{article.path}")
    do = args.get("do", "")
    if do == "search":
        return _search(router, host, args.get("story", ""))
    if do in ("register", "feedback"):
        heading, message, title = TEXTS[router.content.site.lang][do]
        return router.html(host, (do,), lambda r: r.info_page(heading, message.replace("{home}", r.home), title,
                                                              f"/index.php?do={do}"))  # fmt: skip
    return router.html(host, ("main", 1), lambda r: r.listing(router.content.stories, 1, "/"))


def _search(router: Router, host: str, query: str) -> Reply:
    """Stories whose title holds *query*; rendered per request, like a real search."""
    words = query.strip().lower()
    found = [a for a in router.content.stories if words and words in a.title.lower()][:STORIES_PER_PAGE]
    return Reply(page=router.renderer(host).search(query, found))


def rules(router: Router, host: str) -> Reply | None:
    heading, message, title = TEXTS[router.content.site.lang]["rules"]
    return router.html(host, ("rules",), lambda r: r.info_page(heading, message, title, "/rules.html"))
