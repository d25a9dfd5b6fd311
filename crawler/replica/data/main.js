/* Military Review: comment paging, rating and reply helpers (DLE "Military" template) */
function dle_comments_page(cstart, news_id) {
	var list = document.getElementById('dle-comments-list');
	var url = dle_root + 'engine/ajax/controller.php?mod=comments&cstart=' + encodeURIComponent(cstart) +
		'&news_id=' + encodeURIComponent(news_id) + '&skin=' + dle_skin + '&massact=disable';
	fetch(url, { headers: { 'X-Requested-With': 'XMLHttpRequest' } })
		.then(function (response) { return response.json(); })
		.then(function (data) {
			if (data.error) { alert(data.error); return; }
			list.innerHTML = data.comments;
			var nav = document.querySelector('.dle-comments-navigation');
			if (nav) { nav.innerHTML = data.navigation; }
			document.getElementById('comments').scrollIntoView();
		});
	return false;
}

function doCommentsRate(rate, id) {
	alert('Only registered users can rate comments.');
	return false;
}

function dle_reply(id, indent, needwysiwyg) {
	alert('Please sign in to reply.');
	return false;
}
