"""The `dates` stage: when each statement was made, and the article's time expressions.

Each statement gets `date` (YYYY-MM-DD, or YYYY-MM when only the month can be known),
`date_basis` and `date_evidence` (shared/annotation/GUIDE.md), by the first rule that
applies:

1. **explicit**: time words that date the saying itself: attached to the cue verb
   ("Kesh told reporters on Sunday", "Earlier in May, she called …"), never time words
   inside the reported content ("Varga said talks would resume on Monday") or inside a
   relative clause about someone ("Hask, who was elected in 2022, said …"). Further
   statements by the same speaker in the same paragraph ("…,” he added.") share them.
2. **none** for background: a statement the article marks as said on an earlier,
   unstated occasion ("Earlier, X said …", "We recall that …", "X had previously
   warned …", "X has long argued …") has no knowable date. A paragraph that opens with
   such a marker is background to its end, and so are the paragraphs right after it
   that only quote the same speakers (and a subheading right above it).
   In a live blog a bare "Earlier," means earlier that day, so it stays under rule 3.
3. **section**: the live-blog section date the statement stands under. Intro
   paragraphs above the first section heading stand under the newest section.
4. **published**: the article's published date, at its known precision.
5. **none**: otherwise `date` stays null. Never the ingest date, never a guess.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from storyline.model import Article, Mention, Segment, Statement, TimeExpression
from storyline.pipeline import Context, stage
from storyline.stages.timex import Anchor, find_timexes

NAME = "dates.rules.v1"

# Markers of an earlier, undated occasion.
_OPENERS = re.compile(
    r"^\W*(?:(?P<earlier>earlier|before that)\s*,|previously\b|in the past\b|we (?:would )?(?:like to )?recall\b|"
    r"recall that\b|let us recall\b|it (?:is|was|should be) recalled\b|as (?:previously|earlier) reported\b)",
    re.IGNORECASE,
)
_INLINE = re.compile(
    r"\b(?:previously|had earlier|has long|have long|had long|had repeatedly|in the past|years of|"
    r"for (?:years|decades)|over the (?:years|decades))\b", re.IGNORECASE
)
_PAST_PERFECT = re.compile(r"\bhad\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"|‘[^’]*’(?!\w)")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[”\"’)]*\s+(?=[“\"‘(]?[A-Z0-9])")
# Governing-verb climb: these dependency links keep a time word in the verb's own clause.
_PHRASAL = {"prep", "pobj", "npadvmod", "advmod", "compound", "amod", "nummod", "det", "poss", "appos",
            "nmod", "case", "pcomp", "dobj", "attr", "punct", "cc", "quantmod", "tmod", "obl"}
_CLAUSAL = {"relcl", "acl"}


# --- anchors and values ----------------------------------------------------------------

def published_anchor(article: Article) -> Anchor | None:
    anchor = Anchor.parse(article.published)
    if anchor is None:
        return None
    precision = article.published_precision
    if precision in ("month", "year"):
        anchor = Anchor(anchor.day.replace(day=1) if precision == "month" else anchor.day.replace(month=1, day=1),
                        precision)
    return anchor


def statement_date(value: str | None, precision: str | None) -> str | None:
    """A TIMEX value as a statement/event date: YYYY-MM-DD or YYYY-MM, else None."""
    if not value:
        return None
    if precision in ("day", "time") and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    if precision == "month" and re.match(r"^\d{4}-\d{2}$", value):
        return value
    if precision == "week":
        m = re.match(r"^(\d{4})-W(\d{2})", value)
        if m:
            monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            sunday = monday + timedelta(days=6)
            if monday.month == sunday.month:
                return f"{monday.year:04d}-{monday.month:02d}"
    return None


def anchor_value(anchor: Anchor | None) -> str | None:
    if anchor is None or anchor.precision == "year":
        return None
    return anchor.iso()


@dataclass
class Paragraph:
    start: int
    end: int
    kind: str
    section: Anchor | None  # the live-blog section date, when there is one
    live: bool  # the article is a live blog (has dated sections)


def paragraphs(article: Article) -> list[Paragraph]:
    """The article's analysed segments (or its lines when it has no segments yet)."""
    segs: list[Segment] = [s for s in article.segments if not s.boilerplate and s.kind not in ("dateline",)]
    if not segs:
        segs, pos = [], 0
        for line in article.text.split("\n"):
            if line.strip():
                segs.append(Segment(pos, pos + len(line)))
            pos += len(line) + 1
    live = any(s.section_date for s in article.segments)
    first_section = next((s.section_date for s in segs if s.section_date), None)
    out = []
    first_dated = _first_dated_start(segs)
    for s in segs:
        if s.kind == "section":
            continue
        section = Anchor.parse(s.section_date)
        if section is None and live and first_section and s.start < first_dated:
            section = Anchor.parse(first_section)  # live-blog intro: stands under the newest section
        kind = s.kind
        if kind == "paragraph" and _headline_like(article.text[s.start:s.end]):
            kind = "heading"
        out.append(Paragraph(s.start, s.end, kind, section, live))
    return out


