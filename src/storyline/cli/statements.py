"""Commands for statements, their export, their evaluation and the actor registry."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from storyline.cli.app import DEFAULT_DB, DbOption, JsonOption, actors_app, app, console, eval_app, export_app, handle_errors
from storyline.errors import E, StorylineError
from storyline.settings import Options, default_db


def _conn(db: str):
    from storyline.ledger.store import connect

    return connect(db or default_db(), readonly=True)


# --- storyline statements ------------------------------------------------------------------

@app.command("statements")
@handle_errors
def statements_cmd(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[Optional[str], typer.Option(help="Speaker: any name or alias of an actor, a surname, "
                                                "or the speaker as printed (case-blind).")] = None,
    outlet: Annotated[Optional[str], typer.Option(help="Only statements from articles of this outlet.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Earliest statement date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Latest statement date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.")] = None,
    search: Annotated[Optional[str], typer.Option(help="Words that must all occur in the statement or speaker.")] = None,
    kind: Annotated[Optional[str], typer.Option(help="direct, indirect or mixed.")] = None,
    min_confidence: Annotated[Optional[float], typer.Option("--min-confidence",
                                                            help="Only statements with at least this confidence (0-1).")] = None,
    speaker_type: Annotated[Optional[str], typer.Option("--speaker-type", help="person, organization, media, "
                                                        "anonymous or unknown.")] = None,
    via: Annotated[Optional[str], typer.Option("--via", help="Only statements the article got through this "
                                               "outlet or agency.")] = None,
    json_out: JsonOption = False,
    limit: Annotated[int, typer.Option(min=0, help="Show at most N statements (0 = all).")] = 50,
) -> None:
    """List statements: who said what, when, according to whom."""
    from storyline.ledger.queries import find_statements, parse_statement_filter
    from storyline.stages.statements.quotes import display_text

    f = parse_statement_filter(dict(speaker=speaker, outlet=outlet, since=since, until=until, q=search, kind=kind,
                                    min_confidence=min_confidence, speaker_type=speaker_type, via=via))
    conn = _conn(db)
    rows = find_statements(conn, f, limit=limit or None)
    if json_out:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    # The id (what `storyline correct` and `/statements/ID` take) and the date never wrap;
    # the statement gets the room; the source column only when the terminal is wide.
    wide = console.width >= 150
    table = Table(box=None, padding=(0, 1, 0, 0), header_style="bold", show_lines=False)
    table.add_column("id", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("speaker", max_width=22)
    table.add_column("kind", no_wrap=True)
    table.add_column("statement", ratio=1, min_width=20)
    if console.width >= 110:
        table.add_column("via", max_width=16)
    if wide:
        table.add_column("doc", max_width=40, overflow="ellipsis")
    n = 0
    for row in rows:
        n += 1
        shown = display_text(row["text"], row["parts"])  # an interrupted quote: " … " between its parts
        text = shown if len(shown) <= 140 else shown[:137] + "..."
        if row.get("corrected"):  # a person corrected these fields (`storyline corrections list`)
            text = f"[dim]\\[corrected: {', '.join(row['corrected'])}][/] {escape(text)}"
        else:
            text = escape(text)
        cells = [row["id"], row["date"] or "", escape(row["speaker"] or "?"), row["kind"], text]
        cells += [", ".join(row["via"])] if console.width >= 110 else []
        table.add_row(*cells, *([f"{row['doc']}:{row['start']}"] if wide else []))
    console.print(table)
    console.print(f"{n} statement(s)")


# --- storyline export statements -----------------------------------------------------------

def export_statements(db: str, fmt: str, out=None, path: str | None = None, **filters) -> int:
    """Stream every statement (optionally filtered) to `out` (jsonl, csv) or `path` (parquet)."""
    from storyline.ledger import export
    from storyline.ledger.queries import EXPORT_FIELDS, find_statements, parse_statement_filter

    if fmt not in export.FORMATS:
        raise StorylineError(E.BAD_OPTION, option="--format", detail=f"{fmt!r}; choose one of {', '.join(export.FORMATS)}")
    f = parse_statement_filter({k: v for k, v in filters.items() if v is not None})
    conn = _conn(db)
    try:
        return export.write(find_statements(conn, f), fmt, out=out, path=path, fields=EXPORT_FIELDS)
    finally:
        conn.close()


@export_app.command("statements")
@handle_errors
def export_statements_cmd(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet.")] = "jsonl",
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Write to FILE (default: stdout).")] = None,
    speaker: Annotated[Optional[str], typer.Option(help="Only this speaker (name or alias).")] = None,
    outlet: Annotated[Optional[str], typer.Option(help="Only this outlet.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Earliest date, inclusive.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Latest date, inclusive.")] = None,
    min_confidence: Annotated[Optional[float], typer.Option("--min-confidence",
                                                            help="Only statements with at least this confidence (0-1).")] = None,
) -> None:
    """Export statements with offsets, speaker, cue, via and date (streamed, no row cap)."""
    from storyline.ledger import export

    filters = dict(speaker=speaker, outlet=outlet, since=since, until=until, min_confidence=min_confidence)
    if fmt == "parquet":
        n = export_statements(db, fmt, path=output, **filters)
    elif output:
        with export.atomic_text(output) as fh:
            n = export_statements(db, fmt, out=fh, **filters)
    else:
        n = export_statements(db, fmt, out=sys.stdout, **filters)
    if output:
        console.print(f"{n} statement(s) written to {output}")


# --- storyline eval statements -------------------------------------------------------------

@eval_app.command("statements")
@handle_errors
def eval_statements_cmd(
    sets: Annotated[Optional[list[str]], typer.Argument(help="Gold set folders (anchorage-, news- or "
                                                        "PolNeAR-style); several are scored in one call.")] = None,
    gold: Annotated[Optional[str], typer.Option("--gold", help="Gold statements, JSONL (GUIDE.md format).")] = None,
    corpus: Annotated[Optional[str], typer.Option("--corpus", help="Folder holding the gold's documents.")] = None,
    actors: Annotated[Optional[str], typer.Option("--actors", help="actors.jsonl with accepted aliases "
                                                  "(default: ../../annotation/actors.jsonl from the corpus).")] = None,
    json_out: JsonOption = False,
    show_errors: Annotated[int, typer.Option("--show-errors", help="Print up to N misses, false positives "
                                             "and wrong speakers.")] = 20,
    per_doc: Annotated[bool, typer.Option("--per-doc", help="Also print figures per document.")] = False,
    model: Annotated[Optional[str], typer.Option("--model", help="spaCy model package or path.")] = None,
) -> None:
    """Score extracted statements against gold sets (P/R/F1, speaker accuracy, who-said-what F1…)."""
    from pathlib import Path

    from storyline.evaluation.goldsets import GoldSet, detect, format_bands, format_summary, run
    from storyline.evaluation.statements import default_actors_file, format_report

    goldsets = [detect(folder) for folder in sets or []]
    if gold or corpus:
        if not (gold and corpus):
            raise StorylineError(E.BAD_OPTION, option="--gold/--corpus", detail="give both, or neither")
        shape = "jsonl" if Path(corpus).is_file() else "files"
        goldsets.append(GoldSet(Path(corpus).resolve().name, shape, Path(gold), Path(corpus),
                                default_actors_file(Path(corpus) if shape == "files" else Path(corpus).parent)))
    if not goldsets:
        raise StorylineError(E.BAD_OPTION, option="SETS", detail="name a gold set folder, or --gold and --corpus")
    options = Options().with_(model=model)
    results = [run(g, options, actors=actors) for g in goldsets]
    if json_out:
        out = results[0].to_dict(show_errors) if len(results) == 1 else \
            {r.goldset.name: r.to_dict(show_errors) for r in results}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    for r in results:
        print(f"== {r.goldset.name} ({r.goldset.shape})")
        print(format_report(r.report, show_errors, per_doc=per_doc or len(results) == 1,
                            speakers=r.goldset.shape != "polnear"))
        print(format_bands(r))
        print()
    print(format_summary(results))


# --- storyline actors ----------------------------------------------------------------------

def _write_store(db: str):
    from storyline.ledger.store import Store

    return Store(db or default_db())


@actors_app.command("list")
@handle_errors
def actors_list_cmd(db: DbOption = DEFAULT_DB, json_out: JsonOption = False) -> None:
    """List actors with their type, aliases and statement counts."""
    from storyline.ledger.actors import list_actors

    rows = list_actors(_conn(db))
    if json_out:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return
    table = Table("id", "name", "type", "affiliation", "statements", "aliases", "origin")
    for r in rows:
        table.add_row(str(r["id"]), r["name"], r["type"], r["affiliation"] or "", str(r["statements"]),
                      ", ".join(a for a in r["aliases"] if a != r["name"]), r["origin"])
    console.print(table)


@actors_app.command("show")
@handle_errors
def actors_show_cmd(actor: Annotated[str, typer.Argument(help="Name, alias or id.")],
                    db: DbOption = DEFAULT_DB, json_out: JsonOption = False) -> None:
    """One actor: aliases, roles over time, statement count."""
    from storyline.ledger.actors import show_actor

    info = show_actor(_conn(db), actor)
    if json_out:
        sys.stdout.write(json.dumps(info, ensure_ascii=False) + "\n")
        return
    console.print(f"[bold]{info['name']}[/] (id {info['id']}, {info['type']}, origin {info['origin']})", highlight=False)
    if info["affiliation"]:
        console.print(f"affiliation: {info['affiliation']}", highlight=False)
    console.print(f"aliases: {', '.join(a['alias'] + ' [' + a['origin'] + ']' for a in info['aliases'])}", highlight=False)
    for role in info["roles"]:
        console.print(f"role: {role['role']}{' (' + role['affiliation'] + ')' if role['affiliation'] else ''} "
                      f"{role['first_seen'] or '?'} .. {role['last_seen'] or '?'}", highlight=False)
    console.print(f"statements: {info['statements']}")


@actors_app.command("merge")
@handle_errors
def actors_merge_cmd(into: Annotated[str, typer.Argument(help="Actor to keep (name, alias or id).")],
                     other: Annotated[str, typer.Argument(help="Actor merged into it.")],
                     db: DbOption = DEFAULT_DB) -> None:
    """Merge actor B into A: aliases move, statements point to A. Survives re-ingest."""
    from storyline.ledger.corrections import merge

    with _write_store(db) as store:
        c = merge(store, into, other)
    console.print(f"merged {other!r} into {c['new_value']['name']!r} (id {c['new_value']['id']}); "
                  f"undo with `storyline corrections undo {c['id']}`", highlight=False)


@actors_app.command("split")
@handle_errors
def actors_split_cmd(actor: Annotated[str, typer.Argument(help="Actor (name or id).")],
                     alias: Annotated[str, typer.Argument(help="Alias that becomes its own actor.")],
                     db: DbOption = DEFAULT_DB) -> None:
    """Make one alias of an actor its own actor (with the statements made under it)."""
    from storyline.ledger.actors import show_actor
    from storyline.ledger.corrections import split

    with _write_store(db) as store:
        c = split(store, actor, alias)
        new = show_actor(store.conn, str(c["new_value"]["id"]))
    console.print(f"{alias!r} is now actor {new['id']} ({new['statements']} statement(s))", highlight=False)


@actors_app.command("alias")
@handle_errors
def actors_alias_cmd(actor: Annotated[str, typer.Argument(help="Actor (name or id).")],
                     alias: Annotated[str, typer.Argument(help="Another name for the same actor.")],
                     db: DbOption = DEFAULT_DB) -> None:
    """Add an alias to an actor; statements under that name point to the actor."""
    from storyline.ledger.actors import show_actor
    from storyline.ledger.corrections import alias as add_alias

    with _write_store(db) as store:
        c = add_alias(store, actor, alias)
        info = show_actor(store.conn, str(c["new_value"]["id"]))
    console.print(f"{alias!r} is an alias of {info['name']!r}", highlight=False)


@actors_app.command("import")
@handle_errors
def actors_import_cmd(file: Annotated[str, typer.Argument(help="YAML or CSV: canonical, aliases, type, affiliation.")],
                      db: DbOption = DEFAULT_DB) -> None:
    """Import actors and aliases from a file; they override automatic resolution."""
    from storyline.ledger.actors import import_actors

    with _write_store(db) as store:
        n = import_actors(store, file)
    console.print(f"{n} actor(s) imported from {file}", highlight=False)
