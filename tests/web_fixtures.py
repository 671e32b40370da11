"""Small hand-built ledgers for the web tests: fictional countries and people only.

`build_ledger(path)` writes a few articles (a report, a syndicated copy, a live blog,
one article full of XSS payloads) with segments, statements, events, actors and an
ingest error, through `Store.save_article` inside `Store.transaction()`.
"""

from __future__ import annotations

from pathlib import Path

from storyline.model import Article, Event, Mention, Segment, Statement, content_id
from storyline.ledger import store as store_module
from storyline.ledger.store import Store, now

XSS_SCRIPT = "<script>window.__xss=1;alert(1)</script>"
XSS_IMG = "<img src=x onerror=\"window.__xss=1\">"
XSS_QUOTE = "\"'><svg onload=window.__xss=1>"
XSS_JS_URL = "javascript:window.__xss=1"
XSS_PAYLOADS = (XSS_SCRIPT, XSS_IMG, XSS_QUOTE)

SQL_INJECTIONS = ("' OR 1=1 --", '"; DROP TABLE statements; --', "1; DELETE FROM articles", "%' OR '1'='1")


def _span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def _paragraph_segments(text: str) -> list[Segment]:
    segments, pos = [], 0
    for block in text.split("\n\n"):
        start = text.index(block, pos)
        segments.append(Segment(start, start + len(block)))
        pos = start + len(block)
    return segments


def _statement(text: str, quote: str, speaker: str | None, kind: str = "direct", *, cue: str = "say",
               date: str | None = None, hedged: bool = False, actor_id: int | None = None, after: int = 0,
               mention: str | None = None, role: str | None = None) -> Statement:
    start, end = _span(text, quote, after)
    m = None
    if mention:
        ms, me = _span(text, mention)
        m = Mention(ms, me, mention)
    return Statement(start=start, end=end, text=quote, kind=kind, speaker=speaker,
                     speaker_type="person" if speaker and speaker != "anonymous" else "anonymous",
                     speaker_mention=m, speaker_role=role, actor_id=actor_id, cue=cue, hedged=hedged, date=date,
                     date_basis="explicit" if date else "none", confidence=0.9, extractor="test.v1")


def _event(text: str, sentence: str, event_type: str, actors: list[str], date: str | None,
           recipients: list[str] | None = None) -> Event:
    start, end = _span(text, sentence)
    return Event(start=start, end=end, text=sentence, event_type=event_type, actors=actors,
                 recipients=recipients or [], date=date, precision="day" if date else None,
                 date_basis="explicit" if date else "none", extractor="test.v1")


def _article(text: str, *, title: str, outlet: str, published: str | None, doc: str,
             url: str | None = None) -> Article:
    return Article(id=content_id(text), text=text, source=f"/fixtures/{doc}", doc=doc, sources=[f"/fixtures/{doc}"],
                   outlet=outlet, title=title, published=published, published_method="test", url=url,
                   language="en", segments=_paragraph_segments(text))


REPORT = (
    "Velorian Foreign Minister Ilse Varga met Ostmark's Prime Minister Tomas Reiner in Carrow on Tuesday.\n\n"
    "\u201cThe harbour formula remains on the table,\u201d Varga told reporters after the talks.\n\n"
    "Reiner said the two sides had agreed to exchange prisoners before the spring thaw.\n\n"
    "Officials familiar with the talks said the deal could still collapse.\n\n"
    "Subscribe to our newsletter for more."
)

COPY = (
    "Ilse Varga, the Velorian foreign minister, held talks with Tomas Reiner in Carrow on Tuesday.\n\n"
    "\u201cThe harbour formula remains on the table,\u201d Varga told journalists.\n\n"
    "Reiner said both governments would exchange prisoners before the thaw."
)

LIVE = (
    "Live: Carrow talks, day two\n\n"
    "March 4\n\n"
    "09:10 Varga arrives at the conference hall.\n\n"
    "09:40 Varga said the ceasefire lines would be drawn by engineers, not generals, and added that "
    "the first maps were ready.\n\n"
    "March 5\n\n"
    "11:00 Reiner accused the Velorian delegation of stalling, saying \u201cwe have waited long enough\u201d.\n\n"
    "Photo: Carrow press pool"
)


def xss_text() -> str:
    return (
        f"A strange report {XSS_SCRIPT} about the talks.\n\n"
        f"\u201c{XSS_IMG} is our answer,\u201d said {XSS_QUOTE}.\n\n"
        f"Nobody said anything about {XSS_JS_URL} today."
    )


