"""One spider for every site profile (``crawler/profiles/*.toml``): a new DLE site is a profile, not code.

Each is :class:`~spiders.profile.ProfileSpider` bound to its profile and named
after it (``newsarchive crawl topwar``, ``newsarchive crawl voenvestnik``), made
here when the spiders are loaded. Scrapy's spider loader finds them as if each
had a module of its own.
"""

from __future__ import annotations

from crawler.profiles import available_profiles
from spiders.profile import ProfileSpider


def spider_for(profile_name: str) -> type[ProfileSpider]:
    """The spider class of the profile *profile_name*, named after it."""
    class_name = "".join(part.title() for part in profile_name.split("_")) + "Spider"
    return type(class_name, (ProfileSpider,), {
        "__module__": __name__,
        "__doc__": f"The site of the profile crawler/profiles/{profile_name}.toml, read through that profile.",
        "name": profile_name,
        "profile_name": profile_name,
    })


globals().update({spider.__name__: spider for spider in map(spider_for, available_profiles())})
