"""The small rules under generic extraction, as tables: printed dates, the comment vocabulary, stated times.

The golden pages in ``tests/fixtures/generic*/`` show the rules at work on
whole pages; these tables pin down the readers they are built from.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from lxml import html

from crawler.pages.comment_vocabulary import Role, is_comment_word, part_role, token_role
from crawler.pages.dates import stated_timestamp
from crawler.pages.visible_dates import dates_in, find_date, month_of

CAPTURED = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("text", "expected"), [
    ("Stand: 28.04.2020 18:00 Uhr", (2020, 4, 28, 18, 0)),
    ("Publiziert: 03.04.2020, 12:35", (2020, 4, 3, 12, 35)),
    ("April 9, 2020 at 12:13 pm", (2020, 4, 9, 12, 13)),
    ("Nov 2, 2023 5:01 a.m.", (2023, 11, 2, 5, 1)),
    ("Sept. 3rd, 2021", (2021, 9, 3, None, None)),
    ("9 avril 2020 à 12h13", (2020, 4, 9, 12, 13)),
    ("9 de abril de 2020", (2020, 4, 9, None, None)),
    ("3 marzo 2024, 19:45", (2024, 3, 3, 19, 45)),
    ("3. Okt. 2019", (2019, 10, 3, None, None)),
    ("13 сентября 2020, 20:59", (2020, 9, 13, 20, 59)),
    ("20 травня 2024", (2024, 5, 20, None, None)),
    ("2019年6月24日 11時30分", (2019, 6, 24, 11, 30)),
    ("2023-11-02 14:00", (2023, 11, 2, 14, 0)),
    ("13/09/2020 8:05 PM", (2020, 9, 13, 20, 5)),
    ("04/09/2020", (2020, 9, 4, None, None)),  # day first unless the page is in US English
    ("vor 11 Wochen", None),  # relative: needs the capture time, not read here
    ("8 minutes ago", None),
    ("18.00 Uhr", None),  # a time, not a date
    ("24.06.", None),  # no year
])
def test_find_date(text: str, expected: tuple | None) -> None:
    found = find_date(text)
    assert (None if found is None else (found.year, found.month, found.day, found.hour, found.minute)) == expected


@pytest.mark.parametrize(("text", "month_first", "expected"), [
    ("04/09/2020", True, (2020, 4, 9)),
    ("04/09/2020", False, (2020, 9, 4)),
    ("13/09/2020", True, (2020, 9, 13)),  # no 13th month: day first whatever the language
])
def test_find_date_slashed(text: str, month_first: bool, expected: tuple) -> None:
    found = find_date(text, month_first=month_first)
    assert found is not None and (found.year, found.month, found.day) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("[06月24日 11時30分]", (None, 6, 24, 11, 30)),
    ("24. Mai, 11:30 Uhr", (None, 5, 24, 11, 30)),
])
def test_find_date_without_year(text: str, expected: tuple) -> None:
    assert find_date(text) is None
    found = find_date(text, need_year=False)
    assert found is not None and (found.year, found.month, found.day, found.hour, found.minute) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Risk assessment of 26 February 2020, updated 2020-03-02", {(2020, 2, 26), (2020, 3, 2)}),
    ("2 min 04.04.2020", {(2020, 4, 4)}),
    ("Posted 04/09/2020 and 5/10/20", {(2020, 9, 4), (2020, 10, 5)}),
    ("24.06. um 18.00 Uhr", set()),  # no year: not a day the page can be said to print
])
def test_dates_in(text: str, expected: set[tuple[int, int, int]]) -> None:
    assert {(found.year, found.month, found.day) for found in dates_in(text)} == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("Sept.", 9), ("févr", 2), ("Okt", 10), ("mai", 5), ("März", 3), ("июня", 6), ("listopada", 11),
    ("ju", None), ("minutes", None), ("stand", None),
])
def test_month_of(word: str, expected: int | None) -> None:
    assert month_of(word) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("comment", True), ("comments", True), ("commentlist", True), ("kommentare", True), ("leserbrief", True),
    ("leserbriefe", True), ("réactions", True), ("reaction", True), ("commento", True), ("commenti", True),
    ("comentarios", True), ("commentaire", True), ("komentarz", True), ("комментарий", True), ("коментарі", True),
    ("reply", True), ("disqus", True),
    ("commentary", False), ("commentator", False), ("comma", False), ("post", False), ("message", False),
])
def test_is_comment_word(word: str, expected: bool) -> None:
    assert is_comment_word(word) is expected


@pytest.mark.parametrize(("token", "weak", "expected"), [
    ("comment", False, Role.AREA),
    ("comment-list", False, Role.AREA),
    ("li-comment-1021", False, Role.AREA),
    ("comment-content", False, Role.TEXT),
    ("c-comment-card__text", False, Role.TEXT),
    ("commentText", False, Role.TEXT),
    ("texte-commentaire", False, Role.TEXT),  # the role word just before the comment word
    ("comm-id-501", False, Role.TEXT),  # DataLife Engine's comment text
    ("comment-author", False, Role.AUTHOR),
    ("leserbrief-autor", False, Role.AUTHOR),
    ("commentDate", False, Role.TIME),
    ("comments-likes-id-7", False, Role.SCORE),
    ("comment-form", False, Role.OTHER),
    ("comments-title", False, Role.OTHER),
    ("comment-reply-link", False, Role.OTHER),
    ("leserbrief-kopf", False, Role.OTHER),
    ("text-site--comments", False, Role.AREA),  # words further before name something else
    ("bb_message_7001", False, None),  # "message" names a comment only inside a comment area or thread
    ("bb_message_7001", True, Role.AREA),
    ("post-message", True, Role.TEXT),
    ("sidebar", False, None),
])
def test_token_role(token: str, weak: bool, expected: Role | None) -> None:
    assert token_role(token, weak=weak) is expected


@pytest.mark.parametrize(("markup", "expected"), [
    ('<span class="nickname">x</span>', Role.AUTHOR),
    ('<span class="autore">x</span>', Role.AUTHOR),
    ('<span class="автор">x</span>', Role.AUTHOR),
    ('<div class="zeit">x</div>', Role.TIME),
    ('<div class="testo">x</div>', Role.TEXT),
    ('<div class="quote">x</div>', Role.QUOTE),
    ('<div class="title_quote">x</div>', Role.OTHER),
    ('<div class="_1qeIAgB0cPwnLhDF9XSiJM">x</div>', None),  # generated class names say nothing
])
def test_part_role(markup: str, expected: Role | None) -> None:
    assert part_role(html.fragment_fromstring(markup)) is expected


@pytest.mark.parametrize(("raw", "offset", "expected"), [
    ("2024-04-12T10:02:11+01:00", None, "2024-04-12T10:02:11+01:00"),  # as written
    ("2024-04-12T10:02:11Z", timedelta(hours=2), "2024-04-12T10:02:11+00:00"),  # an offset given is kept
    ("2020-04-22 07:33:47", timedelta(hours=2), "2020-04-22T07:33:47+02:00"),  # wall time in the page's offset
    ("2020-04-22 07:33:47", None, None),  # no offset anywhere: no timestamp, the raw text stays
    ("13 сентября 2020 20:59", timedelta(hours=3), "2020-09-13T20:59:00+03:00"),
    ("Tuesday, May 14, 2024 9:05 AM", timedelta(hours=1), "2024-05-14T09:05:00+01:00"),
    ("29.04.2020", timedelta(hours=2), None),  # a day is not a time
    ("6 years ago", timedelta(hours=2), None),
    ("2024-06-05T10:00:00+00:00", None, None),  # after the capture
])
def test_stated_timestamp(raw: str, offset: timedelta | None, expected: str | None) -> None:
    assert stated_timestamp(raw, page_offset=offset, not_after=CAPTURED) == expected
