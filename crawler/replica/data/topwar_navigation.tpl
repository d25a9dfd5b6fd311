<div class="pager">{prev}<nav class="pages-list">{pages}</nav>{next}</div>
