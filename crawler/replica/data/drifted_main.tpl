<!DOCTYPE html>
<html lang="{lang}">
<head>
{headers}
<meta name="viewport" content="width=device-width, initial-scale=1">
<link href="/templates/{skin}/assets/site.css" rel="stylesheet">
</head>
<body class="nv-body">
<div class="nv-top">
	<a class="nv-brand" href="{home}/">{site-name}</a>
	<ul class="nv-sections">
{nav}	</ul>
	<a class="nv-enter" href="{home}/index.php?do=register">{l-login}</a>
</div>
<div class="nv-grid">
	<div class="nv-main">
{speedbar}{content}
	</div>
	<div class="nv-side">
{sidebar}	</div>
</div>
<div class="nv-bottom">{site-name}, {year}. {l-copyright}</div>
{ajax}</body>
</html>
