"""Clustering: reports of the same real-world event get one `cluster_id`.

One summit reported dozens of times gets one cluster id, the smallest event id of the
cluster: same event family, overlapping actors or location, compatible dates. It runs
as a store save hook, so every ingest keeps clusters current with no extra step;
`cluster_events(conn)` recomputes all of them.
"""

from __future__ import annotations

import json
import re
import sqlite3

from storyline.ledger import store as store_module
from storyline.model import Article, Event
from storyline.stages.events.coding import lexicon


def event_id(article_id: str, e: Event) -> str:
    """The id the store gives the first event of its type in its sentence
    (`store.event_ids` numbers the further ones)."""
    return f"{article_id}:{e.start}-{e.end}:{e.event_type}"


_GENERIC = {"the", "of", "and", "government", "president", "minister", "prime", "foreign", "officials", "official",
            "leader", "leaders", "side", "sides", "delegation", "delegations", "two", "'s", "’s", "mr", "ms"}


def _party_keys(names: list[str]) -> set[str]:
    keys = set()
    for name in names:
        for w in re.findall(r"[\w’']+", name.casefold()):
            w = re.sub(r"['’]s$", "", w)
            if w not in _GENERIC and len(w) > 2:
                keys.add(w)
                # "Velorian" and "Veloria", "Ostmark's": a demonym shares the country's stem.
                keys.add(w[:6])
    return keys


def family(event_type: str, mode: str | None) -> str:
    return lexicon()["family_of"].get((event_type, mode), event_type)


def _family_members(name: str) -> list[tuple[str, str]]:
    return [tuple(m) for m in lexicon().get("families", {}).get(name, [])]


WEAK_BASES = ("published", "section")
WEAK_WINDOW_DAYS = 7


def dates_compatible(a: str | None, b: str | None, basis_a: str = "explicit", basis_b: str = "explicit") -> bool:
    """Same day, or one undated or coarser and containing the other; a date taken from
    the publication or live-blog section (no time words of its own) may also be up to a
    week after the other report's own date: "the summit" reported days later."""
    if not a or not b:
        return True
    if a.startswith(b) or b.startswith(a):
        return True
    if len(a) == 10 and len(b) == 10:
        from datetime import date as _date

        da, db_ = _date.fromisoformat(a), _date.fromisoformat(b)
        if basis_a in WEAK_BASES and 0 <= (da - db_).days <= WEAK_WINDOW_DAYS:
            return True
        if basis_b in WEAK_BASES and 0 <= (db_ - da).days <= WEAK_WINDOW_DAYS:
            return True
    return False


def _prepare(r: dict) -> dict:
    r = dict(r)
    r["family"] = family(r["event_type"], r["mode"])
    r["keys"] = _party_keys(list(r["actors"]) + list(r["recipients"]))
    r["weak"] = _weak_keys(r.get("text"))
    r.setdefault("date_basis", "explicit")
    return r


def same_event(a: dict, b: dict) -> bool:
    """Two prepared rows report the same real-world event."""
    if a["family"] != b["family"] or not dates_compatible(a["date"], b["date"], a["date_basis"], b["date_basis"]):
        return False
    if a["keys"] & b["keys"]:
        return True
    if a["location"] and a["location"] == b["location"]:
        return True
    if len(a["weak"] & b["weak"]) >= 2:
        return True
    # Both dated to the same day, and one names no party: nothing contradicts.
    return bool(a["date"] and len(a["date"]) == 10 and a["date"] == b["date"] and not (a["keys"] and b["keys"]))


_CAPS = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}\b")


def _weak_keys(text: str | None) -> set[str]:
    """Capitalised words of the evidence sentence (names the coder did not assign)."""
    return {w.casefold()[:6] for w in _CAPS.findall(text or "")} - _GENERIC


def _order_key(r: dict):
    return (-(len(r["date"] or "")), BASIS_ORDER.get(r.get("date_basis"), 3), r["id"])


BASIS_ORDER = {"explicit": 0, "section": 1, "published": 2, "none": 3}


def cluster_rows(rows: list[dict]) -> dict[str, str]:
    """event id -> cluster id for rows with id, event_type, mode, actors, recipients,
    location, date (and optionally date_basis, text). Deterministic: events with their
    own precise dates first, then by id; an event joins the first cluster holding a
    report of the same event (`same_event`); the cluster id is its smallest event id."""
    clusters: list[list[dict]] = []
    for r in sorted((_prepare(r) for r in rows), key=_order_key):
        home = next((c for c in clusters if any(same_event(r, m) for m in c)), None)
        if home is None:
            clusters.append([r])
        else:
            home.append(r)
    out = {}
    for c in clusters:
        cid = min(m["id"] for m in c)
        for m in c:
            out[m["id"]] = cid
    return out


