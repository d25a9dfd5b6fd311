"""What DataLife Engine 13/14 itself writes around a theme's templates, read from its sources.

A DLE theme is a set of ``.tpl`` files; the engine fills their tags and adds
markup of its own that no theme can change: the ``comment-id-N``/``comm-id-N``
wrappers and the tree lists (``engine/classes/comments.class.php``), the rating
spans (``ShowRating``/``ShowCommentsRating`` in ``engine/modules/functions.php``),
the comment pager (``build_navigation``) and the AJAX answer of
``engine/ajax/comments.php``, and dates (``langdate``). The themes in
:mod:`crawler.replica.themes` supply the templates; these modules are the engine.
"""
