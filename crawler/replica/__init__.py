"""A replica of a DataLife-Engine news site (en.topwar.ru, "Military Review"), to crawl and test against.

It is the project's embedded demo site and the crawler's test fixture. It
shares no code with the crawler: it writes pages as the CMS would, and the
spiders read them as a stranger's site. Start it with
``python -m crawler.replica --port 0 [--seed N] [--now ISO] [--clock ISO] [--articles N]`` or
``newsarchive replica [--articles N]``: it prints one line, ``http://127.0.0.1:PORT/``,
then serves until SIGINT/SIGTERM, logging requests to stderr. In-process:
``crawler.replica.server.make_site(seed, now, articles, theme=..., variant=...)`` gives a Twisted ``Site``.
Both commands also take the variant options of the section "Themes and
variants" below (``--site``, ``--theme``, ``--ratings``, ``--comments``,
``--deleted``, ``--charset``); without them the site is byte for byte what
this docstring describes first.

Determinism: the same seed, clock anchor (``now``, truncated to the minute,
Moscow time) and article count give byte-identical pages, except relative
dates (rendered per request against the real clock) and the ``Set-Cookie``
values. Every story listed below is the same for every seed and every
article count; only the ordinary stories between them change with the seed
(default seed 20200913). The anchor must not be earlier than 2026-11-01 (the
archive's newest stories are from late October 2026). Content: 200 stories
on the main listing by default (10 pages of 20), newest first, ids growing
with date (175000-249502); comment ids grow with posting time site-wide (ten
ids per minute; 10519713 is 13 Sep 2020 20:59).

Size: ``articles=N`` (21-10000; ``--articles N``) puts N stories on the main
listing, the 21 fixed ones included, so N/20 pages. The ordinary stories are
then a different draw from the seed (not a superset of the 200), between the
same dates with ids still growing with date. The fixed stories keep their
ids, URLs, comments, comment ids and texts whatever N is. The ten newest (the
five fresh ones, the blog post, 247801, 247744, 247705, 247610) are always
on main-listing page 1; the others sit by date, so their pages grow with N:
for N=2000 and the default seed, 244120 is on page 7, 238250 on 13, 226718 on
32, 213406 on 50, 207880 on 56, 201554 on 63, 193377 on 74, 186010 on 83,
179625 on 91, 176840 on 98 and 175112 on 100, the last (for 200: 2, 3, 4, 6,
6, 7, 8, 9, 10, 10, 10). Start-up draws the stories and the times of their
comments; an ordinary story's comment tree is drawn when a page first shows
it (N=2000 starts in about 0.4 s, N=10000 in about 1.2 s).

URLs (HOST is whatever the request's Host header says; links are absolute)
--------------------------------------------------------------------------
``/``, ``/page/N/`` main listing; sections ``/news/``, ``/armament/``,
``/history/``, ``/opinions/``, ``/analytics/`` (and ``.../page/N/``);
``/tags/<tag>/``; ``/user/<name>/`` (``+`` for spaces; cp1251-encoded on the
Russian page); ``/blogs/``; ``/robots.txt``; ``/sitemap.xml`` (every story but
the gone one and the blog); ``/rss.xml`` (latest 20);
``/engine/ajax/controller.php?mod=comments&cstart=N&news_id=ID&skin=Military&massact=disable``
(JSON ``{"navigation": ..., "comments": ...}``, PHP-style escaping ``\\/`` and
``\\uXXXX``; 20 threads per page; unknown news_id gives ``{"error": ...}``, a
page past the last gives empty strings; cstart below 1 or not a number means 1);
``/index.php?newsid=ID`` (301 to the story), ``/index.php?do=search|register|feedback``;
``/rules.html``; static files under ``/templates/Military/``, smileys
``/engine/data/emoticons/<name>.gif``, photos ``/uploads/posts/YYYY-MM/<file>.jpg``.
A story URL with a wrong slug answers 301 to the right one (as DLE does).
Anything else: DLE's 404 page, status 404, with Content-Length.

The fixed stories (same for every seed; main-listing page with 200 articles in brackets)
----------------------------------------------------------------------------------------
- Seed article (../shared/seed-page.txt): id 179625,
  ``/179625-a-source-reveals-the-kremlins-reaction-to-large-scale-protests-in-belarus.html``,
  section News, author Dmitry Sokolovsky, published 13 September 2020 15:24
  (``article:published_time`` 2020-09-13T15:24:00+03:00), tags Belarus, Russia,
  Vladimir Putin, Alexander Lukashenko, protests; six paragraphs split by
  ``<br><br>``, the photo between paragraphs 2 and 3, "Bloomberg" a link.
  Comments: 10519713 by Vladimir_2U, ``13 September 2020 20: 59``, score ``0``,
  quote + text; 10520063 by Sergey39, ``13 September 2020 21: 34``, score ``+2``,
  five ``<br>``-separated lines, the ``what`` smiley after ``??!``, ending ``IMHO``.
- 600+ comments: id 213406,
  ``/213406-main-battle-tanks-of-the-future-what-the-experience-of-recent-conflicts-says.html``:
  652 comments in 318 threads, 16 comment pages (pager elides middle pages with
  ``<span class="nav_ext">...</span>``). Nesting to depth 12; the fourth thread on
  page 1 (opener 24974073) holds a chain of 8 nested replies. The first thread
  opener (24973653) is deleted and keeps its 4 replies; 7 deleted in all.
  About 2 % of its comment dates are untranslated Russian (e.g. 24975693, page 1).
  JSON page ``cstart=7`` answers ``503 Service Temporarily Unavailable`` (nginx
  page, Content-Length) the FIRST time it is asked for in the server's life,
  then normally.
- Malformed JSON: id 207880 (118 comments, 3 pages),
  ``/207880-long-endurance-drones-of-the-future-what-the-experience-of-recent-conflicts-says.html``;
  its JSON page ``cstart=2`` is cut off at 60 % every time (pages 1 and 3 parse).
- Windows-1251, no charset anywhere (``Content-Type: text/html``, no meta charset),
  Russian: id 176840, ``/176840-chernomorskiy-flot-poluchil-novyy-patrulnyy-korabl.html``,
  title ``Черноморский флот получил новый патрульный корабль``, 5 comments dated
  ``7 апреля 2020 14:31`` ... ``8 апреля 2020 09:27`` (one with a named quote). [page 10]
- Missing title: id 247705, ``/247705-germany-to-receive-the-first-batch-of-pantsir-s1-air-defence-systems.html``:
  empty ``<h1>``, ``<title>Military Review</title>``, empty link text on listings. [page 1]
- Truncated: id 247801, ``/247801-a-new-modification-of-the-himars-was-shown-for-the-first-time.html``:
  stops mid-body (55 %), no comments block, no closing tags, sent with a
  Content-Length of the bytes sent (gzip-compressed when accepted). Listings say 9 comments. [page 1]
- Gone (listed, 404): id 247744, ``/247744-talks-on-arms-supplies-to-poland-reached-a-dead-end.html``. [page 1]
- Renamed (301): listings link ``/247610-the-project-22350-frigate-admiral-golovko-will-join-the-fleet-in-2029.html``,
  which answers 301 to ``/247610-construction-of-the-project-22350-frigate-admiral-golovko-fell-behind-schedule.html``. [page 1]
- Robots-disallowed blog post: ``/blogs/3117-notes-of-a-reservist-a-week-at-the-training-camp.html``
  (a short-story on main listing page 1; robots.txt disallows ``/blogs/``).
- No comments: id 244120, ``/244120-the-first-ah-64e-apache-entered-service-with-the-vietnamese-armed-forces.html``
  (count ``0``, no comments title, empty list). About 30 % of ordinary stories have none too.

Reader comments (``<div id="comm-id-ID">``)
-------------------------------------------
Word for word fixed: the seed article's two comments and the Russian page's
five (``data/seed_article.json``, ``data/russian_article.json``). Every other
comment is written on first view, from its own id, out of a phrase grammar
(``data/comments.json``: opinions, questions, sarcasm, memories of the army,
figures, words to the author; war memories and history talk under history
stories) filled with the story's weapon, country and maker and with figures
drawn per comment, so a sentence seldom repeats even among 652 comments.
About 30 % are one-liners, some run to several paragraphs (``<br><br>``).
Replies agree, disagree or ask, often naming the parent's author
(``Sergey39, you are right``), and a third quote the parent: a sentence, a
run of them or a fragment ending ``...``, with a ``Quote: Name`` header in
40 % of them, now and then point by point; a new thread may quote the story.
About 30 % carry typing slips (``teh``, ``definately``, ``dont``, lower-case
``i``, ``)))``, ``??``), 18 % a smiley, 6 % a pasted link (Wikipedia, YouTube,
Telegram, news sites; never the replica's host), 5 % bold or italics; 2 % of
replies are two smileys and nothing else. This wording may change; comment
ids, authors, dates, scores, deletions and tree shapes never depend on it.

Comment date variants (``<span class="comment__date">``)
--------------------------------------------------------
- ``13 September 2020 20: 59`` (machine translation's stray space): the default, everywhere not named here.
- ``13 September 2020 20:59``: all comments of id 193377 (``/193377-the-universal-landing-ship-tcg-anadolu-went-to-sea-for-factory-trials.html``).
- ``13.09.2020 20:59``: all comments of id 201554 (``/201554-is-the-leopard-2a7-really-as-good-as-it-is-said-to-be.html``).
- ``2020-09-13 20:59``: all comments of id 186010 (``/186010-the-bmp-3-hit-a-target-at-a-distance-of-3-km.html``).
- ``13 сентября 2020 20:59``: the cp1251 page; ~2 % of comments on ordinary stories and on 213406.
- ``31 Smarch 2020 25:61`` (comment 37974443) and an empty date (comment 37975203): id 238250,
  ``/238250-a-snap-combat-readiness-check-began-in-the-ashuluk-training-ground.html``.
- Relative dates, on the fresh stories (posted relative to the anchor A; comment ids depend on A):
  id 249305 (posted yesterday 08:30, listed as ``Yesterday 08:30``), DLE calendar style:
  comments at yesterday 09:12 (``Yesterday 09:12``), yesterday 11:47, yesterday 21:40
  (``Вчера, 21:40``), max(midnight, A-1h) (``Сегодня, HH:MM``, a reply), max(midnight, A-3h)
  (``Today, HH:MM``). Id 249418 (posted A-6h40m), "ago" style: A-5h (``5 hours ago``),
  A-3h15m (``3 часа назад``), A-2h10m (``2 hours ago``), A-40m (``40 minutes ago``),
  A-5m (``5 minutes ago``), each counted from the request time (after 24 h: ``Yesterday HH:MM``, then absolute).
  Id 249502 (posted A-30m, listed ``Today, HH:MM``), comments A-12m and A-4m (``Today, HH:MM``).
  Ids 249020 (A-79h) and 249160 (A-54h) are fresh stories with ordinary comments.
  Story dates (``short-story__date``, ``article__date``) are ``13 September 2020 18:40``,
  or ``Today, HH:MM`` / ``Yesterday HH:MM`` for the last two calendar days.

Comment score variants (``.comment__rating .ratingtypeplusminus``)
-----------------------------------------------------------------
``+2`` / ``0`` / ``-3`` (classes ratingplus / ratingzero / ratingminus) everywhere by
default (``-3``: comment 16493903 of 193377); on id 226718
(``/226718-a-new-modification-of-the-pantsir-s1-was-shown-for-the-first-time.html``)
the template writes `` +15 `` (comment 31443673), ``−3`` with U+2212 (31443883), `` 0 ``,
`` +2 ``; ``—`` (rating disabled, no vote buttons) on every comment of stories posted
before 1 March 2020, e.g. id 175112
(``/175112-the-tu-2-strengths-and-weaknesses-through-the-eyes-of-veterans.html``);
empty on deleted comments (``comment--deleted``, no author name, text
``Comment deleted by moderator.``), e.g. 16493893 on 193377 (it has replies).

The site over time (``--clock ISO`` or ``/__replica__/clock?now=ISO``)
--------------------------------------------------------------------
Until its clock is moved the replica serves the site as at its anchor, as
described above. Moved to a later moment, it serves the site as it stands
then: new stories every hour, new comments, moving scores, a removed comment,
and ``Last-Modified``/``ETag`` with ``304 Not Modified`` answers on story
pages and comment JSON. The rules are in :mod:`crawler.replica.timeline`, the
control URL in :mod:`crawler.replica.clockcontrol`.

Wire: ``Server: nginx``; PHP pages (HTML, JSON, XML) send ``X-Powered-By: PHP/7.4.33``,
``Vary: Accept-Encoding``, go chunked and gzip-compressed when Accept-Encoding allows;
story pages also send two ``Set-Cookie`` (PHPSESSID, dle_newpm) and ``Last-Modified``;
robots.txt, CSS/JS, images, 404 and 503 carry a Content-Length.

Themes and variants (``--theme``, ``--site``, ``--ratings``, ``--comments``, ``--deleted``, ``--charset``)
----------------------------------------------------------------------------------------------------------
The same data (stories, ids, authors, dates, scores, comment trees, texts)
marked up as real DataLife Engine sites do; only what a theme cannot show
differs (table below). ``military`` (the default) is everything above and
takes no engine options. The engine themes share DLE 13/14's own markup, read
from its sources (``engine/classes/comments.class.php``,
``engine/modules/functions.php`` ``ShowRating``/``ShowCommentsRating``,
``engine/ajax/comments.php``, ``engine/modules/show.full.php``, ``engine/engine.php``):

- every comment ``<div id='comment-id-N'>`` (single quotes), its text
  ``<div id='comm-id-N'>``; tree comments ``<ol class="comments-tree-list"><li
  id="comments-tree-item-N" class="comments-tree-item" >``, replies nested in
  their parent's item; all inside ``<form ... id="dlemasscomments"><div
  id="dle-comments-list">``;
- ratings as ``ShowCommentsRating`` writes them: ``--ratings guest``
  ``<span class="ratingtypeplusminus ignore-select ratingplus" >+5</span>``
  (no wrapper), ``member`` the same inside ``<span
  id="comments-ratig-layer-N" class="ignore-select">`` with ``doCommentsRate``
  vote links, ``likes`` the ``[rating-type-4]`` block: ``<span
  id="comments-likes-id-N" class="ignore-select">12</span>`` and ``<span
  id="comments-dislikes-id-N" class="ignore-select">3</span>``, each inside a
  ``ratingtypeplusminus`` span (``ratingplus`` / ``ratingminus``) that holds a
  counter, not the score (score = likes - dislikes; the counts are the same
  for a comment id in every theme). Stories before March 2020 show no
  rating at all (the default theme's ``—``);
- story ratings likewise (``ratig-layer-ID`` for a member only);
- the comment pager ``build_navigation``: ``<div
  class="dle-comments-navigation">`` around the theme's ``navigation.tpl``;
  page N links ``/page,1,N,ID-slug.html#comment`` (page 1: the story) with
  ``onclick="CommentsPage('N', 'ID', '/page,1,N,ID-slug.html#comment'); return false;"``;
  more than ten pages windowed with ``<span class="nav_ext">...</span>``. In
  the stock themes the "next" link keeps DLE 13/14's slip: its ``href`` is the
  absolute URL of the next page, its ``onclick`` names the LAST page. Those
  URLs answer too: ``/page,1,N,ID-slug.html`` is the story with comment page
  N (``<title>Story &raquo; Page N &raquo; Site``); past the last page, 301 to the story;
- ``/engine/ajax/controller.php?mod=comments&cstart=N&news_id=ID`` answers
  ``{"navigation": ..., "comments": ...}``; without ``massact=disable`` the
  comments end with ``<div id="dle-ajax-comments"></div>`` (DLE's own
  ``CommentsPage`` script does not send ``massact``). Stock themes: served as
  ``Content-Type: text/html; charset=utf-8`` (or ``windows-1251``), encoded
  like ``json_encode(..., JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)``
  (a windows-1251 site's answer is pure ASCII with ``\\uXXXX``), ``"navigation":null``
  when the story has one page; an unknown news_id answers ``Hacking attempt!``.
  ``topwar``: as the default theme (``application/json``, ``\\/`` and ``\\uXXXX``);
- dates: stock themes use DLE's ``langdate`` with the site's formats, Moscow
  time from the tz database: English stories ``13 September 2020, 15:24``,
  comments ``13 Sep 2020 20:59``; Russian ``14-10-2011, 09:15`` for both;
  ``Today, 14:05`` / ``Yesterday, 09:12`` (``Сегодня, 14:05`` / ``Вчера, 09:12``) by
  calendar day of the request, so the "ago" story 249418 shows calendar words
  too. ``topwar`` writes the default theme's dates (``13 September 2020 20: 59``,
  ``Yesterday 09:12``, untranslated Russian ones...). Corrupted dates (238250)
  are shown as they are in every theme;
- ``{full-story}`` with no wrapper (no ``news-id-N``); the photo credit only in
  ``topwar`` (``div.article-sources``), never in the body;
- ``{headers}``: ``<meta charset="utf-8">`` (windows-1251: only ``<meta
  http-equiv="Content-Type" content="text/html; charset=windows-1251">`` and an
  HTTP ``Content-Type: text/html`` without charset), ``<title>Story &raquo;
  Site</title>`` (``topwar``: `` - ``, ``drifted``: `` | ``), ``og:site_name``,
  ``og:type``, ``og:title``, ``og:url``, ``news_keywords`` (the tags),
  ``og:image``, ``og:description``, canonical; no ``article:published_time``,
  no JSON-LD. The windows-1251 story 176840 stays undeclared in every theme
  (Russian labels; stock themes date it ``07-04-2020, 12:05``, ``topwar`` as the default theme);
- deleted comments: ``--deleted absent`` is stock DLE 14: the row is gone. With
  tree comments its replies go too (``deletecomments()`` deletes them when
  ``tree_comments`` is on, and ``build_tree`` drops replies whose parent row is
  missing), so the whole sub-thread is absent; with ``--comments flat`` only
  the comment goes and its replies stay. ``--deleted blanked``: a moderator
  replaced the text with ``Comment deleted by moderator.`` (``Комментарий
  удалён модератором.``); author, date, score and replies stay. Counts
  (``{comments-num}``, listings) are of the comments shown.
- ``--comments flat`` (tree comments off): comments one after another in id
  (posting) order, 20 per page, no ``comments-tree-*`` markup, no reply links:
  a reply is recognisable only by its quote.

Themes: ``topwar`` the current en.topwar.ru theme as public scrapers read it
(``h1.heading`` with classes ``heading fs-15 fs-sm-2 fs-md-2 font`` inside
``article``, ``div.meta.fs-0875.c-muted.fw-b`` holding ``a.meta__author`` and
``time.meta__time[datetime]`` (ISO with offset), body ``div.pfull-cont.text``
ending in an advertising ``div.banner-full-story``, listing links
``a.item-link`` (text = title), listing pager ``nav.pages-list`` whose last
link is the last page; comments in engine markup with ``a.comment__name``,
``span.comment__time``, ``div.comment__votes`` (these comment classes are
the replica's guess: no public scraper shows them). ``dle14`` the stock
"Default" template of DLE 13/14 (``templates/Default/*.tpl``). ``smartphone``
DLE's mobile template (``templates/smartphone/*.tpl``). ``drifted`` a redesign
nobody has a profile for: every theme class is new (``nv-*``), the engine's
markup stays.

What a reader can recover, per theme (default options):

- ``topwar``: title ``article h1.heading`` (and og:title); published time
  ``time.meta__time[datetime]`` (full ISO with offset); author ``a.meta__author``;
  body ``div.pfull-cont.text`` minus ``div.banner-full-story``; tags
  ``.article-tags a``; count ``a.meta__comments``; comments: id, parent and
  depth from the engine markup, author ``a.comment__name``, date
  ``span.comment__time``, score the guest span, text and quotes in ``comm-id-N``.
  A deleted comment is blanked: it is there with its author, date, score and
  replies, and its text ``Comment deleted by moderator.``; nothing in the
  markup says it was deleted.
- ``dle14`` (and ``--site ru``): title ``.fullstory h2.title`` (og:title, and
  ``<title>`` before `` &raquo; Site``); published time only in the text of
  ``.story_date time`` (its ``datetime`` is ``Y-m-d``: no time of day); author
  ``.story_date a``; body ``.fullstory .text``; tags ``.tag_list a`` in the
  sidebar and ``<meta name="news_keywords">``; count ``#dle-comm-link`` and
  ``.hnum``; comments: id from ``comment-id-N`` (``div.comment[id]`` is the
  comment's number on the page, not its id), parent and depth from the tree
  (also ``dle_reply('ID', 'depth', ...)``), author ``b.name a``, date
  ``.com_user .grey``, score the guest span. A deleted comment is absent, and so
  are its replies: what a reader cannot recover at all.
- ``smartphone``: title ``.fullstory h1.title a``; published time the text of
  ``li.idate``; author ``li.iauthor a``; body ``.post-cont``; tags only in
  ``news_keywords``; count the text of ``.commentbox h3`` (``Comments (N)``);
  comments: ``<div id="comid-N" class="comment vcard">`` (N is the position on
  the page) inside ``comment-id-ID``, tree as above, author ``b.arg.fn``, date
  the first ``span.arg``; no scores at all; the comment pager has only
  previous/next links (no page numbers; the "next" ``onclick`` names the last page).
- ``drifted``: only what no theme changes: og:title and ``<title>``, the
  engine's comment markup (ids, tree, ``comm-id-N`` text, rating spans); the
  story's date, author and body, and the comments' authors and dates, sit in
  classes nobody knows (``nv-*``); there is no ``<time>`` and no ``h1``/``h2``.

With ``--comments flat`` no theme shows parent or depth (a reply only quotes);
with ``--ratings likes`` the score is likes - dislikes; with ``--ratings member``
the spans sit in ``comments-ratig-layer-N`` / ``ratig-layer-ID`` wrappers.

Russian site (``--site ru``): "Военный вестник", stock DLE markup (``dle14``
by default; ``smartphone`` and ``drifted`` too), windows-1251 declared only by
``<meta http-equiv>``, Russian labels, 200 stories by default (7 fixed, 21-2000).
Fixed stories (same for every seed; ``+04:00`` until 2014-10-26 02:00):

- 1204 ``/1204-na-urale-proshli-ucheniya-motostrelkov.html`` ``14-10-2011, 09:15`` (3 comments,
  ids 31277-31390, a reply that names its parent, a smiley in the markup DLE 9
  stored: ``<!--smile:wink--><img style="..." alt="wink" src="..." /><!--/smile-->``);
- 2877 ``/2877-v-kronshtadte-spustili-na-vodu-tralshchik.html`` ``17-05-2012, 18:40``: 6 comments
  58112-58233, a named quote (``Цитата: Штурман``), a reply chain of depth 2,
  58171 deleted with its reply 58204 (absent in tree mode), a smiley;
- 4410 ``/4410-rakety-dlya-s-400-vypusk-uvelichat.html`` ``02-08-2013, 12:30``: a chain of depth 3, ``<br><br>``;
- 5391 ``/5391-flot-poluchil-dizelnuyu-podlodku.html`` ``25-10-2014, 22:40`` (+04:00), its comments
  ``25-10-2014, 23:55`` (+04:00) and ``26-10-2014, 10:05`` (+03:00);
- 5398 ``/5398-chasy-pereveli-na-zimnee-vremya-armiya.html`` ``26-10-2014, 12:20`` (+03:00);
- fresh: 40210 posted yesterday 10:05 (``Вчера, 10:05``; comments yesterday
  11:20 and 13:42, today anchor-150 min and anchor-35 min, never before
  midnight), 40255 posted anchor-200 min (``Сегодня, HH:MM``).

The drawn stories (2015-2026, ids 6000-39999) have titles and bodies from
``data/ru_bank.json``, up to 40 comments each (ids from 200000, ten per
minute), Russian comments from a phrase grammar, now and then a named quote
or a smiley as DLE 14 stores it (``<!--smile:wink--><img alt="wink" class="emoji" src="..."><!--/smile-->``).
"""
