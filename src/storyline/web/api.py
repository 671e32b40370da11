"""JSON API under /api/v1: the same filters as the pages, lists paginated, exports streamed.

Every list takes `format=json|csv|jsonl`; csv and jsonl stream every matching row from a
cursor (no row cap, limit/offset ignored), as do the `/export` endpoints. Errors share
one shape: {"error": {"code", "message", "status"}}.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path as PathParam, Query, Request, UploadFile
from fastapi.responses import StreamingResponse

from storyline.web import overview as O
from storyline.web import queries as Q
from storyline.web.ledger import Ledger
from storyline.web.guard import token_problem

router = APIRouter(prefix="/api/v1", tags=["ledger"])

Format = Literal["json", "csv", "jsonl"]
FORMAT = Query("json", description="json (paginated), or csv / jsonl: every matching row, streamed.")
# Whole numbers from the query string or path stay below 2^63 (SQLite's integers): a
# larger one is a 422 (or, for ids, nothing to find), never an OverflowError.
MAX_INT = 2**63 - 1
LIMIT = Query(50, ge=1, le=1000, description="Rows per page (JSON only).")
OFFSET = Query(0, ge=0, le=MAX_INT, description="Rows to skip (JSON only).")
EXPORT_FORMAT = Query("jsonl", description="csv or jsonl.")
STREAM_CHUNK = 500  # rows per chunk written to the response
# Uploaded files wait here, named by content hash, while they are ingested.
UPLOADS = Path(tempfile.gettempdir()) / "storyline-uploads"


def ledger_of(request: Request) -> Ledger:
    return request.app.state.ledger


# --- filters shared with the pages ---------------------------------------------------


def statement_filters(
    speaker: str | None = Query(None, description="Speaker: any name or alias of an actor, a surname, or the "
                                                  "speaker as printed (case-blind)."),
    actor: str | None = Query(None, description="Actor id (includes actors merged into it)."),
    outlet: str | None = Query(None, description="The article's outlet (case-blind)."),
    since: str | None = Query(None, description="From this date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive."),
    until: str | None = Query(None, description="Up to this date, inclusive (a month covers all its days)."),
    kind: str | None = Query(None, description="direct, indirect or mixed."),
    hedged: str | None = Query(None, description="1 for hedged statements only, 0 for unhedged only."),
    q: str | None = Query(None, description='Words to find (all must occur; "a phrase" in quotes; word* prefix).'),
    article: str | None = Query(None, description="Only statements from this article id."),
    cluster: str | None = Query(None, description="Only statements in this cluster (the same statement elsewhere)."),
    min_confidence: str | None = Query(None, description="Only statements with at least this confidence (0 to 1)."),
    speaker_type: str | None = Query(None, description="person, organization, media, anonymous or unknown."),
    via: str | None = Query(None, description="An outlet or agency the statement came through (case-blind)."),
) -> Q.StatementFilters:
    return Q.parse_statement_filters(dict(
        speaker=speaker, actor=actor, outlet=outlet, since=since, until=until, kind=kind, hedged=hedged, q=q,
        article=article, cluster=cluster, min_confidence=min_confidence, speaker_type=speaker_type, via=via))


def event_filters(
    actor: str | None = Query(None, description="An actor (name or alias) among the event's actors or recipients."),
    type: str | None = Query(None, description="PLOVER event type, e.g. CONSULT, AGREE, ACCUSE."),
    outlet: str | None = Query(None, description="The article's outlet (case-blind)."),
    since: str | None = Query(None, description="From this date, inclusive."),
    until: str | None = Query(None, description="Up to this date, inclusive."),
    article: str | None = Query(None, description="Only events from this article id."),
    cluster: str | None = Query(None, description="Only events in this cluster (the same real-world event)."),
) -> Q.EventFilters:
    return Q.parse_event_filters(dict(actor=actor, type=type, outlet=outlet, since=since, until=until,
                                      article=article, cluster=cluster))


def article_filters(
    outlet: str | None = Query(None, description="Outlet (case-blind)."),
    since: str | None = Query(None, description="Published on or after this date."),
    until: str | None = Query(None, description="Published on or before this date."),
    q: str | None = Query(None, description="Words to find in the title or text."),
    language: str | None = Query(None, description="Language code, e.g. en."),
) -> Q.ArticleFilters:
    return Q.parse_article_filters(dict(outlet=outlet, since=since, until=until, q=q, language=language))


# --- streaming -------------------------------------------------------------------------


def _flat(value):
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def stream(ledger: Ledger, rows_of: Callable, fmt: str, fields: list[str], name: str) -> StreamingResponse:
    """Stream every row `rows_of(conn)` yields as CSV or JSONL from its own connection.

    The query runs (and can fail with a proper error) before the response starts.
    """
    conn = ledger.connect()
    try:
        rows = iter(rows_of(conn))
        first = next(rows, None)
    except BaseException:
        conn.close()
        raise

    def lines() -> Iterator[str]:
        try:
            buffer = io.StringIO()
            writer = csv.writer(buffer) if fmt == "csv" else None
            if writer:
                writer.writerow(fields)
            count = 0
            row = first
            while row is not None:
                if writer:
                    writer.writerow([_flat(row.get(f)) for f in fields])
                else:
                    buffer.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
                if count % STREAM_CHUNK == 0:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
                row = next(rows, None)
            yield buffer.getvalue()
        finally:
            conn.close()

    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8"
    return StreamingResponse(lines(), media_type=media,
                             headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def page(total: int, items: list, limit: int, offset: int) -> dict:
    return {"total": total, "limit": limit, "offset": offset, "items": items,
            "next_offset": offset + limit if offset + limit < total else None}


# --- articles -------------------------------------------------------------------------


@router.get("/articles", summary="List articles")
def api_articles(request: Request, f: Q.ArticleFilters = Depends(article_filters), limit: int = LIMIT,
                 offset: int = OFFSET, format: Format = FORMAT):
    ledger = ledger_of(request)
    if format != "json":
        return stream(ledger, lambda c: Q.iter_articles(c, f), format, Q.ARTICLE_FIELDS, "articles")
    with ledger.read() as conn:
        return page(Q.count_articles(conn, f), Q.list_articles(conn, f, limit, offset), limit, offset)


@router.get("/articles/export", summary="Export articles (streamed)")
def api_articles_export(request: Request, f: Q.ArticleFilters = Depends(article_filters),
                        format: Literal["csv", "jsonl"] = EXPORT_FORMAT):
    return stream(ledger_of(request), lambda c: Q.iter_articles(c, f), format, Q.ARTICLE_FIELDS, "articles")


@router.get("/articles/{article_id}", summary="One article: text, segments, statements, events, sources")
def api_article(request: Request, article_id: str = PathParam(..., max_length=200)):
    with ledger_of(request).read() as conn:
        return Q.article(conn, article_id)


# --- statements -----------------------------------------------------------------------


@router.get("/statements", summary="List statements (filters, full-text search, facets)")
def api_statements(request: Request, f: Q.StatementFilters = Depends(statement_filters), limit: int = LIMIT,
                   offset: int = OFFSET, format: Format = FORMAT,
                   facets: bool = Query(False, description="Also count by speaker, outlet and kind.")):
    ledger = ledger_of(request)
    if format != "json":
        return stream(ledger, lambda c: Q.iter_statements(c, f), format, Q.STATEMENT_FIELDS, "statements")
    with ledger.read() as conn:
        total = ledger.cached(("count", f), lambda: Q.count_statements(conn, f))
        body = page(total, Q.list_statements(conn, f, limit, offset), limit, offset)
        if facets:
            body["facets"] = ledger.cached(("facets", f), lambda: Q.statement_facets(conn, f, total=total))
    return body


@router.get("/statements/export", summary="Export statements (streamed)")
def api_statements_export(request: Request, f: Q.StatementFilters = Depends(statement_filters),
                          format: Literal["csv", "jsonl"] = EXPORT_FORMAT):
    return stream(ledger_of(request), lambda c: Q.iter_statements(c, f), format, Q.STATEMENT_FIELDS, "statements")


@router.get("/statements/{statement_id}/compare", summary="Every outlet's wording of this statement")
def api_statement_compare(request: Request, statement_id: str = PathParam(..., max_length=300)):
    with ledger_of(request).read() as conn:
        items = Q.statement_cluster(conn, statement_id)
    return {"cluster_id": items[0]["cluster_id"], "items": items}


@router.get("/statements/{statement_id}", summary="One statement")
def api_statement(request: Request, statement_id: str = PathParam(..., max_length=300)):
    with ledger_of(request).read() as conn:
        return Q.statement(conn, statement_id)


# --- actors ---------------------------------------------------------------------------


@router.get("/actors", summary="List actors (the registry), most quoted first")
def api_actors(request: Request, q: str | None = Query(None, description="Part of a name or alias."),
               limit: int = LIMIT, offset: int = OFFSET, format: Format = FORMAT,
               prefix: str | None = Query(None, max_length=100, description="Suggestions: actors with a name, "
                                          "alias or word in them starting with this (any case).")):
    ledger = ledger_of(request)
    if prefix and format == "json":
        from storyline.web.workbench_queries import suggest_actors

        with ledger.read() as conn:
            items = suggest_actors(conn, prefix, limit)
        return page(len(items), items, limit, 0)
    if format != "json":
        return stream(ledger, lambda c: O.iter_actors(c, q), format, O.ACTOR_FIELDS, "actors")
    with ledger.read() as conn:
        total, items = O.list_actors(conn, q, limit, offset)
    return page(total, items, limit, offset)


@router.get("/actors/export", summary="Export actors (streamed)")
def api_actors_export(request: Request, q: str | None = Query(None), format: Literal["csv", "jsonl"] = EXPORT_FORMAT):
    return stream(ledger_of(request), lambda c: O.iter_actors(c, q), format, O.ACTOR_FIELDS, "actors")


@router.get("/actors/{actor_id}", summary="One actor: aliases, roles, statements over time, events")
def api_actor(request: Request, actor_id: int = PathParam(..., ge=0, le=MAX_INT)):
    with ledger_of(request).read() as conn:
        return O.actor(conn, actor_id)


# --- events and timeline ------------------------------------------------------------


@router.get("/events", summary="List events")
def api_events(request: Request, f: Q.EventFilters = Depends(event_filters), limit: int = LIMIT,
               offset: int = OFFSET, format: Format = FORMAT):
    ledger = ledger_of(request)
    if format != "json":
        return stream(ledger, lambda c: Q.iter_events(c, f), format, Q.EVENT_FIELDS, "events")
    with ledger.read() as conn:
        return page(Q.count_events(conn, f), Q.list_events(conn, f, limit, offset), limit, offset)


@router.get("/events/export", summary="Export events (streamed)")
def api_events_export(request: Request, f: Q.EventFilters = Depends(event_filters),
                      format: Literal["csv", "jsonl"] = EXPORT_FORMAT):
    return stream(ledger_of(request), lambda c: Q.iter_events(c, f), format, Q.EVENT_FIELDS, "events")


@router.get("/events/{event_id}/compare", summary="Every outlet's report of this event")
def api_event_compare(request: Request, event_id: str = PathParam(..., max_length=300)):
    with ledger_of(request).read() as conn:
        items = Q.event_cluster(conn, event_id)
    return {"cluster_id": items[0]["cluster_id"], "items": items}


@router.get("/timeline", summary="Events (one point per cluster) and statements per day")
def api_timeline(request: Request, f: Q.EventFilters = Depends(event_filters), format: Format = FORMAT,
                 flagged: bool = Query(False, description="Also draw hypothetical and negated reports.")):
    """JSON: dated event points (what happened; with `flagged`, also what was proposed,
    sought or denied), undated events, statements per day. csv/jsonl: the events themselves."""
    ledger = ledger_of(request)
    if format != "json":
        return stream(ledger, lambda c: Q.iter_events(c, f), format, Q.EVENT_FIELDS, "timeline")
    with ledger.read() as conn:
        return ledger.cached(("timeline", f, flagged), lambda: Q.timeline(conn, f, flagged=flagged))


# --- errors ---------------------------------------------------------------------------


@router.get("/errors", summary="Inputs that failed to ingest, with their reasons")
def api_errors(request: Request, limit: int = LIMIT, offset: int = OFFSET, format: Format = FORMAT):
    ledger = ledger_of(request)
    if format != "json":
        return stream(ledger, O.iter_errors, format, O.ERROR_FIELDS, "errors")
    with ledger.read() as conn:
        return page(O.count_errors(conn), O.list_errors(conn, limit, offset), limit, offset)


@router.get("/errors/export", summary="Export ingest errors (streamed)")
def api_errors_export(request: Request, format: Literal["csv", "jsonl"] = EXPORT_FORMAT):
    return stream(ledger_of(request), O.iter_errors, format, O.ERROR_FIELDS, "errors")


# --- ingest (only with a token) -----------------------------------------------------


def _deny(status: int, code: str, message: str):
    raise HTTPException(status_code=status, detail={"code": code, "message": message})


def require_token(request: Request) -> None:
    """The token and read-only checks (also made before the body is read: web/guard.py)."""
    problem = token_problem(request.app.state.token, request.headers)
    if problem is not None:
        _deny(*problem)


def _safe_name(name: str | None, index: int) -> str:
    """The uploaded file's own name, reduced to a safe base name (no folders, no `..`)."""
    base = Path((name or "").replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")
    return base[:120] or f"upload-{index}.txt"


def _spool_upload(upload: UploadFile, index: int, spool: Path) -> tuple[Path, str, str]:
    """Write an upload to this request's spool folder: (path, content hash, safe name)."""
    path = spool / f"part-{index}"
    digest = hashlib.sha256()
    with path.open("wb") as out:
        while chunk := upload.file.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    return path, digest.hexdigest()[:16], _safe_name(upload.filename, index)


def _ingest_job(spooled: list[tuple[Path, str, str]], urls: list[str], options):
    """Runs on the writer thread, one job at a time: each upload goes to
    UPLOADS/<content hash>/<name> (so the same file uploaded again is the same source,
    recognised instead of added again), is ingested, and removed. The ledger then names
    it `upload:<content hash>/<name>`, never by the server's folder."""
    from storyline import ingest as ingest_module

    def job(store):
        placed = []
        try:
            for path, digest, name in spooled:
                target = UPLOADS / digest / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(path), target)
                placed.append(target)
            report = ingest_module.ingest([str(p) for p in placed] + urls, options, store=store)
            if placed:
                _name_uploads(store)
            return report
        finally:
            for target in placed:
                target.unlink(missing_ok=True)
                try:
                    target.parent.rmdir()
                except OSError:
                    pass

    return job


