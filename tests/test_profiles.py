"""Site profiles load from TOML, answer URL questions, and fail early when malformed."""

import pytest

from crawler.profiles import ProfileError, load_profile, parse_profile, profile_for_host


@pytest.mark.parametrize(("path", "article_id"), [
    ("/179625-superkamazy-bronja-i-730-loshadinyh-sil.html", "179625"),
    ("/blogs/180010-a-user-blog-post.html", "180010"),
    ("/news/175941-a-source-reveals.html", "175941"),
    ("/page/2/", None),
    ("/", None),
    ("/engine/ajax/controller.php", None),
    ("/uploads/posts/2020-09/1600012345_photo.jpg", None),
    ("/179625-slug.html/comments", None),
])
def test_topwar_recognizes_article_urls(path, article_id):
    assert load_profile("topwar").article_id(path) == article_id


@pytest.mark.parametrize(("host", "name"), [
    ("en.topwar.ru", "topwar"),
    ("www.en.topwar.ru", "topwar"),
    ("EN.TOPWAR.RU", "topwar"),
    ("127.0.0.1", None),
    ("topwar.example", None),
])
def test_profile_for_host(host, name):
    profile = profile_for_host(host)
    assert (profile.name if profile else None) == name


def test_unknown_profile_lists_the_available_ones():
    with pytest.raises(ProfileError, match=r"no site profile 'nosuch'; available: .*topwar"):
        load_profile("nosuch")


def _topwar_text() -> str:
    from importlib import resources
    return (resources.files("crawler.profiles") / "topwar.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace('timezone = "Europe/Moscow"', 'timezone = "Europe/Nowhere"'),
     "test.toml: unknown timezone 'Europe/Nowhere'"),
    (lambda t: t.replace("(?P<id>\\d+)", "(\\d+)"),
     "test.toml [urls] article: the pattern needs a named group 'id'"),
    (lambda t: t.replace('item = ["div.item"', 'itme = ["div.item"'),
     "test.toml [listing]: unknown keys ['itme'], missing keys ['item']"),
    (lambda t: t.replace("^Used photos:", "^Used (photos:"),
     "test.toml boilerplate: bad regular expression '^Used (photos:'"),
    (lambda t: t + "\n[[oops", "test.toml: not valid TOML"),
])
def test_malformed_profiles_fail_naming_file_and_key(edit, message):
    with pytest.raises(ProfileError) as raised:
        parse_profile(edit(_topwar_text()), "test.toml")
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace('''comment = ["div[id^='comment-id-']"''', '''comment = ["li > div[id^='comment-id-']"'''),
     ("test.toml [comments] comment: \"li > div[id^='comment-id-']\": only element names, #id, .class, "
      "[attribute] tests and :not() of those (no combinators or pseudo-classes)")),
    (lambda t: t.replace('''thread = "li.comments-tree-item"''', '''thread = "li:first-child"'''),
     "test.toml [comments] thread: 'li:first-child': only element names"),
    (lambda t: t.replace('''date = ["span[class*='comment__date']"''', '''date = ["span.comment__date::text"'''),
     "test.toml [comments] date: pseudo-elements (::text, ::attr()) are not supported here"),
    (lambda t: t.replace('''text = "div[id^='comm-id-']"''', '''text = ".//div[starts-with(@id, 'comm-id-')]"'''),
     "test.toml [comments] text: not a CSS selector"),
    (lambda t: t.replace('expect = ["date", "score"]', 'expect = ["date", "scores"]'),
     "test.toml [comments] expect: expected a list of some of ['date', 'score'], got ['date', 'scores']"),
    (lambda t: t.replace("id_pattern = '(?:comment-id|comid)-(\\d+)'", "id_pattern = 'comment-id-(\\d+'"),
     "test.toml [comments] id_pattern: bad regular expression 'comment-id-(\\\\d+'"),
])
def test_unusable_comment_selectors_fail_naming_file_and_key(edit, message):
    text = edit(_topwar_text())
    assert text != _topwar_text()
    with pytest.raises(ProfileError) as raised:
        parse_profile(text, "test.toml")
    assert str(raised.value).startswith(message)


