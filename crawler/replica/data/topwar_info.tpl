<div class="notice">
	<div class="notice__title fw-b">{heading}</div>
	<div class="notice__text">{message}</div>
</div>
