"""Quotation marks: pair them into quotes, and tell direct, mixed and indirect content apart.

Pairing works per paragraph. A quote left open at the end of a paragraph continues only
when the next paragraph starts with an opening mark (the news convention for a quote that
runs over several paragraphs); otherwise the stray mark is ignored, so one unbalanced mark
costs at most the statement it belongs to, never the rest of the article.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

OPENERS = "“«„"
CLOSERS = "”»"
STRAIGHT = '"'
DOUBLE_APOSTROPHE = "''"  # two apostrophes for one double mark (a token of its own in spaCy)
SINGLE_OPEN, SINGLE_CLOSE = "‘", "’"
ALL_MARKS = OPENERS + CLOSERS + STRAIGHT + SINGLE_OPEN + SINGLE_CLOSE
# Double marks; also two apostrophes standing for one (``''It's late,'' she said``, the
# style of some archives and wire feeds): a mark two characters wide.
_MARK_RE = re.compile(r"(?<!\w)''(?!')|(?<=[\w.,!?;:\u2014-])''(?!\w)|[“”«»„\"]")
# British style, used only in paragraphs without double marks: ‘…’, where ’ is not an
# apostrophe inside a word ("don’t") and ‘ opens at a word start.
_SINGLE_RE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))‘(?=\S)|(?<=\S)’(?=$|[\s.,;:!?)\]—–-])")
_WORD_RE = re.compile(r"\w+")
# Words that may stand between quoted pieces of one direct statement:
# "there is no momentum", and "the process is stalled".
_JOINERS = frozenset({"and", "or", "but"})
_TRIM = " \t\n,;:–—-"


@dataclass
class Quote:
    """One quotation: `open`/`close` are the offsets of its marks; `pieces` its inner text
    (one piece per paragraph it runs over)."""

    open: int
    close: int
    pieces: list[tuple[int, int]] = field(default_factory=list)

    @property
    def inner_start(self) -> int:
        return self.pieces[0][0]

    @property
    def inner_end(self) -> int:
        return self.pieces[-1][1]


def _straight_role(text: str, i: int, width: int = 1) -> str:
    """"open", "close" or "either" for a straight double quote at text[i] (`width` 2: '')."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    opens = before.isspace() or before in "([{—–-/:" or before in OPENERS
    closes = after.isspace() or after in ".,;:!?)]}—–-…" or after in CLOSERS
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def find_quotes(text: str, spans: Sequence[tuple[int, int]]) -> list[Quote]:
    """Pair the double quotation marks of `text` inside each paragraph span, in order.

    `spans` are (start, end) offsets of consecutive paragraphs. Nested double marks inside
    an open quote are treated as stray (English nests with single marks).
    """
    quotes: list[Quote] = []
    pending: Quote | None = None  # a quote carried over from the previous paragraph
    for index, (start, end) in enumerate(spans):
        para = text[start:end]
        current = pending
        pending = None
        first_mark = True
        if current is None and not _MARK_RE.search(para):
            quotes.extend(_single_quotes(text, start, para))
            continue
        for match in _MARK_RE.finditer(para):
            mark, i = match.group(), start + match.start()
            width = len(mark)
            role = "open" if mark in OPENERS else "close" if mark in CLOSERS else _straight_role(text, i, width)
            if current is not None and current.pieces and current.pieces[-1][1] == -1 and first_mark \
                    and role != "close" and not para[: match.start()].strip():
                # The continuation paragraph's own opening mark.
                current.pieces[-1] = (i + width, -1)
                first_mark = False
                continue
            first_mark = False
            if current is None:
                if role in ("open", "either"):
                    current = Quote(open=i, close=-1, pieces=[(i + width, -1)])
                continue
            if role in ("close", "either"):
                s, _ = current.pieces[-1]
                current.pieces[-1] = (s, i)
                current.close = i
                quotes.append(current)
                current = None
            # An opening mark inside an open quote is stray: ignore it.
        if current is not None:
            nxt = spans[index + 1] if index + 1 < len(spans) else None
            continues = nxt is not None and (text[nxt[0]:nxt[1]].lstrip()[:1] in OPENERS + STRAIGHT or
                                             text[nxt[0]:nxt[1]].lstrip().startswith("''"))
            if continues:
                s, _ = current.pieces[-1]
                current.pieces[-1] = (s, len(para.rstrip()) + start)
                current.pieces.append((-1, -1))
                pending = current
            # else: unbalanced mark, dropped.
    for quote in quotes:
        quote.pieces = [(s, e) for s, e in quote.pieces if s >= 0 and e > s]
    return [q for q in quotes if q.pieces]


def _single_quotes(text: str, start: int, para: str) -> list[Quote]:
    found, open_at = [], None
    for match in _SINGLE_RE.finditer(para):
        i = start + match.start()
        if match.group() == SINGLE_OPEN:
            open_at = i if open_at is None else open_at
        elif open_at is not None:
            found.append(Quote(open=open_at, close=i, pieces=[(open_at + 1, i)]))
            open_at = None
    return found


class QuoteIndex:
    """Look-ups over the quotes of one article, sorted by opening mark."""

    def __init__(self, quotes: list[Quote]):
        self.quotes = sorted(quotes, key=lambda q: q.open)
        self._opens = [q.open for q in self.quotes]

    def at(self, pos: int) -> Quote | None:
        """The quote whose marks enclose `pos` (marks included), if any. Quotes never
        overlap (a nested double mark is stray), so only the nearest opening can."""
        i = bisect.bisect_right(self._opens, pos) - 1
        if i >= 0 and self.quotes[i].close >= pos:
            return self.quotes[i]
        return None

    def within(self, start: int, end: int) -> list[Quote]:
        """Quotes that overlap [start, end)."""
        i = bisect.bisect_left(self._opens, start)
        found = []
        if i > 0 and self.quotes[i - 1].close >= start:
            found.append(self.quotes[i - 1])
        while i < len(self.quotes) and self.quotes[i].open < end:
            found.append(self.quotes[i])
            i += 1
        return found

    def opening_at(self, pos: int) -> Quote | None:
        i = bisect.bisect_left(self._opens, pos)
        if i < len(self.quotes) and self.quotes[i].open == pos:
            return self.quotes[i]
        return None


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding spaces and joining punctuation."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def classify(text: str, start: int, end: int, index: QuoteIndex) -> tuple[str, list[tuple[int, int]], int, int]:
    """(kind, parts, start, end) for statement content text[start:end].

    direct: the content is nothing but quoted words (start/end then cover the quoted
    words without their marks; `parts` lists the pieces when the quote runs over
    paragraphs); mixed: reported speech with a quoted fragment; indirect: no quotes.
    """
    start, end = trim(text, start, end)
    quotes = [q for q in index.within(start, end) if q.close >= start]
    for q in quotes:  # never cut a quotation in two: a parse that stopped inside it
        if len(q.pieces) > 1:
            continue
        if start <= q.open < end <= q.close:
            end = q.close + 1
        if q.open < start <= q.close < end:
            start = q.open
    if not quotes:
        return "indirect", [], start, end
    inside = [q for q in quotes if q.open >= start and q.close < end]
    if len(inside) == len(quotes):
        outside, cursor = [], start
        for q in inside:
            outside.append(text[cursor:q.open])
            cursor = q.close + 1
        outside.append(text[cursor:end])
        words = [w.lower() for w in _WORD_RE.findall(" ".join(outside))]
        if all(w in _JOINERS for w in words):
            if len(inside) == 1:
                q = inside[0]
                pieces = [trim(text, s, e) for s, e in q.pieces]
                pieces = [(s, e) for s, e in pieces if e > s]
                if not pieces:
                    return "direct", [], start, end
                return "direct", (pieces if len(pieces) > 1 else []), pieces[0][0], pieces[-1][1]
            return "direct", [], start, end
    return "mixed", [], start, end


def strip_marks_span(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without one enclosing pair of quotation marks, when it has one."""
    start, end = trim(text, start, end)
    if end - start >= 2 and text[start] in OPENERS + STRAIGHT and text[end - 1] in CLOSERS + STRAIGHT:
        return trim(text, start + 1, end - 1)
    return start, end


def display_text(text: str, parts) -> str:
    """A statement's text as a person reads it: an interrupted quote's parts with " … "
    between them ("…to avoid them … The reason…"), never joined as if they were one run
    of words. `text` joins the parts with one space (GUIDE.md); `parts` are their offsets.
    Anything that does not add up is shown as stored."""
    spans = [(int(a), int(b)) for a, b in (parts or [])]
    if len(spans) < 2:
        return text
    pieces, pos = [], 0
    for a, b in spans:
        piece = text[pos:pos + (b - a)]
        if len(piece) != b - a:
            return text
        pieces.append(piece)
        pos += (b - a) + 1
    if pos - 1 != len(text):
        return text
    return " … ".join(pieces)
