<div class="pager clrfix">
	{prev}
	{next}
</div>
