<div class="nv-note">
	<div class="nv-note-top"><span class="nv-who">{login}</span> <span class="nv-when">{date}</span> <span class="nv-karma">{rating}</span></div>
	<div class="nv-note-words">{comment}</div>
</div>
