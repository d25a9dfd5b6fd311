"""The article's text: what the text extractor sees, and what is added to or taken from its result.

Before extraction, a copy of the page loses its comment sections (found by
:mod:`crawler.pages.comment_structure`, so a comment never becomes article
text), and elements whose class or id names them as calls to subscribe,
promotions, share bars, image credits or copyright lines. After extraction:

- the lede or standfirst in the article's header (between the headline and
  the text, named ``lead``/``intro``/``standfirst``/``teaser``… or repeating the
  page's description) goes first when the extractor dropped it;
- paragraphs that are image credits (``Foto: dpa``, ``Image: Getty Images``)
  or editor's notes (``Editor's note: …``, ``Anmerkung der Redaktion: …``)
  are dropped, as are headings the text ends with (a "More on this topic:"
  left without its links), the headline when it opens the text, and
  paragraphs that are a comment's text.
"""

from __future__ import annotations

import copy
import re

from lxml import etree, html

from crawler.pages.comment_vocabulary import element_tokens, words_of
from crawler.pages.layout import Layout, text_of, title_key, titles_agree

# Class/id words of elements that are never article text.
BOILERPLATE_WORDS = frozenset({
    "newsletter", "newsletters", "promo", "promotion", "cta", "subscribe", "subscription", "signup",
    "sharing", "share", "sharebar", "social", "advert", "advertisement", "advertising", "sponsored", "outbrain",
    "taboola", "paywall", "donate", "donation", "credit", "credits", "copyright", "photographer",
    "bildnachweis", "bildquelle", "fotocredit", "byline", "breadcrumb", "breadcrumbs", "skiplink", "skip",
})
LEDE_WORDS = frozenset({
    "lead", "lede", "intro", "introduction", "standfirst", "summary", "subtitle", "subheadline", "subhead",
    "deck", "dek", "excerpt", "abstract", "description", "teaser", "perex", "chapo", "chapeau", "entradilla",
    "sottotitolo", "occhiello", "vorspann", "anriss", "lid", "leadtext", "intro-text", "article-lead",
})
_CREDIT = re.compile(
    r"^(?:©|\(c\)|copyright\b|(?:photo|foto|image|picture|pic|bild|beitragsbild|titelbild|aufmacherbild|"
    r"illustration|grafik|video|credit|crédit|crédits|fuente|fonte|фото|източник|quelle|source)s?"
    r"(?:\s*(?:credit|quelle|nachweis))?\s*(?::|©|\|)|(?:photo|foto|image|bild)\s*\(|\(\s*(?:photo|foto|image|bild)"
    r"\s*:)", re.IGNORECASE)
_EDITORS_NOTE = re.compile(
    r"^\W{0,3}(?:editor'?s'? note|note from the editors?|anmerkung der redaktion|hinweis der redaktion|"
    r"note de la rédaction|nota del editor|nota de la redacción|nota della redazione|nota do editor|"
    r"примечание редакции|від редакції|nota redakcji)\b", re.IGNORECASE)
_MAX_CREDIT = 160
_MAX_STUB = 40
_SENTENCE_END = (".", "!", "?", "…", '"', "”", "»", "«", "“", "。", "！", "？")
_MAX_NOTE = 600
_MAX_BOILERPLATE_TEXT = 600
_LEDE_LENGTH = (40, 900)
_DROP_MARK = "data-newsarchive-drop"


def extraction_copy(root: etree._Element, sections: list[etree._Element]) -> html.HtmlElement:
    """A copy of the page for the text extractor: no comment sections, no boilerplate-named elements.

    The page itself is left as it was (the comment and date readers still need all of it).
    """
    for section in sections:
        section.set(_DROP_MARK, "")
    try:
        page = copy.deepcopy(root)
    finally:
        for section in sections:
            del section.attrib[_DROP_MARK]
    keep = {ancestor for h1 in page.iter("h1") for ancestor in h1.iterancestors()}
    doomed = [element for element in page.iter() if isinstance(element.tag, str)
              and (element.get(_DROP_MARK) is not None or _is_boilerplate(element, keep))]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the text that follows it
    return page


