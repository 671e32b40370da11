"""The analyst's workbench: a page per statement, corrections from the page, actor
merge / split / alias forms, actor-name suggestions, and the corrections API.

Reads use the same queries as every other page (web/queries.py over the read layer);
corrections are written by `storyline.ledger.corrections` on the app's single writer
thread. Every write needs the server's token (`storyline serve --token TOKEN`): HTML
forms carry it in a password field, the API in `Authorization: Bearer TOKEN` or
`X-Storyline-Token`. A token `NAME:SECRET` names the user, recorded with each correction.
Read-only serving (no token) shows the forms' place with a note instead.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Path as PathParam, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup, escape
from pydantic import BaseModel, Field

from storyline.ledger import corrections as C
from storyline.ledger.actors import normalize_name
from storyline.ledger.queries import actor_family, placeholders, statement_sql
from storyline.web import queries as Q
from storyline.web.api import require_token
from storyline.web.pages import html

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", tags=["corrections"])

CONTEXT_CHARS = 320  # article text shown either side of a statement on its page
SUGGESTIONS = 10


# --- tokens -------------------------------------------------------------------------------


def _deny(status: int, code: str, message: str):
    raise HTTPException(status_code=status, detail={"code": code, "message": message})


def form_user(request: Request, token: str | None) -> str | None:
    """Check a form's token against the server's; the user it names (or None)."""
    expected = request.app.state.token
    if not expected:
        _deny(403, "READ_ONLY", "This server is read-only. Start it with `storyline serve --token TOKEN` "
                                "to accept corrections.")
    if not token:
        _deny(401, "UNAUTHORIZED", "Corrections need the server's token: type it in the form's token field.")
    if not hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8")):
        _deny(403, "FORBIDDEN", "The token sent does not match the server's token.")
    return C.user_of_token(token)


def header_user(request: Request) -> str | None:
    """The user named by the API request's token (already checked by `require_token`)."""
    given = request.headers.get("x-storyline-token")
    auth = request.headers.get("authorization", "")
    if given is None and auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    return C.user_of_token(given)


# --- reading --------------------------------------------------------------------------------


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


# --- pages ------------------------------------------------------------------------------------


@router.get("/statements/{statement_id}", response_class=HTMLResponse)
def statement_page(request: Request, statement_id: str = PathParam(..., max_length=300),
                   done: str | None = Query(None, max_length=40)):
    with request.app.state.ledger.read() as conn:
        data = statement_page_data(conn, statement_id)
    return html("statement.html", nav="statements", writable=bool(request.app.state.token), done=done,
                kinds=Q.KINDS, speaker_types=C.SPEAKER_TYPES, date_bases=C.DATE_BASES, sid=statement_id, **data)


@router.post("/statements/{statement_id}/correct")
def correct_form(request: Request, statement_id: str = PathParam(..., max_length=300),
                 field: str = Form(...), token: str | None = Form(None), value: str | None = Form(None),
                 speaker_type: str | None = Form(None), actor: str | None = Form(None),
                 date_basis: str | None = Form(None), note: str | None = Form(None)):
    by = form_user(request, token)
    request.app.state.ledger.write(
        C.correct_statement, statement_id, field, (value or "").strip() or None, note=note, by=by,
        speaker_type=speaker_type or None, actor=(actor or "").strip() or None, date_basis=date_basis or None)
    return RedirectResponse(f"/statements/{_quote(statement_id)}?done={field}", status_code=303)


@router.post("/corrections/{correction_id}/undo")
def undo_form(request: Request, correction_id: int = PathParam(..., ge=1), token: str | None = Form(None),
              back: str | None = Form(None)):
    by = form_user(request, token)
    c = request.app.state.ledger.write(C.undo, correction_id, by=by)
    return RedirectResponse(_back(back, c), status_code=303)


def _back(back: str | None, c: dict) -> str:
    if back and back.startswith("/") and not back.startswith("//"):
        return back
    if c["target_type"] == "actor":
        return f"/actors/{int(c['target'])}"
    return f"/statements/{_quote(c['target'])}?done=undo"


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe=":-")


@router.post("/actors/{actor_id}/merge")
def merge_form(request: Request, actor_id: int = PathParam(..., ge=0), other: str = Form(..., max_length=300),
               token: str | None = Form(None), note: str | None = Form(None)):
    by = form_user(request, token)
    request.app.state.ledger.write(C.merge, str(actor_id), other.strip(), note, by)
    return RedirectResponse(f"/actors/{actor_id}", status_code=303)


@router.post("/actors/{actor_id}/split")
def split_form(request: Request, actor_id: int = PathParam(..., ge=0), alias: str = Form(..., max_length=300),
               token: str | None = Form(None), note: str | None = Form(None)):
    by = form_user(request, token)
    c = request.app.state.ledger.write(C.split, str(actor_id), alias.strip(), note, by)
    return RedirectResponse(f"/actors/{c['new_value']['id']}", status_code=303)


@router.post("/actors/{actor_id}/alias")
def alias_form(request: Request, actor_id: int = PathParam(..., ge=0), alias: str = Form(..., max_length=300),
               token: str | None = Form(None), note: str | None = Form(None)):
    by = form_user(request, token)
    request.app.state.ledger.write(C.alias, str(actor_id), alias.strip(), note, by)
    return RedirectResponse(f"/actors/{actor_id}", status_code=303)


# --- API ----------------------------------------------------------------------------------------


class CorrectionIn(BaseModel):
    field: str = Field(..., description="not_statement, speaker, kind or date")
    value: str | None = Field(None, description="speaker name, kind, or date (YYYY-MM-DD / YYYY-MM; empty: unknown)")
    actor: str | None = Field(None, description="speaker as an actor id, name or alias")
    speaker_type: str | None = Field(None, description="person, organization, media, anonymous or unknown")
    date_basis: str | None = Field(None, description="explicit, section or published")
    note: str | None = None


@api_router.get("/actors/suggest", summary="Actor names starting with a prefix (suggestions as you type)")
def api_suggest(request: Request, prefix: str = Query(..., min_length=1, max_length=100),
                limit: int = Query(SUGGESTIONS, ge=1, le=50)):
    with request.app.state.ledger.read() as conn:
        return {"prefix": prefix, "items": suggest_actors(conn, prefix, limit)}


@api_router.get("/corrections", summary="Corrections made on top of extraction")
def api_corrections(request: Request, target: str | None = Query(None, max_length=300),
                    active: bool = Query(False, description="Leave out undone corrections.")):
    with request.app.state.ledger.read() as conn:
        return {"items": C.list_corrections(conn, target, include_undone=not active)}


@api_router.post("/statements/{statement_id}/corrections", summary="Correct a statement (needs the token)",
                 dependencies=[Depends(require_token)], status_code=201)
def api_correct(request: Request, body: CorrectionIn, statement_id: str = PathParam(..., max_length=300)) -> Any:
    return request.app.state.ledger.write(
        C.correct_statement, statement_id, body.field, body.value, note=body.note, by=header_user(request),
        speaker_type=body.speaker_type, actor=body.actor, date_basis=body.date_basis)


@api_router.post("/corrections/{correction_id}/undo", summary="Undo a correction (needs the token)",
                 dependencies=[Depends(require_token)])
def api_undo(request: Request, correction_id: int = PathParam(..., ge=1)) -> Any:
    return request.app.state.ledger.write(C.undo, correction_id, by=header_user(request))

