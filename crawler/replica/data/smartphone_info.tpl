<div class="berrors">
	<b>{heading}</b><br />
	{message}
</div>
