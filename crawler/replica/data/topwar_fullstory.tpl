<article class="article-full">
	<div class="meta fs-0875 c-muted fw-b">
		<a class="meta__author" href="{author-link}">{login}</a>
		<time class="meta__time" datetime="{date-iso}">{date}</time>
		<span class="meta__views">{views}</span>
		<a class="meta__comments" href="#comments">{comments-num}</a>
	</div>
	<h1 class="heading fs-15 fs-sm-2 fs-md-2 font">{title}</h1>
	<div class="pfull-cont text">{full-story}
		<div class="banner-full-story"><a href="https://t.me/topwar_official" target="_blank" rel="nofollow noopener">{l-banner}</a></div>
	</div>
{sources}	<div class="article-tags fs-0875">{tags}</div>
	<div class="article-rating">{rating}</div>
</article>
<section class="comments" id="comments">
{comments-heading}	<div class="comments__guest fs-0875 c-muted">{l-dear-reader} <a href="{home}/index.php?do=register">{l-sign-in}</a>.</div>
	{comments}
	{navigation}
</section>
