"""Server-rendered pages (Jinja2, autoescape on) over the same queries as the API."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Path as PathParam, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from storyline.web import overview as O
from storyline.web import queries as Q
from storyline.web import render
from storyline.web.api import article_filters, event_filters, statement_filters

HERE = Path(__file__).parent
PER_PAGE = 50
TIMELINE_TABLE_ROWS = 300  # events listed under the timeline chart (the chart and downloads have all)

env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True, lstrip_blocks=True,
)
env.globals.update(
    qs=render.qs, article_href=render.article_href, mark_terms=render.mark_terms, speaker_href=render.speaker_href, safe_url=render.safe_url,
)
from storyline.stages.statements.quotes import display_text  # noqa: E402

env.globals["display_text"] = display_text  # an interrupted quote's parts with " … " between them
env.filters["short"] = lambda value, n=16: (value or "")[:n]

router = APIRouter(include_in_schema=False)


def html(name: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(env.get_template(name).render(**context), status_code=status)


def error_page(request: Request, status: int, code: str, message: str) -> HTMLResponse:
    return html("error.html", status=status, status_code=status, code=code, message=message, nav="")


def _pages(total: int, page: int) -> dict:
    last = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    return {"page": page, "last": last, "total": total, "first_row": (page - 1) * PER_PAGE + 1 if total else 0,
            "last_row": min(total, page * PER_PAGE)}


PAGE = Query(1, ge=1, le=1_000_000, description="Page number")


@router.get("/", response_class=HTMLResponse)
def overview(request: Request):
    ledger = request.app.state.ledger
    with ledger.read() as conn:
        data = ledger.cached(("overview",), lambda: O.overview(conn))
    return html("overview.html", nav="overview", o=data)


@router.get("/statements", response_class=HTMLResponse)
def statements(request: Request, f: Q.StatementFilters = Depends(statement_filters), page: int = PAGE):
    from storyline.web import workbench_queries

    ledger = request.app.state.ledger
    with ledger.read() as conn:
        total = ledger.cached(("count", f), lambda: Q.count_statements(conn, f))
        rows = Q.list_statements(conn, f, PER_PAGE, (page - 1) * PER_PAGE)
        facets = ledger.cached(("facets", f), lambda: Q.statement_facets(conn, f, total=total))
        outlets = ledger.cached(("outlets",), lambda: O.outlets(conn))
        actor_name = Q.actor_name(conn, f.actor) if f.actor is not None else None
        by_day = ledger.cached(("by_day", f), lambda: Q.statements_by_day(conn, f)[0])
        more = ledger.cached(("more_facets", f), lambda: workbench_queries.more_facets(conn, f))
    chart = render.bar_chart(by_day, f.as_params(), height=120)
    return html("statements.html", nav="statements", f=f, rows=rows, facets=facets, outlets=outlets,
                actor_name=actor_name, chart=chart, more=more,
                kinds=Q.KINDS, pages=_pages(total, page), params=f.as_params())


@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request, f: Q.ArticleFilters = Depends(article_filters), page: int = PAGE):
    with request.app.state.ledger.read() as conn:
        total = Q.count_articles(conn, f)
        rows = Q.list_articles(conn, f, PER_PAGE, (page - 1) * PER_PAGE)
        outlets = O.outlets(conn)
    return html("articles.html", nav="articles", f=f, rows=rows, outlets=outlets, pages=_pages(total, page),
                params=f.as_params())


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: str, highlight: str | None = Query(None, max_length=40)):
    with request.app.state.ledger.read() as conn:
        a = Q.article(conn, article_id)
    if a["id"] != article_id:  # a short id: go to the article's own address
        query = ("?" + render.qs({"highlight": highlight})) if highlight else ""
        return RedirectResponse(render.article_href(a["id"]) + query, status_code=307)
    target = render.parse_highlight(highlight)
    speakers: dict[str, int] = {}
    for s in a["statements"]:
        name = s["speaker"] or "unknown speaker"
        speakers[name] = speakers.get(name, 0) + 1
    return html("article.html", nav="articles", a=a, body=render.render_article(a, target),
                highlight=f"{target[0]}-{target[1]}-{target[2]}" if target else "",
                speakers=sorted(speakers.items(), key=lambda kv: -kv[1]))


@router.get("/actors", response_class=HTMLResponse)
def actors(request: Request, q: str | None = Query(None, max_length=200), page: int = PAGE):
    with request.app.state.ledger.read() as conn:
        total, rows = O.list_actors(conn, q, PER_PAGE, (page - 1) * PER_PAGE)
        speakers = O.top_speakers(conn, 30) if not total and not q else []
    return html("actors.html", nav="actors", q=q or "", rows=rows, speakers=speakers, pages=_pages(total, page),
                params={"q": q} if q else {})


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor(request: Request, actor_id: int = PathParam(..., ge=0, le=2**63 - 1)):
    with request.app.state.ledger.read() as conn:
        a = O.actor(conn, actor_id)
        recent = Q.list_statements(conn, Q.StatementFilters(actor=actor_id), 20, 0)
    chart = render.bar_chart(a["statements_by_day"], {"actor": actor_id})
    return html("actor.html", nav="actors", a=a, chart=chart, recent=recent, writable=bool(request.app.state.token))


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request, f: Q.EventFilters = Depends(event_filters), flagged: bool = Query(False)):
    ledger = request.app.state.ledger
    with ledger.read() as conn:
        data = ledger.cached(("timeline", f, flagged), lambda: Q.timeline(conn, f, flagged=flagged))
        types = Q.event_types(conn)
        outlets = O.outlets(conn)
    chart = render.timeline_chart(data, f.as_params())
    return html("timeline.html", nav="timeline", f=f, data=data, chart=chart, types=types, outlets=outlets,
                table_rows=TIMELINE_TABLE_ROWS)


@router.get("/compare", response_class=HTMLResponse)
def compare(request: Request, statement: str | None = Query(None, max_length=300),
            event: str | None = Query(None, max_length=300)):
    if not statement and not event:
        raise Q.BadFilter("statement/event", "give ?statement=ID or ?event=ID")
    with request.app.state.ledger.read() as conn:
        if statement:
            items, what = Q.statement_cluster(conn, statement), "statement"
        else:
            items, what = Q.event_cluster(conn, event), "event"
    outlets: dict[str, list[dict]] = {}
    for item in items:
        outlets.setdefault(item["outlet"] or "(unknown outlet)", []).append(item)
    return html("compare.html", nav="", what=what, items=items, outlets=outlets,
                cluster_id=items[0]["cluster_id"], first_outlet=items[0]["outlet"] or "(unknown outlet)",
                diff_words=render.diff_words)


@router.get("/errors", response_class=HTMLResponse)
def errors(request: Request, page: int = PAGE):
    with request.app.state.ledger.read() as conn:
        total = O.count_errors(conn)
        rows = O.list_errors(conn, PER_PAGE, (page - 1) * PER_PAGE)
    return html("errors.html", nav="errors", rows=rows, pages=_pages(total, page), params={})


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request):
    """API reference rendered from the OpenAPI schema (no CDN, no script)."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "description": op.get("description", ""),
                              "params": op.get("parameters", [])})
    return html("docs.html", nav="docs", endpoints=endpoints, info=schema.get("info", {}))


@router.get("/redoc", include_in_schema=False)
def redoc():
    return RedirectResponse("/docs")
