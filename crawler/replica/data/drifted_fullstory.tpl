<div class="nv-story">
	<div class="nv-story-head">
		<div class="nv-kicker">{category}</div>
		<div class="nv-headline">{title}</div>
		<div class="nv-byline">{login} &middot; {date} &middot; {views}</div>
	</div>
	<div class="nv-story-copy">
		{full-story}
	</div>
	<div class="nv-story-topics">{tags}</div>
	<div class="nv-story-score">{rating}</div>
</div>
<div class="nv-talk">
	<div class="nv-talk-count">{comments-num}</div>
	{comments}
	{navigation}
</div>