def lede(layout: Layout, description: str | None, paragraphs: list[str]) -> str | None:
    """The lede or standfirst in the article's header, when the extracted text does not have it yet."""
    if layout.headline is None:
        return None
    seen_headline = False
    described = title_key(description) if description else None
    for element in layout.header:
        if element is layout.headline:
            seen_headline = True
            continue
        if not seen_headline or element.tag in ("a", "time", "figure", "figcaption", "img", "h1"):
            continue
        text = text_of(element)
        if not _LEDE_LENGTH[0] <= len(text) <= _LEDE_LENGTH[1]:
            continue
        words = {word for token in element_tokens(element) for word in words_of(token)}
        agrees = described is not None and titles_agree(title_key(text)[:200], described[:200])
        if not (words & LEDE_WORDS or agrees) or _mostly_links(element, text):
            continue
        start = " ".join(text.split())[:60]
        if any(start in " ".join(paragraph.split()) for paragraph in paragraphs):
            return None
        return text
    return None


def clean_paragraphs(paragraphs: list[str], kinds: list[str], root: etree._Element, *, title: str | None,
                     comment_texts: set[str], datelines: set[str] = frozenset()) -> list[str]:
    """The extracted paragraphs without credits, editor's notes, stray headings, the headline and comments.

    Paragraphs that repeat one of the header's *datelines* ("Posted 04/09/2020 at 3:15 pm") are the
    byline, not the text. A heading is stray when it ends its block on the page (it introduced a box
    of links the extractor left out), and so are the headings and short link labels the text ends
    with ("See also:", "Forum posts", "Support us"); *kinds* says which paragraph is a heading
    (``head``) or a list item.
    """
    headings = {number for number, kind in enumerate(kinds) if kind == "head"}
    ending_blocks = _headings_ending_blocks(root, {paragraphs[number] for number in headings
                                                   if number < len(paragraphs)})
    kept: list[tuple[str, str]] = []
    for number, paragraph in enumerate(paragraphs):
        if paragraph in comment_texts or paragraph in datelines or _is_credit(paragraph) \
                or _is_editors_note(paragraph):
            continue
        if not any(character.isalnum() for character in paragraph):
            continue  # separators, ornaments, bytes the page's encoding could not hold
        if number in headings and paragraph in ending_blocks:
            continue
        kept.append((paragraph, kinds[number] if number < len(kinds) else "p"))
    stubs = 0
    while stubs < len(kept) and _is_stub(*kept[len(kept) - 1 - stubs]):
        stubs += 1
    if stubs >= 2 or (stubs and all(kind == "head" for _text, kind in kept[len(kept) - stubs:])):
        kept = kept[:len(kept) - stubs]
    texts = [paragraph for paragraph, _kind in kept]
    if texts and title and titles_agree(title_key(texts[0]), title_key(title)) and len(texts[0]) < 2 * len(title):
        texts = texts[1:]  # the headline, already in `title`
    return texts


def _is_stub(paragraph: str, kind: str) -> bool:
    # List items and table cells are short by nature (ingredients, results): not link labels.
    return kind == "head" or (kind == "p" and len(paragraph) <= _MAX_STUB
                              and not paragraph.rstrip().endswith(_SENTENCE_END))


def _headings_ending_blocks(root: etree._Element, texts: set[str]) -> set[str]:
    """Of the heading *texts*, those whose heading on the page is the last thing in a block with other content."""
    if not texts:
        return set()
    ending: set[str] = set()
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        text = text_of(heading)
        if text not in texts:
            continue
        after = [sibling for sibling in heading.itersiblings() if isinstance(sibling.tag, str) and text_of(sibling)]
        before = [sibling for sibling in heading.itersiblings(preceding=True)
                  if isinstance(sibling.tag, str) and text_of(sibling)]
        if not after and before and not (heading.tail or "").strip():
            ending.add(text)
    return ending


def _is_boilerplate(element: etree._Element, keep: set[etree._Element]) -> bool:
    if element.tag in ("html", "body", "main", "article") or element in keep:
        return False
    words = {word for token in element_tokens(element) for word in words_of(token)}
    if not words & BOILERPLATE_WORDS:
        return False
    return len(text_of(element)) <= _MAX_BOILERPLATE_TEXT


def _is_credit(paragraph: str) -> bool:
    return len(paragraph) <= _MAX_CREDIT and bool(_CREDIT.match(paragraph))


def _is_editors_note(paragraph: str) -> bool:
    return len(paragraph) <= _MAX_NOTE and bool(_EDITORS_NOTE.match(paragraph))


def _mostly_links(element: etree._Element, text: str) -> bool:
    linked = sum(len(text_of(link)) for link in element.iter("a"))
    return linked * 2 > len(text)
