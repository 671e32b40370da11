"""Commands for time and events: `timex`, `timeline`, `export events`, `eval timex`."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer

from storyline.cli.app import DEFAULT_DB, DbOption, JsonOption, app, console, eval_app, export_app, handle_errors
from storyline.errors import E, StorylineError


def _read_input(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        raise StorylineError(E.NOT_FOUND, source=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StorylineError(E.UNREADABLE, source=path, detail=str(exc)) from None


@app.command("timex")
@handle_errors
def timex_cmd(
    file: Annotated[str, typer.Argument(help="Text file to read, or - for stdin.")],
    anchor: Annotated[Optional[str], typer.Option("--anchor", help="Date the text speaks from (YYYY-MM-DD or YYYY-MM).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Find temporal expressions in a text and resolve them against --anchor."""
    from storyline.stages.timex import Anchor, find_timexes

    if anchor is not None and Anchor.parse(anchor) is None:
        raise StorylineError(E.BAD_OPTION, option="--anchor", detail=f"{anchor!r} is not a date; use YYYY-MM-DD")
    text = _read_input(file)
    found = find_timexes(text, anchor)
    rows = [
        {"start": t.start, "end": t.end, "text": t.text, "value": t.value, "precision": t.precision, "basis": t.basis}
        for t in found
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table("start", "end", "text", "value", "precision", "basis")
    for r in rows:
        table.add_row(str(r["start"]), str(r["end"]), r["text"], r["value"] or "—", r["precision"] or "—", r["basis"])
    console.print(table)


def _open_readonly(db: str):
    from storyline.ledger.store import connect

    return connect(db, readonly=True)


@app.command("timeline")
@handle_errors
def timeline_cmd(
    db: DbOption = DEFAULT_DB,
    actor: Annotated[Optional[str], typer.Option("--actor", help="Only events and statements of this actor (name or alias).")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Earliest date, inclusive (YYYY-MM-DD or YYYY-MM).")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Latest date, inclusive.")] = None,
    event_type: Annotated[Optional[str], typer.Option("--type", help="Only this PLOVER event type (CONSULT, AGREE …).")] = None,
    flagged: Annotated[bool, typer.Option("--flagged", help="Also list hypothetical and negated reports (left out by default).")] = False,
    as_json: JsonOption = False,
) -> None:
    """What happened and what was said, in date order, with reports and outlets; undated items apart."""
    from storyline.ledger.timeline import timeline
    from storyline.stages.timex import Anchor

    for option, value in (("--from", date_from), ("--to", date_to)):
        if value is not None and Anchor.parse(value) is None:
            raise StorylineError(E.BAD_OPTION, option=option, detail=f"{value!r} is not a date; use YYYY-MM-DD")
    conn = _open_readonly(db)
    try:
        result = timeline(conn, actor=actor, date_from=date_from, date_to=date_to, event_type=event_type,
                          flagged=flagged)
    finally:
        conn.close()
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    def table(items, title):
        t = Table(title=title, show_lines=False)
        for col in ("date", "kind", "what", "who", "reports", "outlets"):
            t.add_column(col, overflow="fold")
        for i in items:
            kind = f"{i.event_type}{'/' + i.mode if i.mode else ''}" if i.kind == "event" else "said"
            if i.flags:
                kind += " (" + ", ".join(i.flags) + ")"
            what = i.title if len(i.title) <= 100 else i.title[:99] + "…"
            who = ", ".join(i.actors[:3]) + (" → " + ", ".join(i.recipients[:3]) if i.recipients else "")
            t.add_row(i.date or "—", kind, what, who, str(i.reports), ", ".join(i.outlets[:4]))
        return t

    console.print(table(result.items, "Timeline"))
    if result.filters.get("flagged_hidden"):
        console.print(f"{result.filters['flagged_hidden']} hypothetical or negated report(s) left out (--flagged lists them).")
    if result.undated:
        console.print(table(result.undated, "Undated (no date known: not placed on the timeline)"))


@export_app.command("events")
@handle_errors
def export_events_cmd(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet.")] = "jsonl",
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Write to FILE (default: stdout).")] = None,
) -> None:
    """Export one row per event cluster with PLOVER-style fields and evidence (streamed)."""
    from storyline.ledger import export
    from storyline.ledger.timeline import EXPORT_FIELDS, event_clusters

    conn = _open_readonly(db)
    try:
        rows = event_clusters(conn)
        if fmt == "parquet":
            n = export.write(rows, fmt, path=output)
        elif output:
            with export.atomic_text(output) as fh:
                n = export.write(rows, fmt, out=fh, fields=EXPORT_FIELDS)
        else:
            n = export.write(rows, fmt, out=sys.stdout, fields=EXPORT_FIELDS)
    finally:
        conn.close()
    if output:
        console.print(f"{n} event cluster(s) written to {output}")


