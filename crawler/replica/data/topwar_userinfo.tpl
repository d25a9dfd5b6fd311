<div class="profile">
	<h1 class="heading fs-15 font">{name}</h1>
	<ul class="profile__list fs-0875">
		<li>{l-group}: {group}</li>
		<li>{l-registered}: {registered}</li>
		<li>{l-publications}: {articles}</li>
		<li>{l-comments}: {comments}</li>
	</ul>
</div>
