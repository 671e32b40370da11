"""RSS and Atom feeds: feedparser, one RawDocument per entry.

The entry's text is its full content (`content:encoded` / Atom `content`), else its
summary, turned from HTML into one paragraph per line; the entry title is the first line
(headlines can attribute statements). Each entry is its own source: "feed.xml#entry-2".
An entry's outlet is its own `<source>`, else the feed's publisher when the entry links to
the feed's site; an aggregator's entry that links elsewhere is named from its URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timezone

import feedparser

from storyline.errors import E, InputError
from storyline.readers.html import html_to_text
from storyline.readers.values import normalise_date
from storyline.readers.pagemeta import domain_label, host_of, later
from storyline.model import RawDocument

# "© 2026 Veloria Wire", "Copyright (c) 2025 Example News Ltd. All rights reserved."
COPYRIGHT_RE = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*([^.|,;]+)", re.I)
TITLE_SEPARATORS = re.compile(r"\s+[–—|:-]\s+")


def iso_from_feed_date(raw: str | None, parsed) -> str | None:
    """A feed date as ISO 8601, keeping the offset the feed gave; None when absent."""
    iso = normalise_date(raw) if raw else None  # the one date normaliser
    if iso:
        return iso
    if parsed:
        return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat()
    return None


def outlet_of_feed(feed) -> str | None:
    """The publisher: from the copyright line, else the feed title before a section separator."""
    for key in ("rights", "copyright"):
        match = COPYRIGHT_RE.search(feed.get(key) or "")
        if match and match.group(1).strip():
            return match.group(1).strip()
    title = (feed.get("title") or "").strip()
    return TITLE_SEPARATORS.split(title, maxsplit=1)[0].strip() or None if title else None


def entry_outlet(entry, link: str | None, feed_outlet: str | None, feed_site: str | None) -> str | None:
    """Who published one entry: its own <source> element, else the feed's publisher when the
    entry links to the feed's own site. An entry of an aggregator feed that links elsewhere
    gets None, so the `metadata` stage names it from its URL (registry, then domain)."""
    source = entry.get("source") or {}
    if isinstance(source, dict) and (source.get("title") or "").strip():
        return source["title"].strip()
    entry_site = domain_label(host_of(link))
    if entry_site and feed_site and entry_site != feed_site:
        return None
    return feed_outlet


def parse_feed(data: bytes | str, source: str):
    """Parse a feed; E.BAD_FEED when it is malformed and has no entries."""
    parsed = feedparser.parse(data)
    if parsed.bozo and not any(entry_text(e).strip() for e in parsed.entries):
        raise InputError(E.BAD_FEED, source=source, detail=str(parsed.get("bozo_exception") or "not a feed"))
    if not parsed.entries:
        if parsed.bozo:
            detail = str(parsed.get("bozo_exception") or "not a feed")
        else:
            detail = "the feed has no entries" if parsed.feed else "not an RSS or Atom feed"
        raise InputError(E.BAD_FEED, source=source, detail=detail)
    return parsed


def entry_text(entry) -> str:
    for content in entry.get("content") or []:
        if content.get("value", "").strip():
            return html_to_text(content["value"])
    return html_to_text(entry.get("summary") or entry.get("description") or "")


def iter_feed_entries(parsed, source: str) -> Iterator[RawDocument | InputError]:
    """One RawDocument per entry (or an InputError for an entry with no text)."""
    outlet = outlet_of_feed(parsed.feed)
    feed_site = domain_label(host_of(parsed.feed.get("link")))
    for number, entry in enumerate(parsed.entries, start=1):
        entry_source = f"{source}#entry-{number}"
        title = (entry.get("title") or "").strip() or None
        body = entry_text(entry)
        if not body.strip():
            yield InputError(E.EMPTY, source=entry_source)
            continue
        text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
        link = entry.get("link") or None
        # dict.get: feedparser's own .get maps a missing "updated" onto "published" (deprecated)
        published = iso_from_feed_date(dict.get(entry, "published"), dict.get(entry, "published_parsed"))
        updated = iso_from_feed_date(dict.get(entry, "updated"), dict.get(entry, "updated_parsed"))
        authors = [a.get("name") for a in entry.get("authors") or [] if a.get("name")]
        if not authors and entry.get("author"):
            authors = [entry["author"]]
        authors = list(dict.fromkeys(authors))
        yield RawDocument(
            source=entry_source, doc=link or entry_source.rsplit("/", 1)[-1], text=text, title=title,
            outlet=entry_outlet(entry, link, outlet, feed_site), authors=authors, published=published,
            published_method="feed" if published else None,
            updated=updated if later(updated, published) else None,
            url=link, format="feed",
            meta={"feed": source, "feed_title": parsed.feed.get("title"), "entry": number,
                  **({"guid": entry["id"]} if entry.get("id") else {})},
        )
