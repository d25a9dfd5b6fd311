"""A Russian-language DataLife Engine site, ``--site ru``: the same engine and stock markup, its own news.

"Военный вестник" is a DLE site running since 2011 in windows-1251. Its
fixed stories (``data/ru_stories.json``, the same for every seed) were
published in 2011-2014, when Moscow was on UTC+4 (from 2011-03-27 to
2014-10-26), one on each side of the switch back to UTC+3; two fresh ones are
placed yesterday and today relative to the clock anchor. The rest are drawn
from the seed out of ``data/ru_bank.json`` (2015 onwards, ids growing with
date). Dates are DLE's ``d-m-Y, H:i`` (``14-10-2011, 09:15``) and
``Сегодня, 14:05`` / ``Вчера, 09:12``.
"""
