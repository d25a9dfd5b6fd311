<article class="article">
	<h1 class="article__title">{title}</h1>
	<div class="article__meta">
		<span class="article__author"><a href="{author-link}">{author}</a></span>
		<span class="article__date">{date}</span>
		<span class="article__views">{views}</span>
		<a class="article__comments-count" href="#comments">{comments-num}</a>
		<span id="ratig-layer-{news-id}" class="ignore-select"><span class="ratingtypeplusminus ignore-select {rating-class}">{rating}</span></span>
	</div>
	<div class="article__text">
		<div id="news-id-{news-id}" style="display:inline;">{full-story}</div>
	</div>
{sources}	<div class="article__tags">{l-tags} {tags}</div>
	<div class="article__share">{l-share} <a href="https://vk.com/share.php?url={share-url}" target="_blank" rel="nofollow noopener">VK</a> <a href="https://t.me/share/url?url={share-url}" target="_blank" rel="nofollow noopener">Telegram</a> <a href="https://www.facebook.com/sharer/sharer.php?u={share-url}" target="_blank" rel="nofollow noopener">Facebook</a></div>
</article>
{comments}
