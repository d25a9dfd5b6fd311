<article class="post fullstory">
	<h1 class="title"><a href="{full-link}">{title}</a></h1>
	<ul class="post-info">
		<li class="iauthor ico"><a href="{author-link}"><b>{login}</b></a></li>
		<li class="idate ico">{date}</li>
		<li class="iviews ico">{views}</li>
	</ul>
	<p class="icat ico">{link-category}</p>
	<div class="post-cont clrfix">
		{full-story}
	</div>
</article>
<div class="box commentbox">
	<h3>{l-comments} ({comments-num})</h3>
	{comments}
</div>{navigation}
