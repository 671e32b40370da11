"""Server-side rendering helpers: article text with highlighted spans, and SVG charts.

Everything that comes from the ledger is escaped here with `markupsafe.escape` before it
becomes markup; the helpers return `Markup` so the templates do not escape it twice.
Links carry only URL-quoted values.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

BLOCK_CLASSES = {
    "title": "b-title", "heading": "b-heading", "section": "b-section", "item": "b-item",
    "dateline": "b-dateline", "boilerplate": "b-boiler", "paragraph": "b-para",
}


def qs(params: dict) -> str:
    """A query string from a dict, skipping empty values."""
    return urlencode({k: v for k, v in params.items() if v is not None and v != ""})


def speaker_href(speaker: str | None, actor_id: int | None) -> str:
    if actor_id is not None:
        return f"/actors/{int(actor_id)}"
    return "/statements?" + qs({"speaker": speaker})


def article_href(article_id: str, start: int | None = None, end: int | None = None, prefix: str = "s") -> str:
    href = "/articles/" + quote(article_id, safe="")
    if start is not None and end is not None:
        href += f"?highlight={prefix}-{int(start)}-{int(end)}#{prefix}-{int(start)}-{int(end)}"
    return href


def safe_url(url: str | None) -> str | None:
    """Only http(s) URLs become links; anything else (javascript:, data:) stays text."""
    if url and re.match(r"^https?://", url.strip(), re.IGNORECASE):
        return url.strip()
    return None


_HIGHLIGHT = re.compile(r"^(?:([se])-)?(\d{1,9})-(\d{1,9})$")


def parse_highlight(value: str | None) -> tuple[str, int, int] | None:
    """'s-10-42' / 'e-10-42' / '10-42' → (prefix, start, end); anything else → None."""
    if not value:
        return None
    m = _HIGHLIGHT.match(value.strip())
    if not m:
        return None
    start, end = int(m.group(2)), int(m.group(3))
    if end <= start:
        return None
    return (m.group(1) or "s", start, end)


@dataclass
class _Span:
    anchor: str  # "s-10-42"
    ranges: list[tuple[int, int]]
    statement: dict | None = None
    event: dict | None = None


@dataclass
class _Block:
    start: int
    end: int
    kind: str
    boilerplate: bool = False
    reason: str | None = None
    section_date: str | None = None
    pieces: list[str] = field(default_factory=list)


def render_article(article: dict, highlight: tuple[str, int, int] | None = None) -> Markup:
    """The article text as blocks of escaped markup.

    Each segment is a block (boilerplate greyed, live-blog sections marked). Statement
    ranges (their parts, when a quote is interrupted by its cue) become `<span class="q">`
    pieces carrying every statement that covers them in `data-st`, so overlapping
    statements stay visible; each statement starts with a speaker label whose id is its
    anchor (`s-START-END`). Events get an anchor and `data-ev`. The `highlight` range is
    marked with class `hl` server-side.
    """
    text: str = article["text"]
    n = len(text)
    spans: list[_Span] = []
    for s in article["statements"]:
        parts = [(int(a), int(b)) for a, b in (s.get("parts") or [])] or [(s["start"], s["end"])]
        spans.append(_Span(f"s-{s['start']}-{s['end']}", parts, statement=s))
    events = [_Span(f"e-{e['start']}-{e['end']}", [(e["start"], e["end"])], event=e) for e in article["events"]]

    # The highlighted words: a statement's parts when the range names a statement (an
    # interrupted quote leaves its cue unmarked), else the range itself.
    hl_ranges: list[tuple[int, int]] = []
    if highlight:
        named = f"{highlight[0]}-{highlight[1]}-{highlight[2]}"
        match = [sp for sp in (spans if highlight[0] == "s" else events) if sp.anchor == named]
        hl_ranges = match[0].ranges if match else [(highlight[1], highlight[2])]
    bounds = {0, n}
    for span in spans + events:
        for a, b in span.ranges:
            bounds.update((max(0, min(a, n)), max(0, min(b, n))))
    for a, b in hl_ranges:
        bounds.update((max(0, min(a, n)), max(0, min(b, n))))

    blocks = _blocks(article.get("segments") or [], n, text)
    for block in blocks:
        bounds.update((block.start, block.end))
    cuts = sorted(bounds)

    starts: dict[int, list[_Span]] = {}
    for span in spans:
        starts.setdefault(span.ranges[0][0], []).append(span)
    event_starts: dict[int, list[_Span]] = {}
    for span in events:
        event_starts.setdefault(span.ranges[0][0], []).append(span)

    covers = _sweep(cuts, spans)
    event_covers = _sweep(cuts, events)
    out: list[str] = []
    for block in blocks:
        inner: list[str] = []
        first, last = bisect_left(cuts, block.start), bisect_right(cuts, block.end)
        for i in range(first, last - 1):
            a, b = cuts[i], cuts[i + 1]
            for span in event_starts.pop(a, []):
                inner.append(f'<span class="anchor" id="{escape(span.anchor)}"></span>')
            for span in starts.pop(a, []):
                inner.append(_label(span))
            piece = text[a:b]
            over = covers[i]
            covering = [s.anchor for s in over]
            kinds = {(s.statement or {}).get("kind") for s in over}
            in_events = [s.anchor for s in event_covers[i]]
            hl = any(x <= a and b <= y for x, y in hl_ranges)
            classes = []
            if covering:
                classes.append("q")
                if len(kinds) == 1 and next(iter(kinds)) in ("direct", "indirect", "mixed"):
                    classes.append(f"q-{next(iter(kinds))}")
                if len(covering) > 1:
                    classes.append("q-multi")
            if in_events:
                classes.append("ev")
            if hl:
                classes.append("hl")
                if highlight[0] == "e":
                    classes.append("hl-ev")
            if not classes:
                inner.append(str(escape(piece)))
                continue
            attrs = f' class="{" ".join(classes)}" data-o="{a}"'
            if covering:
                attrs += f' data-st="{escape(" ".join(covering))}"'
            if in_events:
                attrs += f' data-ev="{escape(" ".join(in_events))}"'
            inner.append(f"<span{attrs}>{escape(piece)}</span>")
        out.append(_block_html(block, "".join(inner)))
    # Statements whose offsets fall outside the text (a stale ledger) still get an anchor.
    for leftover in list(starts.values()) + list(event_starts.values()):
        for span in leftover:
            out.append(f'<span class="anchor" id="{escape(span.anchor)}"></span>')
    return Markup("".join(out))


def _sweep(cuts: list[int], spans: list[_Span]) -> list[list[_Span]]:
    """For each piece [cuts[i], cuts[i+1]), the spans covering it (one pass, in order)."""
    opening: dict[int, list[_Span]] = {}
    closing: dict[int, list[_Span]] = {}
    for span in spans:
        for x, y in span.ranges:
            if y > x:
                opening.setdefault(x, []).append(span)
                closing.setdefault(y, []).append(span)
    active: dict[int, _Span] = {}
    out = []
    for c in cuts:
        for span in closing.get(c, ()):
            active.pop(id(span), None)
        for span in opening.get(c, ()):
            active[id(span)] = span
        out.append(list(active.values()))
    return out


def _label(span: _Span) -> str:
    s = span.statement or {}
    speaker = s.get("speaker") or "unknown speaker"
    title = f"{s.get('kind', '')} statement"
    if s.get("cue"):
        title += f" · cue: {s['cue']}"
    if s.get("date"):
        title += f" · {s['date']}"
    if s.get("hedged"):
        title += " · hedged"
    href = speaker_href(s.get("speaker"), s.get("actor_id")) if s.get("speaker") else "#" + span.anchor
    kind = s.get("kind") or "statement"
    return (f'<a class="who who-{escape(kind)}" id="{escape(span.anchor)}" href="{escape(href)}" '
            f'title="{escape(title)}">{escape(speaker)}</a>')


def _blocks(segments: list[dict], n: int, text: str) -> list[_Block]:
    """Blocks covering the whole text: the segments, plus any text between them."""
    blocks: list[_Block] = []
    pos = 0
    for seg in sorted(segments, key=lambda s: (s["start"], s["end"])):
        start, end = max(pos, min(seg["start"], n)), min(seg["end"], n)
        if end <= start:
            continue
        if start > pos and text[pos:start].strip():
            blocks.append(_Block(pos, start, "paragraph"))
        blocks.append(_Block(start, end, seg["kind"], bool(seg["boilerplate"]), seg.get("reason"),
                             seg.get("section_date")))
        pos = end
    if pos < n and text[pos:n].strip():
        blocks.append(_Block(pos, n, "paragraph"))
    if not blocks:
        blocks.append(_Block(0, n, "paragraph"))
    return blocks


def _block_html(block: _Block, inner: str) -> str:
    classes = ["blk", BLOCK_CLASSES.get(block.kind, "b-para")]
    label = ""
    if block.boilerplate:
        classes.append("b-boiler")
        label = f'<span class="blk-tag">boilerplate{": " + str(escape(block.reason.replace("_", " "))) if block.reason else ""}</span>'
    elif block.kind == "section":
        label = '<span class="blk-tag tag-live">live update'
        if block.section_date:
            label += f" · {escape(block.section_date)}"
        label += "</span>"
    elif block.kind == "item" and block.section_date:
        label = f'<span class="blk-tag tag-live">{escape(block.section_date)}</span>'
    return f'<div class="{" ".join(classes)}" data-start="{block.start}">{label}<div class="blk-text">{inner}</div></div>'


# --- charts -------------------------------------------------------------------------


def to_day(value: str | None) -> date | None:
    """'2026-03-05', '2026-03-05T10:00', '2026-03' or '2026' → a date (first day)."""
    if not value:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def _bins(days: list[date]) -> tuple[str, date, date]:
    """Bars per day up to two months, per week (Monday to Sunday) up to eight months, else per month."""
    lo, hi = min(days), max(days)
    span = (hi - lo).days
    return ("month" if span > 240 else "week" if span > 62 else "day"), lo, hi


def _bin_key(d: date, unit: str) -> date:
    if unit == "week":
        return d - timedelta(days=d.weekday())
    return d.replace(day=1) if unit == "month" else d


def _next(d: date, unit: str) -> date:
    if unit == "day":
        return d + timedelta(days=1)
    if unit == "week":
        return d + timedelta(days=7)
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _bin_range(d: date, unit: str) -> tuple[str, str]:
    if unit == "day":
        return d.isoformat(), d.isoformat()
    if unit == "week":
        return d.isoformat(), (d + timedelta(days=6)).isoformat()
    return d.isoformat()[:7], d.isoformat()[:7]


def bar_chart(points: list[dict], href_params: dict, width: int = 760, height: int = 160,
              base: str = "/statements") -> Markup:
    """Counts over time as an SVG bar chart; each bar links to the statements behind it.

    points: [{"date": "YYYY-MM-DD", "count": n}]; undated points are left out.
    """
    dated = [(to_day(p["date"]), p["count"]) for p in points]
    dated = [(d, c) for d, c in dated if d is not None]
    if not dated:
        return Markup('<p class="muted">No dated statements.</p>')
    unit, lo, hi = _bins([d for d, _ in dated])
    counts: dict[date, int] = {}
    for d, c in dated:
        key = _bin_key(d, unit)
        counts[key] = counts.get(key, 0) + c
    keys = []
    k = _bin_key(lo, unit)
    while k <= _bin_key(hi, unit):
        keys.append(k)
        k = _next(k, unit)
    top = max(counts.values())
    pad_l, pad_b, pad_t = 36, 22, 8
    plot_w, plot_h = width - pad_l - 8, height - pad_b - pad_t
    bar_w = plot_w / len(keys)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Statements per {unit}">']
    parts.append(f'<line class="axis" x1="{pad_l}" y1="{pad_t + plot_h}" x2="{width - 8}" y2="{pad_t + plot_h}"/>')
    parts.append(f'<text class="tick" x="{pad_l - 6}" y="{pad_t + 10}" text-anchor="end">{top}</text>')
    parts.append(f'<text class="tick" x="{pad_l - 6}" y="{pad_t + plot_h}" text-anchor="end">0</text>')
    label_every = max(1, len(keys) // 8)
    for i, key in enumerate(keys):
        c = counts.get(key, 0)
        x = pad_l + i * bar_w
        if c:
            h = max(2.0, plot_h * c / top)
            since, until = _bin_range(key, unit)
            href = base + "?" + qs({**href_params, "since": since, "until": until})
            label = f"{since}: {c} statement{'s' if c != 1 else ''}"
            w = min(48.0, max(1.0, bar_w - 2))
            parts.append(
                f'<a href="{escape(href)}" data-since="{since}" data-until="{until}"><rect class="bar" x="{x + (bar_w - w) / 2:.1f}" y="{pad_t + plot_h - h:.1f}" '
                f'width="{w:.1f}" height="{h:.1f}"><title>{escape(label)}</title></rect></a>')
        if i % label_every == 0:
            text = key.isoformat()[:7] if unit == "month" else key.isoformat()[5:]
            parts.append(f'<text class="tick" x="{x + bar_w / 2:.1f}" y="{height - 6}" '
                         f'text-anchor="middle">{text}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def timeline_chart(data: dict, href_params: dict, width: int = 960) -> Markup:
    """Events (one dot per cluster, one lane per event type) over statements per day."""
    event_days = [(to_day(e["date"]), e) for e in data["events"]]
    event_days = [(d, e) for d, e in event_days if d is not None]
    stat_days = [(to_day(p["date"]), p["count"]) for p in data["statements_by_day"]]
    stat_days = [(d, c) for d, c in stat_days if d is not None]
    all_days = [d for d, _ in event_days] + [d for d, _ in stat_days]
    if not all_days:
        return Markup('<p class="muted">Nothing dated to draw.</p>')
    lo, hi = dense_span(all_days)
    margin = max(1, round((hi - lo).days * 0.04))
    lo, hi = lo - timedelta(days=margin), hi + timedelta(days=margin)
    span = (hi - lo).days
    before = [d for d in all_days if d < lo]
    after = [d for d in all_days if d > hi]
    stat_days = [(d, c) for d, c in stat_days if lo <= d <= hi]
    types = sorted({e["event_type"] for _, e in event_days})
    lane_h, bars_h, pad_l, pad_t, pad_b = 26, 70, 120, 10, 26
    height = pad_t + bars_h + 12 + lane_h * max(1, len(types)) + pad_b
    plot_w = width - pad_l - 16

    def x_of(d: date) -> float:
        d = min(max(d, lo), hi)  # far-off dates sit at the edge, marked as outliers
        return pad_l + plot_w * ((d - lo).days / span) if span else pad_l + plot_w / 2

    parts = [f'<svg class="chart timeline" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Events and statements over time">']
    # statements per day
    top = max((c for _, c in stat_days), default=0)
    bar_w = max(2.0, min(14.0, plot_w / (span + 1) - 1))
    parts.append(f'<text class="lane" x="{pad_l - 8}" y="{pad_t + bars_h / 2}" text-anchor="end">statements</text>')
    for d, c in stat_days:
        h = max(2.0, bars_h * c / top) if top else 0
        href = "/statements?" + qs({"speaker": href_params.get("actor"), "outlet": href_params.get("outlet"),
                                    "since": d.isoformat(), "until": d.isoformat()})
        parts.append(
            f'<a href="{escape(href)}"><rect class="bar" x="{x_of(d) - bar_w / 2:.1f}" '
            f'y="{pad_t + bars_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
            f'<title>{d.isoformat()}: {c} statement{"s" if c != 1 else ""}</title></rect></a>')
    base_y = pad_t + bars_h + 12
    for i, etype in enumerate(types):
        y = base_y + lane_h * i + lane_h / 2
        parts.append(f'<line class="lane-line" x1="{pad_l}" y1="{y}" x2="{width - 16}" y2="{y}"/>')
        parts.append(f'<text class="lane" x="{pad_l - 8}" y="{y + 4}" text-anchor="end">{escape(etype)}</text>')
    lane = {t: i for i, t in enumerate(types)}
    for d, e in event_days:
        y = base_y + lane_h * lane[e["event_type"]] + lane_h / 2
        r = min(11, 5 + 2 * (e.get("reports", 1) - 1))
        # One report: straight to its words; several: every outlet's wording side by side.
        href = (article_href(e["article_id"], e["start"], e["end"], "e") if e.get("reports", 1) == 1
                else "/compare?" + qs({"event": e["id"]}))
        label = f"{e['date']} · {e['event_type']} · {e.get('reports', 1)} report(s): {e['text'][:160]}"
        outlier = " outlier" if not lo <= d <= hi else ""
        parts.append(f'<a href="{escape(href)}" class="pt"><circle class="dot t-{_slug(e["event_type"])}{outlier}" '
                     f'cx="{x_of(d):.1f}" cy="{y:.1f}" r="{r}"><title>{escape(label)}</title></circle></a>')
    axis_y = height - pad_b + 4
    parts.append(f'<line class="axis" x1="{pad_l}" y1="{axis_y}" x2="{width - 16}" y2="{axis_y}"/>')
    for side, days, x, anchor in (("before", before, pad_l, "start"), ("after", after, width - 16, "end")):
        if days:
            edge = min(days) if side == "before" else max(days)
            text = (f"◂ {len(days)} earlier (from {edge.isoformat()})" if side == "before"
                    else f"{len(days)} later (to {edge.isoformat()}) ▸")
            parts.append(f'<text class="tick outlier-note" x="{x}" y="{axis_y - 4}" text-anchor="{anchor}">'
                         f'{escape(text)}</text>')
    tick_days = sorted({lo + timedelta(days=round(span * i / 6)) for i in range(1, 6)})
    for d in tick_days:
        parts.append(f'<line class="axis" x1="{x_of(d):.1f}" y1="{axis_y}" x2="{x_of(d):.1f}" y2="{axis_y + 4}"/>')
        parts.append(f'<text class="tick" x="{x_of(d):.1f}" y="{axis_y + 17}" text-anchor="middle">{d.isoformat()}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def dense_span(days: list[date]) -> tuple[date, date]:
    """The range a timeline axis spans: all the dates, unless a few far-off ones would
    squeeze the rest; then the dense middle (5th to 95th percentile, widened to hold
    every date within a quarter of its width), the others drawn at the edges."""
    days = sorted(days)
    lo, hi = days[0], days[-1]
    if len(days) < 5:
        return lo, hi
    n = len(days) - 1
    q_lo, q_hi = days[int(n * 0.05)], days[-1 - int(n * 0.05)]
    dense = max(7, (q_hi - q_lo).days)
    if (hi - lo).days <= max(60, 4 * dense):
        return lo, hi
    reach = timedelta(days=max(2, dense // 4))
    inside = [d for d in days if q_lo - reach <= d <= q_hi + reach]
    return inside[0], inside[-1]


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower())[:30]


_WORD = re.compile(r"\S+|\s+")


def diff_words(base: str, text: str) -> Markup:
    """`text` with the words that `base` does not have (in that order) marked `<mark class="diff">`."""
    import difflib

    a = [w for w in _WORD.findall(base) if not w.isspace()]
    tokens = _WORD.findall(text)
    words = [t for t in tokens if not t.isspace()]
    changed: set[int] = set()
    matcher = difflib.SequenceMatcher(a=[w.casefold() for w in a], b=[w.casefold() for w in words], autojunk=False)
    for op, _, _, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            changed.update(range(j1, j2))
    out, k = [], 0
    for token in tokens:
        if token.isspace():
            out.append(str(escape(token)))
            continue
        out.append(f'<mark class="diff">{escape(token)}</mark>' if k in changed else str(escape(token)))
        k += 1
    return Markup("".join(out))


def mark_terms(text: str, query: str | None) -> Markup:
    """`text` escaped, with the words of a search (`word`, `prefix*`, "a phrase") marked."""
    if not query:
        return Markup(escape(text))
    patterns = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query):
        raw = (phrase or word).strip()
        prefix = bool(word) and raw.endswith("*")
        words = re.findall(r"\w+", raw)
        if not words:
            continue
        body = r"\W+".join(re.escape(w) for w in words)
        patterns.append(r"\b" + body + (r"\w*" if prefix else r"\b"))
    if not patterns:
        return Markup(escape(text))
    rx = re.compile("|".join(patterns), re.IGNORECASE)
    out, pos = [], 0
    for m in rx.finditer(text):
        out.append(str(escape(text[pos:m.start()])))
        out.append(f'<mark class="term">{escape(m.group(0))}</mark>')
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