_COLUMNS = "id, event_type, mode, actors, recipients, location, date, date_basis, text, cluster_id"


def _rows(conn: sqlite3.Connection, where: str = "", args: tuple = ()) -> list[dict]:
    cur = conn.execute(f"SELECT {_COLUMNS} FROM events {where}", args)
    return [
        {"id": r[0], "event_type": r[1], "mode": r[2], "actors": json.loads(r[3] or "[]"),
         "recipients": json.loads(r[4] or "[]"), "location": r[5], "date": r[6], "date_basis": r[7],
         "text": r[8], "cluster_id": r[9]}
        for r in cur
    ]


def cluster_events(conn: sqlite3.Connection) -> int:
    """Recompute every event's cluster_id from scratch. Returns the number of clusters."""
    mapping = cluster_rows(_rows(conn))
    conn.executemany("UPDATE events SET cluster_id=? WHERE id=?", [(c, e) for e, c in mapping.items()])
    return len(set(mapping.values()))


def _date_windows(date: str | None, article_date: str | None) -> list[tuple[str, str]]:
    """Ranges of stored `date` strings that can be compatible with `date` (index ranges on
    events(event_type, date)). An undated report is looked up around its article's date."""
    from datetime import date as _date
    from datetime import timedelta

    def around(day: str, before: int, after: int) -> list[tuple[str, str]]:
        d = _date.fromisoformat(day)
        return [((d - timedelta(days=before)).isoformat(), (d + timedelta(days=after)).isoformat()),
                (day[:7], day[:7]), (day[:4], day[:4])]

    if date and len(date) == 10:
        return around(date, WEAK_WINDOW_DAYS, WEAK_WINDOW_DAYS)
    if date:
        return [(date, date + "~"), (date[:4], date[:4])]  # a month or year and every day in it
    if article_date and len(article_date) >= 10:
        return around(article_date[:10], 31, 0)
    if article_date:
        return [(article_date[:7], article_date[:7] + "~")]
    return []


def _candidates(conn: sqlite3.Connection, r: dict, article_id: str, article_date: str | None) -> list[dict]:
    """Stored events that may report the same event as `r`: same event family, dates in
    a compatible range (index lookups); the exact test is `same_event`."""
    types = sorted({r["event_type"]} | {t for t, _ in _family_members(r["family"])})
    out: list[dict] = []
    for lo, hi in _date_windows(r["date"], article_date):
        for t in types:
            out.extend(_rows(conn, "WHERE event_type = ? AND date BETWEEN ? AND ? AND article_id != ? "
                                   "AND cluster_id IS NOT NULL", (t, lo, hi, article_id)))
    seen, unique = set(), []
    for row in out:
        if row["id"] not in seen:
            seen.add(row["id"])
            unique.append(_prepare(row))
    return unique


# --- the save hook: blocking keys ----------------------------------------------------------
#
# `same_event(a, b)` holds when two reports of the same family have compatible dates and
# (1) share a party key, or (2) name the same location, or (3) share two capitalised words,
# or (4) are dated the same day and not both name parties. Each stored dated report is
# indexed under one key per way it can match: "p:<party key>", "l:<location>",
# "w:<word>|<word>" (every pair of its words: sharing two words is sharing a pair),
# "d1:<day>" / "d0:<day>" (a day, with / without parties). `event_key_clusters` counts the
# reports behind each (family, key, date, basis, cluster): a cluster reported a thousand
# times is one row, so a look-up returns a bounded candidate set however large the
# ledger grows. Triggers keep the counts right when reports are deleted or relabelled.

CANDIDATES = "index"  # "scan": the date-window scan of every stored report (kept for comparison)


def blocking_keys(r: dict) -> set[str]:
    """The keys a prepared report is stored under (and looked up by)."""
    keys = {"p:" + k for k in r["keys"]}
    if r["location"]:
        keys.add("l:" + r["location"])
    weak = sorted(r["weak"])
    keys.update(f"w:{a}|{b}" for i, a in enumerate(weak) for b in weak[i + 1:])
    if r["date"] and len(r["date"]) == 10:
        keys.add(("d1:" if r["keys"] else "d0:") + r["date"])
    return keys


def _lookup_keys(r: dict) -> set[str]:
    keys = blocking_keys(r)
    if r["date"] and len(r["date"]) == 10:
        keys.discard("d1:" + r["date"])
        keys.add("d0:" + r["date"])  # one side without parties is enough
        if not r["keys"]:
            keys.add("d1:" + r["date"])
    return keys


