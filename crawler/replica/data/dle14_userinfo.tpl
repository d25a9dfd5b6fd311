<div class="box userinfo">
	<div class="box_in">
		<h1 class="title">{l-user}: {name}</h1>
		<ul class="usinf">
			<li><div class="grey">{l-group}:</div> {group}</li>
			<li><div class="grey">{l-registered}:</div> {registered}</li>
			<li><div class="grey">{l-publications}:</div> {articles}</li>
			<li><div class="grey">{l-comments}:</div> {comments}</li>
		</ul>
	</div>
</div>
