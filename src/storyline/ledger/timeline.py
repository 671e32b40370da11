"""The timeline: what happened and what was said, in order, with how many reports.

`timeline(conn, actor=None, date_from=None, date_to=None, event_type=None)` reads the
ledger and returns dated event clusters and the statements that matter (statements
reported by more than one article, or every statement of the actor asked for), in
date order, each with its number of reports and outlets. Items with no date are listed
apart in `undated`: never placed at a publication date they do not have.

`event_clusters(conn)` streams one row per event cluster (PLOVER-style fields) for
`storyline export events`.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from itertools import groupby
from typing import Any

from storyline.stages.events.cluster import cluster_rows

BASIS_RANK = {"explicit": 0, "section": 1, "published": 2, "none": 3}
PRECISION_RANK = {"year": 0, "month": 1, "week": 2, "day": 3}
FLAGS = ("negated", "hypothetical", "future")


@dataclass
class Evidence:
    article_id: str
    start: int
    end: int
    text: str
    outlet: str | None = None
    trigger: dict | None = None  # the event's trigger: {start, end, text} (events only)
    flags: list[str] = field(default_factory=list)  # this report's flags (events only)


@dataclass
class TimelineItem:
    kind: str  # event | statement
    id: str  # event cluster id, or statement cluster id / statement id
    date: str | None
    precision: str | None
    date_basis: str
    title: str  # what happened / what was said, in a line
    event_type: str | None = None
    mode: str | None = None
    actors: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    location: str | None = None
    flags: list[str] = field(default_factory=list)
    reports: int = 1
    articles: int = 1
    outlets: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Timeline:
    items: list[TimelineItem] = field(default_factory=list)
    undated: list[TimelineItem] = field(default_factory=list)
    filters: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"filters": self.filters, "items": [asdict(i) for i in self.items],
                "undated": [asdict(i) for i in self.undated]}


# --- helpers ------------------------------------------------------------------------------

def _span(date: str) -> tuple[str, str]:
    """The first and last day a (partial) ISO date covers, as strings."""
    if len(date) >= 10:
        return date[:10], date[:10]
    if len(date) == 7:
        return date + "-01", date + "-31"
    return date[:4] + "-01-01", date[:4] + "-12-31"


def _in_range(date: str | None, date_from: str | None, date_to: str | None) -> bool:
    if not date_from and not date_to:
        return True
    if not date:
        return False
    lo, hi = _span(date)
    if date_from and hi < _span(date_from)[0]:
        return False
    if date_to and lo > _span(date_to)[1]:
        return False
    return True


def choose_date(rows: list[dict]) -> tuple[str | None, str | None, str]:
    """A cluster's date: the best-supported one (own time words over section over
    published dates), then the most reported, then the most precise."""
    dated = [r for r in rows if r["date"]]
    if not dated:
        return None, None, "none"
    best_basis = min(BASIS_RANK.get(r["date_basis"], 3) for r in dated)
    pool = [r for r in dated if BASIS_RANK.get(r["date_basis"], 3) == best_basis]
    counts = Counter(r["date"] for r in pool)
    date = max(counts, key=lambda d: (counts[d], len(d), d))
    row = next(r for r in pool if r["date"] == date)
    precision = row.get("precision") or {10: "day", 7: "month", 4: "year"}.get(len(date))
    return date, precision, row["date_basis"]


def actor_names(conn: sqlite3.Connection, actor: str) -> set[str]:
    """The name asked for plus its canonical name and aliases from the actor registry."""
    names = {actor.casefold()}
    try:
        rows = conn.execute(
            """SELECT a.name, al.alias FROM actors a LEFT JOIN actor_aliases al ON al.actor_id = a.id
               WHERE a.id IN (SELECT a2.id FROM actors a2 LEFT JOIN actor_aliases al2 ON al2.actor_id = a2.id
                              WHERE a2.name = ? COLLATE NOCASE OR al2.alias = ? COLLATE NOCASE)""",
            (actor, actor),
        ).fetchall()
    except sqlite3.OperationalError:
        rows = []
    for name, alias in rows:
        names.add(name.casefold())
        if alias:
            names.add(alias.casefold())
    return names


def _mentions(parties: list[str], names: set[str]) -> bool:
    for p in parties:
        key = p.casefold()
        if key in names or any(n in key.split() or key.endswith(" " + n) or n.endswith(" " + key) for n in names):
            return True
    return False


# --- events -------------------------------------------------------------------------------

_EVENT_SQL = """SELECT e.id, e.article_id, e.start, e."end", e.text, e.event_type, e.mode, e.actors, e.recipients,
       e.location, e.date, e.precision, e.date_basis, e.negated, e.hypothetical, e.future, e.cluster_id,
       e.confidence, e.trigger_start, e.trigger_end, e.trigger_text, a.outlet
  FROM events e JOIN articles a ON a.id = e.article_id"""


def _event_row(r: sqlite3.Row) -> dict:
    d = dict(r)
    d["actors"] = json.loads(d["actors"] or "[]")
    d["recipients"] = json.loads(d["recipients"] or "[]")
    return d


def _cluster_item(cid: str, rows: list[dict], evidence_limit: int = 5) -> TimelineItem:
    date, precision, basis = choose_date(rows)
    types = Counter(r["event_type"] for r in rows)
    event_type = types.most_common(1)[0][0]
    modes = Counter(r["mode"] for r in rows if r["event_type"] == event_type and r["mode"])
    actors = Counter(a for r in rows for a in r["actors"])
    recipients = Counter(a for r in rows for a in r["recipients"] if a not in actors)
    places = Counter(r["location"] for r in rows if r["location"])
    flags = [f for f in FLAGS if sum(1 for r in rows if r[f]) * 2 > len(rows)]
    # The report shown first: a verb trigger over a noun, the cluster's own kind of event,
    # own time words, then the shortest sentence.
    ordered = sorted(rows, key=lambda r: (-(r.get("confidence") or 0), r["event_type"] != event_type,
                                          BASIS_RANK.get(r["date_basis"], 3), len(r["text"]), r["id"]))
    outlets = sorted({r["outlet"] for r in rows if r["outlet"]})
    first = ordered[0]
    return TimelineItem(
        kind="event", id=cid, date=date, precision=precision, date_basis=basis, title=first["text"],
        event_type=event_type, mode=modes.most_common(1)[0][0] if modes else None,
        actors=[a for a, _ in actors.most_common()], recipients=[a for a, _ in recipients.most_common()],
        location=places.most_common(1)[0][0] if places else None, flags=flags, reports=len(rows),
        articles=len({r["article_id"] for r in rows}), outlets=outlets,
        evidence=[_report_evidence(r) for r in ordered[:evidence_limit]],
    )


def _report_evidence(r: dict) -> Evidence:
    trigger = ({"start": r["trigger_start"], "end": r["trigger_end"], "text": r["trigger_text"]}
               if r.get("trigger_start") is not None else None)
    return Evidence(r["article_id"], r["start"], r["end"], r["text"], r["outlet"], trigger,
                    [f for f in FLAGS if r[f]])


def _grouped_events(conn: sqlite3.Connection, event_type: str | None = None) -> Iterator[tuple[str, list[dict]]]:
    where, args = "", ()
    if event_type:
        where, args = " WHERE e.event_type = ?", (event_type.upper(),)
    rows = [_event_row(r) for r in conn.execute(_EVENT_SQL + where, args)]
    if any(r["cluster_id"] is None for r in rows):
        # Ledgers written before clustering ran: cluster in memory (nothing is written).
        mapping = cluster_rows([r for r in rows if r["cluster_id"] is None])
        for r in rows:
            r["cluster_id"] = r["cluster_id"] or mapping.get(r["id"], r["id"])
    rows.sort(key=lambda r: (r["cluster_id"], r["id"]))
    for cid, members in groupby(rows, key=lambda r: r["cluster_id"]):
        yield cid, list(members)


# --- statements ------------------------------------------------------------------------------

def _statement_items(conn: sqlite3.Connection, names: set[str] | None) -> list[TimelineItem]:
    try:
        rows = [dict(r) for r in conn.execute(
            """SELECT s.id, s.article_id, s.start, s."end", s.text, s.speaker, s.date, s.date_basis,
                      s.cluster_id, a.outlet
                 FROM statements s JOIN articles a ON a.id = s.article_id""")]
    except sqlite3.OperationalError:
        return []
    for r in rows:
        r["precision"] = {10: "day", 7: "month"}.get(len(r["date"] or ""))
        r["group"] = r["cluster_id"] or r["id"]
    if names is not None:
        rows = [r for r in rows if r["speaker"] and _mentions([r["speaker"]], names)]
    rows.sort(key=lambda r: (r["group"], r["id"]))
    items = []
    for gid, members in groupby(rows, key=lambda r: r["group"]):
        members = list(members)
        articles = {m["article_id"] for m in members}
        if names is None and len(articles) < 2:
            continue  # without an actor filter, only statements several reports carry
        date, precision, basis = choose_date(members)
        ordered = sorted(members, key=lambda r: (BASIS_RANK.get(r["date_basis"], 3), r["id"]))
        speakers = Counter(m["speaker"] for m in members if m["speaker"])
        items.append(TimelineItem(
            kind="statement", id=gid, date=date, precision=precision, date_basis=basis, title=ordered[0]["text"],
            actors=[s for s, _ in speakers.most_common(1)], reports=len(members), articles=len(articles),
            outlets=sorted({m["outlet"] for m in members if m["outlet"]}),
            evidence=[Evidence(m["article_id"], m["start"], m["end"], m["text"], m["outlet"]) for m in ordered[:5]],
        ))
    return items


# --- the timeline ------------------------------------------------------------------------------

def _sort_key(item: TimelineItem):
    lo, _ = _span(item.date)
    return (lo, PRECISION_RANK.get(item.precision or "day", 3), item.kind != "event", -item.reports, item.id)


def timeline(conn: sqlite3.Connection, actor: str | None = None, date_from: str | None = None,
             date_to: str | None = None, event_type: str | None = None, flagged: bool = False) -> Timeline:
    """The timeline. Events are what happened: reports flagged hypothetical (proposed,
    sought, possible) or negated are left out unless `flagged`, and counted in
    `filters["flagged_hidden"]`; future events stay, with their flag."""
    names = actor_names(conn, actor) if actor else None
    items: list[TimelineItem] = []
    hidden = 0
    for cid, rows in _grouped_events(conn, event_type):
        if not flagged:
            real = [r for r in rows if not (r["negated"] or r["hypothetical"])]
            hidden += len(rows) - len(real)
            if not real:
                continue
            rows = real
        if names is not None and not any(_mentions(r["actors"] + r["recipients"], names) for r in rows):
            continue
        items.append(_cluster_item(cid, rows))
    if not event_type:
        items.extend(_statement_items(conn, names))
    dated = [i for i in items if i.date and _in_range(i.date, date_from, date_to)]
    undated = [i for i in items if not i.date] if not (date_from or date_to) else []
    dated.sort(key=_sort_key)
    undated.sort(key=lambda i: (-i.reports, i.id))
    return Timeline(dated, undated, {"actor": actor, "from": date_from, "to": date_to, "type": event_type,
                                     "flagged": flagged, "flagged_hidden": hidden})


# --- export: one row per event cluster -----------------------------------------------------------

EXPORT_FIELDS = ["id", "date", "precision", "date_basis", "event", "mode", "actors", "recipients", "location",
                 "reports", "outlets", "flags", "evidence"]


def event_clusters(conn: sqlite3.Connection, evidence_limit: int = 20) -> Iterator[dict]:
    """PLOVER-style rows, one per event cluster, streamed in cluster id order."""
    cur = conn.execute(_EVENT_SQL + " ORDER BY COALESCE(e.cluster_id, e.id), e.id")
    for cid, group in groupby(cur, key=lambda r: r["cluster_id"] or r["id"]):
        rows = [_event_row(r) for r in group]
        item = _cluster_item(cid, rows, evidence_limit)
        yield {
            "id": cid, "date": item.date, "precision": item.precision, "date_basis": item.date_basis,
            "event": item.event_type, "mode": item.mode, "actors": item.actors, "recipients": item.recipients,
            "location": item.location, "reports": item.reports, "outlets": item.outlets, "flags": item.flags,
            "evidence": [{"article_id": e.article_id, "start": e.start, "end": e.end, "text": e.text,
                          "trigger": e.trigger, "flags": e.flags} for e in item.evidence],
        }
