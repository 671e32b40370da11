"""HTML pages: trafilatura for the article body, page metadata for title/outlet/dates.

Dates: `<meta property="article:published_time">` first ("html-meta"), then JSON-LD
`datePublished` ("json-ld"), then htmldate without its extensive text search
("htmldate"), so no date is ever guessed from body sentences. The updated date is kept
apart and only when it differs from the published one.
"""

from __future__ import annotations

import html as html_lib
import json
import logging
import re
from copy import deepcopy
from typing import Any

import trafilatura
from htmldate import find_date
from trafilatura.utils import load_html

from storyline.errors import E, InputError
from storyline.model import RawDocument
from storyline.readers.pagemeta import (
    ORG_TYPES, byline_texts, choose_headline, clean_authors, closing_bio, compact, domain_label, extends, host_of,
    later, ld_objects, ld_types, page_offset, resolve, site_name_from_title, spells_domain, text_byline, title_segments, to_local, visible_h1s,
)
from storyline.readers.sitenames import (
    copyright_names, microdata_publishers, name_in_text, own_host, site_of_publisher, without_descriptor,
)

# trafilatura and htmldate log every page they cannot read; the failure is ours to report.
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

# A page whose extracted text has fewer words than this in lines of MIN_LINE_WORDS or more
# is a menu, a form or an index, not an article.
MIN_LINE_WORDS = 5
MIN_BODY_WORDS = 10
# trafilatura's text under this share of the page's JSON-LD `articleBody` means it found a
# caption or a teaser, not the article: the declared body is used instead.
BODY_RATIO = 0.25
# trafilatura's text under a fifth of its baseline extraction (the page's <article> or all
# its paragraphs) on a page with that much text: a list or gallery it cut short.
WIDE_RATIO = 0.2
MIN_WIDE_CHARS = 1500

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
        if ld_types(item) & ARTICLE_TYPES:
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
    visible = _visible_text(tree)  # before extraction, which may prune the tree
    try:
        extracted = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=True,
            favor_recall=True, date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:
        raise InputError(E.NO_BODY, source=source, detail=f"extraction failed: {exc}") from None
    info = extracted.as_dict() if extracted is not None else {}
    body = _in_document_order((info.get("text") or "").strip(), tree)
    body_method = "trafilatura"
    declared = next((b for b in map(_article_body, [ld, *ld_objects(tree)]) if b), None)
    if declared and len(body) < BODY_RATIO * len(declared):
        body, body_method = declared, "json-ld-articleBody"  # the page's text is in its JSON-LD, not its HTML
    elif len(body) < WIDE_RATIO * len(visible):  # the baseline cannot be longer than the visible text
        wide = _baseline(data)
        if wide and len(wide) >= MIN_WIDE_CHARS and len(body) < WIDE_RATIO * len(wide):
            body, body_method = wide, "trafilatura-baseline"  # a list or gallery article trafilatura cut short
    prose = sum(len(line.split()) for line in body.splitlines() if len(line.split()) >= MIN_LINE_WORDS)
    if prose < MIN_BODY_WORDS:
        detail = "the page has no paragraph text" if not body else f"only menu or form text: {body[:60]!r}"
        raise InputError(E.NO_BODY, source=source, detail=detail)

    page_url = url or _canonical(tree) or _first(meta, ("og:url",)) or info.get("url")
    objects = ld_objects(tree)
    label = domain_label(host_of(page_url) or own_host(tree))
    known_label = domain_label(host_of(page_url))
    raw_title = _html_title(tree)
    outlet, outlet_method = _outlet(tree, meta, ld, objects, raw_title, label, visible, known_label)
    names = [n for n in (outlet, meta.get("og:site_name"), meta.get("application-name")) if n]
    title, title_method = choose_headline(visible_h1s(tree), _name(ld.get("headline")), raw_title,
                                          _first(meta, ("og:title", "twitter:title")), names, label)
    if not title and info.get("title"):
        title, title_method = info["title"], "trafilatura"
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
    offset = page_offset(data if isinstance(data, str) else data.decode("utf-8", "ignore"))
    local = to_local(published, offset), to_local(updated, offset)
    if local != (published, updated):  # an inference: say how it was made
        extras["local_time"] = f"UTC shown at {local[0][-6:] if local[0] else local[1][-6:]}, the offset of the page's own timestamps"
    published, updated = local
    if not later(updated, published) or (published and updated and updated[:len(published)] == published[:len(updated)]):
        updated = None  # the same moment (or earlier), not an update

    headline_el = next((h for h in tree.iter("h1") if title and " ".join("".join(h.itertext()).split()) == title), None)
    authors, authors_method = _authors(tree, meta, ld, objects, [*names, *(_names(ld.get("publisher")))], label,
                                       headline_el, body)
    if outlet_method:
        extras["outlet_method"] = outlet_method
    extras["title_method"] = title_method
    extras["body_method"] = body_method
    if authors:
        extras["authors_method"] = authors_method
    extras.update({k: info[k] for k in ("description", "categories", "tags") if info.get(k)})
    if ld.get("inLanguage"):
        extras["declared_language"] = str(ld["inLanguage"])
    return RawDocument(
        source=source, doc=doc, text=body, title=title, outlet=outlet, authors=authors,
        published=published, published_method=method if published else None, updated=updated,
        url=page_url, format="html", encoding=encoding, meta=extras,
    )


