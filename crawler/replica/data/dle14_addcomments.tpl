<form  method="post" name="dle-comments-form" id="dle-comments-form" ><div id="addcomment" class="addcomment">
	<div class="plus_icon"><span>{l-add-comment}</span></div>
	<div class="box_in">
		<h3>{l-add-comment}</h3>
		<ul class="ui-form">
			<li class="form-group combo">
				<div class="combo_field"><input placeholder="{l-name}" type="text" name="name" id="name" class="wide" required></div>
				<div class="combo_field"><input placeholder="E-mail" type="email" name="mail" id="mail" class="wide"></div>
			</li>
			<li id="comment-editor"><textarea name="comments" id="comments" cols="70" rows="10" class="wide"></textarea></li>
		</ul>
		<div class="form_submit">
			<button class="btn btn-big" type="submit" name="submit" title="{l-send}"><b>{l-send}</b></button>
		</div>
	</div>
</div>
		<input type="hidden" name="subaction" value="addcomment">
		<input type="hidden" name="post_id" id="post_id" value="{news-id}"></form>