# Comment selectors test one element by itself; each row: selector, the element, whether it matches
# (the same as parsel's XPath for the selector, checked alongside).
@pytest.mark.parametrize(("css", "markup", "matches"), [
    ("div", "<div></div>", True),
    ("div", "<span></span>", False),
    ("DIV", "<div></div>", True),
    ("*", "<p></p>", True),
    (".a", '<p class="x a y"></p>', True),
    (".a", '<p class="xa ay"></p>', False),
    (".a", '<p class="x\ta\ny"></p>', True),
    (".a", "<p></p>", False),
    ("ol.comments-tree-list", '<ol class="comments-tree-list"></ol>', True),
    ("ol.comments-tree-list", '<ul class="comments-tree-list"></ul>', False),
    ("#c1", '<p id="c1"></p>', True),
    ("#c1", '<p id="c10"></p>', False),
    ("[data-x]", '<p data-x=""></p>', True),
    ("[data-x]", "<p></p>", False),
    ("[rel='canonical']", '<link rel="canonical">', True),
    ("[rel='canonical']", '<link rel="Canonical">', False),
    ("[class~='b']", '<p class="a b"></p>', True),
    ("[class~='b']", '<p class="a bb"></p>', False),
    ("[lang|='en']", '<p lang="en-GB"></p>', True),
    ("[lang|='en']", '<p lang="en"></p>', True),
    ("[lang|='en']", '<p lang="english"></p>', False),
    ("[class*='quote']", '<div class="title_quote"></div>', True),
    ("[class*='']", '<div class="x"></div>', False),
    ("div[id^='comment-id-']", '<div id="comment-id-5"></div>', True),
    ("div[id^='comment-id-']", '<div id="xcomment-id-5"></div>', False),
    ("img[src$='.gif']", '<img src="/emoticons/smile.gif">', True),
    ("img[src$='.gif']", '<img src="/smile.gif?x">', False),
    ("div[class*='quote']:not([class*='title_quote'])", '<div class="quote"></div>', True),
    ("div[class*='quote']:not([class*='title_quote'])", '<div class="title_quote"></div>', False),
    ("p:not(.x)", '<p class="y"></p>', True),
    ("p:not(.x)", '<p class="x y"></p>', False),
    ("*:not(p)", "<span></span>", True),
    ("*:not(p)", "<p></p>", False),
    ("a[class*='author'], span[class*='author']", '<span class="comment__author"></span>', True),
    ("a[class*='author'], span[class*='author']", '<b class="comment__author"></b>', False),
    ("img[src*='/emoticons/'], img[class*='emoji']", '<img class="emoji" src="/e/1.png">', True),
])
def test_comment_selectors_test_one_element(css, markup, matches):
    from lxml import html
    from parsel import Selector

    from crawler.markup.selectors import ElementSelector

    element = html.fragment_fromstring(markup)
    assert ElementSelector(css)(element) is matches
    assert bool(Selector(root=element).css(f"{css}")) is matches  # parsel agrees


@pytest.mark.parametrize(("css", "markup", "first_id"), [
    ("span.b", '<div><p><span class="b" id="1"></span></p><span class="b" id="2"></span></div>', "1"),
    ("div", '<div id="root"><div id="inner"></div></div>', "root"),
    ("p, span", '<div><span id="s"></span><p id="p"></p></div>', "s"),
    ("*:not(div)", '<div><b id="b"></b></div>', "b"),
    ("span.c", '<div><span id="x"></span></div>', None),
    ("div > span", '<div><p><span id="deep"></span></p><span id="child"></span></div>', "child"),
])
def test_css_first_is_the_first_match_in_page_order_root_included(css, markup, first_id):
    from lxml import html

    from crawler.markup.selectors import Css

    found = Css(css).first(html.fragment_fromstring(markup))
    assert (found.get("id") if found is not None else None) == first_id


@pytest.mark.parametrize("css", ["a::text", "a::attr(href)", "a"])
def test_css_strings_do_not_keep_their_page_alive(css):
    """lxml's "smart" strings hold their parent element, and so the whole page, for as long as an item keeps them."""
    from lxml import html

    from crawler.markup.selectors import Css

    for found in Css(css)(html.fragment_fromstring('<div><a href="/x">x</a></div>')):
        assert type(found) is str or found.tag == "a"
