"""The domain: what the crawler produces and the rules for it, free of Scrapy.

Items and their schema, provenance (what a page was built from), the archive
layout, the timestamp and text normalizers, and spider arguments.
"""
