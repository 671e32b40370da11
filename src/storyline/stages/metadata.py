"""The `metadata` stage: the outlet and publication date when the reader had none.

Never guesses: a date comes only from a dateline segment (a line that starts with a
date, "Oct 8, 2025 15:51", " date 2025-11-12 …", "Published: …"; "Updated: …" is kept
apart), never from body sentences, today's date or a file's mtime. The outlet comes from,
in order: the URL's domain in the outlets registry, the page's masthead (short lines above
its navigation bar), a "Last news in X" navigation cue, a registry fingerprint (site
furniture such as a navigation menu or byline format), a "© 2025 X" line, a "Source: X"
line, a wire dateline "(Reuters) —", and finally the URL's bare domain.
`outlet_method` and `published_method` record which one was used.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from storyline.errors import E, StorylineError
from storyline.model import Article
from storyline.outlets import Outlet, OutletRegistry  # noqa: F401 - the registry, re-exported for callers
from storyline.pipeline import stage
from storyline.stages.segment import TIME_RE, UPDATED_LABELS, DateLine, match_date, parse_dateline

# ---- outlet cues in the text ----------------------------------------------------------------

NAV_CUE = re.compile(r"^(?:last|latest) news (?:in|from|on)\s+(?P<name>.+?)\s*$", re.I)
COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*(?P<name>[^.,;|©]+)",
                       re.I)
SOURCE = re.compile(r"^(?:source|quelle|источник)\s*:\s*(?P<name>[^.,;|]{2,60})\.?$", re.I)
# "PORT ALDER, March 3 (Veloria Wire) —", "SARN, Veloria, Feb 17 (Reuters) -", "HALLEN (AP) —"
WIRE = re.compile(r"^[A-Z][A-Z .'’-]{1,40}(?:,\s*[^,()]{1,30}){0,2}\s*\((?P<name>[A-Z][\w .&'-]{1,40})\)"
                  r"\s*[—–-]")
LEGAL_SUFFIX = re.compile(r"\s+(?:ltd|limited|inc|llc|plc|gmbh|ag|s\.a|corp|corporation|co)\.?$", re.I)


def _clean_name(name: str) -> str:
    name = re.split(r"\s+[–—|-]\s+", name.strip(), maxsplit=1)[0]  # "ORB Deutsch – the German service of …"
    name = LEGAL_SUFFIX.sub("", name.strip(" -–—:|"))
    if name.isupper() and len(name) > 4:  # "THE DAILY LANTERN" → "The Daily Lantern"
        name = " ".join(w if len(w) <= 3 and w not in ("THE", "AND") else w.capitalize() for w in name.split())
        name = name[0].upper() + name[1:]
    return name.strip()


def find_outlet(article: Article, registry: OutletRegistry) -> tuple[str, str] | None:
    """(outlet, method) from the URL, the text's furniture, or cues; None when unknown."""
    host = urlsplit(article.url).hostname if article.url else None
    if host and registry.by_host(host):
        return registry.by_host(host), "url-registry"
    text = article.text
    segs = article.segments
    lines = [text[s.start:s.end] for s in segs]
    for seg, line in zip(segs, lines):
        if seg.reason == "masthead":
            return registry.canonical(_clean_name(line)), "text-masthead"
        if seg.kind not in ("paragraph", "dateline") and not seg.boilerplate:
            break
    for line in lines[:5] + lines[-5:]:
        match = NAV_CUE.match(line)
        if match:
            return registry.canonical(_clean_name(match["name"])), "text-navigation"
    found = registry.by_fingerprint(lines)
    if found:
        return found, "registry-fingerprint"
    for seg, line in zip(segs, lines):
        if seg.reason == "copyright":
            match = COPYRIGHT.match(line)
            if match and _clean_name(match["name"]):
                return registry.canonical(_clean_name(match["name"])), "text-copyright"
    for line in lines[:5] + lines[-5:]:
        match = SOURCE.match(line)
        if match:
            return registry.canonical(_clean_name(match["name"])), "text-source"
    wire = find_wire(article)
    if wire:
        return registry.canonical(wire), "text-wire"
    if host:
        return (host[4:] if host.startswith("www.") else host), "url-domain"
    return None


def find_wire(article: Article) -> str | None:
    """The agency of a wire dateline "PORT ALDER, March 3 (Veloria Wire) —" in the first paragraphs."""
    for seg in [s for s in article.segments if not s.boilerplate][:8]:
        match = WIRE.match(article.text[seg.start:seg.end])
        if match:
            return match["name"].strip()
    return None


# ---- authors -----------------------------------------------------------------------------------


def find_byline(article: Article, outlets: list[str]) -> list[str]:
    """The people of the first byline segment ("By Ana Petrov and Ivo Marek, 3 May") near the top."""
    from storyline.readers.pagemeta import clean_authors, domain_label

    host = urlsplit(article.url).hostname if article.url else None
    for seg in article.segments[:15]:
        if seg.reason == "byline":
            people = clean_authors([article.text[seg.start:seg.end]], outlets, domain_label(host))
            if people:
                return people
    return []


