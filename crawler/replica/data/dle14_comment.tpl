<div class="comment" id="{comment-id}">
	<div class="com_info">
		<div class="avatar">
			<a href="{author-link}"><span class="cover" style="background-image: url({foto});">{login}</span></a>
		</div>
		<div class="com_user">
			<b class="name">{author}</b>
			<span class="grey">
				{date}
			</span>
		</div>
		<div class="meta">
			{rating}
			<ul class="right">
				<li class="reply grey" title="{l-quote}">{fast}<svg class="icon icon-coms"><use xlink:href="#icon-coms"></use></svg><span>{l-quote}</span></a></li>
				{reply}
			</ul>
		</div>
	</div>
	<div class="com_content">
		<div class="text">{comment}</div>
	</div>
</div>
