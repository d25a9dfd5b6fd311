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
    (lambda t: t.replace('item = "div.short-story"', 'itme = "div.short-story"'),
     "test.toml [listing]: unknown keys ['itme'], missing keys ['item']"),
    (lambda t: t.replace("^Used photos:", "^Used (photos:"),
     "test.toml boilerplate: bad regular expression '^Used (photos:'"),
    (lambda t: t + "\n[[oops", "test.toml: not valid TOML"),
])
def test_malformed_profiles_fail_naming_file_and_key(edit, message):
    with pytest.raises(ProfileError) as raised:
        parse_profile(edit(_topwar_text()), "test.toml")
    assert str(raised.value).startswith(message)
