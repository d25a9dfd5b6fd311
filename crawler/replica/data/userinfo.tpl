<div class="userinfo">
	<h1 class="userinfo__name">{name}</h1>
	<img class="userinfo__avatar" src="/templates/Military/dleimages/noavatar.png" alt="{name}">
	<ul class="userinfo__list">
		<li>Group: {group}</li>
		<li>Registration: {registered}</li>
		<li>Number of publications: {articles}</li>
		<li>Number of comments: {comments}</li>
	</ul>
</div>
