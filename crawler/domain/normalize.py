"""Normalizers: turn the strings a page shows into typed, comparable values.

The public face of :mod:`crawler.domain.timestamps` and :mod:`crawler.domain.text`
for scripts of your own: :func:`parse_timestamp`, :func:`parse_score`,
:func:`clean_title` and :func:`clean_text` are pure functions, cheap enough to
call for every comment of every page. None of them raises on page text: what
cannot be read comes back as ``None``.
"""

from crawler.domain.text import clean_text, clean_title, parse_score
from crawler.domain.timestamps import parse_timestamp

__all__ = ["clean_text", "clean_title", "parse_score", "parse_timestamp"]