def _baseline(data: bytes | str) -> str | None:
    """trafilatura's baseline extraction (a fresh tree: it modifies the one it gets), one paragraph per line."""
    try:
        text = trafilatura.baseline(load_html(data))[1]
    except Exception:  # noqa: BLE001 - a failed fallback is no candidate
        return None
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    return "\n".join(line for line in lines if line) or None


def _article_body(ld: dict[str, Any]) -> str | None:
    """The JSON-LD `articleBody` as plain text, one paragraph per line."""
    value = ld.get("articleBody")
    if isinstance(value, list):
        value = "\n".join(v for v in value if isinstance(v, str))
    if not isinstance(value, str) or not value.strip():
        return None
    value = html_lib.unescape(value)
    text = html_to_text(value) if "<" in value else value
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line) or None


def _html_title(tree) -> str | None:
    el = tree.find(".//title")
    text = " ".join("".join(el.itertext()).split()) if el is not None else ""
    return text or None


def _meta_all(tree, keys: tuple[str, ...]) -> list[str]:
    """Every <meta> value under these names, in page order (pages repeat `author`)."""
    wanted = {k.lower() for k in keys}
    found = []
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key in wanted and value and value not in found:
            found.append(value)
    return found


def _publisher(ld: dict[str, Any], objects: list[dict]) -> str | None:
    publisher = resolve(ld.get("publisher"), objects)
    name = _name(publisher)
    if name:
        return name
    for types in (("WebSite",), ("NewsMediaOrganization", "Organization")):
        for item in objects:
            if ld_types(item) & set(types) and _name(item.get("name")):
                return _name(item.get("name"))
    return None


def _outlet(tree, meta: dict[str, str], ld: dict[str, Any], objects: list[dict], title: str | None,
            label: str | None, visible: str = "", known_label: str | None = None) -> tuple[str | None, str | None]:
    """The page's own name for its publication, cross-checked against its domain.

    Candidates: JSON-LD publisher, og:site_name, application-name, the <title> segment
    that spells the domain, an h1 or logo that spells it. A URL, a tagline naming the
    domain or a repeat of the headline is no name; a name that spells the domain or that
    another candidate confirms beats one that does neither (a section such as "U.S."); among
    those, the names the page declares (publisher, og:site_name) beat the ones it prints."""
    raw = [(_publisher(ld, objects), "json-ld-publisher"), (meta.get("og:site_name"), "og:site_name"),
           (meta.get("application-name"), "application-name")]
    raw += [(name, "microdata-publisher") for name in microdata_publishers(tree)]
    raw.append((site_name_from_title(title, label), "title-suffix"))
    raw += [(text, "masthead") for text in _mastheads(tree) if spells_domain(text, label)]
    raw += [(text, "copyright") for text in copyright_names(visible, label)]
    raw.append((name_in_text(visible, known_label), "page-text"))  # only with the page's real URL
    raw.append((_title_rest(tree, title), "title-suffix"))
    candidates = []
    for value, method in raw:
        if not value:
            continue
        value = " ".join(html_lib.unescape(value).split())
        value = without_descriptor(re.split(r"\s+\|\s+|\s*\|\s*", value)[0].strip(), label)
        if not value or re.search(r"https?:|www\.", value, re.I) or (title and compact(value) == compact(title)):
            continue
        if len(value.split()) > 8:
            continue
        candidates.append((value, method))
    if not candidates:
        return None, None

    def key(value: str) -> str:  # "BahamasLocal.com" agrees with "Bahamas Local"
        return compact(re.sub(r"\.[a-z]{2,6}$", "", value) if re.fullmatch(r"[\w.-]+\.[a-z]{2,6}", value.lower()) else value)

    def score(item):
        value, method = item
        agreed = sum(key(v) == key(value) for v, _ in candidates) - 1
        declared = method in ("json-ld-publisher", "og:site_name", "application-name", "microdata-publisher")
        return (spells_domain(value, label) or agreed > 0, declared, agreed)

    best = max(candidates, key=score)  # max keeps the first of equals: the order above
    site = next((c for c in candidates if c[1] == "og:site_name"), None)
    if best[1].endswith("publisher") and site and score(site)[0] and site_of_publisher(site[0], best[0]):
        best = site  # "Sarn Courier" publishes "Sarn Courier Engineering Blog": the blog is the publication
    same = [v for v, _ in candidates if key(v) == key(best[0])]
    # the spelling the page prints most ("HelloGiggles", "PC Gamer"), never a domain or a lower-case handle
    printed = {v for v, m in candidates if m != "page-text"}
    spaced = max(same, key=lambda v: (not re.fullmatch(r"[\w-]+\.[a-z]{2,6}", v.lower()), not v.islower(), v in printed))
    return spaced, next(m for v, m in candidates if v == spaced)  # the method that found this spelling


