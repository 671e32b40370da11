"""The document model: one `Article` flows through every stage.

A reader turns an input (file, URL, feed entry, JSON record) into a `RawDocument`;
`Article.from_raw` fixes its stored text and id; each pipeline stage then fills in
its part (segments, metadata, statements, dates, events). Every extracted item keeps
character offsets into `Article.text` plus the exact text, so it can be highlighted
and checked (W3C Web Annotation TextPositionSelector + TextQuoteSelector).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any


def normalize_text(text: str) -> str:
    """The stored form of an article's text: NFC, '\\n' line ends, no NUL, trimmed.

    Offsets of every extracted item refer to this exact string.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.strip("\n\ufeff ")


def content_id(text: str) -> str:
    """Stable article id: the first 16 hex digits of SHA-256 over the stored text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Span:
    """A stretch of `Article.text`: offsets plus the exact characters."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, source: str, start: int, end: int) -> "Span":
        return cls(start, end, source[start:end])


@dataclass
class RawDocument:
    """What a reader hands to ingest: text plus whatever metadata the input carried.

    Readers never guess: a field is None when the input does not give it.
    """

    source: str  # path, URL, "stdin", or "feed.xml#entry-3"
    doc: str  # the name users know it by: file name, or URL when there is one
    text: str
    title: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO 8601 date or datetime
    published_method: str | None = None  # "html-meta", "json-ld", "feed", "json-field", …
    updated: str | None = None  # kept apart from `published`
    url: str | None = None
    format: str = "text"  # text | html | feed | json | url
    encoding: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Segment:
    """A paragraph, headline, live-blog item or boilerplate line of the stored text."""

    start: int
    end: int
    kind: str = "paragraph"  # paragraph | title | heading | item | section | dateline | boilerplate
    boilerplate: bool = False
    reason: str | None = None  # why boilerplate: navigation, byline, photo_credit, feed_ended, ad, views …
    section_date: str | None = None  # ISO date of the live-blog section this segment stands under


@dataclass
class Mention:
    start: int
    end: int
    text: str


@dataclass
class Statement:
    """A proposition the article attributes to someone (see shared/annotation/GUIDE.md).

    `start`/`end` cover the statement content in `Article.text`; for a quote
    interrupted by its cue, `parts` lists each piece and `text` joins them with a space.
    """

    start: int
    end: int
    text: str
    kind: str  # direct | indirect | mixed
    parts: list[tuple[int, int]] = field(default_factory=list)
    speaker: str | None = None  # canonical name, "anonymous", or None when unknown
    speaker_type: str = "unknown"  # person | organization | media | anonymous | unknown
    speaker_mention: Mention | None = None
    speaker_role: str | None = None
    speaker_affiliation: str | None = None
    speaker_description: str | None = None  # kept for anonymous sources
    actor_id: int | None = None
    cue: str | None = None  # lemma: say, tell, according to, ":" …
    cue_span: Mention | None = None
    channel: str | None = None  # X, Telegram, Truth Social, press conference …
    via: list[str] = field(default_factory=list)
    hedged: bool = False
    date: str | None = None  # YYYY-MM-DD or YYYY-MM
    date_basis: str = "none"  # explicit | section | published | none
    date_evidence: Mention | None = None
    confidence: float = 0.5
    extractor: str = ""
    id: str | None = None  # filled by the store: article id + offsets
    cluster_id: str | None = None  # the same statement in other articles (smallest statement id)


@dataclass
class TimeExpression:
    start: int
    end: int
    text: str
    value: str | None  # ISO value: 2025-08-15, 2025-08, 2025-W33, 2025-SU, 2025
    precision: str | None  # day | week | month | season | year
    basis: str = "explicit"  # explicit | relative
    anchor: str | None = None


@dataclass
class Event:
    """A sentence reporting something happening, coded with PLOVER."""

    start: int
    end: int
    text: str
    event_type: str  # PLOVER event: CONSULT, AGREE, REQUEST, ACCUSE, THREATEN, SANCTION …
    mode: str | None = None
    actors: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    location: str | None = None
    date: str | None = None
    precision: str | None = None
    date_basis: str = "none"
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    trigger: Mention | None = None
    confidence: float = 0.5
    extractor: str = ""
    cluster_id: str | None = None  # the same real-world event in other reports (smallest event id)


@dataclass
class Article:
    id: str
    text: str
    source: str
    doc: str
    sources: list[str] = field(default_factory=list)  # every input it arrived from
    format: str = "text"
    url: str | None = None
    outlet: str | None = None
    outlet_method: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO date or datetime; None when unknown, never guessed
    published_precision: str | None = None  # minute | day | month | year
    published_method: str | None = None
    updated: str | None = None
    language: str | None = None
    language_score: float | None = None
    analysed: bool = True  # False for non-English text: stored, not run through the model
    not_analysed_reason: str | None = None
    segments: list[Segment] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    timexes: list[TimeExpression] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)  # names of the stages that ran
    versions: dict[str, str] = field(default_factory=dict)  # stage → the version that ran (pipeline.stage_version)
    # Filled by the `parse` stage and never stored: one (segment, spaCy Doc) pair per
    # analysed segment; a token's offset in the article is `segment.start + token.idx`.
    docs: list[tuple[Segment, Any]] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def from_raw(cls, raw: RawDocument) -> "Article":
        text = normalize_text(raw.text)
        return cls(
            id=content_id(text),
            text=text,
            source=raw.source,
            doc=raw.doc,
            sources=[raw.source],
            format=raw.format,
            url=raw.url,
            outlet=raw.outlet,
            outlet_method="input" if raw.outlet else None,
            title=raw.title,
            authors=list(raw.authors),
            published=raw.published,
            published_method=raw.published_method if raw.published else None,
            updated=raw.updated,
            meta=dict(raw.meta),
        )

    def analysed_segments(self) -> list[Segment]:
        """The segments that analysis reads: everything but boilerplate and headings."""
        return [s for s in self.segments if not s.boilerplate and s.kind not in ("section", "dateline")]

    def section_date_at(self, offset: int) -> str | None:
        for seg in self.segments:
            if seg.start <= offset < seg.end:
                return seg.section_date
        return None

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "docs"}
        data = asdict(Article(**{**data, "docs": []}))
        data.pop("docs")
        data["done"] = sorted(self.done)
        return data
