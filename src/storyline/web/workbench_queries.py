"""What the workbench pages read: a statement's page (its words in context, the speaker's
roles at that date, its other reports, its corrections), the speaker-type / via /
confidence facets, and actor-name suggestions. Parameterised SQL over the read layer;
used by web/workbench.py (the routes), web/pages.py and web/api.py.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from storyline.ledger import corrections as C
from storyline.ledger.actors import normalize_name
from storyline.ledger.queries import actor_family, placeholders, statement_sql
from storyline.web import queries as Q

CONTEXT_CHARS = 320  # article text shown either side of a statement on its page
SUGGESTIONS = 10


def context(conn, s: dict) -> Markup:
    """The statement's words highlighted in their stretch of the article."""
    row = conn.execute("SELECT text FROM articles WHERE id = ?", (s["article_id"],)).fetchone()
    if row is None:
        return Markup("")
    text = row[0]
    spans = [tuple(p) for p in (s.get("parts") or []) if len(p) == 2] or [(s["start"], s["end"])]
    lo = max(0, min(a for a, _ in spans) - CONTEXT_CHARS)
    hi = min(len(text), max(b for _, b in spans) + CONTEXT_CHARS)
    out, pos = [], lo
    for a, b in sorted(spans):
        out.append(escape(text[pos:a]))
        out.append(Markup('<mark class="hl">') + escape(text[a:b]) + Markup("</mark>"))
        pos = b
    out.append(escape(text[pos:hi]))
    body = Markup("").join(out)
    body = Markup("<br><br>").join(body.split("\n\n")) if "\n\n" in str(body) else body
    return (Markup("… ") if lo else Markup("")) + body + (Markup(" …") if hi < len(text) else Markup(""))


def roles_at(conn, actor_id: int | None, day: str | None) -> list[dict]:
    """The actor's recorded roles that span the statement's date (all of them when undated)."""
    if actor_id is None:
        return []
    family = actor_family(conn, actor_id)
    rows = [dict(r) for r in conn.execute(
        f"SELECT role, affiliation, first_seen, last_seen FROM actor_roles WHERE actor_id IN ({placeholders(len(family))}) "
        "ORDER BY first_seen", family)]
    if not day:
        return rows
    return [r for r in rows if (r["first_seen"] or "") <= day <= (r["last_seen"] or "~")] or rows


def statement_page_data(conn, statement_id: str) -> dict:
    removed = C.removed_statement(conn, statement_id)
    if removed is not None:
        s = removed["old_value"]
        return {"s": None, "removed": removed, "corrections": C.list_corrections(conn, statement_id),
                "context": Markup(""), "text": s.get("text"), "article_id": s.get("article_id")}
    s = Q.statement(conn, statement_id)
    cluster = [x for x in Q.statement_cluster(conn, statement_id) if x["id"] != statement_id] if s["cluster_id"] else []
    actor_name = None
    if s["actor_id"] is not None:
        row = conn.execute("SELECT name, type, affiliation FROM actors WHERE id = ?", (s["actor_id"],)).fetchone()
        actor_name = dict(row) if row else None
    return {"s": s, "removed": None, "context": context(conn, s), "cluster": cluster, "actor": actor_name,
            "roles": roles_at(conn, s["actor_id"], s["date"] or (s["published"] or "")[:10] or None),
            "corrections": C.list_corrections(conn, statement_id)}


# Confidence facet: how many matches reach each floor (links set `min_confidence`).
CONFIDENCE_FLOORS = (0.9, 0.7, 0.5)


def more_facets(conn, f: Q.StatementFilters, size: int = 12) -> dict[str, list[dict]]:
    """Counts of the matching statements by speaker type, by `via` (each outlet or agency
    named), and how many reach each confidence floor: two aggregate queries over the
    read layer's WHERE builder (SQLite does the counting)."""
    floors = ", ".join(f"sum(s.confidence >= {floor})" for floor in CONFIDENCE_FLOORS)  # fixed numbers, not input
    # A search alone: the FTS matches drive the pass (as for the other facets).
    fts = "join" if set(f.as_params()) == {"q"} else "in"
    sql, params = statement_sql(conn, f, f"s.speaker_type, count(*), {floors}", join_article=False,
                                tail=" GROUP BY s.speaker_type", fts=fts)
    types, reached = [], [0] * len(CONFIDENCE_FLOORS)
    for row in conn.execute(sql, params):
        types.append({"value": row[0], "count": row[1]})
        reached = [r + (n or 0) for r, n in zip(reached, row[2:])]
    types.sort(key=lambda v: (-v["count"], v["value"] or ""))
    inner, params = statement_sql(conn, f, "s.via AS via", join_article=False, extra="s.via != '[]'", fts=fts)
    via = [{"value": r[0], "count": r[1]} for r in conn.execute(
        f"SELECT j.value, count(*) AS n FROM ({inner}) x, json_each(x.via) j GROUP BY j.value "
        "ORDER BY n DESC, j.value LIMIT ?", params + [size])]
    return {"speaker_type": types, "via": via,
            "confidence": [{"value": floor, "count": n} for floor, n in zip(CONFIDENCE_FLOORS, reached)]}


def suggest_actors(conn, prefix: str, limit: int = SUGGESTIONS) -> list[dict]:
    """Actors any of whose names or aliases, or a word in them, starts with `prefix`
    (case- and accent-blind), most quoted first. `Har` finds "Prince Harry"."""
    norm = normalize_name(prefix)
    if not norm:
        return []
    like = norm.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = conn.execute(
        "SELECT DISTINCT COALESCE(ac.merged_into, ac.id) AS id FROM actor_aliases al JOIN actors ac ON ac.id = al.actor_id "
        "WHERE al.norm LIKE ? ESCAPE '\\' OR al.norm LIKE ? ESCAPE '\\' LIMIT 200",
        (like + "%", "% " + like + "%")).fetchall()
    ids = sorted({r[0] for r in rows})
    if not ids:
        return []
    out = conn.execute(
        f"SELECT ac.id, ac.name, ac.type, ac.affiliation, (SELECT count(*) FROM statements s WHERE s.actor_id = ac.id) "
        f"AS statements FROM actors ac WHERE ac.id IN ({placeholders(len(ids))}) AND ac.merged_into IS NULL "
        "ORDER BY statements DESC, ac.name LIMIT ?", ids + [limit]).fetchall()
    return [dict(r) for r in out]
