"""What was left out: statements several outlets carried that another outlet, covering
the same story that day, did not.

A statement cluster (statements.cluster_id: the same statement reported in several
articles) is "carried" by the outlets of its articles. Another outlet "covered the story
that day" when it has an article published the same day (an undated article, such as a
live blog, counts on the days of its statements) as one of the cluster's articles
that is (a) in the same near-duplicate cluster as one of them, (b) reports an event of the
same event cluster, or (c) quotes the same actor. Each finding names which of these held,
with the article, so it can be checked.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict


def _period(since: str | None, until: str | None, alias: str = "a") -> tuple[str, list]:
    sql, params = "", []
    if since:
        sql += f" AND substr({alias}.published, 1, 10) >= ?"
        params.append(since)
    if until:
        sql += f" AND substr({alias}.published, 1, ?) <= ?"
        params.extend([len(until), until])
    return sql, params


def carried_clusters(conn: sqlite3.Connection, since: str | None = None, until: str | None = None,
                     cluster_id: str | None = None, min_outlets: int = 2,
                     on_days: list[str] | None = None) -> dict[str, dict]:
    """Statement clusters carried by at least `min_outlets` outlets, with their articles,
    days, outlets, speakers' actors and first statement; with `on_days`, only clusters
    reported on one of those days (all their reports are still read)."""
    period, params = _period(since, until)
    sql = ("SELECT s.id, s.cluster_id, s.text, s.speaker, s.actor_id, a.id AS article_id, a.outlet, a.cluster_id AS "
           "near_dup, COALESCE(substr(a.published, 1, 10), s.date) AS day, a.published FROM statements s JOIN articles a ON a.id = s.article_id "
           "WHERE s.cluster_id IS NOT NULL" + period)
    if cluster_id:
        sql += " AND s.cluster_id = ?"
        params.append(cluster_id)
    if on_days is not None:
        sql += (" AND s.cluster_id IN (SELECT s2.cluster_id FROM statements s2 JOIN articles a2 ON a2.id = s2.article_id "
                "WHERE s2.cluster_id IS NOT NULL AND COALESCE(substr(a2.published, 1, 10), s2.date) IN "
                "(SELECT value FROM json_each(?)))")
        params.append(json.dumps(on_days))
    sql += " ORDER BY a.published IS NULL, a.published, s.start"
    clusters: dict[str, dict] = {}
    for r in conn.execute(sql, params):
        c = clusters.setdefault(r["cluster_id"], {"cluster_id": r["cluster_id"], "statement_id": r["id"], "text": r["text"],
                                                  "speaker": r["speaker"], "outlets": set(), "articles": set(),
                                                  "near_dups": set(), "days": set(), "actors": set(),
                                                  "statement_ids": []})
        c["statement_ids"].append(r["id"])
        c["articles"].add(r["article_id"])
        if r["outlet"]:
            c["outlets"].add(r["outlet"])
        if r["near_dup"]:
            c["near_dups"].add(r["near_dup"])
        if r["day"]:
            c["days"].add(r["day"])
        if r["actor_id"] is not None:
            c["actors"].add(r["actor_id"])
    return {k: c for k, c in clusters.items() if len(c["outlets"]) >= min_outlets}


def left_out(conn: sqlite3.Connection, outlet: str | None = None, since: str | None = None,
             until: str | None = None, cluster_id: str | None = None) -> list[dict]:
    """For each carried cluster, the outlets (or only `outlet`) that covered the story that
    day but did not carry the statement, with their articles and the reasons."""
    on_days = outlet_days(conn, outlet) if outlet else None
    clusters = carried_clusters(conn, since, until, cluster_id, on_days=on_days)
    if not clusters:
        return []
    days = sorted({d for c in clusters.values() for d in c["days"]})
    articles_by_day: dict[str, list[dict]] = defaultdict(list)
    for chunk in range(0, len(days), 500):
        part = days[chunk:chunk + 500]
        marks = ",".join("?" * len(part))
        # An article's day is its published day; an undated one (a live blog) has the days of its statements.
        sql = ("SELECT id, outlet, title, cluster_id, substr(published, 1, 10) AS day FROM articles "
               f"WHERE outlet IS NOT NULL AND substr(published, 1, 10) IN ({marks}) "
               "UNION SELECT DISTINCT a.id, a.outlet, a.title, a.cluster_id, s.date FROM articles a "
               f"JOIN statements s ON s.article_id = a.id WHERE a.outlet IS NOT NULL AND a.published IS NULL AND s.date IN ({marks})")
        params = list(part) + list(part)
        if outlet:
            sql = f"SELECT * FROM ({sql}) WHERE outlet = ? COLLATE NOCASE"
            params.append(outlet)
        for r in conn.execute(sql, params):
            articles_by_day[r["day"]].append(dict(r))
    wanted = {a["id"] for rows in articles_by_day.values() for a in rows} | {
        a for c in clusters.values() for a in c["articles"]}
    events = _article_sets(conn, wanted, "SELECT article_id, cluster_id FROM events WHERE cluster_id IS NOT NULL "
                                         "AND article_id IN ({})")
    speakers = _article_sets(conn, wanted, "SELECT article_id, actor_id FROM statements WHERE actor_id IS NOT NULL "
                                           "AND article_id IN ({})")
    names = dict(conn.execute("SELECT id, name FROM actors").fetchall())
    out = []
    for c in clusters.values():
        cluster_events = set().union(*(events.get(a, set()) for a in c["articles"]))
        by_outlet: dict[str, list[dict]] = defaultdict(list)
        for day in sorted(c["days"]):
            for art in articles_by_day.get(day, []):
                if art["outlet"] in c["outlets"] or art["id"] in c["articles"]:
                    continue
                reasons = []
                if art["cluster_id"] and art["cluster_id"] in c["near_dups"]:
                    reasons.append({"why": "near-duplicate", "cluster": art["cluster_id"]})
                shared = sorted(events.get(art["id"], set()) & cluster_events)
                if shared:
                    reasons.append({"why": "same event", "events": shared})
                actors = sorted(speakers.get(art["id"], set()) & c["actors"])
                if actors:
                    reasons.append({"why": "same actor", "actors": [names.get(a, str(a)) for a in actors],
                                    "actor_ids": actors})
                if reasons:
                    by_outlet[art["outlet"]].append({"article_id": art["id"], "title": art["title"], "day": day,
                                                     "reasons": reasons})
        for name, arts in sorted(by_outlet.items()):
            out.append({"cluster_id": c["cluster_id"], "statement_id": c["statement_id"], "text": c["text"],
                        "speaker": c["speaker"], "carried_by": sorted(c["outlets"]),
                        "carried_statements": c["statement_ids"], "outlet": name, "articles": arts})
    return out


def outlet_days(conn: sqlite3.Connection, outlet: str) -> list[str]:
    """The days an outlet has articles on (an undated article counts on its statements' days)."""
    rows = conn.execute(
        "SELECT DISTINCT substr(published, 1, 10) FROM articles WHERE outlet = ? COLLATE NOCASE AND published IS NOT NULL "
        "UNION SELECT DISTINCT s.date FROM statements s JOIN articles a ON a.id = s.article_id "
        "WHERE a.outlet = ? COLLATE NOCASE AND a.published IS NULL AND s.date IS NOT NULL", (outlet, outlet))
    return sorted(r[0] for r in rows)


def _article_sets(conn: sqlite3.Connection, article_ids: set[str], sql: str) -> dict[str, set]:
    out: dict[str, set] = defaultdict(set)
    ids = sorted(article_ids)
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for article_id, value in conn.execute(sql.format(",".join("?" * len(part))), part):
            out[article_id].add(value)
    return out
