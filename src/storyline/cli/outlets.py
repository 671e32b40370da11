"""Commands for outlet profiles, issues and positions, and the discourse-network export."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from storyline.cli.app import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    app,
    console,
    eval_app,
    export_app,
    handle_errors,
)
from storyline.errors import E, StorylineError
from storyline.settings import default_db

issues_app = typer.Typer(help="Issues: named searches, the actors who spoke on them and their positions.",
                         no_args_is_help=True)
app.add_typer(issues_app, name="issues")

SinceOption = Annotated[str | None, typer.Option(help="Earliest statement date (YYYY-MM-DD), inclusive.")]
UntilOption = Annotated[str | None, typer.Option(help="Latest statement date (YYYY-MM-DD), inclusive.")]


def _conn(db: str):
    from storyline.ledger.store import connect

    return connect(db or default_db(), readonly=True)


def _store(db: str):
    from storyline.ledger.store import Store

    return Store(db or default_db())


def _pct(value) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def _dump(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


# --- storyline outlets ----------------------------------------------------------------------

@app.command("outlets")
@handle_errors
def outlets_cmd(
    name: Annotated[str | None, typer.Argument(help="An outlet; without it, every outlet with its counts.")] = None,
    db: DbOption = DEFAULT_DB,
    since: SinceOption = None,
    until: UntilOption = None,
    top: Annotated[int, typer.Option(help="How many top actors (and their cue tables) to show.")] = 10,
    json_out: JsonOption = False,
) -> None:
    """How each outlet told it: whom it quotes, its verbs, hedges, relays, speed, omissions."""
    from storyline.ledger import profiles

    conn = _conn(db)
    if not name:
        rows = profiles.outlets(conn, since, until)
        if json_out:
            return _dump(rows)
        table = Table("outlet", "articles", "statements", "first", "last")
        for r in rows:
            table.add_row(r["outlet"], str(r["articles"]), str(r["statements"]), r["first"] or "", r["last"] or "")
        console.print(table)
        return
    p = profiles.profile(conn, name, since, until, top=top)
    if json_out:
        return _dump(p)
    _print_profile(p)


def _print_profile(p: dict) -> None:
    period = f" {p['since'] or '…'} – {p['until'] or '…'}" if p["since"] or p["until"] else ""
    console.print(f"[bold]{p['outlet']}[/]{period}: {p['statements']} statements in {p['articles']} articles "
                  f"(corpus {p['corpus_statements']})", highlight=False)
    t = Table("top actors", "type", "statements", "share", title="Who it quotes")
    for a in p["top_actors"]:
        t.add_row(a["name"], a["type"] or "", str(a["count"]), _pct(a["share"]))
    console.print(t)
    t = Table("speaker type", "statements", "share", "corpus share")
    for s in p["speaker_types"]:
        t.add_row(s["speaker_type"], str(s["count"]), _pct(s["share"]), _pct(s["corpus_share"]))
    console.print(t)
    console.print(f"anonymous: {p['anonymous']['count']} ({_pct(p['anonymous']['share'])}; corpus "
                  f"{_pct(p['anonymous']['corpus_share'])}) · hedged: {p['hedged']['count']} "
                  f"({_pct(p['hedged']['share'])}; corpus {_pct(p['hedged']['corpus_share'])})", highlight=False)
    places = {x["place"] for x in p["places"]}
    t = Table("affiliation", "place", "statements", "share", title="Affiliations of its sources")
    for a in p["affiliations"]:
        t.add_row(a["affiliation"], "yes" if a["affiliation"] in places else "", str(a["count"]), _pct(a["share"]))
    console.print(t)
    t = Table("cue", "statements", "share", "corpus share", title="Attribution verbs")
    for c in p["cues"]:
        t.add_row(c["cue"] or "(none)", str(c["count"]), _pct(c["share"]), _pct(c["corpus_share"]))
    console.print(t)
    loaded = p["loaded"]
    console.print(f"loaded verbs ({', '.join(loaded['cues'][:6])}, …): {loaded['count']} ({_pct(loaded['share'])}; "
                  f"corpus {_pct(loaded['corpus_share'])})", highlight=False)
    t = Table("speaker", "loaded verbs here", "share", "this speaker, all outlets", title="Loaded verbs per speaker")
    for s in loaded["speakers"]:
        t.add_row(s["name"], str(s["count"]), _pct(s["share"]), _pct(s["corpus_share"]))
    console.print(t)
    t = Table("speaker", "cue", "here", "share", "this speaker, all outlets", title="Verbs per speaker")
    for s in p["cues_by_speaker"]:
        for c in s["cues"]:
            t.add_row(s["name"], c["cue"] or "(none)", str(c["count"]), _pct(c["share"]), _pct(c["corpus_share"]))
    console.print(t)
    if p["via"]:
        t = Table("relays (via)", "statements", "share")
        for v in p["via"]:
            t.add_row(v["via"] + (" (itself)" if v["own"] else ""), str(v["count"]), _pct(v["share"]))
        console.print(t)
    lag = p["lag"]
    console.print(f"clustered statements: {lag['clustered']}, first reports {lag['first_reports']}, median lag "
                  f"{lag['median_days']} day(s) / {lag['median_hours']} hour(s) (unknown: {lag['unknown']})",
                  highlight=False)
    if p["left_out"]:
        t = Table("left out", "speaker", "carried by", "its articles that day", "why", title="What it left out")
        for x in p["left_out"]:
            whys = sorted({r["why"] for a in x["articles"] for r in a["reasons"]})
            t.add_row(x["text"][:100], x["speaker"] or "?", ", ".join(x["carried_by"]),
                      ", ".join(a["article_id"][:8] for a in x["articles"]), ", ".join(whys))
        console.print(t)


# --- storyline issues ---------------------------------------------------------------------

@issues_app.command("add")
@handle_errors
def issues_add_cmd(
    name: Annotated[str, typer.Argument(help="The issue's name, e.g. ceasefire.")],
    query: Annotated[str, typer.Argument(help="Its search: 'ceasefire OR truce OR \"cessation of hostilities\"'.")],
    db: DbOption = DEFAULT_DB,
    description: Annotated[str | None, typer.Option(help="A note on what the issue covers.")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace an issue of that name.")] = False,
) -> None:
    """Define an issue as a named search and suggest positions for its statements."""
    from storyline.ledger import issues

    with _store(db) as store:
        issue = issues.add_issue(store, name, query, description, replace=replace)
        n = issues.check_query(store.conn, issue["query"])
    console.print(f"issue {issue['name']!r}: {n} statement(s) match; positions suggested", highlight=False)


@issues_app.command("list")
@handle_errors
def issues_list_cmd(db: DbOption = DEFAULT_DB, json_out: JsonOption = False) -> None:
    """List the issues with their statement counts and suggested positions."""
    from storyline.ledger import issues

    rows = issues.list_issues(_conn(db))
    if json_out:
        return _dump(rows)
    table = Table("issue", "search", "statements", "support", "oppose", "neutral")
    for r in rows:
        table.add_row(r["name"], r["query"], str(r["statements"]), *(str(r["positions"][k])
                                                                     for k in ("support", "oppose", "neutral")))
    console.print(table)


@issues_app.command("show")
@handle_errors
def issues_show_cmd(
    name: Annotated[str, typer.Argument(help="The issue's name.")],
    db: DbOption = DEFAULT_DB,
    since: SinceOption = None,
    until: UntilOption = None,
    json_out: JsonOption = False,
) -> None:
    """Who spoke on an issue, when and how often, each statement's position and its evidence."""
    from storyline.ledger import issues

    conn = _conn(db)
    issue = issues.get_issue(conn, name)
    items = issues.issue_positions(conn, issue["name"], since, until)
    timelines = issues.actor_timelines(items)
    if json_out:
        return _dump({"issue": issue, "actors": timelines, "outlets": issues.outlet_breakdown(items),
                      "statements": items})
    t = Table("actor", "statements", "reports", "first", "last", "support", "oppose", "neutral",
              title=f"{issue['name']}")
    for a in timelines:
        t.add_row(a["actor"], str(a["statements"]), str(a["reports"]), a["first"] or "", a["last"] or "",
                  *(str(a["positions"][k]) for k in ("support", "oppose", "neutral")))
    console.print(t)
    t = Table("date", "actor", "position", "how", "statement", "id")
    for it in items:
        how = it["suggestion"]["method"] + (" (corrected)" if it["correction"] else "")
        t.add_row(it["day"] or "", it["actor"], it["position"], how, it["text"][:110], it["id"])
    console.print(t)


