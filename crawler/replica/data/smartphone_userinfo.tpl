<article class="post static">
  <h1 class="title">{l-user}: {name}</h1>
  {l-registered}: {registered}<br />
  {l-group}: <font color="red">{group}</font><br /><br />
  {l-publications}: {articles}<br />
  {l-comments}: {comments}<br />
</article>
