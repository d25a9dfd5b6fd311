<div class="nv-message"><strong>{heading}</strong> {message}</div>
