<!DOCTYPE html>
<html>
<head>
{headers}
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="/templates/{skin}/css/engine.css" rel="stylesheet">
<link href="/templates/{skin}/css/style.css" rel="stylesheet">
<script src="/templates/{skin}/js/libs.js" type="text/javascript"></script>
<meta name="apple-mobile-web-app-capable" content="yes">
<meta name="apple-mobile-web-app-status-bar-style" content="default">
</head>
<body>
{ajax}	<div id="toolbar">
		<div id="in-toolbar">
			<a id="loginlink" href="{home}/index.php?do=register">{l-login}</a>
			<a id="menu-btn">
				<span id="hamburger"></span>
			</a>
		</div>
		<!-- Head Menu -->
		<nav id="menu-head">
{nav}		</nav>
		<!-- Head Menu [E] -->
	</div>
	<div class="background"></div>
	<header id="header">
		<!-- LogoType -->
		<a id="logo" href="/">
			<b id="logo-text">{site-name}</b>
		</a>
		<!-- LogoType [E] -->
		<form id="quicksearch" method="post" action=''>
			<input type="hidden" name="do" value="search">
			<input type="hidden" name="subaction" value="search">
			<div class="quicksearch">
				<input class="f_input" placeholder="{l-search}" name="story" value="" type="search">
				<button type="submit" title="{l-find}" class="thd">{l-find}</button>
			</div>
		</form>
		<a id="go2full" class="ico" href="/index.php?action=mobiledisable">{l-full-version}</a>
	</header>
	<section id="content">
{speedbar}{content}
	</section>
	<footer id="footer">
		<div class="background"></div>
		<div id="copyright">Powered by <a href="https://dle-news.ru/" target="_blank">DataLife Engine</a> &copy; {year}</div>
	</footer>
{sidebar}</body>
</html>
