<div class="item">
	<a class="item-link" href="{link}">{title}</a>
	<div class="item-meta fs-0875 c-muted"><time class="item-meta__time" datetime="{date-iso}">{date}</time> <a class="item-meta__cat" href="{category-link}">{category}</a> <span class="item-meta__comments">{comments-num}</span></div>
	<div class="item-text">{teaser}</div>
</div>
