"""A replica of a DataLife-Engine news site (en.topwar.ru style), to crawl and test against."""
