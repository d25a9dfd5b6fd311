"""A replica of a WordPress news site ("The Meridian Times"), the second site to crawl and test against.

Where the DLE replica (:mod:`crawler.replica`) is one site through one
profile, this one is for the ``news`` spider, which knows no site: WordPress
6.4 with Yoast SEO 22 and the Twenty Twenty-One theme, as such a site
answers. It shares no code with the crawler (it reuses the DLE replica's
English text banks and comment grammar, read only). Start it with
``python -m crawler.replica --site wordpress --port 0 [--seed N]`` or
``newsarchive replica --site wordpress``: it prints ``http://127.0.0.1:PORT/``
and serves until SIGINT/SIGTERM, logging requests to stderr. In-process:
``crawler.replica.wordpress.server.make_site(seed)``.

Determinism: the site's clock is fixed at 12 March 2026 09:30 in its
timezone (``Europe/Berlin``; :data:`~crawler.replica.wordpress.model.ANCHOR`),
whatever the real clock says, so every page is byte-identical for a seed.
The seed (default 20260312) changes what ordinary posts say, their time of
day, kind, category, tags, images and comments; never the calendar nor
anything about the fixed posts below. Ids grow with time: a post's id is
``1000 + 5 × (days since 2025-09-01) + slot`` (slot 0 ordinary posts, 1 their
images, 2 fixed posts, 3 fixed images); a comment's is ``10 × (minutes since
2025-01-01 00:00 UTC) + slot`` (fixed comments take slots from 0, others from 5).

Content: 51 posts, all dated between 1 October 2025 and 12 March 2026.

- 40 ordinary posts, one every four days from 1 October 2025 to 6 March 2026
  (English, from the text bank; categories World, Defence, Industry, Analysis,
  History by the story's kind; 70 % with a featured image; 30 % without
  comments, the others 1-13 threads, replies up to 4 deep, some over two
  comment pages). On the home page, their categories, feeds and sitemaps.
- 11 fixed posts (paths relative to the site; all times Europe/Berlin):

  =============================================================================  =========================
  ``/2026/03/12/live-coastal-air-defence-drill-under-way-off-rostock/``           only in the news sitemap
  ``/2026/03/09/partner-content-how-shipyards-are-training-the-next-generation-of-welders/``  only in the feeds
  ``/2026/03/05/the-long-road-to-a-european-air-defence-shield/``                 41 comments, 3 pages
  ``/2026/02/27/correction-the-range-of-the-iris-t-slm/``                         only in the post sitemap
  ``/2026/02/24/warum-die-bundeswehr-mehr-als-geld-braucht/``                     German, 6 Leserbriefe
  ``/2026/02/12/readers-forum-should-conscription-return/``                       forum thread, 9 posts
  ``/2026/02/01/night-vote-in-the-bundestag-clears-the-way-for-new-frigates/``    00:40 local, 23:40 UTC
  ``/2026/01/20/frigate-sea-trials-delayed-until-spring/``                        renamed (301 from old slug)
  ``/2026/01/13/die-wehrpflicht-ist-keine-antwort/``                              German, 3 Leserbriefe
  ``/2025/10/14/from-the-archive-the-arctic-convoys-of-1942/``                    only on listings
  ``/dossier/the-baltic-sea-cables-a-dossier/``                                   no date anywhere
  =============================================================================  =========================

  * Live (id 1962, 12 March 2026 08:50, Marcus Reed, category Live): the Live
    category is hidden by a category-excluder plugin (no menu, home page,
    archive or feed shows it) and the post sitemaps were cached at 08:00, before
    it; only ``news-sitemap.xml`` lists it (the only post of the last 48 hours).
    No comments.
  * Partner content (id 1947, 9 March 2026 16:00, "Partner Desk", JSON-LD
    ``Article``): ``noindex, follow`` (so in no sitemap), its category in no
    menu and not on the home page, but in ``/feed/`` and ``/feed/atom/``.
  * Multi-page comments (id 1927, 5 March 2026 10:12, Helen Carter, Defence,
    tags Air defence, Germany, NATO, Poland): 41 comments in 25 threads, ten
    threads a comment page, newest page on the post's URL: comment page 1
    (``…/comment-page-1/``) threads 1-10 (20 comments), page 2 threads 11-20
    (14), page 3 = the post itself, threads 21-25 (7). Thread 1: 6168810
    Jonas Becker 10:21 (fixed text "Finally someone says it plainly: without
    common procurement there will be no common shield."), reply 6169120 by
    the author Helen Carter 10:52 (``bypostauthor``). Thread 3: 6168940 Piotr
    Zieliński (a link on his name) → 6169070 Siberian_Bear → 6169330 Piotr
    Zieliński. Thread 4, five levels: 6169020 Mavrikiy 10:42 → 6169160
    Doccor18 → 6169300 Mavrikiy → 6169450 Doccor18 → 6169670 Stirbjorn 11:47
    ("Five levels deep and we still agree on nothing. That is NATO in a
    nutshell.", no Reply link: the deepest level). Thread 10 (6170030
    Margaret Ellis) has two paragraphs. Threads of page 2 open with 6170320,
    6170470, … 6173420; page 3 with 6173920, 6174720, 6175920, 6177720,
    6183720 (Henrik Dahl, 6 March 11:12, "Late to the party, but: the radar gap
    over the Baltic is the real story here.", the last comment). Its image
    (attachment id 1928) has an attachment page,
    ``…/the-long-road-to-a-european-air-defence-shield/patriot-launcher-at-dawn/``,
    linked from the post body and from every page's "Photo of the week" widget:
    Yoast gives it ``og:type`` article and a ``WebPage`` with no Article node.
  * Correction (id 1897, 27 February 2026 09:15): category Corrections, shown
    nowhere but its own unlinked archive; in the post sitemap; not in feeds.
  * German commentary (id 1882, 24 February 2026 18:00, Katharina Vogel,
    category Meinung, ``lang="de-DE"``, JSON-LD ``["Article",
    "OpinionNewsArticle"]``): six letters to the editor in ``div.leserbrief``
    (author and town in ``span.leserbrief-autor``, ``<time datetime>`` with
    ``24. Februar 2026 um 19:35 Uhr``, text straight in ``div.leserbrief-text``
    with ``<br>``): 6044750 Hans-Peter Krüger, Kiel; 6045600 Dr. Ursula Brandt,
    Bonn; 6046800 Michael Schröder, Leipzig (two lines, fixed), with the
    editor's answer 6048000 (Katharina Vogel, ``div.leserbrief.antwort`` inside
    it); 6058200 Anke Weber, Rostock; 6072800 Jürgen Hahn, Augsburg.
    ``/2026/01/13/die-wehrpflicht-ist-keine-antwort/`` (id 1672) has three.
  * Readers' forum (id 1822, 12 February 2026 12:00, Marcus Reed, category
    Community, JSON-LD ``BlogPosting``): nine posts of a forum plugin,
    ``ul.thread > li#bb_message_N``, replies in a nested ``ul.thread``, the
    date as text (``12 Feb 2026, 12:31``): 5867450 Marcus Reed → {5867710 Jonas
    Becker → 5867870 Lena Hoffmann; 5868000 Old_Sapper → 5868140 Kasia W. →
    5868300 Old_Sapper; 5868700 Henrik Dahl; 5869500 Tom Whitfield → 5870000
    Margaret Ellis}.
  * Night vote (id 1767, 1 February 2026 00:40 local): the byline's
    ``<time datetime="2026-02-01T00:40:00+01:00">``, Yoast's
    ``article:published_time`` and JSON-LD ``2026-01-31T23:40:00+00:00`` (the
    same instant, the previous day in UTC). Three comments (5702450 Lena
    Hoffmann → 5702900 Tomasz Nowak, the author; 5707000 Old_Sapper) and a
    pingback (5708400, ``li.pingback``), so four declared.
  * Renamed (id 1707, 20 January 2026 14:05): the "Editor's picks" widget
    links its old URL ``/2026/01/20/frigate-trials-delayed/``, answered with a
    301 (``X-Redirect-By: WordPress``); the widget's other link is the night
    vote's URL without its trailing slash (301 to it).
  * Archive piece (id 1217, 14 October 2025 11:00, History): ``noindex`` (no
    sitemap), too old for the feeds; only on home page 5 and the History section.
  * Dossier (id 1467, custom post type ``dossier``): no date on the page at all
    (no ``<time>``, no ``article:*`` times; the theme's own JSON-LD
    ``Article`` without dates instead of Yoast's graph); listed on
    ``/dossier/`` (in the menu) and in ``dossier-sitemap.xml`` (lastmod
    8 March 2026 17:20).
- Deleted after the sitemap cache was built: the post sitemap still lists
  ``/2025/12/02/minister-visits-the-naval-base-in-kiel/`` (lastmod 2 December
  2025 10:00), which answers 404.
- Pages (not articles; Yoast still says ``og:type`` article): ``/about/`` (id
  2, four paragraphs), ``/privacy-policy/`` (id 3), ``/contact/`` (id 12, a
  Contact Form 7 form); in ``page-sitemap.xml`` (after the home page) and the
  footer menu.

URLs (links are absolute, to whatever host the request named)
-------------------------------------------------------------
``/`` and ``/page/N/`` (the home page: 47 posts, ten a page, so five pages;
hidden categories left out); ``/category/SLUG/`` (World, Defence, Industry,
Analysis, History, Meinung, Community in the menu; Live, Corrections,
Partner content unlinked), ``/tag/SLUG/``, ``/author/SLUG/``, ``/YYYY/``,
``/YYYY/MM/``, ``/YYYY/MM/DD/`` (each with ``page/N/``; ``page/1/`` is a 301 to
the archive, past the last page a 404), ``/dossier/``; posts at
``/YYYY/MM/DD/SLUG/`` with ``comment-page-N/`` (1 to the last; beyond: 404),
``feed/`` (the post's comments) and ``IMAGE-SLUG/`` (attachment pages);
``/dossier/SLUG/``; ``/about/``, ``/contact/``, ``/privacy-policy/``;
``/?p=ID`` (301 to the post, page or attachment); a known path without its
trailing slash: 301 to it. ``/robots.txt`` (``Sitemap:`` lines for
``/sitemap_index.xml``, ``/news-sitemap.xml`` and ``/wp-sitemap.xml``, which is
a 301 to the index, ``X-Redirect-By: Yoast SEO``); ``/sitemap_index.xml`` →
``/post-sitemap.xml`` and ``/post-sitemap2.xml`` (25 entries each, by lastmod),
``/page-sitemap.xml``, ``/dossier-sitemap.xml``, ``/category-sitemap.xml``,
``/post_tag-sitemap.xml``, ``/author-sitemap.xml``; ``/news-sitemap.xml``;
``/feed/`` (RSS 2.0) and ``/feed/atom/`` (Atom), the latest ten feed posts
(the partner post and nine others, from 9 March back to 12 February);
``/category/SLUG/feed/``; ``/comments/feed/`` (the latest ten comments,
linked as ``…/comment-page-N/#comment-ID`` on older pages). Every HTML page's
head links ``/feed/``, ``/comments/feed/`` and ``/feed/atom/``; a category's
also its own feed, a post's also its comments feed, a shortlink ``/?p=ID``
and oEmbed. Files: ``/wp-content/uploads/YYYY/MM/NAME.jpg`` (the same JPEG for
every image), the theme's ``style.css``. Anything else: the theme's 404 page,
status 404, WordPress's no-cache headers. Only GET and HEAD (405 otherwise).

Markup
------
Comments: core's HTML5 walker, ``ol.comment-list > li#comment-N.comment >
article#div-comment-N.comment-body > footer.comment-meta`` (``.comment-author
.fn``, ``.comment-metadata a > time[datetime]`` in local time with ``March 5,
2026 at 10:21 am``), ``div.comment-content`` (``<p>`` per paragraph), ``div.reply``
(``?replytocom=N#respond``), replies in ``ol.children``; ``even``/``odd``,
``thread-even``/``thread-odd``, ``depth-N``, ``parent`` and ``bypostauthor``
classes; the count in ``h2.comments-title`` ("41 comments") and in the
JSON-LD ``commentCount``; ``nav.comments-pagination`` with "Older comments",
numbers and "Newer comments". Posts: ``h1.entry-title``, a standfirst
(``p.entry-standfirst``) in the header, the byline (``a.url.fn.n`` author,
``time.entry-date.published`` and ``time.updated``), ``div.entry-content``
block paragraphs (curly quotes as ``&#8220;``/``&#8217;``), categories and
tags in the footer, an author box, previous/next post links. Yoast: title
``TITLE - The Meridian Times``, description, robots, canonical (comment pages
point theirs at the post), OpenGraph with UTC times, Twitter labels, the
``@graph`` (Article of the post's type, WebPage, ImageObject, BreadcrumbList,
WebSite, Organization, Person); archives ``og:type`` website,
``CollectionPage``/``ProfilePage``, ``rel=prev``/``rel=next``.

Wire: ``Server: nginx``; PHP's answers ``X-Powered-By: PHP/8.2.16``, ``Vary:
Accept-Encoding``, chunked, gzip when accepted, HTML with the REST API
``Link`` header (posts also ``rel=shortlink``); sitemaps ``text/xml`` with
``X-Robots-Tag: noindex, follow``; feeds ``application/rss+xml`` /
``application/atom+xml``; robots.txt, images and CSS with a Content-Length.
"""
