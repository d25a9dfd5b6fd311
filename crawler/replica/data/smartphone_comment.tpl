<div id="comid-{comment-id}" class="comment vcard">
	<div class="mass-check"></div>
	<div class="com-cont clrfix">
		{comment}
	</div>
	<div class="com-inf">
		<img class="photo" src="{foto}" alt="{login}">
		<b class="arg fn"><a href="{author-link}">{login}</a></b>
		<span class="arg">{date}</span>
		<span class="fast">{fast}<b class="thd">{l-reply}</b></a></span>
		<span class="del"></span>
	</div>
</div>
