<!DOCTYPE html>
<html>
<head>
	{headers}
	<meta name="HandheldFriendly" content="true">
	<meta name="format-detection" content="telephone=no">
	<meta name="viewport" content="user-scalable=no, initial-scale=1.0, maximum-scale=1.0, width=device-width">
	<link rel="shortcut icon" href="/templates/{skin}/images/favicon.ico">
	<link href="/templates/{skin}/css/engine.css" type="text/css" rel="stylesheet">
	<link href="/templates/{skin}/css/styles.css" type="text/css" rel="stylesheet">
</head>
<body>
	<div class="page{page-class}">
		<div class="wrp">
			<!-- Header -->
			<header id="header">
				<!-- Search -->
				<form id="q_search" class="rightside" method="post">
					<div class="q_search">
						<input id="story" name="story" placeholder="{l-search}" type="search">
						<button class="btn q_search_btn" type="submit" title="{l-find}"><svg class="icon icon-search"><use xlink:href="#icon-search"></use></svg><span class="title_hide">{l-find}</span></button>
					</div>
					<input type="hidden" name="do" value="search">
					<input type="hidden" name="subaction" value="search">
				</form>
				<!-- / Search -->
				<div class="header">
					<div class="wrp">
						<div class="midside">
							<div id="header_menu">
								<a class="logotype" href="/">
									<span class="logo_icon"><svg class="icon icon-logo"><use xlink:href="#icon-logo"></use></svg></span>
									<span class="logo_title">{site-name}</span>
								</a>
								<nav id="top_menu">
									<ul>
{nav}									</ul>
								</nav>
								<a class="h_btn login" href="{home}/index.php?do=register"><span class="title_hide">{l-login}</span></a>
							</div>
						</div>
					</div>
				</div>
			</header>
			<!-- / Header -->
			<div class="conteiner">
				<div class="midside">
					<section id="content">
{speedbar}{content}
					</section>
				</div>
				<div class="rightside">
{sidebar}				</div>
			</div>
		</div>
		<footer id="footer">
			<div class="wrp">
				<div class="copyright grey">&copy; 2004-{year} {site-name}. {l-copyright}</div>
			</div>
		</footer>
	</div>
{ajax}	<script type="text/javascript" src="/templates/{skin}/js/lib.js"></script>
</body>
</html>