def _first_dated_start(segs: list[Segment]) -> int:
    return min((s.start for s in segs if s.section_date), default=0)


def _headline_like(text: str) -> bool:
    text = text.strip()
    return 0 < len(text.split()) <= 14 and not re.search(r"[.!?…:;,\"”’)]$", text)


def anchor_at(article: Article, paras: list[Paragraph], offset: int) -> tuple[Anchor | None, str]:
    """The date a spot in the article speaks from, and its basis (section / published)."""
    return anchor_of(article, paragraph_at(paras, offset))


def anchor_of(article: Article, para: Paragraph | None) -> tuple[Anchor | None, str]:
    """The date a paragraph speaks from: its live-blog section, else the published date."""
    if para is not None and para.section is not None:
        return para.section, "section"
    pub = published_anchor(article)
    return (pub, "published") if pub is not None else (None, "none")


# --- sentences and parses ---------------------------------------------------------------

def doc_at(article: Article, offset: int) -> tuple[int, Any] | tuple[None, None]:
    for seg, doc in article.docs:
        if seg.start <= offset < seg.end:
            return seg.start, doc
    return None, None


def sentences(doc) -> list:
    """The parse's sentences, with pieces that start in lower case (a parser split at a
    quotation mark: 'X called the meeting | “historic”') joined to the one before."""
    spans: list[list[int]] = []
    for sent in doc.sents:
        first = sent.text.lstrip()[:1]
        if spans and first and (first.islower() or first in ",;:)]”’"):
            spans[-1][1] = sent.end
        else:
            spans.append([sent.start, sent.end])
    return [doc[a:b] for a, b in spans]


class SentenceIndex:
    """The article's sentences, found once and looked up by binary search: each parsed
    segment's sentences (`sentences(doc)`), and for text with no parse the sentences of
    a paragraph by punctuation. Looking up every statement of a paragraph with
    thousands of quotes costs one pass over the paragraph, not one per statement."""

    def __init__(self, article: Article):
        self.article = article
        self.docs = sorted(((seg.start, seg.end, doc) for seg, doc in article.docs), key=lambda d: d[0])
        self.doc_starts = [d[0] for d in self.docs]
        self._doc_spans: dict[int, tuple[list[int], list[tuple[int, int, bool]]]] = {}
        self._para_spans: dict[tuple[int, int], tuple[list[int], list[tuple[int, int]]]] = {}

    def doc_at(self, offset: int) -> tuple[int, Any] | tuple[None, None]:
        i = bisect_right(self.doc_starts, offset) - 1
        if i >= 0 and self.docs[i][0] <= offset < self.docs[i][1]:
            return self.docs[i][0], self.docs[i][2]
        return None, None

    def _parsed(self, i: int) -> tuple[list[int], list[tuple[int, int, bool]]]:
        if i not in self._doc_spans:
            base, _, doc = self.docs[i]
            spans = [(base + sent.start_char, base + sent.end_char, sent.end == len(doc)) for sent in sentences(doc)]
            self._doc_spans[i] = ([a for a, _, _ in spans], spans)
        return self._doc_spans[i]

    def _split(self, lo: int, hi: int) -> tuple[list[int], list[tuple[int, int]]]:
        if (lo, hi) not in self._para_spans:
            spans, start = [], lo
            for m in _SENTENCE_END.finditer(self.article.text, lo, hi):
                spans.append((start, m.start()))
                start = m.end()
            spans.append((start, hi))
            self._para_spans[(lo, hi)] = ([a for a, _ in spans], spans)
        return self._para_spans[(lo, hi)]

    def bounds(self, para: Paragraph | None, offset: int) -> tuple[int, int]:
        i = bisect_right(self.doc_starts, offset) - 1
        if i >= 0 and self.docs[i][0] <= offset < self.docs[i][1]:
            starts, spans = self._parsed(i)
            k = bisect_right(starts, offset) - 1
            for j in (k, k - 1):  # the sentence holding it, or ending at it (the last one)
                if 0 <= j < len(spans):
                    s, e, last = spans[j]
                    if s <= offset < e or (offset == e and last):
                        return s, e
        lo, hi = (para.start, para.end) if para else (0, len(self.article.text))
        starts, spans = self._split(lo, hi)
        k = max(0, bisect_right(starts, offset) - 1)
        return spans[k]


