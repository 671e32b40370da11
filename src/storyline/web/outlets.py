"""Web pages and API for outlet profiles, what was left out, issues and positions, and the
discourse-network export (ledger/profiles.py, coverage.py, issues.py, network.py).

Pages: /outlets, /outlets/{name}, /outlets/statements (the statements behind any figure),
/left-out?cluster=ID, /issues (with the add form), /issues/{name} (actors × time heat strip,
statements with their suggested positions and evidence, network downloads).
API: /api/v1/outlets, /api/v1/outlets/{name}, /api/v1/left-out, /api/v1/issues (GET; POST and
DELETE need the server's token), /api/v1/issues/{name}, /api/v1/issues/{name}/network.
"""

from __future__ import annotations

import hmac
import io
import re
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from pydantic import BaseModel, Field

from storyline.errors import E, StorylineError
from storyline.ledger import coverage, issues, network, profiles
from storyline.ledger.corrections import POSITIONS as C_POSITIONS
from storyline.web import render
from storyline.web.api import require_token
from storyline.web.pages import PAGE, PER_PAGE, env, html
from storyline.web.queries import BadFilter

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["outlets and issues"])

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Filters of the main statements page (/statements) that mean the same as a profile selector.
MAIN_PAGE_KEYS = {"outlet", "since", "until", "actor", "hedged"}
ROWS_SHOWN = 100  # rows of the lag and left-out tables on the outlet page (the API and --json have all)
POSITION_FILL = {"support": "#2e7d4f", "oppose": "#b3261e", "neutral": "#8a8f98", "mixed": "#7b4fa0"}


