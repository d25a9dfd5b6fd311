<div class="comments" id="comments">
{comments-title}	<div class="comments__info"><div class="berrors"><b>{l-info}</b><br>{l-dear-reader} <a href="{home}/index.php?do=register">{l-sign-in}</a>.</div></div>
	<div id="dle-ajax-comments"></div>
	<form method="post" name="dlemasscomments" id="dlemasscomments"><div id="dle-comments-list">
<ol class="comments-tree-list">{threads}</ol>
</div></form>
{navigation}</div>