def sentence_bounds(article: Article, para: Paragraph | None, offset: int,
                    index: SentenceIndex | None = None) -> tuple[int, int]:
    """The sentence around `offset` (pass one `SentenceIndex` for many look-ups)."""
    return (index or SentenceIndex(article)).bounds(para, offset)


def paragraph_at(paras: list[Paragraph], offset: int, starts: list[int] | None = None) -> Paragraph | None:
    """The paragraph holding `offset` (paragraphs in text order; binary search)."""
    starts = starts if starts is not None else [p.start for p in paras]
    i = bisect_right(starts, offset) - 1
    return paras[i] if i >= 0 and paras[i].start <= offset < paras[i].end else None


def find_article_timexes(article: Article, paras: list[Paragraph] | None = None) -> list[TimeExpression]:
    """Time expressions of the article's analysed text, each against its own anchor."""
    paras = paras if paras is not None else paragraphs(article)
    by_start = {seg.start: doc for seg, doc in article.docs}
    found: list[TimeExpression] = []
    for p in paras:
        anchor, _ = anchor_of(article, p)
        text = article.text[p.start:p.end]
        for t in find_timexes(text, anchor, doc=by_start.get(p.start)):
            t.start += p.start
            t.end += p.start
            found.append(t)
    return found


# --- which time words date a statement --------------------------------------------------

def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _content_spans(st: Statement) -> list[tuple[int, int]]:
    return [tuple(p) for p in st.parts] if st.parts else [(st.start, st.end)]


def _governing_verb(doc: Any, base: int, t: TimeExpression):
    """The verb a time expression hangs on, and whether the path crossed a clause boundary."""
    span = doc.char_span(t.start - base, t.end - base, alignment_mode="expand")
    if span is None or not len(span):
        return None, False
    token = span.root
    crossed = False
    for _ in range(12):
        if token.pos_ in ("VERB", "AUX") and token.i != span.root.i:
            return token, crossed or token.dep_ in _CLAUSAL  # "Hask, who was elected in 2022, said"
        if token.head.i == token.i:
            return (token if token.pos_ in ("VERB", "AUX") else None), crossed
        if token.dep_ in _CLAUSAL:
            crossed = True
        token = token.head
    return None, crossed


def _cue_tokens(doc: Any, base: int, st: Statement) -> list:
    if st.cue_span is None:
        return []
    span = doc.char_span(st.cue_span.start - base, st.cue_span.end - base, alignment_mode="expand")
    return list(span) if span is not None else []


def _related(verb, cues: list) -> bool:
    for cue in cues:
        if verb == cue or verb == cue.head or cue == verb.head:
            return True
        # "reaffirmed this month that … and rejected reports …": conjoined cues share modifiers.
        if cue.dep_ == "conj" and cue.head == verb:
            return True
        if verb.dep_ == "conj" and verb.head == cue:
            return True
    return False