def _title_rest(tree, title: str | None) -> str | None:
    """"Headline - Site": the short other half of a two-part <title> whose headline half is the page's h1."""
    parts = title_segments(" ".join(html_lib.unescape(title).split())) if title else []
    if len(parts) != 2:
        return None
    for h1 in visible_h1s(tree):
        for head, rest in ((parts[0], parts[1]), (parts[1], parts[0])):
            if compact(h1[0]) == compact(head) and len(rest.split()) <= 4:
                return rest
    return None


def _mastheads(tree) -> list[str]:
    """Short texts that name a site: h1s, and the alt text of logo images and of images linking home."""
    found = []
    for el in tree.iter("h1"):
        text = " ".join("".join(el.itertext()).split())
        if text and len(text.split()) <= 6:
            found.append(text)
    for el in tree.iter("img"):
        cls = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("src"))))
        alt = " ".join((el.get("alt") or "").split())
        home = next((a for a in el.iterancestors("a")), None)
        home = home is not None and re.fullmatch(r"(?:https?://[^/]+)?/?(?:index\.\w+)?", home.get("href") or "x") is not None
        if alt and ("logo" in cls.lower() or home) and len(alt.split()) <= 6:  # a logo, or the image linking home
            found.append(re.sub(r"\s*logo$", "", alt, flags=re.I))
    return found


AUTHOR_KEYS = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl")


def _authors(tree, meta: dict[str, str], ld: dict[str, Any], objects: list[dict], outlets: list[str],
             label: str | None, after=None, body: str = "") -> tuple[list[str], str | None]:
    """(people, method): the page's printed byline (the first after the headline), else
    JSON-LD author, else the author <meta> tags."""
    ld_people: list[str] = []
    ld_persons: list[str] = []
    declared = resolve(ld.get("author"), objects)
    for item in declared if isinstance(declared, list) else [declared]:
        if isinstance(item, dict) and ld_types(item) & ORG_TYPES:
            continue
        ld_people += [n for n in _names([item])]
        if isinstance(item, dict) and "Person" in ld_types(item):
            ld_persons += _names([item])
    printed_byline = byline_texts(tree, after)
    byline = clean_authors(printed_byline, outlets, label)
    if byline:
        return byline, "html-byline"
    found, method = clean_authors(ld_people, outlets, label), "json-ld"
    if not found and ld_persons:  # a Person by type, even when the site bears their name
        found = clean_authors(ld_persons, [], label)
    if not found:
        found, method = clean_authors(_meta_all(tree, AUTHOR_KEYS), outlets, label), "html-meta"
    # a printed line "By …" (full names only) when the byline markup names no one or the metadata is truncated
    # a single name only after "Posted by" / "Written by", the blog forms that always name the writer
    lines = [] if printed_byline else text_byline(tree, after)
    strong = bool(lines) and re.match(r"(?i)\s*(?:posted|written)\s+by\b", lines[0]) is not None
    printed = [p for p in clean_authors(lines, outlets, label) if " " in p or strong]
    if printed and (not found or extends(printed, found)):
        return printed, "text-byline"
    if not found and not printed_byline and not lines:
        found, method = clean_authors(closing_bio(tree, body), outlets, label), "closing-bio"
    return found, method if found else None


def _iso(value: Any, extras: dict[str, Any]) -> str | None:
    """A page's date as ISO 8601; an unreadable one is kept in meta, never guessed."""
    from storyline.readers.values import normalise_date

    if value in (None, ""):
        return None
    iso = normalise_date(str(value).strip())
    if iso is None:
        extras["published_raw"] = str(value)
    return iso


def _visible_text(tree) -> str:
    """The page's visible text on one line: no head, scripts (JSON-LD articleBody) or styles."""
    try:
        visible = deepcopy(tree)
        for el in visible.xpath("//head|//script|//style|//noscript|//template"):
            el.drop_tree()
        return " ".join(" ".join(visible.itertext()).split())
    except Exception:
        return ""


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