@issues_app.command("refresh")
@handle_errors
def issues_refresh_cmd(
    name: Annotated[str | None, typer.Argument(help="The issue (default: every issue).")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Suggest positions again, e.g. after an ingest added statements."""
    from storyline.ledger import issues

    with _store(db) as store:
        names = [name] if name else [i["name"] for i in issues.list_issues(store.conn)]
        for n in names:
            console.print(f"{n}: {issues.refresh_positions(store, n)} statement(s)", highlight=False)


@issues_app.command("remove")
@handle_errors
def issues_remove_cmd(name: Annotated[str, typer.Argument(help="The issue's name.")], db: DbOption = DEFAULT_DB) -> None:
    """Remove an issue and its position suggestions (statements stay)."""
    from storyline.ledger import issues

    with _store(db) as store:
        issues.remove_issue(store, name)
    console.print(f"issue {name!r} removed", highlight=False)


# --- storyline export network -------------------------------------------------------------

def export_network(db: str, issue_names: list[str], fmt: str, graph: str | None, out,
                   since: str | None = None, until: str | None = None) -> int:
    """Write the discourse network of the issues to `out`; returns the number of edges."""
    from storyline.ledger import issues, network

    if fmt not in network.FORMATS:
        raise StorylineError(E.BAD_OPTION, option="--format", detail=f"{fmt!r}; choose csv or graphml")
    graph = graph or ("statements" if fmt == "csv" else "bipartite")
    allowed = (("statements",) if fmt == "csv" else ()) + network.KINDS
    if graph not in allowed:
        raise StorylineError(E.BAD_OPTION, option="--graph", detail=f"{graph!r}; choose {', '.join(allowed)}")
    conn = _conn(db)
    try:
        names = issue_names or [i["name"] for i in issues.list_issues(conn)]
        rows = network.edges(conn, names, since, until)
        if fmt == "csv":
            return network.write_csv(out, rows, None if graph == "statements" else graph)
        return network.write_graphml(out, rows, graph)
    finally:
        conn.close()


@export_app.command("network")
@handle_errors
def export_network_cmd(
    db: DbOption = DEFAULT_DB,
    issue: Annotated[list[str] | None, typer.Option("--issue", help="An issue (repeat for several; "
                                                       "default: every issue).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or graphml.")] = "csv",
    graph: Annotated[str | None, typer.Option("--graph", help="statements (CSV only: one edge per statement), "
                                                 "bipartite (actor–issue) or congruence (actor–actor). "
                                                 "Default: statements for CSV, bipartite for GraphML.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write to FILE (default: stdout).")] = None,
) -> None:
    """Export actor × issue × position as a CSV edge list or GraphML (DNA-style networks)."""
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            n = export_network(db, issue or [], fmt, graph, fh, since, until)
        console.print(f"{n} edge(s) written to {output}")
    else:
        export_network(db, issue or [], fmt, graph, sys.stdout, since, until)


# --- storyline eval positions -------------------------------------------------------------

@eval_app.command("positions")
@handle_errors
def eval_positions_cmd(
    gold: Annotated[str, typer.Option("--gold", help="Labelled statements, JSONL (tests/data/positions_labelled.jsonl).")],
    split: Annotated[str | None, typer.Option("--split", help="Only this split (dev or heldout).")] = None,
    json_out: JsonOption = False,
) -> None:
    """Score the position rules on hand-labelled statements: accuracy and coverage."""
    from storyline.evaluation import positions

    records = positions.load(gold)
    if split:
        records = [r for r in records if r.get("split") == split]
        if not records:
            raise StorylineError(E.BAD_OPTION, option="--split", detail=f"no records in split {split!r}")
    result = positions.score(records)
    if json_out:
        return _dump(result)
    console.print(f"{result['records']} statements · accuracy {result['accuracy']} · coverage {result['coverage']} "
                  f"· accuracy where a rule fired {result['covered_accuracy']}", highlight=False)
    for miss in result["misses"]:
        console.print(f"  {miss['id']}: {miss['label']} → {miss['got']} ({miss['method']}): {miss['sentence']}",
                      highlight=False)