def dating_timex(article: Article, st: Statement, timexes: list[TimeExpression],
                 sent: tuple[int, int], index: SentenceIndex | None = None,
                 starts: list[int] | None = None) -> TimeExpression | None:
    """The time expression that dates the saying of `st`, if its sentence has one.
    With `starts` (the start offsets of `timexes`, which are then in text order), only
    the time expressions inside the sentence are looked at."""
    content = _content_spans(st)
    lo = min(sent[0], st.cue_span.start if st.cue_span else sent[0])
    hi = max(sent[1], st.cue_span.end if st.cue_span else sent[1])
    quotes = [(lo + m.start(), lo + m.end()) for m in _QUOTED.finditer(article.text[lo:hi])]
    at = st.cue_span.start if st.cue_span else st.start
    base, doc = index.doc_at(at) if index is not None else doc_at(article, at)
    cues = _cue_tokens(doc, base, st) if doc is not None else []
    best = None
    if starts is not None:
        timexes = timexes[bisect_left(starts, lo):bisect_right(starts, hi)]
    for t in timexes:
        if not (lo <= t.start and t.end <= hi) or _inside(t.start, t.end, content) or _inside(t.start, t.end, quotes):
            continue
        if t.precision in (None, "decade") or t.value is not None and t.value.startswith("P"):
            continue
        if t.anchor and t.value and t.value[:len(t.anchor)] > t.anchor[:len(t.value)]:
            continue  # a date after the report's own date cannot date what was already said
        if doc is not None and base is not None and base <= t.start < base + len(doc.text):
            verb, crossed = _governing_verb(doc, base, t)
            if crossed:
                continue
            if cues and verb is not None and not _related(verb, cues):
                continue
            if verb is not None and _inside(base + verb.idx, base + verb.idx + len(verb), content):
                continue
        elif _relative_clause_before(article.text, lo, t.start) or not _beside_cue(article.text, st, t, content):
            continue
        anchor_pos = st.cue_span.start if st.cue_span else st.start
        if best is None or abs(t.start - anchor_pos) < abs(best.start - anchor_pos):
            best = t
    return best


_COMPLEMENT = re.compile(r"\b(?:that|whether|if|how|why|when)\b|[;:\u2013\u2014]", re.IGNORECASE)


def _beside_cue(text: str, st: Statement, t: TimeExpression, content: list[tuple[int, int]]) -> bool:
    """No parse: do these time words belong to the saying, not to what was said? They
    must sit in the cue's own clause: after the cue with no "that"-clause opening in
    between ("told reporters on Sunday", not "said that between January and March …"),
    or before it with no reported content in between ("On Sunday, Kesh said")."""
    if st.cue_span is None:
        return True
    if t.start >= st.cue_span.end:
        between = text[st.cue_span.end:t.start]
        return not _COMPLEMENT.search(between) and not _inside(st.cue_span.end, t.start, content)
    if t.end <= st.cue_span.start:
        return not _inside(t.end, st.cue_span.start, content)
    return True


def _relative_clause_before(text: str, lo: int, at: int) -> bool:
    """No parse: is `at` inside a ', who/which …,' aside?"""
    left = text[lo:at]
    m = list(re.finditer(r",\s+(?:who|which|whose|where)\b", left))
    return bool(m) and "," not in left[m[-1].end():]


# --- background ---------------------------------------------------------------------------

def _attribution(article: Article, st: Statement, sent: tuple[int, int]) -> str:
    """The sentence with the statement's content and quotes blanked out."""
    chars = list(article.text[sent[0]:sent[1]])
    for s, e in _content_spans(st):
        for i in range(max(s, sent[0]), min(e, sent[1])):
            chars[i - sent[0]] = " "
    text = "".join(chars)
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def is_background(article: Article, st: Statement, sent: tuple[int, int], live: bool) -> bool:
    """The statement is marked as said on an earlier, unstated occasion."""
    attribution = _attribution(article, st, sent)
    opener = _OPENERS.match(attribution)
    if opener and not (opener.group("earlier") and live):
        return True
    if _INLINE.search(attribution):
        return True
    if st.cue_span is not None and _PAST_PERFECT.search(article.text[max(sent[0], st.cue_span.start - 30):st.cue_span.start]):
        return True
    return False


def opens_background(text: str, live: bool) -> bool:
    m = _OPENERS.match(text)
    return bool(m) and not (m.group("earlier") and live)


def _speaker_key(st: Statement) -> str | None:
    return st.speaker.casefold() if st.speaker else None


