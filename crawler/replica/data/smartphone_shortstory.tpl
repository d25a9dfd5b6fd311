<article class="post">
	<h2 class="title"><a href="{link}">{title}</a></h2>
	<ul class="post-info">
		<li class="iauthor ico"><a href="{author-link}">{login}</a></li>
		<li class="idate ico">{date}</li>
		<li class="iviews ico">{views}</li>
	</ul>
	<p class="icat ico">{link-category}</p>
	<div class="post-cont clrfix">
		{teaser}
	</div>
	<div class="panel clrfix">
		<b class="com-num ico" title="{l-comments} - {comments-num}"><a href="{link}#comment">{comments-num}</a></b>
		<b class="more"><a href="{link}">{l-more}</a></b>
	</div> 
</article>