@router.post("/ingest", summary="Ingest uploaded files and/or URLs (needs the server's token)",
             dependencies=[Depends(require_token)])
def api_ingest(request: Request, files: list[UploadFile] | None = File(None), urls: list[str] | None = Form(None)):
    """Runs `storyline.ingest.ingest` on the single writer thread; reads go on meanwhile."""
    from storyline.settings import Options

    urls = [u.strip() for u in (urls or []) if u and u.strip()]
    bad = [u for u in urls if not re.match(r"^https?://", u, re.IGNORECASE)]
    if bad:
        _deny(400, "BAD_OPTION", f"Invalid value for urls: {bad[0]!r} is not an http(s) URL.")
    if not files and not urls:
        _deny(400, "BAD_OPTION", "Invalid value for files/urls: send at least one file or URL.")
    ledger = ledger_of(request)
    options = Options(db=ledger.path, block_private_urls=not request.app.state.allow_private_urls)
    spool = Path(tempfile.mkdtemp(prefix="storyline-upload-"))
    try:
        spooled = [_spool_upload(upload, i, spool) for i, upload in enumerate(files or [])]
        report = ledger.write(_ingest_job(spooled, urls, options))
    finally:
        shutil.rmtree(spool, ignore_errors=True)
    return _without_paths(report.to_dict(), [str(spool), str(UPLOADS)])


