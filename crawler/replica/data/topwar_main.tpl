<!DOCTYPE html>
<html lang="{lang}">
<head>
{headers}
<meta name="viewport" content="width=device-width, initial-scale=1">
<link href="/templates/{skin}/css/app.css" rel="stylesheet">
</head>
<body class="page">
<header class="header">
	<div class="container header__row">
		<a class="logo" href="{home}/" title="{site-name}"><span class="logo__name font fw-b">{site-name}</span></a>
		<nav class="menu">
			<ul class="menu__list">
{nav}			</ul>
		</nav>
		<form class="search" method="post" action="{home}/index.php?do=search"><input type="hidden" name="do" value="search"><input type="hidden" name="subaction" value="search"><input class="search__input" name="story" type="search" placeholder="{l-search}"></form>
		<a class="header__login" href="{home}/index.php?do=register">{l-login}</a>
	</div>
</header>
<main class="container main">
	<div class="main__content">
{speedbar}{content}
	</div>
	<aside class="main__aside">
{sidebar}	</aside>
</main>
<footer class="footer fs-0875 c-muted">
	<div class="container">&copy; 2010-{year} &laquo;{site-name}&raquo;. {l-copyright}</div>
</footer>
{ajax}<script src="/templates/{skin}/js/app.js"></script>
</body>
</html>
