"""The `segment` stage: split the stored text into segments and mark web-page furniture.

A segment is a pair of offsets into `Article.text` (never a modified copy): one per
line, or one per blank-line paragraph when the text is hard-wrapped. Each gets a kind
(title, heading, paragraph, item, section, dateline) and, for page furniture, a
boilerplate reason: masthead, navigation, section_label, byline, photo_credit, caption,
feed_ended, ad, views, comments, related, share, cookies, newsletter, subscribe, promo,
keywords, timestamp, weather, copyright. The patterns are the common ones of news web pages, not rules for one site.

Live blogs: a line holding only a date ("16 August 2025", "Saturday, 16 August") is a
section heading; the segments under it carry its ISO date in `section_date`. Intro
paragraphs above the first heading carry none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline import months
from storyline.model import Article, Segment
from storyline.pipeline import stage

# ---- dates on their own line ---------------------------------------------------------

MONTHS = months.MONTHS  # the one month table (English and German names)
_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = (r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
            r"|(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag))")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
DATE_PATTERNS = [
    re.compile(rf"{_MONTH}\s+{_DAY},?(?:\s+{_YEAR})?\b", re.I),  # Oct 8, 2025 · August 16
    re.compile(rf"{_DAY}\s+{_MONTH},?(?:\s+{_YEAR})?\b", re.I),  # 16 August 2025 · 4 Mar
    re.compile(rf"{_YEAR}-(?P<m>[01]\d)-{_DAY}(?=$|[T\s,|])", re.I),  # 2025-11-12
    re.compile(rf"{_DAY}\.(?P<m>[01]?\d)\.{_YEAR}\b", re.I),  # 04.03.2026
]
WEEKDAY_RE = re.compile(rf"(?:{_WEEKDAY},?\s+)?", re.I)
TIME_RE = re.compile(
    r"[\s,|·•–—-]*(?:at\s+|um\s+|T)?(?P<h>[0-2]?\d)[:.](?P<min>[0-5]\d)(?::\d\d(?:\.\d+)?)?"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?))?(?P<tz>Z|[+-]\d\d:?\d\d)?(?:\s*(?:uhr|hrs|h|[A-Z]{2,4}\b))?",
    re.I,
)
LABEL_RE = re.compile(
    r"^(?P<label>date|dated|published(?: on| at)?|posted(?: on| at)?|first published(?: on)?|"
    r"(?:last )?updated(?: on| at)?|modified|veröffentlicht(?: am)?|aktualisiert(?: am)?)\s*:?\s*",
    re.I,
)
UPDATED_LABELS = ("updated", "last updated", "modified", "aktualisiert")


@dataclass
class DateLine:
    """A date (and maybe a time) found at the start of a line or after a label."""

    start: int  # offsets within the line
    end: int
    value: str  # ISO: 2025-10-08, 2025-10-08T15:51, or --08-16 when the year is missing
    precision: str  # minute | day
    has_year: bool
    label: str | None  # "published", "updated", "date" …


def match_date(text: str, pos: int = 0) -> DateLine | None:
    """A date at `pos` of `text` (after an optional weekday), with a following time."""
    m = WEEKDAY_RE.match(text, pos)
    at = m.end() if m else pos
    for pattern in DATE_PATTERNS:
        dm = pattern.match(text, at)
        if not dm:
            continue
        parts = dm.groupdict()
        month = MONTHS.get((parts.get("mon") or "").lower().rstrip(".")) if parts.get("mon") else int(parts["m"])
        day = int(parts["day"])
        if not month or not 1 <= month <= 12 or not 1 <= day <= 31:
            continue
        year = parts.get("year")
        end = dm.end()
        value = f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        precision = "day"
        tm = TIME_RE.match(text, end)
        if tm and year:
            hour, minute = int(tm["h"]), int(tm["min"])
            ampm = (tm["ampm"] or "").lower().replace(".", "")
            if ampm == "pm" and hour < 12:
                hour += 12
            elif ampm == "am" and hour == 12:
                hour = 0
            if hour < 24:
                value += f"T{hour:02d}:{minute:02d}"
                precision = "minute"
                end = tm.end()
        return DateLine(pos, end, value, precision, bool(year), None)
    return None


def parse_dateline(line: str) -> DateLine | None:
    """A line that starts with a date ("Oct 8, 2025 15:51 257", " date 2025-11-12 World …",
    "Updated: 4 Mar 2026 19:40 CET", "04.03.2026 | 18:30 Uhr"), else None."""
    stripped = line.lstrip()
    offset = len(line) - len(stripped)
    label = None
    lm = LABEL_RE.match(stripped)
    pos = 0
    if lm:
        label = lm["label"].lower()
        pos = lm.end()
    found = match_date(stripped, pos)
    if not found:  # the time first: "Updated 12:34 PM EST, Mon March 3, 2026"
        tm = TIME_RE.match(stripped, pos)
        if tm and (tm["min"] and tm.end() > pos):
            after = re.match(r"[\s,|·–—-]*(?:on\s+)?", stripped[tm.end():])
            found = match_date(stripped, tm.end() + after.end())
            if found and found.has_year and found.precision == "day":
                hour = int(tm["h"])
                ampm = (tm["ampm"] or "").lower().replace(".", "")
                hour = hour + 12 if ampm == "pm" and hour < 12 else (0 if ampm == "am" and hour == 12 else hour)
                if hour < 24:
                    found.value += f"T{hour:02d}:{int(tm['min']):02d}"
                    found.precision = "minute"
                found.start = pos
            else:
                found = None
    if not found:
        return None
    found.label = label
    found.start += offset
    found.end += offset
    return found


# ---- boilerplate patterns ---------------------------------------------------------------

def _re(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


# (reason, pattern, longest line in words it applies to)
BOILERPLATE: list[tuple[str, re.Pattern, int]] = [
    ("feed_ended", _re(r"^(this|our) live (feed|blog|coverage|page|stream) (has|is) (now )?(ended|closed|finished|over"
                       r"|no longer being updated)\.?$|^this (feed|blog|page) (has ended|is now closed)\.?$"), 15),
    ("ad", _re(r"^(advertisement|advertising|anzeige|werbung|sponsored|promoted|ad|реклама)\s*([—–:|-].*)?$"), 30),
    ("photo_credit", _re(r"^\(?(photos?|photograph|picture|image|foto|bild|illustration|credit|source of photo|"
                         r"фото)\s*(:|by\b|credit\b)"), 30),
    ("photo_credit", _re(r"/\s*(reuters|afp|ap|ap photo|getty images|epa|epa-efe|anadolu|tass|sputnik|ria novosti|"
                         r"xinhua|shutterstock|alamy|dpa|pa|pa media|bloomberg)\)?\.?$"), 20),
    ("photo_credit", _re(r"\b(getty images|shutterstock|alamy stock|ap photo|afp via getty)\b"), 20),
    ("byline", _re(r"^author[`'’]?s name\b"), 12),
    # names are matched case-sensitively: "By Hanna Brisk, …" but not "By the time they left, …"
    ("byline", re.compile(r"^(?i:by|von|par|written by|words by|text by)\s+[A-Z][\w.'’-]+(\s+[A-Z][\w.'’-]+){0,3}"
                          r"\s*(,|\||·|;|$|and\s+[A-Z])"), 15),
    ("byline", re.compile(r"^(?i:author|authors|editor|editors|autor|autorin|redaktion|redakteur|reporter|correspondent|"
                   r"additional reporting|reporting|editing|edited by|writing)\s*(?i:by)?\s*:?\s+[A-Z]"), 10),
    ("byline", _re(r"^\((reporting|writing|editing|additional reporting) by\b.*\)\.?$"), 30),
    ("views", _re(r"^(\d[\d\s.,]*\s*(views?|reads?|aufrufe)|(views?|reads?)\s*:?\s*\d[\d\s.,]*)$"), 6),
    ("views", _re(r"^\d[\d\s.,]*$"), 4),
    ("comments", _re(r"^(💬\s*)?\d+\s+comments?$|^(comments|show comments|leave a comment|join the conversation|"
                     r"kommentare)\b"), 8),
    ("related", _re(r"^(related|read more|read also|read next|see also|also read|more on this( story)?|more from|"
                    r"most read|most popular|recommended|you may also like|trending|lesen sie auch|mehr zum thema|"
                    r"читайте также)\b.{0,30}$"), 12),
    ("share", _re(r"^(share( this)?( article| story| page| post)?|teilen)\s*:"), 15),
    ("share", _re(r"^share (this|on)\b"), 8),
    ("share", _re(r"^(share|save|print|email|e-mail|copy link|tweet|bookmark|gift this article)$"), 3),
    ("share", _re(r"^follow (us|@\w+)\b"), 12),
    ("timestamp", _re(r"^(\d+|an?|one)\s+(seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago$|"
                      r"^\d+\s*(-|\s)?(min(ute)?s?|m)\.?\s+read$"), 6),
    ("promo", _re(r"^(listen to this (article|story)|listen\s*\(?\d+:\d\d\)?|our standards:)"), 12),
    ("caption", _re(r"^(image|photo|picture|video) caption\b"), 40),
    ("byline", re.compile(r"^[A-Z][\w'’-]*(\s+[\w'’-]+){0,3}\s+(?i:correspondent|reporter|editor|staff writer|"
                          r"columnist|contributor|bureau chief)$"), 5),
    ("byline", _re(r"^\(?(reporting|writing|editing|additional reporting) by\b.*(by\b|\)\.?$)"), 40),
    ("cookies", _re(r"\b(we use cookies|cookie (policy|settings|preferences)|accept (all )?cookies|"
                    r"(site|website) uses cookies)\b"), 40),
    ("newsletter", _re(r"\b(sign(ing)? up|subscribe)\b.{0,40}\bnewsletter\b|^newsletter\b|\bget (our|the)\b.{0,30}"
                       r"\bnewsletter\b|\bby email and never miss\b|\bnever miss (our|the) (top|latest|best)\b"), 30),
    # a paywall or subscription box: "please subscribe to …", "already a subscriber?", "subscribers also receive …"
    ("subscribe", _re(r"^subscribe (to|now|today|for)\b|\bplease subscribe\b|\balready a subscriber\b|"
                      r"\b(first-time |new )?subscribers (also )?(receive|get|enjoy)\b|\blog ?in for (immediate |full )?access\b|"
                      r"\b(annual|monthly) subscription or\b"), 40),
    # calls to action addressed to the reader
    ("promo", _re(r"\bdownload (the|our) .{0,40}\bapps?\b|^follow (us|the [\w ]{2,30}) on (twitter|facebook|instagram|"
                  r"whatsapp|telegram|youtube)\b|\bsubmit (a|your) letter\b|\bwe want to hear (what you think|from you)\b|"
                  r"^advertise with\b|\badvertiser disclosure\b|\bwe may receive compensation\b|"
                  r"\b(send|email) us (a message|your (tips?|stories))\b"), 45),
    # the keyword and filing blocks under an article
    ("keywords", _re(r"^(categor(y|ies)|tags?|keywords|filed under|topics|related (subjects|topics)|permalink|"
                     r"news date)\s*:|^[-•·]\s*(keywords|related subjects|permalink|tags|print|feedback|date|author)\b"), 25),
    ("related", _re(r"^(read more|read also|see also|also read|related( story| article)?|more on this)\s*:\s*\S"), 25),
    ("timestamp", _re(r"\blast (modified|updated)\s*:\s*\d"), 20),
    ("promo", _re(r"^got a (story|tip)\b|\bbecome a (supporter|member|subscriber)\b|\bsupport (our|independent) "
                  r"journalism\b|^(subscribe|sign up) (now|today|here)\b|^(download|get) (our|the) app\b"), 30),
    ("copyright", _re(r"^(©|\(c\)\s|copyright\s*(©|\(c\)|\d{4}))|\ball rights reserved\b"), 40),
    # a weather strip, not a sentence about the heat: "Eskby 7°C, fresh westerly | Tides: HW 06:12"
    ("weather", _re(r"^(?!.*[.!?]$).*-?\d+\s?°\s?[CF]\b"), 15),
    ("navigation", _re(r"^(last|latest) news (in|from|on)\s+\S"), 8),
    ("navigation", _re(r"^(skip to (main )?content|jump to navigation|menu|search|search\s*(\.\.\.|…)|search the \w+"
                       r"|sign in|log in|subscribe|main menu|close)$"), 4),
]

NAV_WORDS = {
    "home", "news", "world", "politics", "business", "economy", "sport", "sports", "opinion", "society",
    "science", "culture", "tech", "technology", "health", "entertainment", "video", "videos", "photo", "photos",
    "live", "lifestyle", "travel", "weather", "local", "markets", "climate", "podcasts", "radio", "more",
    "menu", "search", "subscribe", "contact", "about", "privacy", "terms", "archive", "incidents", "regions",
    "showbiz", "money", "puzzles", "notices", "obituaries", "newsletter", "newsletters", "cookies", "advertise",
    "corrections", "complaints", "letters", "sign", "login", "log", "in", "us", "uk", "europe", "russia",
    "africa", "asia", "americas", "analysis", "features", "blogs", "multimedia", "gallery", "e-paper", "watch",
    "listen", "nachrichten", "politik", "wirtschaft", "kultur", "startseite", "impressum", "kontakt",
    "datenschutz", "mediathek", "deutsch", "english", "fishing", "farming", "city", "on", "what's", "of",
}
FUNCTION_WORDS = {"the", "a", "an", "to", "of", "in", "on", "for", "with", "as", "at", "by", "and", "is", "are",
                  "was", "has", "have", "will", "be", "from", "that", "after", "over", "says", "said"}
CRUMB_SEPARATORS = re.compile(r"\s+(?:›|»|>|/|\|)\s+")
SENTENCE_END = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")
QUOTE_START = re.compile(r"^[\"“„«‘'‹]")
LIVE_CUES = re.compile(r"\blive (feed|blog|coverage|updates?)\b|\bas it happened\b|^live$", re.I | re.M)
TIME_ONLY = re.compile(r"^[0-2]?\d[:.][0-5]\d(\s*([ap]\.?m\.?|[A-Z]{2,4}|uhr))?$", re.I)
ROLE_LINE = re.compile(r"\b(?i:correspondent|reporter|editor|staff writer|columnist|contributor|bureau chief)$")
IMAGE_ID = re.compile(r"\(\d{5,}\)$")
INLINE_LINK = re.compile(r"^[^:]{1,30}:\s*\S")
CAPTION_COUNTER = re.compile(r"\s[-–]\s*\d{1,2}$")


def _words(text: str) -> list[str]:
    return text.split()


def is_navigation(text: str) -> bool:
    """A menu bar or breadcrumb: many short items, no sentence."""
    if SENTENCE_END.search(text) and not text.endswith(("›", "»")):
        return False
    words = _words(text)
    items = [i for i in re.split(r"\s{2,}|\s*\|\s*|\s+·\s+", text.strip()) if i]
    if len(items) >= 4 and all(len(_words(i)) <= 4 for i in items):
        return True
    if len(items) == 3 and all(len(_words(i)) <= 2 for i in items) and sum(
            1 for i in items if any(w.lower() in NAV_WORDS for w in _words(i))) >= 2:
        return True
    crumbs = [c for c in CRUMB_SEPARATORS.split(text.strip()) if c]
    if 2 <= len(crumbs) <= 6 and all(len(_words(c)) <= 4 for c in crumbs) and text.upper() == text:
        return True
    if len(words) >= 5:
        capitalised = all(w[:1].isupper() or w in ("&", "|", "·") for w in words)
        menu_words = sum(1 for w in words if w.lower().strip("|·") in NAV_WORDS)
        has_function = any(w.lower() in FUNCTION_WORDS for w in words)
        if capitalised and menu_words >= 3 and not has_function:
            return True
    return False


# Cyrillic letters that look Latin: ad boxes spell "Аdvеrtіѕе" with them to slip past filters
MIXED_WORD = re.compile(r"[a-zA-Z][\u0400-\u04ff]|[\u0400-\u04ff][a-zA-Z]")
HOMOGLYPHS = str.maketrans("АВЕКМНОРСТХаеорсухіїјѕԁһ", "ABEKMHOPCTXaeopcyxiijsdh")


def boilerplate_reason(text: str) -> str | None:
    """Why a line is page furniture, or None when it may be article text."""
    if MIXED_WORD.search(text):
        text = text.translate(HOMOGLYPHS)  # mixed scripts in one word: match the Latin look-alike
    n_words = len(_words(text))
    for reason, pattern, max_words in BOILERPLATE:
        if n_words <= max_words and pattern.search(text):
            return reason
    if is_navigation(text):
        return "navigation"
    return None


# ---- splitting ----------------------------------------------------------------------------

def _lines(text: str) -> list[tuple[int, int, int]]:
    """(start, end, block number) of every non-blank line, whitespace trimmed."""
    out = []
    block = 0
    pos = 0
    blank_run = True
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + (len(line) - len(line.lstrip()))
            out.append((start, start + len(stripped), block))
            blank_run = False
        elif not blank_run:
            block += 1
            blank_run = True
        pos += len(line) + 1
    return out


def _hard_wrapped(text: str, lines: list[tuple[int, int, int]]) -> bool:
    """Plain text wrapped at a fixed width: lines run on into a next line starting lower-case."""
    if len(lines) < 6 or any(end - start > 110 for start, end, _ in lines):
        return False
    pairs = [(a, b) for a, b in zip(lines, lines[1:]) if a[2] == b[2] and a[1] - a[0] >= 40]
    if len(pairs) < 3:
        return False
    runs_on = sum(1 for a, b in pairs if text[b[0]].islower() or not SENTENCE_END.search(text[a[0]:a[1]]))
    return runs_on / len(pairs) > 0.5


def split_segments(text: str) -> list[tuple[Segment, int]]:
    """Segments (kind not yet set) with their block number."""
    lines = _lines(text)
    if _hard_wrapped(text, lines):
        merged: dict[int, list[int]] = {}
        for start, end, block in lines:
            span = merged.setdefault(block, [start, end])
            span[1] = end
        return [(Segment(s, e), b) for b, (s, e) in sorted(merged.items())]
    return [(Segment(s, e), b) for s, e, b in lines]


# ---- classification -------------------------------------------------------------------------

def _is_headline_like(text: str, max_words: int = 14) -> bool:
    words = _words(text)
    return 1 <= len(words) <= max_words and not SENTENCE_END.search(text) and not QUOTE_START.match(text)


def _section_date(text: str) -> DateLine | None:
    """A line holding only a date (and optional weekday): a live-blog section heading."""
    found = match_date(text.strip())
    if found and found.precision == "day" and not text.strip()[found.end:].strip(" .,"):
        return found
    return None


def segment_text(text: str) -> list[Segment]:
    pieces = split_segments(text)
    segments = [seg for seg, _ in pieces]
    blocks = [b for _, b in pieces]
    texts = [text[s.start:s.end] for s in segments]
    n = len(segments)

    # 1. Datelines, date-only lines, time stamps, boilerplate by pattern.
    date_only: dict[int, DateLine] = {}
    for i, (seg, line) in enumerate(zip(segments, texts)):
        only = _section_date(line)
        if only:
            date_only[i] = only
            continue
        dateline = parse_dateline(line)
        rest = line[dateline.end:].strip(" |·,–—-") if dateline else ""
        if dateline and len(_words(rest)) <= 15 and not SENTENCE_END.search(rest.rstrip(")")) and (
                dateline.has_year or dateline.label):
            seg.kind = "dateline"
            reason = boilerplate_reason(rest) if rest else None
            if reason == "navigation" or (rest and is_navigation(rest)):
                seg.boilerplate, seg.reason = True, "navigation"
            continue
        if TIME_ONLY.match(line):
            seg.kind = "dateline"
            continue
        reason = boilerplate_reason(line)
        if reason:
            seg.boilerplate, seg.reason = True, reason

    # 2. Date-only lines: live-blog sections, or a plain dateline in the page header.
    first_body = next((i for i, t in enumerate(texts) if len(_words(t)) > 25 and not segments[i].boilerplate), n)
    live = len(date_only) >= 2 or bool(LIVE_CUES.search(text))
    for i, _found in date_only.items():
        if live or i > first_body:
            segments[i].kind = "section"
        else:
            segments[i].kind = "dateline"

    # 3. Blocks that follow a "Related:" / "Read more:" / "Most read" line are link lists.
    for i in range(n):
        if segments[i].reason == "related" and not INLINE_LINK.match(texts[i]):  # "Read more: Title" is the link itself
            j = i + 1
            while (j < n and blocks[j] == blocks[i] and len(_words(texts[j])) <= 25
                   and not segments[j].boilerplate and segments[j].kind == "paragraph"):
                segments[j].boilerplate, segments[j].reason = True, "related"
                j += 1

    # 3b. A name on the line above its role ("Jonah Marsh" / "Sarn correspondent") is a byline too.
    for i in range(1, n):
        if segments[i].reason == "byline" and ROLE_LINE.search(texts[i]) and blocks[i - 1] == blocks[i]:
            name = _words(texts[i - 1])
            if (2 <= len(name) <= 4 and all(w[:1].isupper() for w in name) and not segments[i - 1].boilerplate
                    and not re.search(r"[^\w\s'’.-]", texts[i - 1])):
                segments[i - 1].boilerplate, segments[i - 1].reason = True, "byline"

    # 4. Page header: short lines above a navigation bar near the top are the masthead.
    nav_top = [i for i in range(min(n, 6)) if segments[i].reason == "navigation"]
    if nav_top:
        for i in range(nav_top[-1]):
            if not segments[i].boilerplate and segments[i].kind == "paragraph" and len(_words(texts[i])) <= 12:
                segments[i].boilerplate, segments[i].reason = True, "masthead"

    # 5. Photo captions: next to a photo credit in the same block.
    for i in range(n):
        if segments[i].reason != "photo_credit":
            continue
        for j in (i - 1, i + 1):
            if not 0 <= j < n or blocks[j] != blocks[i] or segments[j].boilerplate or segments[j].kind != "paragraph":
                continue
            line = texts[j]
            if (j < i and _is_headline_like(line, 15)) or (
                    j > i and len(_words(line)) <= 30 and not re.search(r"[\"“”„«»]", line)):
                segments[j].boilerplate, segments[j].reason = True, "caption"
    for seg, line in zip(segments, texts):
        if not seg.boilerplate and seg.kind == "paragraph" and len(_words(line)) <= 20 and (
                IMAGE_ID.search(line) or CAPTION_COUNTER.search(line)):
            seg.boilerplate, seg.reason = True, "caption"

    # 6. Title, section labels, headings.
    title_seen = False
    for i, (seg, line) in enumerate(zip(segments, texts)):
        if seg.kind == "section":
            title_seen = True  # the headline is above the live blog, if anywhere
        if seg.boilerplate or seg.kind != "paragraph":
            continue
        words = _words(line)
        if not title_seen:
            if len(words) <= 2 and line.upper() == line and any(c.isalpha() for c in line) and i + 1 < n:
                seg.boilerplate, seg.reason = True, "section_label"  # "WORLD", "POLITICS" above the headline
                continue
            title_seen = True
            if 3 <= len(words) <= 30 and len(line) <= 220 and not line.rstrip("”’\"'").endswith("."):
                seg.kind = "title"
                continue
            if len(words) < 3 and i + 1 < n and _is_headline_like(line):
                seg.kind = "heading"  # a kicker such as "Veloria–Ostmark"
                title_seen = False
                continue
        if _is_headline_like(line) and i + 1 < n and not TIME_ONLY.match(line):
            seg.kind = "heading"

    # 7. Live-blog sections: items under a heading carry its date.
    _assign_sections(segments, date_only)
    return segments


def _assign_sections(segments: list[Segment], date_only: dict[int, DateLine]) -> None:
    sections = [i for i, s in enumerate(segments) if s.kind == "section"]
    if not sections:
        return
    years = {i: date_only[i].value[:4] for i in sections if date_only[i].has_year}
    current: str | None = None
    for i, seg in enumerate(segments):
        if seg.kind == "section":
            found = date_only[i]
            if found.has_year:
                current = found.value
            else:
                near = sorted(years, key=lambda k: abs(k - i))
                current = f"{years[near[0]]}{found.value[1:]}" if near else None
            seg.section_date = current
        elif current is not None:
            seg.section_date = current
            if seg.kind == "paragraph" and not seg.boilerplate:
                seg.kind = "item"


@stage("segment", requires=("text",), assigns=("segments",))
def segment_stage(articles: list[Article], ctx) -> None:
    for article in articles:
        article.segments = segment_text(article.text)
