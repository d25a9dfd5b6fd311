<div class="short-story">
	<h2 class="short-story__title"><a href="{link}">{title}</a></h2>
	<div class="short-story__meta">
		<span class="short-story__date">{date}</span>
		<a class="short-story__cat" href="{category-link}">{category}</a>
		<span class="short-story__comments">{comments-num}</span>
	</div>
	<div class="short-story__text">{teaser}</div>
</div>
