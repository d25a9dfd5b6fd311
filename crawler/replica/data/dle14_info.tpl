<div class="berrors fix_grid">
	<b>{heading}</b><br>
	{message}
</div>
