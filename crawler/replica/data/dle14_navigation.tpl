<div class="navigation ignore-select">
	<div class="page_next-prev">
		<span class="page_prev" title="{l-prev-page}">
			{prev}
		</span>
		<span class="page_next" title="{l-next-page}">
			{next}
		</span>
	</div>
	<div class="pages">{pages}</div>
</div>