def _date(name: str, value: str | None) -> str | None:
    if value is not None and value != "" and not DATE.match(value):
        raise BadFilter(name, f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value or None


def figure_href(selector: dict) -> str:
    """The page listing the statements behind a figure."""
    sel = {k: v for k, v in selector.items() if v is not None and v is not False}
    if set(sel) <= MAIN_PAGE_KEYS:
        return "/statements?" + render.qs({k: ("true" if v is True else v) for k, v in sel.items()})
    return "/outlets/statements?" + render.qs({k: ("true" if v is True else v) for k, v in sel.items()})


def outlet_href(name: str, **params) -> str:
    query = render.qs(params)
    return "/outlets/" + quote(name, safe="") + ("?" + query if query else "")


def issue_href(name: str, **params) -> str:
    query = render.qs(params)
    return "/issues/" + quote(name, safe="") + ("?" + query if query else "")


def dot(position: str) -> Markup:
    fill = POSITION_FILL.get(position, POSITION_FILL["neutral"])
    return Markup(f'<svg class="dot" width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">'
                  f'<circle cx="5" cy="5" r="5" fill="{fill}"/></svg>')


env.globals.update(figure_href=figure_href, outlet_href=outlet_href, issue_href=issue_href, position_dot=dot)


def heat_strip(name: str, timelines: list[dict], width: int = 960) -> Markup:
    """Actors × days: each cell's colour is the day's lean (support, oppose, both, neutral),
    its strength the number of statements; each cell links to those statements."""
    days = sorted({d for t in timelines for d in t["days"]})
    if not days:
        return Markup('<p class="muted">No dated statements on this issue.</p>')
    label_w, row_h, top = 190, 22, 30
    cell_w = max(6.0, min(40.0, (width - label_w - 10) / len(days)))
    height = top + row_h * len(timelines) + 6
    most = max(sum(c.values()) for t in timelines for c in t["days"].values())
    view_w = max(width, label_w + cell_w * len(days) + 10)
    parts = [(f'<svg class="chart heat" viewBox="0 0 {view_w:.0f} {height}" role="img" '
              f'aria-label="Statements on {escape(name)} per actor and day">')]
    every = max(1, len(days) // 10)
    for j, day in enumerate(days):
        if j % every == 0:
            parts.append(f'<text class="tick" x="{label_w + j * cell_w + cell_w / 2:.1f}" y="{top - 10}" '
                         f'text-anchor="middle">{escape(day[5:] or day)}</text>')
    for i, t in enumerate(timelines):
        y = top + i * row_h
        parts.append(f'<text class="tick" x="{label_w - 8}" y="{y + row_h * 0.68:.1f}" text-anchor="end">'
                     f'{escape(t["actor"][:28])}</text>')
        for j, day in enumerate(days):
            counts = t["days"].get(day)
            if not counts:
                continue
            n = sum(counts.values())
            lean = ("mixed" if counts["support"] and counts["oppose"] else "support" if counts["support"]
                    else "oppose" if counts["oppose"] else "neutral")
            opacity = 0.35 + 0.65 * n / most
            href = issue_href(name, actor=t["actor"], day=day) + "#statements"
            label = (f"{t['actor']}, {day}: {n} statement{'s' if n != 1 else ''} "
                     f"({counts['support']} support, {counts['oppose']} oppose, {counts['neutral']} neutral)")
            parts.append(f'<a href="{escape(href)}"><rect class="cell" x="{label_w + j * cell_w + 1:.1f}" '
                         f'y="{y + 2}" width="{cell_w - 2:.1f}" height="{row_h - 4}" rx="2" '
                         f'fill="{POSITION_FILL[lean]}" fill-opacity="{opacity:.2f}">'
                         f'<title>{escape(label)}</title></rect></a>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _selector(request: Request) -> dict:
    """A figure's selector from the query string, checked."""
    params = request.query_params
    sel: dict = {}
    for key in profiles.SELECTOR_KEYS:
        value = params.get(key)
        if value is None or value == "":
            continue
        if len(value) > 4000:
            raise BadFilter(key, "too long")
        if key in ("since", "until"):
            sel[key] = _date(key, value)
        elif key == "actor":
            if not value.isdigit():
                raise BadFilter(key, f"{value!r} is not an actor id")
            sel[key] = int(value)
        elif key in ("hedged", "no_speaker", "no_cue", "clustered"):
            sel[key] = value.lower() in ("1", "true", "yes")
        elif key == "ids":
            sel[key] = [v for v in value.split(",") if v][:500]
        else:
            sel[key] = value
    return sel


# --- pages ------------------------------------------------------------------------------

@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(request: Request, since: str | None = Query(None, max_length=10),
                 until: str | None = Query(None, max_length=10)):
    since, until = _date("since", since), _date("until", until)
    ledger = request.app.state.ledger
    with ledger.read() as conn:
        rows = ledger.cached(("outlets", since, until), lambda: profiles.outlets(conn, since, until))
    return html("outlets.html", nav="outlets", rows=rows, since=since or "", until=until or "")


@router.get("/outlets/statements", response_class=HTMLResponse)
def outlet_statements_page(request: Request, page: int = PAGE):
    sel = _selector(request)
    with request.app.state.ledger.read() as conn:
        total = profiles.count_statements(conn, **sel)
        rows = profiles.select_statements(conn, PER_PAGE, (page - 1) * PER_PAGE, **sel)
    last = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    params = {k: (",".join(v) if isinstance(v, list) else ("true" if v is True else v)) for k, v in sel.items()}
    return html("outlet_statements.html", nav="outlets", sel=sel, rows=rows, total=total,
                pages={"page": page, "last": last, "total": total}, params=params)


@router.get("/outlets/{name:path}", response_class=HTMLResponse)
def outlet_page(request: Request, name: str, since: str | None = Query(None, max_length=10),
                until: str | None = Query(None, max_length=10), top: int = Query(10, ge=1, le=100)):
    since, until = _date("since", since), _date("until", until)
    ledger = request.app.state.ledger
    with ledger.read() as conn:
        p = ledger.cached(("outlet", name, since, until, top), lambda: profiles.profile(conn, name, since, until, top))
    return html("outlet.html", nav="outlets", p=p, since=since or "", until=until or "", rows_shown=ROWS_SHOWN)


@router.get("/left-out", response_class=HTMLResponse)
def left_out_page(request: Request, cluster: str = Query(..., max_length=300)):
    with request.app.state.ledger.read() as conn:
        rows = coverage.left_out(conn, cluster_id=cluster)
        carried = coverage.carried_clusters(conn, cluster_id=cluster, min_outlets=1).get(cluster)
    return html("left_out.html", nav="outlets", rows=rows, cluster=cluster, carried=carried)


@router.get("/issues", response_class=HTMLResponse)
def issues_page(request: Request):
    with request.app.state.ledger.read() as conn:
        rows = issues.list_issues(conn)
    return html("issues.html", nav="issues", rows=rows, writable=bool(request.app.state.token), error=None, form={})


@router.post("/issues", response_class=HTMLResponse)
def issues_add_form(request: Request, name: str = Form(..., max_length=80), query: str = Form(..., max_length=2000),
                    description: str = Form("", max_length=500), token: str = Form("", max_length=500)):
    expected = request.app.state.token
    form = {"name": name, "query": query, "description": description}
    error = None
    if not expected:
        error = "This server is read-only. Start it with `storyline serve --token TOKEN` to add issues here."
    elif not hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8")):
        error = "The token does not match the server's token."
    else:
        try:
            issue = request.app.state.ledger.write(issues.add_issue, name, query, description or None)
            return RedirectResponse(issue_href(issue["name"]), status_code=303)
        except StorylineError as exc:
            error = f"[{exc.code}] {exc.message}"
    with request.app.state.ledger.read() as conn:
        rows = issues.list_issues(conn)
    return html("issues.html", status=400 if expected else 403, nav="issues", rows=rows, writable=bool(expected),
                error=error, form=form)


@router.get("/issues/{name}", response_class=HTMLResponse)
def issue_page(request: Request, name: str, actor: str | None = Query(None, max_length=300),
               day: str | None = Query(None, max_length=10), position: str | None = Query(None, max_length=10),
               since: str | None = Query(None, max_length=10), until: str | None = Query(None, max_length=10),
               page: int = PAGE):
    since, until, day = _date("since", since), _date("until", until), _date("day", day)
    if position and position not in ("support", "oppose", "neutral"):
        raise BadFilter("position", f"{position!r} is not support, oppose or neutral")
    ledger = request.app.state.ledger
    with ledger.read() as conn:
        issue = issues.get_issue(conn, name)
        items = ledger.cached(("issue", issue["name"], since, until),
                              lambda: issues.issue_positions(conn, issue["name"], since, until))
    timelines = issues.actor_timelines(items)
    shown = [i for i in items if (not actor or i["actor"] == actor) and (not day or i["day"] == day)
             and (not position or i["position"] == position)]
    last = max(1, (len(shown) + PER_PAGE - 1) // PER_PAGE)
    params = {k: v for k, v in {"actor": actor, "day": day, "position": position, "since": since,
                                 "until": until}.items() if v}
    return html("issue.html", nav="issues", issue=issue, timelines=timelines, strip=heat_strip(issue["name"], timelines),
                by_outlet=issues.outlet_breakdown(items),
                items=shown[(page - 1) * PER_PAGE:page * PER_PAGE], shown_total=len(shown), total=len(items),
                actor=actor, day=day, position=position, since=since or "", until=until or "",
                evidence_html=evidence_html, pages={"page": page, "last": last, "total": len(shown)}, params=params,
                base=issue_href(issue["name"]), writable=bool(request.app.state.token),
                position_choices=C_POSITIONS, here=issue_href(issue["name"], **params, page=page) + "#statements")


def evidence_html(item: dict) -> Markup:
    """The statement's frame with the evidence words marked (cue, negators, leaning words)."""
    ev = sorted(item["suggestion"]["evidence"], key=lambda e: e["start"])
    if not ev:
        return Markup('<span class="muted">no cue or leaning word: neutral by default</span>')
    return Markup(", ".join(f'<mark class="ev ev-{escape(e["role"])}" title="{escape(e["role"])}">'
                            f'{escape(e["text"])}</mark> <span class="count">{escape(e["role"])}</span>' for e in ev))


# --- API --------------------------------------------------------------------------------

class IssueIn(BaseModel):
    name: str = Field(..., max_length=80)
    query: str = Field(..., max_length=2000)
    description: str | None = Field(None, max_length=500)
    replace: bool = False


@api.get("/outlets", summary="Outlets with their articles, statements and first and last statement day")
def api_outlets(request: Request, since: str | None = Query(None, max_length=10),
                until: str | None = Query(None, max_length=10)):
    with request.app.state.ledger.read() as conn:
        return {"outlets": profiles.outlets(conn, _date("since", since), _date("until", until))}


@api.get("/outlets/{name:path}", summary="An outlet's profile: whom it quotes, verbs, hedges, relays, lag, omissions")
def api_outlet(request: Request, name: str, since: str | None = Query(None, max_length=10),
               until: str | None = Query(None, max_length=10), top: int = Query(10, ge=1, le=100)):
    with request.app.state.ledger.read() as conn:
        return profiles.profile(conn, name, _date("since", since), _date("until", until), top)


@api.get("/left-out", summary="Outlets that covered the story that day but did not carry a statement cluster")
def api_left_out(request: Request, cluster: str | None = Query(None, max_length=300),
                 outlet: str | None = Query(None, max_length=300)):
    with request.app.state.ledger.read() as conn:
        return {"left_out": coverage.left_out(conn, outlet=outlet, cluster_id=cluster)}


@api.get("/issues", summary="Issues (named searches) with statement counts and positions")
def api_issues(request: Request):
    with request.app.state.ledger.read() as conn:
        return {"issues": issues.list_issues(conn)}


@api.post("/issues", summary="Add an issue (needs the server's token)", dependencies=[Depends(require_token)],
          status_code=201)
def api_issue_add(request: Request, body: IssueIn):
    return request.app.state.ledger.write(issues.add_issue, body.name, body.query, body.description,
                                          replace=body.replace)


@api.delete("/issues/{name}", summary="Remove an issue (needs the server's token)",
            dependencies=[Depends(require_token)])
def api_issue_remove(request: Request, name: str):
    request.app.state.ledger.write(issues.remove_issue, name)
    return {"removed": name}


@api.get("/issues/{name}", summary="An issue: its actors' timelines and each statement's position with evidence")
def api_issue(request: Request, name: str, since: str | None = Query(None, max_length=10),
              until: str | None = Query(None, max_length=10)):
    with request.app.state.ledger.read() as conn:
        issue = issues.get_issue(conn, name)
        items = issues.issue_positions(conn, issue["name"], _date("since", since), _date("until", until))
    return {"issue": issue, "actors": issues.actor_timelines(items), "outlets": issues.outlet_breakdown(items),
            "statements": items}


@api.get("/issues/{name}/network", summary="The issue's discourse network as CSV or GraphML")
def api_issue_network(request: Request, name: str, format: str = Query("csv", pattern="^(csv|graphml)$"),
                      graph: str | None = Query(None, pattern="^(statements|bipartite|congruence)$")):
    graph = graph or ("statements" if format == "csv" else "bipartite")
    if format == "graphml" and graph == "statements":
        raise StorylineError(E.BAD_OPTION, option="graph", detail="GraphML takes bipartite or congruence")
    with request.app.state.ledger.read() as conn:
        issue = issues.get_issue(conn, name)
        rows = network.edges(conn, [issue["name"]])
    out = io.StringIO()
    if format == "csv":
        network.write_csv(out, rows, None if graph == "statements" else graph)
    else:
        network.write_graphml(out, rows, graph)
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", issue["name"]).strip("-") or "issue"
    media = "text/csv; charset=utf-8" if format == "csv" else "application/graphml+xml; charset=utf-8"
    return Response(out.getvalue(), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{slug}-{graph}.{format}"'})


def register(app) -> None:
    """Add these pages and endpoints to the app (called by web/app.py)."""
    app.include_router(api)
    app.include_router(router)


