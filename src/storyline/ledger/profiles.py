"""Outlet profiles: how each outlet told it.

For one outlet and period: whom it quotes (top actors, speaker types, the anonymous share,
the affiliations and places of its sources), which attribution verbs it uses and for whom
(cue shares per speaker against the corpus over the same period; the share of "loaded"
verbs, data/attribution.yaml, per speaker), its hedge share, whom it
relays (`via`; a via naming the outlet itself is marked `own`: "told the Courier"), how soon it carries a statement after the first report of its cluster, and
what it left out (ledger/coverage.py). Every figure carries `filter`: the selector of the
statements behind it, which `select_statements` turns back into those statements (and
the web app into a link).
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from statistics import median

from storyline import lexicon
from storyline.errors import E, NotFoundError
from storyline.ledger import coverage
from storyline.ledger.queries import export_row
from storyline.stages.speakers.places import Places

DAY = "COALESCE(s.date, substr(a.published, 1, 10))"
FROM = "FROM statements s JOIN articles a ON a.id = s.article_id LEFT JOIN actors act ON act.id = s.actor_id"
# The selector keys a figure's `filter` may hold (select_statements takes them all).
SELECTOR_KEYS = ("outlet", "since", "until", "actor", "speaker", "no_speaker", "speaker_type", "cue", "no_cue",
                 "via", "hedged", "affiliation", "clustered", "ids")


def _where(sel: dict) -> tuple[str, list]:
    where, params = ["1"], []
    if sel.get("outlet") is not None:
        # The stored spelling (resolve_outlet finds it case-blind), so the outlet index serves.
        where.append("a.outlet = ?")
        params.append(sel["outlet"])
    if sel.get("since"):
        where.append(f"{DAY} >= ?")
        params.append(sel["since"])
    if sel.get("until"):
        where.append(f"substr({DAY}, 1, ?) <= ?")
        params.extend([len(sel["until"]), sel["until"]])
    if sel.get("actor") is not None:
        where.append("s.actor_id = ?")
        params.append(int(sel["actor"]))
    if sel.get("speaker"):
        where.append("s.actor_id IS NULL AND s.speaker = ?")
        params.append(sel["speaker"])
    if sel.get("no_speaker"):
        where.append("s.actor_id IS NULL AND s.speaker IS NULL")
    if sel.get("speaker_type"):
        where.append("s.speaker_type = ?")
        params.append(sel["speaker_type"])
    if sel.get("cue"):
        cues = sel["cue"].split(",") if isinstance(sel["cue"], str) else list(sel["cue"])
        where.append(f"s.cue IN ({','.join('?' * len(cues))})")
        params.extend(cues)
    if sel.get("no_cue"):
        where.append("s.cue IS NULL")
    if sel.get("via"):
        where.append("EXISTS (SELECT 1 FROM json_each(s.via) j WHERE j.value = ?)")
        params.append(sel["via"])
    if sel.get("hedged") is not None:
        where.append("s.hedged = ?")
        params.append(1 if sel["hedged"] in (True, 1, "1", "true") else 0)
    if sel.get("affiliation"):
        where.append("COALESCE(s.speaker_affiliation, act.affiliation) = ?")
        params.append(sel["affiliation"])
    if sel.get("clustered"):
        where.append("s.cluster_id IS NOT NULL")
    if sel.get("ids"):
        ids = sel["ids"] if isinstance(sel["ids"], list) else str(sel["ids"]).split(",")
        where.append(f"s.id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
    return " AND ".join(where), params


def select_statements(conn: sqlite3.Connection, limit: int | None = None, offset: int = 0, **sel) -> list[dict]:
    """The statements behind a figure (its `filter`), as export rows, in article order."""
    where, params = _where(sel)
    sql = (f"SELECT s.*, a.doc AS article_doc, a.url AS article_url, a.outlet AS article_outlet, "
           f"a.published AS article_published, a.title AS article_title {FROM} WHERE {where} "
           "ORDER BY a.published IS NULL, a.published, s.article_id, s.start")
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [export_row(r) for r in conn.execute(sql, params)]


def count_statements(conn: sqlite3.Connection, **sel) -> int:
    where, params = _where(sel)
    return conn.execute(f"SELECT count(*) {FROM} WHERE {where}", params).fetchone()[0]


def outlets(conn: sqlite3.Connection, since: str | None = None, until: str | None = None) -> list[dict]:
    """Every outlet with its articles, statements and first and last day (of its statements,
    or of its articles when none has a statement, e.g. one in a language not analysed)."""
    where, params = _where({"since": since, "until": until})
    rows = conn.execute(
        f"SELECT a.outlet AS outlet, count(DISTINCT a.id) AS articles, count(s.id) AS statements, "
        f"min({DAY}) AS first, max({DAY}) AS last FROM articles a LEFT JOIN statements s ON s.article_id = a.id "
        f"WHERE a.outlet IS NOT NULL AND {where} "
        "GROUP BY a.outlet COLLATE NOCASE ORDER BY count(s.id) DESC, a.outlet", params).fetchall()
    return [dict(r) for r in rows]


def resolve_outlet(conn: sqlite3.Connection, name: str) -> str:
    row = conn.execute("SELECT outlet FROM articles WHERE outlet = ? COLLATE NOCASE LIMIT 1", (name,)).fetchone()
    if row is None:
        raise NotFoundError(E.NOT_FOUND_ID, what="outlet", id=name)
    return row[0]


def _group(conn, expr: str, sel: dict, extra: str = "") -> dict:
    where, params = _where(sel)
    return {k: n for k, n in conn.execute(
        f"SELECT {expr} AS k, count(*) {FROM} WHERE {where} {extra} GROUP BY k", params)}


def _share(n: int, total: int) -> float | None:
    return round(n / total, 3) if total else None


def _figures(counts: dict, corpus: dict, total: int, corpus_total: int, key: str, sel: dict, to_filter) -> list[dict]:
    out = []
    for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        item = {key: k, "count": n, "share": _share(n, total),
                "corpus_share": _share(corpus.get(k, 0), corpus_total), "filter": {**sel, **to_filter(k)}}
        out.append(item)
    return out


def _top_actors(conn, sel: dict, total: int, top: int) -> list[dict]:
    where, params = _where(sel)
    rows = conn.execute(
        f"SELECT s.actor_id, COALESCE(act.name, s.speaker) AS name, max(s.speaker_type) AS type, count(*) AS n "
        f"{FROM} WHERE {where} GROUP BY s.actor_id, CASE WHEN s.actor_id IS NULL THEN s.speaker END "
        "ORDER BY n DESC, name LIMIT ?", params + [top]).fetchall()
    out = []
    for r in rows:
        if r["actor_id"] is not None:
            f = {"actor": r["actor_id"]}
        elif r["name"] is not None:
            f = {"speaker": r["name"]}
        else:
            f = {"no_speaker": True}
        out.append({"name": r["name"] or "(unknown speaker)", "actor_id": r["actor_id"], "type": r["type"],
                    "count": r["n"], "share": _share(r["n"], total), "filter": {**sel, **f}})
    return out


def _is_place(conn, affiliation: str, sel: dict, known: set[str]) -> bool:
    """An affiliation that is a place: a country of the general list, or a name the
    articles quoting it write as a place ("Ostmark's coastguard", "residents of X")."""
    if affiliation.casefold() in known:
        return True
    where, params = _where({"affiliation": affiliation})
    for (text,) in conn.execute(f"SELECT DISTINCT a.text {FROM} WHERE {where} LIMIT 5", params):
        if Places(text).usage(affiliation):
            return True
    return False


def _known_places() -> set[str]:
    out = set()
    with open(lexicon.path("demonyms.tsv"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or "\t" not in line:
                continue
            out.add(line.rstrip("\n").split("\t")[1].casefold())
    return out


def _cues_by_speaker(conn, sel: dict, corpus_sel: dict, actors: list[dict]) -> list[dict]:
    out = []
    for actor in actors:
        who = {k: v for k, v in actor["filter"].items() if k in ("actor", "speaker", "no_speaker")}
        mine = _group(conn, "s.cue", {**sel, **who})
        everyone = _group(conn, "s.cue", {**corpus_sel, **who})
        total, corpus_total = sum(mine.values()), sum(everyone.values())
        cues = _figures(mine, everyone, total, corpus_total, "cue", {**sel, **who},
                        lambda k: {"cue": k} if k else {"no_cue": True})
        out.append({"name": actor["name"], "actor_id": actor["actor_id"], "count": total, "cues": cues})
    return out


def loaded_cues() -> list[str]:
    """Attribution verbs that judge the speaker or the claim (data/attribution.yaml)."""
    return sorted(lexicon.load_yaml("attribution.yaml")["loaded_cues"].split())


def _loaded(conn, sel: dict, corpus_sel: dict, actors: list[dict], total: int, corpus_total: int) -> dict:
    """The share of statements attributed with a loaded verb, here and in the corpus, and
    per top speaker (here against every outlet quoting that speaker)."""
    cues = loaded_cues()
    marks = ",".join("?" * len(cues))

    def count(s: dict) -> int:
        where, params = _where(s)
        return conn.execute(f"SELECT count(*) {FROM} WHERE {where} AND s.cue IN ({marks})", params + cues).fetchone()[0]

    here = count(sel)
    speakers = []
    for actor in actors:
        who = {k: v for k, v in actor["filter"].items() if k in ("actor", "speaker", "no_speaker")}
        n, everywhere = count({**sel, **who}), count({**corpus_sel, **who})
        speakers.append({"name": actor["name"], "actor_id": actor["actor_id"], "count": n,
                         "share": _share(n, actor["count"]),
                         "corpus_share": _share(everywhere, count_statements(conn, **corpus_sel, **who)),
                         "filter": {**sel, **who, "cue": ",".join(cues)}})
    return {"cues": cues, "count": here, "share": _share(here, total),
            "corpus_share": _share(count(corpus_sel), corpus_total), "filter": {**sel, "cue": ",".join(cues)},
            "speakers": speakers}


def _lag(conn, sel: dict) -> dict:
    """How soon the outlet carried each clustered statement after its cluster's first report."""
    where, params = _where(sel)
    mine = conn.execute(f"SELECT s.id, s.cluster_id, a.published {FROM} WHERE {where} AND s.cluster_id IS NOT NULL",
                        params).fetchall()
    if not mine:
        return {"clustered": 0, "first_reports": 0, "unknown": 0, "median_days": None, "median_hours": None,
                "items": [], "filter": {**sel, "clustered": True}}
    clusters = sorted({r["cluster_id"] for r in mine})
    first: dict[str, tuple] = {}
    for chunk in range(0, len(clusters), 500):
        part = clusters[chunk:chunk + 500]
        for r in conn.execute(f"SELECT s.cluster_id, a.published, a.outlet, s.id FROM statements s JOIN articles a "
                              f"ON a.id = s.article_id WHERE s.cluster_id IN ({','.join('?' * len(part))}) "
                              "AND a.published IS NOT NULL", part):
            when = _parse(r["published"])
            if when is None:
                continue
            key = (when[0], r["published"])
            if r["cluster_id"] not in first or key < first[r["cluster_id"]][0]:
                first[r["cluster_id"]] = (key, r["outlet"], r["id"], when)
    items, days, hours, unknown = [], [], [], 0
    for r in mine:
        when, head = _parse(r["published"]), first.get(r["cluster_id"])
        if when is None or head is None:
            unknown += 1
            items.append({"statement_id": r["id"], "cluster_id": r["cluster_id"], "lag_days": None, "lag_hours": None,
                          "first_outlet": head[1] if head else None, "first_statement": head[2] if head else None})
            continue
        lag_days = (when[0] - head[3][0]).days
        lag_hours = None
        if when[1] is not None and head[3][1] is not None:
            lag_hours = round((when[1] - head[3][1]).total_seconds() / 3600, 1)
            hours.append(lag_hours)
        days.append(lag_days)
        items.append({"statement_id": r["id"], "cluster_id": r["cluster_id"], "lag_days": lag_days,
                      "lag_hours": lag_hours, "first_outlet": head[1], "first_statement": head[2]})
    items.sort(key=lambda i: (i["lag_days"] is None, i["lag_days"] or 0))
    return {"clustered": len(mine), "first_reports": sum(1 for i in items if i["lag_days"] == 0
                                                         and (i["lag_hours"] or 0) <= 0),
            "unknown": unknown, "median_days": median(days) if days else None,
            "median_hours": median(hours) if hours else None, "items": items,
            "filter": {**sel, "clustered": True}}


