<div class="nv-person">
	<div class="nv-person-name">{name}</div>
	<div class="nv-person-facts">{group}, {registered}, {articles} / {comments}</div>
</div>
