<li id="comments-tree-item-{id}" class="comments-tree-item">
	<div id="comment-id-{id}">
		<div class="comment">
			<div class="comment__header">
				<img class="comment__avatar" src="/templates/Military/dleimages/noavatar.png" alt="{author}">
				<a class="comment__author" href="{author-link}">{author}</a>
				<span class="comment__date">{date}</span>
				<div class="comment__rating">{rating}</div>
			</div>
			<div class="comment__text"><div id="comm-id-{id}">{text}</div></div>
			<div class="comment__footer"><a href="#" onclick="dle_reply('{id}', '0', '0'); return false;">{l-reply}</a></div>
		</div>
	</div>
{replies}</li>