def build_ledger(path: str | Path) -> dict:
    """Write the fixture ledger at `path`; return the ids tests need."""
    # Registry hooks other modules add would rewrite our hand-made actor ids; the
    # fixture is fixed data, so they stay out of it.
    hooks = list(store_module.SAVE_HOOKS)
    store_module.SAVE_HOOKS.clear()
    try:
        return _build(path)
    finally:
        store_module.SAVE_HOOKS.extend(hooks)


def _build(path: str | Path) -> dict:
    ids: dict = {}
    with Store(path) as store, store.transaction() as conn:
        stamp = now()
        conn.execute("INSERT INTO actors(id, name, type, affiliation, created_at) VALUES (1, 'Ilse Varga', 'person', 'Veloria', ?)", (stamp,))
        conn.execute("INSERT INTO actors(id, name, type, affiliation, created_at) VALUES (2, 'Tomas Reiner', 'person', 'Ostmark', ?)", (stamp,))
        conn.execute("INSERT INTO actors(id, name, type, affiliation, merged_into, created_at) VALUES (3, 'T. Reiner', 'person', 'Ostmark', 2, ?)", (stamp,))
        conn.execute("INSERT INTO actors(id, name, type, created_at) VALUES (4, ?, 'person', ?)", (XSS_QUOTE, stamp))
        for norm, alias, actor in (("ilse varga", "Ilse Varga", 1), ("varga", "Varga", 1),
                                   ("tomas reiner", "Tomas Reiner", 2), ("reiner", "Reiner", 2),
                                   ("t reiner", "T. Reiner", 3)):
            conn.execute("INSERT INTO actor_aliases(norm, alias, actor_id) VALUES (?,?,?)", (norm, alias, actor))
        conn.execute("INSERT INTO actor_roles(actor_id, role, affiliation, first_seen, last_seen) "
                     "VALUES (1, 'Foreign Minister', 'Veloria', '2026-03-03', '2026-03-05')")
        conn.execute("INSERT INTO actor_roles(actor_id, role, affiliation, first_seen, last_seen) "
                     "VALUES (2, 'Prime Minister', 'Ostmark', '2026-03-03', '2026-03-05')")

        report = _article(REPORT, title="Varga and Reiner meet in Carrow", outlet="Harbour Times",
                          published="2026-03-03T10:00:00", doc="harbour-times-talks.txt",
                          url="https://harbour-times.example/talks")
        report.segments[-1] = Segment(report.segments[-1].start, report.segments[-1].end, "boilerplate", True, "newsletter")
        report.statements = [
            _statement(REPORT, "The harbour formula remains on the table", "Ilse Varga", cue="tell",
                       date="2026-03-03", actor_id=1, mention="Varga told", role="Foreign Minister"),
            _statement(REPORT, "the two sides had agreed to exchange prisoners before the spring thaw", "Tomas Reiner",
                       "indirect", date="2026-03-03", actor_id=2),
            _statement(REPORT, "the deal could still collapse", "anonymous", "indirect", date="2026-03-03",
                       hedged=True),
        ]
        report.events = [
            _event(REPORT, "Velorian Foreign Minister Ilse Varga met Ostmark's Prime Minister Tomas Reiner in Carrow on Tuesday.",
                   "CONSULT", ["Ilse Varga"], "2026-03-03", ["Tomas Reiner"]),
        ]

        copy = _article(COPY, title="Talks in Carrow", outlet="Northline", published="2026-03-03T15:30:00",
                        doc="northline-talks.txt", url=XSS_JS_URL)
        copy.statements = [
            _statement(COPY, "The harbour formula remains on the table", "Ilse Varga", cue="tell", date="2026-03-03",
                       actor_id=1),
            _statement(COPY, "both governments would exchange prisoners before the thaw", "Tomas Reiner", "indirect",
                       date="2026-03-03", actor_id=3),
        ]
        copy.events = [_event(COPY, "Ilse Varga, the Velorian foreign minister, held talks with Tomas Reiner in Carrow on Tuesday.",
                              "CONSULT", ["Ilse Varga"], "2026-03-03", ["Tomas Reiner"])]

        live = _article(LIVE, title="Live: Carrow talks", outlet="Carrow Courier", published="2026-03-04T08:00:00",
                        doc="courier-live.txt")
        segs = _paragraph_segments(LIVE)
        kinds = ["title", "section", "item", "item", "section", "item", "boilerplate"]
        dates = [None, "2026-03-04", "2026-03-04", "2026-03-04", "2026-03-05", "2026-03-05", None]
        live.segments = [Segment(s.start, s.end, k, k == "boilerplate", "photo_credit" if k == "boilerplate" else None, d)
                         for s, k, d in zip(segs, kinds, dates)]
        outer = _statement(LIVE, "the ceasefire lines would be drawn by engineers, not generals, and added that the first maps were ready",
                           "Ilse Varga", "indirect", date="2026-03-04", actor_id=1)
        inner = _statement(LIVE, "the first maps were ready", "Ilse Varga", "indirect", date="2026-03-04", actor_id=1)
        accuse = _statement(LIVE, "we have waited long enough", "Tomas Reiner", "mixed", date="2026-03-05", actor_id=2)
        live.statements = [outer, inner, accuse]
        live.events = [
            _event(LIVE, "09:10 Varga arrives at the conference hall.", "MOVE", ["Ilse Varga"], None),
            _event(LIVE, "11:00 Reiner accused the Velorian delegation of stalling, saying \u201cwe have waited long enough\u201d.",
                   "ACCUSE", ["Tomas Reiner"], "2026-03-05", ["Veloria"]),
        ]

        bad_text = xss_text()
        bad = _article(bad_text, title=f"Breaking {XSS_SCRIPT}{XSS_QUOTE}", outlet=f"Evil{XSS_IMG}Outlet",
                       published="2026-03-06", doc="xss.txt", url=XSS_JS_URL)
        bad.statements = [
            _statement(bad_text, f"{XSS_IMG} is our answer", XSS_QUOTE, date="2026-03-06", actor_id=4),
            _statement(bad_text, f"A strange report {XSS_SCRIPT} about the talks", f"{XSS_SCRIPT}Speaker", "indirect"),
        ]
        bad.events = [_event(bad_text, f"Nobody said anything about {XSS_JS_URL} today.", f"X{XSS_IMG}", [XSS_QUOTE], None)]

        undated = _article("Ostmark officials said the border would stay open.", title="Border stays open",
                           outlet="Harbour Times", published=None, doc="undated.txt")
        undated.statements = [_statement(undated.text, "the border would stay open", "Ostmark officials", "indirect")]

        for a in (report, copy, live, bad, undated):
            store.save_article(a)
        store.record_error("/fixtures/broken.html", "NO_BODY", f"No article text found in broken.html {XSS_SCRIPT}.",
                           "index page")
        store.record_error("/fixtures/empty.txt", "EMPTY", "Input is empty (/fixtures/empty.txt).")

        # Clusters: the same statement and the same meeting told by two outlets.
        quote_ids = [f"{a.id}:{s.start}-{s.end}" for a in (report, copy) for s in a.statements[:1]]
        conn.execute("UPDATE statements SET cluster_id = ? WHERE id IN (?, ?)", (quote_ids[0], *quote_ids))
        meeting = [f"{a.id}:{a.events[0].start}-{a.events[0].end}:CONSULT" for a in (report, copy)]
        conn.execute("UPDATE events SET cluster_id = ? WHERE id IN (?, ?)", (meeting[0], *meeting))
        conn.execute("UPDATE articles SET cluster_id = ?, cluster_similarity = 0.8 WHERE id IN (?, ?)",
                     (report.id, report.id, copy.id))

        ids.update(
            report=report.id, copy=copy.id, live=live.id, xss=bad.id, undated=undated.id,
            quote=quote_ids[0], quote_copy=quote_ids[1], meeting=meeting[0],
            outer=(outer.start, outer.end), inner=(inner.start, inner.end), accuse=(accuse.start, accuse.end),
            varga_quote=(report.statements[0].start, report.statements[0].end),
        )
    return ids


def add_bulk_statements(path: str | Path, n: int) -> str:
    """Add one article holding `n` numbered statements (for no-row-cap export tests)."""
    lines = [f"Officials said bulk statement number {i} was read.\n" for i in range(n)]
    text = "".join(lines).strip("\n")
    article = _article(text, title="Bulk", outlet="Bulk Wire", published="2026-04-01", doc="bulk.txt")
    pos = 0
    for i in range(n):
        quote = f"bulk statement number {i} was read"
        start = text.index(quote, pos)
        article.statements.append(Statement(start=start, end=start + len(quote), text=quote, kind="indirect",
                                            speaker="Officials", extractor="test.v1"))
        pos = start + len(quote)
    hooks = list(store_module.SAVE_HOOKS)
    store_module.SAVE_HOOKS.clear()
    try:
        with Store(path) as store, store.transaction():
            store.save_article(article)
    finally:
        store_module.SAVE_HOOKS.extend(hooks)
    return article.id
