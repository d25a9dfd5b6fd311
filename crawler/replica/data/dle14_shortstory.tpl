<article class="box story shortstory">
	<div class="box_in">
		<h2 class="title"><a href="{link}">{title}</a></h2>
		<div class="text">
			{teaser}
		</div>
		<div class="story_tools">
			<div class="category">
				<svg class="icon icon-cat"><use xlink:href="#icon-cat"></use></svg>
				{link-category}
			</div>
			<a href="{link}" title="{l-more}: {title}" class="btn"><b>{l-more}</b></a>
		</div>
	</div>
	<div class="meta">
		<ul class="left">
			<li class="grey" title="{l-views}: {views}"><svg class="icon icon-views"><use xlink:href="#icon-views"></use></svg> {views}</li>
			<li title="{l-comments}: {comments-num}"><a href="{link}#comment"><svg class="icon icon-coms"><use xlink:href="#icon-coms"></use></svg> {comments-num}</a></li>
		</ul>
		<ul class="right">
			<li class="story_date"><svg class="icon icon-info"><use xlink:href="#icon-info"></use></svg> {author}<span class="grey"> {l-on} </span><time datetime="{date-ymd}" class="grey">{date}</time></li>
		</ul>
	</div>
</article>
