<div class="nv-card">
	<a class="nv-card-title" href="{link}">{title}</a>
	<div class="nv-card-info">{date} &middot; {category} &middot; {comments-num}</div>
	<p class="nv-card-lead">{teaser}</p>
</div>