# ---- dates -----------------------------------------------------------------------------------

UPDATED_IN_LINE = re.compile(r"\b(?:updated|aktualisiert)\s*:?\s*", re.I)


def find_dates(article: Article) -> tuple[DateLine | None, DateLine | None]:
    """(published, updated) from the dateline segments above the first live-blog section."""
    published = updated = None
    for seg in article.segments:
        if seg.kind == "section":
            break
        if seg.kind != "dateline":
            continue
        line = article.text[seg.start:seg.end]
        found = parse_dateline(line)
        if not found or not found.has_year:
            continue
        if found.label in UPDATED_LABELS:
            updated = updated or found
            continue
        if published is None:
            published = found
            # "Thursday 5 March 2026 6:47 am | Updated: 9:12 am": the update on the same line
            rest = line[found.end:]
            um = UPDATED_IN_LINE.search(rest)
            if um and updated is None:
                again = parse_dateline(rest[um.start():])
                if again and again.has_year:
                    updated = again
                else:
                    tm = TIME_RE.match(rest, um.end())
                    if tm:
                        hour = int(tm["h"]) + (12 if (tm["ampm"] or "").lower().startswith("p") and int(tm["h"]) < 12 else 0)
                        updated = DateLine(0, 0, f"{found.value[:10]}T{hour:02d}:{tm['min']}", "minute", True, "updated")
    return published, updated


def precision_of(value: str) -> str:
    if "T" in value or " " in value.strip():
        return "minute"
    return {4: "year", 7: "month"}.get(len(value), "day")


def complete_section_years(article: Article) -> None:
    """Live-blog headings without a year ("Saturday, 16 August") take the year of the
    article's date (the year before when the heading's month is later than that date's)."""
    if not article.published or not article.published[:4].isdigit():
        return
    year, month = int(article.published[:4]), int(article.published[5:7] or 12)
    current = None
    for seg in article.segments:
        if seg.kind == "section":
            current = seg.section_date
            if current is None:
                found = match_date(article.text[seg.start:seg.end].strip())
                if found and not found.has_year:
                    seg_month = int(found.value[2:4])
                    current = f"{year - 1 if seg_month > month else year}{found.value[1:]}"
                    seg.section_date = current
        elif current is not None and seg.section_date is None:
            seg.section_date = current
            if seg.kind == "paragraph" and not seg.boilerplate:
                seg.kind = "item"


def fill_metadata(article: Article, registry: OutletRegistry) -> None:
    if not article.title:  # a plain-text page: its headline line
        title = next((s for s in article.segments if s.kind == "title"), None)
        if title:
            article.title = article.text[title.start:title.end]
    if article.published:
        article.published_precision = article.published_precision or precision_of(article.published)
        article.published_method = article.published_method or "input"
    published, updated = find_dates(article)
    if not article.published and published:
        article.published = published.value
        article.published_precision = published.precision
        article.published_method = "text-dateline"
    if not article.updated and updated and (not article.published or updated.value != article.published):
        article.updated = updated.value
    complete_section_years(article)
    if not article.authors:
        found = find_byline(article, [n for n in (article.outlet,) if n])
        if found:
            article.authors = found
            article.meta["authors_method"] = "text-byline"
    if not article.outlet:
        found = find_outlet(article, registry)
        if found:
            article.outlet, article.outlet_method = found
    elif article.outlet_method in (None, "input"):
        article.outlet = registry.canonical(article.outlet)
        article.outlet_method = article.meta.pop("outlet_method", None) or article.outlet_method or "input"
    wire = find_wire(article)
    if wire:
        article.meta.setdefault("wire", registry.canonical(wire))


def body_chars(article: Article) -> int:
    """Characters of body text: the segments that are not boilerplate, headline, headings or datelines."""
    return sum(s.end - s.start for s in article.segments
               if not s.boilerplate and s.kind not in ("title", "heading", "dateline", "section")
               and article.text[s.start:s.end] != article.title)


def check_body(article: Article, minimum: int) -> None:
    """A SHORT_BODY warning in `meta["warnings"]` when the body is under `minimum` characters."""
    chars = body_chars(article)
    warnings = [w for w in article.meta.get("warnings", []) if w.get("code") != E.SHORT_BODY.code]
    if minimum and chars < minimum:
        message = StorylineError(E.SHORT_BODY, chars=chars, minimum=minimum).message
        warnings.append({"code": E.SHORT_BODY.code, "message": message})
    if warnings:
        article.meta["warnings"] = warnings
    else:
        article.meta.pop("warnings", None)


@stage("metadata", requires=("segments",), assigns=("outlet", "published"))
def metadata_stage(articles: list[Article], ctx) -> None:
    key = ("outlets", ctx.options.outlets_file)
    if key not in ctx.cache:
        ctx.cache[key] = OutletRegistry.load(ctx.options.outlets_file)
    for article in articles:
        fill_metadata(article, ctx.cache[key])
        check_body(article, ctx.options.min_body_chars)
