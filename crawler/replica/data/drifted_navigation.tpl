<div class="nv-paging">{prev} {pages} {next}</div>
