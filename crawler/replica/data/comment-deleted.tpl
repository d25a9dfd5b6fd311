<li id="comments-tree-item-{id}" class="comments-tree-item">
	<div id="comment-id-{id}">
		<div class="comment comment--deleted">
			<div class="comment__header">
				<img class="comment__avatar" src="/templates/Military/dleimages/noavatar.png" alt="">
				<span class="comment__author"></span>
				<span class="comment__date">{date}</span>
				<div class="comment__rating"><span id="comments-ratig-layer-{id}" class="ignore-select"><span class="ratingtypeplusminus ignore-select"></span></span></div>
			</div>
			<div class="comment__text"><div id="comm-id-{id}"><span class="comment-deleted">{l-deleted}</span></div></div>
		</div>
	</div>
{replies}</li>
