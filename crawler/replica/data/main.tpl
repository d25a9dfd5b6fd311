<!DOCTYPE html>
<html lang="{lang}">
<head>
{meta-charset}<title>{title}</title>
<meta name="description" content="{description}">
<meta name="keywords" content="{keywords}">
<meta name="generator" content="DataLife Engine (https://dle-news.ru)">
{og}<link rel="canonical" href="{canonical}">
<link rel="alternate" type="application/rss+xml" title="{site-name}" href="{home}/rss.xml">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="/templates/Military/css/styles.css" type="text/css" rel="stylesheet">
<script src="/templates/Military/js/main.js"></script>
</head>
<body>
<script>
<!--
var dle_root       = '/';
var dle_admin      = '';
var dle_login_hash = '{login-hash}';
var dle_group      = 5;
var dle_skin       = 'Military';
var dle_wysiwyg    = '0';
var quick_wysiwyg  = '0';
var dle_act_lang   = ["{l-yes}", "{l-no}", "{l-enter}", "{l-cancel}", "{l-save}", "{l-delete}", "{l-loading}"];
var menu_short     = '{l-quick-edit}';
var menu_full      = '{l-full-edit}';
var dle_del_agree  = '{l-del-agree}';
var allow_dle_delete_news   = false;
//-->
</script>
<div class="wrapper">
	<header class="header">
		<div class="header__top">
			<a class="logo" href="{home}/" title="{site-name}"><span class="logo__text">{site-name}</span></a>
			<form class="search" method="post" action="{home}/index.php?do=search">
				<input type="hidden" name="do" value="search">
				<input type="hidden" name="subaction" value="search">
				<input id="story" name="story" type="text" class="search__input" placeholder="{l-search}">
				<button type="submit" class="search__btn">{l-find}</button>
			</form>
			<div class="header__login"><a class="login-link" href="{home}/index.php?do=register">{l-login}</a></div>
		</div>
		<nav class="nav">
			<ul class="nav__list">
{nav}			</ul>
		</nav>
	</header>
	<div class="container">
		<main class="main">
{speedbar}			<div id="dle-content">{content}</div>
		</main>
		<aside class="sidebar">
			<div class="sidebar__block">
				<div class="sidebar__title">{l-popular}</div>
				<ul class="popular">
{popular}				</ul>
			</div>
			<div class="sidebar__block">
				<div class="sidebar__title">{l-last-comments}</div>
				<ul class="last-comments">
{last-comments}				</ul>
			</div>
		</aside>
	</div>
	<footer class="footer">
		<div class="footer__copy">&copy; 2010-{year} &laquo;{site-name}&raquo;. {l-copyright}</div>
		<div class="footer__links">
			<a href="{home}/index.php?do=feedback">{l-contacts}</a>
			<a href="{home}/rules.html">{l-rules}</a>
			<a href="{home}/rss.xml">RSS</a>
		</div>
		<div class="footer__age">18+</div>
	</footer>
</div>
</body>
</html>
