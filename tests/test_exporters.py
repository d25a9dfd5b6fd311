"""The fast JSON Lines exporter writes exactly the bytes Scrapy's own would."""

import io

import pytest
from scrapy.exporters import JsonLinesItemExporter

from crawler.components.exporters import DataclassJsonLinesExporter
from crawler.domain.items import Article, Comment, Source

ARTICLE = Article(
    id="en.topwar.ru:179625", url="http://127.0.0.1:8080/179625-x.html", canonical_url=None, site="en.topwar.ru",
    title='Черноморский флот "получил" корабль', body="Line\nnext €\n\nParagraph\u2028two",
    comments=[Comment(id="1", parent_id=None, depth=0, author="Дед Мазай", posted_at="2020-04-07T14:31:00+03:00",
                      posted_at_raw="7 апреля 2020 14:31", score=-3, text="??! :what:", quotes=["q\\"]),
              Comment(id="2", parent_id="1", depth=1, author=None, posted_at=None, posted_at_raw=None, score=None,
                      text=None, deleted=True)],
    sources=[Source(url="http://127.0.0.1:8080/179625-x.html", status=200, captured_at="2026-11-25T03:00:00+00:00",
                    warc_filename="a.warc.gz", warc_record_id="<urn:uuid:1>", warc_offset=0, warc_length=10)],
    warnings=["no title"],
)


def export(exporter_class, item, **options) -> bytes:
    out = io.BytesIO()
    exporter_class(out, **options).export_item(item)
    return out.getvalue()


@pytest.mark.parametrize("options", [
    {"encoding": "utf-8"},
    {},  # no encoding: ASCII escapes, as Scrapy does
    {"encoding": "utf-8", "fields_to_export": ["id", "title"]},  # Scrapy's own path
    {"encoding": "utf-8", "indent": 2},
])
def test_same_bytes_as_scrapy(options):
    assert export(DataclassJsonLinesExporter, ARTICLE, **options) == export(JsonLinesItemExporter, ARTICLE, **options)


def test_plain_dict_items_take_scrapys_path():
    item = {"id": "x:1", "title": "Т"}
    expected = '{"id": "x:1", "title": "Т"}\n'.encode()
    assert export(DataclassJsonLinesExporter, item, encoding="utf-8") == expected
