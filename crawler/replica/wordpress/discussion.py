"""Comment sections of the WordPress replica, in three vocabularies.

- ``wordpress``: ``wp_list_comments()`` with the HTML5 walker of core's
  ``class-walker-comment.php`` (``ol.comment-list > li#comment-N.comment >
  article#div-comment-N.comment-body``, replies in ``ol.children``), paged by
  top-level comment with the newest page on the post's own URL, as the
  "newest" default of Settings > Discussion shows them;
- ``leserbrief``: a German letters-to-the-editor plugin (``div.leserbrief``,
  replies nested inside their letter, text straight in the div with ``<br>``);
- ``forum``: a forum plugin's thread (``ul.thread > li#bb_message_N``), its
  dates as plain text (``12 Feb 2026, 12:31``).
"""

from __future__ import annotations

import hashlib

from crawler.replica.wordpress.model import MAX_DEPTH, THREADS_PER_PAGE, Comment, Post
from crawler.replica.wordpress.theme import attr, clock, fragment, long_date, text, wp_title

MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def comment_page_url(post_url: str, post: Post, number: int) -> str:
    """``get_comments_pagenum_link()``: the newest page is the post itself, older ones ``comment-page-N/``."""
    return post_url if number == post.comment_pages else f"{post_url}comment-page-{number}/"


def page_of(post: Post, comment: Comment) -> int:
    root = comment
    while root.parent is not None:
        root = root.parent
    return post.threads.index(root) // THREADS_PER_PAGE + 1


def wordpress_comments(post: Post, post_url: str, number: int) -> str:
    count = len(post.comments)
    title = "1 comment" if count == 1 else f"{count} comments"
    listing = ""
    if count:
        counters = {"all": 0, "threads": 0}
        items = "".join(_walk(post, post_url, comment, 1, counters) for comment in post.page_threads(number))
        listing = (f'\n\t<h2 class="comments-title">{title}</h2><!-- .comments-title -->\n\n'
                   f'\t<ol class="comment-list">\n{items}\t</ol><!-- .comment-list -->\n')
        listing += _pagination(post, post_url, number)
    home = post_url[: post_url.index("/", 8) + 1]
    form = fragment("comment-form").format(post_url=post_url, home=home, post_id=post.id)
    return f"""<div id="comments" class="comments-area default-max-width show-avatars">
{listing}
{form}</div><!-- #comments -->
"""


def _classes(post: Post, comment: Comment, depth: int, counters: dict[str, int]) -> str:
    kind = ["pingback"] if comment.pingback else ["comment"]
    if comment.by_post_author:
        kind += ["byuser", f"comment-author-{post.author.slug}", "bypostauthor"]
    kind.append("odd alt" if counters["all"] % 2 else "even")
    counters["all"] += 1
    if depth == 1:
        kind.append("thread-odd thread-alt" if counters["threads"] % 2 else "thread-even")
        counters["threads"] += 1
    kind.append(f"depth-{depth}")
    if comment.children:
        kind.append("parent")
    return " ".join(kind)


def _walk(post: Post, post_url: str, comment: Comment, depth: int, counters: dict[str, int]) -> str:
    tabs = "\t" * (depth + 1)
    classes = _classes(post, comment, depth, counters)
    if comment.pingback:
        return (f'{tabs}<li id="comment-{comment.id}" class="{classes}">\n{tabs}\t<div class="comment-body">\n'
                f"{tabs}\t\tPingback: <a href='{attr(comment.author_url or '')}' rel='external nofollow ugc' "
                f"class='url'>{text(comment.author)}</a> \n{tabs}\t</div>\n{tabs}</li><!-- #comment-## -->\n")
    link = f"{comment_page_url(post_url, post, page_of(post, comment))}#comment-{comment.id}"
    name = text(comment.author)
    if comment.author_url:
        name = f"<a href='{attr(comment.author_url)}' class='url' rel='ugc external nofollow'>{name}</a>"
    gravatar = f"https://secure.gravatar.com/avatar/{hashlib.md5(comment.author.lower().encode()).hexdigest()}"
    reply = ""
    if depth < MAX_DEPTH:
        reply = (f"\n{tabs}\t\t<div class=\"reply\"><a rel='nofollow' class='comment-reply-link' "
                 f"href='{post_url}?replytocom={comment.id}#respond' data-commentid=\"{comment.id}\" "
                 f"data-postid=\"{post.id}\" data-belowelement=\"div-comment-{comment.id}\" "
                 f"data-respondelement=\"respond\" data-replyto=\"Reply to {attr(comment.author)}\" "
                 f"aria-label='Reply to {attr(comment.author)}'>Reply</a></div>")
    children = ""
    if comment.children:
        inner = "".join(_walk(post, post_url, child, depth + 1, counters) for child in comment.children)
        children = f'{tabs}<ol class="children">\n{inner}{tabs}</ol><!-- .children -->\n'
    when = comment.when
    return f"""{tabs}<li id="comment-{comment.id}" class="{classes}">
{tabs}	<article id="div-comment-{comment.id}" class="comment-body">
{tabs}		<footer class="comment-meta">
{tabs}			<div class="comment-author vcard">
{tabs}				<img alt='' src='{gravatar}?s=60&#038;d=mm&#038;r=g' srcset='{gravatar}?s=120&#038;d=mm&#038;r=g 2x'
{tabs}					class='avatar avatar-60 photo' height='60' width='60' loading='lazy' decoding='async'/>
{tabs}				<b class="fn">{name}</b> <span class="says">says:</span>			</div><!-- .comment-author -->

{tabs}			<div class="comment-metadata">
{tabs}				<a href="{link}"><time datetime="{when.isoformat()}">{long_date(when)} at {clock(when)}</time></a>
{tabs}			</div><!-- .comment-metadata -->

{tabs}					</footer><!-- .comment-meta -->

{tabs}		<div class="comment-content">
{tabs}			{comment.html}
{tabs}		</div><!-- .comment-content -->
{reply}
{tabs}	</article><!-- .comment-body -->
{children}{tabs}</li><!-- #comment-## -->
"""


