"""Military Review, English edition (en.topwar.ru): articles with all their comments."""

from spiders.profile import ProfileSpider


class TopwarSpider(ProfileSpider):
    """Everything site-specific is in ``crawler/profiles/topwar.toml``."""

    name = "topwar"
    profile_name = "topwar"
