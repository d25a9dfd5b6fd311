<article class="box story fullstory">
	<div class="box_in">
		<h2 class="title">{title}</h2>
		<div class="text">
			{full-story}
		</div>
		<div class="story_tools ignore-select">
			<div class="category">
				<svg class="icon icon-cat"><use xlink:href="#icon-cat"></use></svg>
				{link-category}
			</div>
			{rating}
		</div>
	</div>
	<div class="meta ignore-select">
		<ul class="left">
			<li class="grey" title="{l-views}: {views}"><svg class="icon icon-views"><use xlink:href="#icon-views"></use></svg> {views}</li>
			<li title="{l-comments}: {comments-num}"><a id="dle-comm-link" href="{full-link}#comment"><svg class="icon icon-coms"><use xlink:href="#icon-coms"></use></svg> {comments-num}</a></li>
		</ul>
		<ul class="right">
			<li class="story_date"><svg class="icon icon-info"><use xlink:href="#icon-info"></use></svg> {author}<span class="grey"> {l-on} </span><time datetime="{date-ymd}" class="grey">{date}</time></li>
		</ul>
	</div>
</article>
<div class="comments ignore-select">
	<div class="box">
		{comments-heading}
		<div class="com_list">
			{comments}
		</div>
	</div>
	{navigation}
	<div class="box">
		{addcomments}
	</div>
</div>