def _pagination(post: Post, post_url: str, number: int) -> str:
    last = post.comment_pages
    if last == 1:
        return ""
    links = []
    if number > 1:
        links.append(f'<a class="prev page-numbers" href="{comment_page_url(post_url, post, number - 1)}#comments">'
                     "Older comments</a>")
    for page in range(1, last + 1):
        if page == number:
            links.append(f'<span aria-current="page" class="page-numbers current">{page}</span>')
        else:
            links.append(f'<a class="page-numbers" href="{comment_page_url(post_url, post, page)}#comments">{page}</a>')
    if number < last:
        links.append(f'<a class="next page-numbers" href="{comment_page_url(post_url, post, number + 1)}#comments">'
                     "Newer comments</a>")
    return ('\n\t<nav class="navigation comments-pagination" aria-label="Comments">\n'
            '\t\t<h2 class="screen-reader-text">Comments pagination</h2>\n'
            '\t\t<div class="nav-links">' + "\n".join(links) + '</div>\n\t</nav>\n')


def letters(post: Post) -> str:
    """The letters to the editor under a German commentary (``div.leserbrief``)."""

    def letter(comment: Comment, reply: bool) -> str:
        when = comment.when
        inner = "".join(letter(child, True) for child in comment.children)
        kind = "leserbrief antwort" if reply else "leserbrief"
        return (f'<div class="{kind}" id="leserbrief-{comment.id}">\n'
                f'<div class="leserbrief-kopf"><span class="leserbrief-autor">{text(comment.author)}</span> schrieb am '
                f'<time datetime="{when.isoformat()}">{long_date(when, "de")} um {when:%H:%M} Uhr</time>:</div>\n'
                f'<div class="leserbrief-text">{comment.html}</div>\n{inner}</div>\n')

    body = "".join(letter(comment, False) for comment in post.threads)
    return f"""<section id="leserbriefe" class="leserbriefe">
<h2 class="leserbriefe-titel">Leserbriefe ({len(post.comments)})</h2>
{body}{fragment("letters-footer")}</section>
"""


def forum(post: Post, home: str) -> str:
    """A forum plugin's thread: ``ul.thread > li#bb_message_N``, replies in a nested ``ul.thread``."""
    numbers = {comment.id: n for n, comment in enumerate(post.comments, 1)}

    def message(comment: Comment) -> str:
        when = comment.when
        user = comment.author.lower().replace(" ", "-").replace(".", "")
        inner = "".join(message(child) for child in comment.children)
        nested = f'<ul class="thread">\n{inner}</ul>\n' if inner else ""
        return (f'<li id="bb_message_{comment.id}" class="bb-message">\n'
                f'<div class="bb-message-meta"><a class="bb-username" href="{home}forums/users/{attr(user)}/">'
                f'{text(comment.author)}</a> <span class="bb-date" title="{when:%d.%m.%Y %H:%M}">'
                f'{when.day} {MONTHS_SHORT[when.month - 1]} {when.year}, {when:%H:%M}</span> '
                f'<a class="bb-permalink" href="#bb_message_{comment.id}">#{numbers[comment.id]}</a></div>\n'
                f'<div class="bb-message-text">{comment.html}</div>\n{nested}</li>\n')

    body = "".join(message(comment) for comment in post.threads)
    return f"""<section id="forum" class="forum-discussion">
<h2 class="forum-title">Discussion ({len(post.comments)} posts) on &#8220;{wp_title(post.title)}&#8221;</h2>
<ul class="thread">
{body}</ul>
</section>
"""


