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
from pydantic import BaseModel, Field

from storyline.ledger import corrections as C
from storyline.ledger import issues as issues_module
from storyline.web import queries as Q
from storyline.web.api import require_token
from storyline.web.pages import html
from storyline.web.workbench_queries import SUGGESTIONS, statement_page_data, suggest_actors

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", tags=["corrections"])

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


# --- pages ------------------------------------------------------------------------------------


@router.get("/statements/{statement_id}", response_class=HTMLResponse)
def statement_page(request: Request, statement_id: str = PathParam(..., max_length=300),
                   done: str | None = Query(None, max_length=40)):
    with request.app.state.ledger.read() as conn:
        data = statement_page_data(conn, statement_id)
        # where it stands on each issue whose search finds it: suggestion and correction side by side
        positions = issues_module.statement_positions(conn, statement_id) if data["s"] is not None else []
    return html("statement.html", nav="statements", writable=bool(request.app.state.token), done=done,
                kinds=Q.KINDS, speaker_types=C.SPEAKER_TYPES, date_bases=C.DATE_BASES, sid=statement_id,
                positions=positions, position_choices=C.POSITIONS, **data)


@router.post("/statements/{statement_id}/correct")
def correct_form(request: Request, statement_id: str = PathParam(..., max_length=300),
                 field: str = Form(...), token: str | None = Form(None), value: str | None = Form(None),
                 speaker_type: str | None = Form(None), actor: str | None = Form(None),
                 date_basis: str | None = Form(None), note: str | None = Form(None),
                 issue: str | None = Form(None, max_length=80), back: str | None = Form(None, max_length=2000)):
    by = form_user(request, token)
    request.app.state.ledger.write(
        C.correct_statement, statement_id, field, (value or "").strip() or None, note=note, by=by,
        speaker_type=speaker_type or None, actor=(actor or "").strip() or None, date_basis=date_basis or None,
        issue=(issue or "").strip() or None if field == "position" else None)
    if _local(back):  # a form on another page (the issue page) goes back there
        return RedirectResponse(back, status_code=303)
    return RedirectResponse(f"/statements/{_quote(statement_id)}?done={field}", status_code=303)


@router.post("/corrections/{correction_id}/undo")
def undo_form(request: Request, correction_id: int = PathParam(..., ge=1), token: str | None = Form(None),
              back: str | None = Form(None)):
    by = form_user(request, token)
    c = request.app.state.ledger.write(C.undo, correction_id, by=by)
    return RedirectResponse(_back(back, c), status_code=303)


def _local(back: str | None) -> bool:
    """A path on this server (never another host: no `//host`, no scheme, no backslash)."""
    return bool(back) and back.startswith("/") and not back.startswith("//") and "\\" not in back


def _back(back: str | None, c: dict) -> str:
    if _local(back):
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
    field: str = Field(..., description="not_statement, speaker, kind, date or position")
    value: str | None = Field(None, description="speaker name, kind, date (YYYY-MM-DD / YYYY-MM; empty: unknown), "
                                                "or position (support, oppose, neutral; or ISSUE=POSITION)")
    issue: str | None = Field(None, max_length=80, description="for field position: the issue's name")
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
        speaker_type=body.speaker_type, actor=body.actor, date_basis=body.date_basis,
        issue=body.issue if body.field == "position" else None)


@api_router.post("/corrections/{correction_id}/undo", summary="Undo a correction (needs the token)",
                 dependencies=[Depends(require_token)])
def api_undo(request: Request, correction_id: int = PathParam(..., ge=1)) -> Any:
    return request.app.state.ledger.write(C.undo, correction_id, by=header_user(request))