def _indexed_candidates(conn: sqlite3.Connection, r: dict, article_date: str | None) -> list[dict]:
    """Stored clusters holding a report that matches `r` by a blocking key, in a date
    range compatible with it (index range scans on event_key_clusters)."""
    keys = sorted(_lookup_keys(r))
    if not keys:
        return []
    out, seen = [], set()
    marks = ",".join("?" * len(keys))
    for lo, hi in _date_windows(r["date"], article_date):
        rows = conn.execute(
            f"SELECT key, date, date_basis, cluster_id FROM event_key_clusters "
            f"WHERE family = ? AND key IN ({marks}) AND date BETWEEN ? AND ?", (r["family"], *keys, lo, hi))
        for key, date, basis, cluster in rows:
            STATS["candidates"] += 1
            if (key, date, basis, cluster) in seen:
                continue
            seen.add((key, date, basis, cluster))
            if key.startswith(("d0:", "d1:")) and date != r["date"]:
                continue
            if dates_compatible(r["date"], date, r["date_basis"], basis):
                out.append({"cluster_id": cluster})
    return out


def _index_reports(conn: sqlite3.Connection, reports: list[dict]) -> None:
    rows = []
    for r in reports:
        if r.get("date") and r.get("cluster_id"):  # an undated report is never looked up
            rows.extend((r["id"], r["family"], k, r["date"], r["date_basis"], r["cluster_id"]) for k in blocking_keys(r))
    conn.executemany("INSERT OR IGNORE INTO event_keys(event_id, family, key, date, date_basis, cluster_id) "
                     "VALUES (?,?,?,?,?,?)", rows)


def index_events(conn: sqlite3.Connection) -> int:
    """(Re)build the blocking-key index of every stored event. Returns the keys written."""
    conn.execute("DELETE FROM event_keys")
    conn.execute("DELETE FROM event_key_clusters")
    rows = [_prepare(r) for r in _rows(conn) if r["cluster_id"]]
    _index_reports(conn, rows)
    conn.execute("UPDATE event_key_state SET indexed = 1")
    return conn.execute("SELECT COUNT(*) FROM event_keys").fetchone()[0]


def _ensure_index(conn: sqlite3.Connection) -> None:
    """A ledger that had events before the index existed is indexed once, on first use."""
    row = conn.execute("SELECT indexed FROM event_key_state").fetchone()
    if row is not None and not row[0]:
        index_events(conn)


@store_module.on_save
def _cluster_on_save(store, article: Article) -> None:
    """Give the article's events cluster ids among the stored events (same transaction).

    Incremental: each new event joins the cluster of the stored (or earlier new) report
    of the same event with the smallest cluster id; a cluster takes the new event's id
    when that is smaller (ids are content hashes, so that relabelling costs O(1) per
    report on average). Stored reports are found through their blocking keys (above):
    bounded work per new article however large the ledger. An undated report is looked
    up in the month before its article's date, and an undated stored report is not
    revisited by later articles. `cluster_events(conn)` recomputes everything.
    """
    if not article.events:
        return
    conn = store.conn
    if CANDIDATES == "index":
        _ensure_index(conn)
    by_id = dict(zip(store_module.event_ids(article.id, article.events), article.events))
    new = sorted((_prepare({"id": eid, "event_type": e.event_type, "mode": e.mode, "actors": e.actors,
                            "recipients": e.recipients, "location": e.location, "date": e.date,
                            "date_basis": e.date_basis, "text": e.text}) for eid, e in by_id.items()), key=_order_key)
    from storyline.stages.dates import published_anchor

    sections = sorted(s.section_date for s in article.segments if s.section_date)
    anchor = sections[-1] if sections else (published_anchor(article).iso() if published_anchor(article) else None)
    placed: list[dict] = []
    for r in new:
        if CANDIDATES == "index":
            stored = _indexed_candidates(conn, r, anchor)
        else:
            read = _candidates(conn, r, article.id, anchor)
            STATS["candidates"] += len(read)
            stored = [c for c in read if same_event(r, c)]
        found = stored + [c for c in placed if same_event(r, c)]
        cid = min((c["cluster_id"] for c in found), default=r["id"])
        if r["id"] < cid:
            conn.execute("UPDATE events SET cluster_id=? WHERE cluster_id=?", (r["id"], cid))
            for p in placed:
                if p["cluster_id"] == cid:
                    p["cluster_id"] = r["id"]
            cid = r["id"]
        r["cluster_id"] = cid
        placed.append(r)
    for r in placed:
        by_id[r["id"]].cluster_id = r["cluster_id"]
    _index_reports(conn, placed)


STATS = {"candidates": 0}  # stored rows the save hook read to find candidates (benchmarks, tests)