def background_statements(article: Article, paras: list[Paragraph],
                          sentences: dict[int, tuple[int, int]]) -> set[int]:
    """Indexes of statements inside a background scope (see the module docstring)."""
    order = sorted(range(len(article.statements)), key=lambda i: article.statements[i].start)
    para_starts = [p.start for p in paras]
    para_of = {}
    for i in order:
        st = article.statements[i]
        k = bisect_right(para_starts, st.start) - 1
        para_of[i] = k if k >= 0 and paras[k].start <= st.start < paras[k].end else None
    by_para: dict[int | None, list[int]] = {}
    for i in order:
        by_para.setdefault(para_of[i], []).append(i)
    out: set[int] = set()
    spoken_before: set[str | None] = set()
    seen_upto = 0
    k = 0
    while k < len(paras):
        p = paras[k]
        if p.kind in ("title", "heading") or not opens_background(article.text[p.start:p.end], p.live):
            k += 1
            continue
        scope = [k - 1, k] if k > 0 and paras[k - 1].kind == "heading" else [k]
        while seen_upto < scope[0]:  # speakers quoted before the scope (kept as k grows: linear)
            spoken_before.update(_speaker_key(article.statements[i]) for i in by_para.get(seen_upto, []))
            if seen_upto == 0:
                spoken_before.update(_speaker_key(article.statements[i]) for i in by_para.get(None, []))
            seen_upto += 1
        speakers = {_speaker_key(article.statements[i]) for j in scope for i in by_para.get(j, [])} - {None}
        j = k + 1
        # Following paragraphs stay in the background while they only quote its own speakers
        # (speakers quoted before it belong to the main story).
        while j < len(paras) and paras[j].kind not in ("title", "heading"):
            keys = [_speaker_key(article.statements[i]) for i in by_para.get(j, [])]
            if not keys or any(key is None or key not in speakers or key in spoken_before for key in keys):
                break
            scope.append(j)
            j += 1
        out.update(i for j in scope for i in by_para.get(j, []))
        k = j
    return out


# --- the stage ----------------------------------------------------------------------------

def date_statements(article: Article) -> None:
    """Fill date, date_basis, date_evidence of every statement, and `article.timexes`."""
    paras = paragraphs(article)
    article.timexes = find_article_timexes(article, paras)
    index = SentenceIndex(article)
    para_starts = [p.start for p in paras]
    ordered = sorted(article.timexes, key=lambda t: t.start)
    timex_starts = [t.start for t in ordered]
    sentences = {}
    for i, st in enumerate(article.statements):
        para = paragraph_at(paras, st.start, para_starts)
        s0, s1 = index.bounds(para, st.start)
        if st.cue_span is not None:
            c0, c1 = index.bounds(para, st.cue_span.start)
            s0, s1 = min(s0, c0), max(s1, c1)
        sentences[i] = (s0, max(s1, min(st.end, para.end if para else st.end)))
    background = background_statements(article, paras, sentences)
    previous: dict[int, Statement] = {}  # paragraph start -> last dated statement in it
    for i in sorted(range(len(article.statements)), key=lambda i: article.statements[i].start):
        st = article.statements[i]
        para = paragraph_at(paras, st.start, para_starts)
        st.date, st.date_basis, st.date_evidence = None, "none", None
        t = dating_timex(article, st, ordered, sentences[i], index, timex_starts)
        live = para.live if para else False
        if t is not None:
            st.date = statement_date(t.value, t.precision)
            st.date_basis = "explicit" if st.date else "none"
            st.date_evidence = Mention(t.start, t.end, t.text)
        elif i in background or is_background(article, st, sentences[i], live):
            pass
        else:
            prev = previous.get(para.start) if para else None
            if prev is not None and prev.date_basis == "explicit" and (
                prev.speaker is None or st.speaker is None or prev.speaker == st.speaker
            ):
                st.date, st.date_basis, st.date_evidence = prev.date, prev.date_basis, prev.date_evidence
            else:
                anchor, basis = anchor_of(article, para)
                st.date = anchor_value(anchor)
                st.date_basis = basis if st.date else "none"
        if para is not None:
            previous[para.start] = st


@stage("dates", requires=("statements", "segments"), assigns=("dates",), analysed_only=True)
def dates_stage(articles: list[Article], ctx: Context) -> None:
    for article in articles:
        date_statements(article)