def _parse(value: str | None):
    """(date, aware datetime or None): hours are only compared when both times carry a zone."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        try:
            dt = datetime.fromisoformat(value[:10])
        except ValueError:
            return None
    aware = dt if dt.tzinfo is not None and len(value) > 10 else None
    return dt.date(), aware


def own_name(via: str, outlet: str) -> bool:
    """A `via` that names the outlet itself ("told the Courier" in the Carrow Valley Courier):
    its own reporting, not a relay. Every word of the via is a word of the outlet's name."""
    words = set(re.findall(r"\w+", via.casefold())) - {"the"}
    return bool(words) and words <= set(re.findall(r"\w+", outlet.casefold()))


def profile(conn: sqlite3.Connection, outlet: str, since: str | None = None, until: str | None = None,
            top: int = 10) -> dict:
    """The profile of one outlet over a period (see the module docstring)."""
    name = resolve_outlet(conn, outlet)
    sel = {"outlet": name, "since": since, "until": until}
    sel = {k: v for k, v in sel.items() if v is not None}
    corpus_sel = {k: v for k, v in sel.items() if k != "outlet"}
    total, corpus_total = count_statements(conn, **sel), count_statements(conn, **corpus_sel)
    articles = conn.execute("SELECT count(*) FROM articles WHERE outlet = ? COLLATE NOCASE", (name,)).fetchone()[0]
    actors = _top_actors(conn, sel, total, top)
    types = _figures(_group(conn, "s.speaker_type", sel), _group(conn, "s.speaker_type", corpus_sel), total,
                     corpus_total, "speaker_type", sel, lambda k: {"speaker_type": k})
    anonymous = next((t for t in types if t["speaker_type"] == "anonymous"), None) or {
        "speaker_type": "anonymous", "count": 0, "share": _share(0, total),
        "corpus_share": _share(_group(conn, "s.speaker_type", corpus_sel).get("anonymous", 0), corpus_total),
        "filter": {**sel, "speaker_type": "anonymous"}}
    aff_expr = "COALESCE(s.speaker_affiliation, act.affiliation)"
    affiliations = _figures(_group(conn, aff_expr, sel, f"AND {aff_expr} IS NOT NULL"),
                            _group(conn, aff_expr, corpus_sel, f"AND {aff_expr} IS NOT NULL"), total, corpus_total,
                            "affiliation", sel, lambda k: {"affiliation": k})
    known = _known_places()
    places = [dict(a, place=a["affiliation"]) for a in affiliations if _is_place(conn, a["affiliation"], sel, known)]
    cues = _figures(_group(conn, "s.cue", sel), _group(conn, "s.cue", corpus_sel), total, corpus_total, "cue", sel,
                    lambda k: {"cue": k} if k else {"no_cue": True})
    hedged = _group(conn, "s.hedged", sel).get(1, 0)
    corpus_hedged = _group(conn, "s.hedged", corpus_sel).get(1, 0)
    via_expr = "j.value"
    where, params = _where(sel)
    via = {k: n for k, n in conn.execute(
        f"SELECT {via_expr}, count(*) {FROM}, json_each(s.via) j WHERE {where} GROUP BY {via_expr}", params)}
    cwhere, cparams = _where(corpus_sel)
    corpus_via = {k: n for k, n in conn.execute(
        f"SELECT {via_expr}, count(*) {FROM}, json_each(s.via) j WHERE {cwhere} GROUP BY {via_expr}", cparams)}
    missing = coverage.left_out(conn, outlet=name, since=since, until=until)
    return {
        "outlet": name, "since": since, "until": until, "articles": articles, "statements": total,
        "corpus_statements": corpus_total, "filter": sel,
        "top_actors": actors, "speaker_types": types, "anonymous": anonymous,
        "affiliations": affiliations, "places": places,
        "cues": cues, "cues_by_speaker": _cues_by_speaker(conn, sel, corpus_sel, actors),
        "loaded": _loaded(conn, sel, corpus_sel, actors, total, corpus_total),
        "hedged": {"count": hedged, "share": _share(hedged, total), "corpus_share": _share(corpus_hedged, corpus_total),
                   "filter": {**sel, "hedged": True}},
        "via": [dict(v, own=own_name(v["via"], name))
                for v in _figures(via, corpus_via, total, corpus_total, "via", sel, lambda k: {"via": k})],
        "lag": _lag(conn, sel),
        "left_out": missing,
    }
