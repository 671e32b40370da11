"""HTML pages: trafilatura for the article body, page metadata for title/outlet/dates.

Dates: `<meta property="article:published_time">` first ("html-meta"), then JSON-LD
`datePublished` ("json-ld"), then htmldate without its extensive text search
("htmldate"), so no date is ever guessed from body sentences. The updated date is kept
apart and only when it differs from the published one.
"""

from __future__ import annotations

import json
import logging
from copy import deepcopy
from typing import Any

import trafilatura
from htmldate import find_date
from trafilatura.utils import load_html

from storyline.errors import E, InputError
from storyline.model import RawDocument

# trafilatura and htmldate log every page they cannot read; the failure is ours to report.
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

# A page whose extracted text has fewer words than this in lines of MIN_LINE_WORDS or more
# is a menu, a form or an index, not an article.
MIN_LINE_WORDS = 5
MIN_BODY_WORDS = 10

ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
                 "LiveBlogPosting", "OpinionNewsArticle", "BackgroundNewsArticle", "WebPage", "Report"}
PUBLISHED_META = ("article:published_time", "og:article:published_time", "datePublished", "pubdate",
                  "publishdate", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date")
UPDATED_META = ("article:modified_time", "og:updated_time", "dateModified", "dcterms.modified", "last-modified")
OUTLET_META = ("og:site_name", "application-name", "publisher", "dc.publisher")
AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")


def _meta(tree) -> dict[str, str]:
    """<meta> values by lower-cased property/name/itemprop (first one wins)."""
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        value = (el.get("content") or "").strip()
        if key and value:
            found.setdefault(key.strip().lower(), value)
    return found


def _json_ld(tree) -> dict[str, Any]:
    """The first JSON-LD object that describes an article (searching lists and @graph)."""
    candidates: list[dict] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                candidates.append(item)
                if "@graph" in item:
                    stack.append(item["@graph"])
    for item in candidates:
        types = item.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(t in ARTICLE_TYPES for t in types if isinstance(t, str)):
            return item
    return {}


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [n for n in (_name(v) for v in items) if n]


def _first(mapping: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if mapping.get(key.lower()):
            return mapping[key.lower()]
    return None


def read_html(data: bytes | str, source: str, doc: str, url: str | None = None,
              encoding: str | None = None) -> RawDocument:
    """One HTML page → one RawDocument; E.NO_BODY when no article text is found."""
    try:
        tree = load_html(data)
    except Exception as exc:  # lxml raises many types on broken input
        raise InputError(E.NO_BODY, source=source, detail=f"HTML could not be parsed: {exc}") from None
    if tree is None:
        raise InputError(E.NO_BODY, source=source, detail="HTML could not be parsed")
    meta = _meta(tree)
    ld = _json_ld(tree)
    try:
        extracted = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=True,
            favor_recall=True, date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:
        raise InputError(E.NO_BODY, source=source, detail=f"extraction failed: {exc}") from None
    info = extracted.as_dict() if extracted is not None else {}
    body = _in_document_order((info.get("text") or "").strip(), tree)
    prose = sum(len(line.split()) for line in body.splitlines() if len(line.split()) >= MIN_LINE_WORDS)
    if prose < MIN_BODY_WORDS:
        detail = "the page has no paragraph text" if not body else f"only menu or form text: {body[:60]!r}"
        raise InputError(E.NO_BODY, source=source, detail=detail)

    title = _first(meta, ("og:title", "twitter:title")) or _name(ld.get("headline")) or info.get("title")
    if title and title.strip() not in body[: len(title) + 200]:
        body = f"{title.strip()}\n\n{body}"  # headlines can attribute statements; keep them in the text

    extras: dict[str, Any] = {}
    published, method = _iso(_first(meta, PUBLISHED_META), extras), "html-meta"
    if not published and ld.get("datePublished"):
        published, method = _iso(ld["datePublished"], extras), "json-ld"
    if not published:
        published = _htmldate(tree, original=True)
        method = "htmldate"
    updated = _iso(_first(meta, UPDATED_META), {}) or _iso(ld.get("dateModified"), {})
    if not updated:
        updated = _htmldate(tree, original=False)
    if updated and published and updated[:len(published)] == published[:len(updated)]:
        updated = None  # the same moment (or day), not an update

    outlet = _first(meta, OUTLET_META) or _name(ld.get("publisher")) or info.get("sitename")
    authors = _names(ld.get("author")) or [a.strip() for a in (_first(meta, AUTHOR_META) or info.get("author") or "").split(";") if a.strip()]
    page_url = url or _canonical(tree) or _first(meta, ("og:url",)) or info.get("url")
    extras.update({k: info[k] for k in ("description", "categories", "tags") if info.get(k)})
    if ld.get("inLanguage"):
        extras["declared_language"] = str(ld["inLanguage"])
    return RawDocument(
        source=source, doc=doc, text=body, title=title, outlet=outlet, authors=authors,
        published=published, published_method=method if published else None, updated=updated,
        url=page_url, format="html", encoding=encoding, meta=extras,
    )


def _iso(value: Any, extras: dict[str, Any]) -> str | None:
    """A page's date as ISO 8601; an unreadable one is kept in meta, never guessed."""
    from storyline.readers.jsonl import normalise_date

    if value in (None, ""):
        return None
    iso = normalise_date(str(value).strip())
    if iso is None:
        extras["published_raw"] = str(value)
    return iso


def _in_document_order(body: str, tree) -> str:
    """trafilatura's lines, back in page order when it moved some (it can pull a
    `div.post` to the front of a live blog). Lines it chose are kept; only the order changes."""
    lines = body.split("\n")
    if len(lines) < 2:
        return body
    try:
        visible = deepcopy(tree)  # the page's visible text: no head, scripts (JSON-LD articleBody) or styles
        for el in visible.xpath("//head|//script|//style|//noscript|//template"):
            el.drop_tree()
        page = " ".join("".join(visible.itertext()).split())
    except Exception:
        return body
    positions, last = [], -1
    for line in lines:
        found = page.find(" ".join(line.split())[:80])
        last = found if found >= 0 else last  # unfound lines stay after the previous one
        positions.append(last)
    if positions == sorted(positions):
        return body
    order = sorted(range(len(lines)), key=lambda i: (positions[i], i))
    return "\n".join(lines[i] for i in order)


def _canonical(tree) -> str | None:
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href", "").startswith("http"):
            return link.get("href")
    return None


def _htmldate(tree, original: bool) -> str | None:
    try:
        return find_date(tree, extensive_search=False, original_date=original, outputformat="%Y-%m-%d")
    except Exception:
        return None


def html_to_text(fragment: str) -> str:
    """A feed entry's HTML content as plain text, one paragraph per line."""
    if "<" not in fragment:
        return fragment.strip()
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:
        return trafilatura.html2txt(fragment) or ""
    blocks = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "figcaption", "br"}
    for el in root.iter():
        if el.tag in blocks:
            el.tail = ("\n\n" + el.tail) if el.tail else "\n\n"
    for el in list(root.iter("script", "style")):
        el.drop_tree()
    text = root.text_content()
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line:
            out.append(line)
    return "\n\n".join(out)