def _name_uploads(store) -> None:
    """Rename the sources of uploads in the ledger from UPLOADS/<hash>/<name> (where they
    were read) to upload:<hash>/<name>, in articles, their sources and error rows."""
    prefix = str(UPLOADS) + "/"
    n = len(prefix)
    with store.transaction() as conn:
        conn.execute("UPDATE OR IGNORE article_sources SET source = 'upload:' || substr(source, ?) "
                     "WHERE substr(source, 1, ?) = ?", (n + 1, n, prefix))
        conn.execute("DELETE FROM article_sources WHERE substr(source, 1, ?) = ?", (n, prefix))  # known already
        conn.execute("UPDATE articles SET source = 'upload:' || substr(source, ?) WHERE substr(source, 1, ?) = ?",
                     (n + 1, n, prefix))
        conn.execute("UPDATE OR REPLACE errors SET source = 'upload:' || substr(source, ?), "
                     "message = replace(message, ?, 'upload:') WHERE substr(source, 1, ?) = ?",
                     (n + 1, prefix, n, prefix))


def _without_paths(value, prefixes: list[str]):
    """`value` with every server folder in its strings replaced by `upload:` (the report
    names uploads as the ledger does: upload:<content hash>/<name>)."""
    if isinstance(value, str):
        for prefix in prefixes:
            value = re.sub(re.escape(prefix) + r"[/\\]", "upload:", value)
        return value
    if isinstance(value, list):
        return [_without_paths(v, prefixes) for v in value]
    if isinstance(value, dict):
        return {_without_paths(k, prefixes): _without_paths(v, prefixes) for k, v in value.items()}
    return value
