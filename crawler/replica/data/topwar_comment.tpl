<div class="comment">
	<div class="comment__head">
		<img class="comment__avatar" src="{foto}" alt="">
		<a class="comment__name fw-b" href="{author-link}">{login}</a>
		<span class="comment__time fs-0875 c-muted">{date}</span>
		<div class="comment__votes">{rating}</div>
	</div>
	<div class="comment__body">{comment}</div>
</div>