@eval_app.command("timex")
@handle_errors
def eval_timex_cmd(
    tml: Annotated[str, typer.Option("--tml", help="Folder of TimeML (.tml) files with gold TIMEX3 and a DCT.")],
    as_json: JsonOption = False,
    show_errors: Annotated[int, typer.Option("--show-errors", help="Print up to N misses and wrong values.")] = 20,
) -> None:
    """Score temporal expressions against TimeML: strict/relaxed P/R/F1 and value accuracy (TempEval-3)."""
    from storyline.evaluation.timex import evaluate_tml

    result = evaluate_tml(tml)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    console.print(f"{result['documents']} documents, {result['gold']} gold TIMEX3, {result['predicted']} predicted")
    for kind in ("strict", "relaxed"):
        r = result[kind]
        console.print(f"{kind:8} precision {r['precision']:.3f}  recall {r['recall']:.3f}  F1 {r['f1']:.3f}")
    console.print(f"value accuracy (relaxed matches) {result['value_accuracy']:.3f}")
    for e in result["errors"][:show_errors]:
        console.print(f"  {e['doc']}: gold {e.get('gold')!r}={e.get('value')} · predicted {e.get('pred')!r}={e.get('pred_value')}",
                      highlight=False)


@eval_app.command("dates")
@handle_errors
def eval_dates_cmd(
    corpus: Annotated[str, typer.Option("--corpus", help="Folder with the articles and gold/statements.jsonl.")],
    gold: Annotated[Optional[str], typer.Option("--gold", help="Gold statements (default: CORPUS/gold/statements.jsonl).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Date accuracy of the dates stage alone, on the gold statements placed in their articles."""
    from storyline.evaluation.timex import evaluate_dates

    result = evaluate_dates(corpus, gold)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    console.print(f"{result['statements']} statements ({result['unplaced']} not found in their article)")
    console.print(f"date accuracy {result['date_accuracy']:.3f}")
    for basis, r in result["by_gold_basis"].items():
        console.print(f"  gold basis {basis:9} {r['correct']}/{r['total']}")
    for e in result["errors"][:20]:
        console.print(f"  {e['doc']}: gold {e['gold']} ({e['gold_basis']}) · ours {e['pred']} ({e['pred_basis']}) · {e['text']}",
                      highlight=False)


@eval_app.command("events")
@handle_errors
def eval_events_cmd(
    gold: Annotated[Optional[str], typer.Option("--gold", help="Gold event mentions (JSONL, shared/annotation/EVENTS.md).")] = None,
    corpus: Annotated[Optional[str], typer.Option("--corpus", help="The articles the gold annotates (articles.jsonl or any ingest input).")] = None,
    labelled: Annotated[Optional[str], typer.Option("--labelled", help="JSONL of labelled sentences (text, event_type, mode, flags).")] = None,
    split: Annotated[Optional[str], typer.Option("--split", help="With --labelled: only rows with this split (dev, heldout).")] = None,
    show_errors: Annotated[int, typer.Option("--show-errors", help="With --gold: print up to N errors of each kind.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Score event coding: against gold mentions (--gold, --corpus), or labelled sentences (--labelled)."""
    if labelled is None and (gold is None or corpus is None):
        raise StorylineError(E.BAD_OPTION, option="--gold", detail="give --gold FILE and --corpus FILE, or --labelled FILE")
    if labelled is None:
        from storyline.evaluation.events import evaluate, format_report

        report = evaluate(gold, corpus)
        if as_json:
            typer.echo(json.dumps(report.to_dict(show_errors), ensure_ascii=False, indent=2))
            return
        typer.echo(format_report(report, show_errors))
        return
    from storyline.evaluation.events import score_labelled

    try:
        result = score_labelled(labelled, split=split)
    except FileNotFoundError:
        raise StorylineError(E.NOT_FOUND, source=labelled) from None
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    console.print(f"{result['sentences']} sentences, {result['coded']} coded (coverage {result['coverage']:.3f})")
    console.print(f"event type precision {result['type_precision']:.3f} · mode accuracy {result['mode_accuracy']:.3f}"
                  f" · flag accuracy {result['flag_accuracy']:.3f}")
    for e in result["errors"][:20]:
        console.print(f"  gold {e['gold']} · ours {e['pred']}: {e['text']}", highlight=False)
