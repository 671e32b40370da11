"""Commands for corrections: `storyline correct`, `storyline corrections list|undo`,
`storyline export corrections [--as-gold]`."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer
from rich.table import Table

from storyline.cli.app import DEFAULT_DB, DbOption, JsonOption, app, console, export_app, handle_errors
from storyline.errors import E, StorylineError
from storyline.settings import default_db

corrections_app = typer.Typer(help="Corrections made on top of extraction: list, undo.", no_args_is_help=True)
app.add_typer(corrections_app, name="corrections")

ByOption = Annotated[Optional[str], typer.Option("--by", help="Who makes the change (recorded with it).")]
NoteOption = Annotated[Optional[str], typer.Option("--note", help="Why (recorded with the correction).")]


def _store(db: str):
    from storyline.ledger.store import Store, connect

    connect(db or default_db(), readonly=True).close()  # [NO_DB] / [DB_UNUSABLE] before anything is written
    return Store(db or default_db())


def _conn(db: str):
    from storyline.ledger.store import connect

    return connect(db or default_db(), readonly=True)


def _show(c: dict) -> None:
    who = f" by {c['created_by']}" if c["created_by"] else ""
    if c["field"] == "position":
        console.print(f"correction {c['id']}: position of statement {c['target']}: {_brief(c['old_value'])} -> "
                      f"{_brief(c['new_value'])}{who}", highlight=False)
        return
    console.print(f"correction {c['id']}: {c['field']} of {c['target_type']} {c['target']}: "
                  f"{json.dumps(c['old_value'], ensure_ascii=False)[:80]} -> "
                  f"{json.dumps(c['new_value'], ensure_ascii=False)[:80]}{who}", highlight=False)


@app.command("correct")
@handle_errors
def correct_cmd(
    statement: Annotated[str, typer.Argument(help="Statement id (see `storyline statements`).")],
    db: DbOption = DEFAULT_DB,
    not_statement: Annotated[bool, typer.Option("--not-statement", help="It is not a statement: remove it.")] = False,
    speaker: Annotated[Optional[str], typer.Option("--speaker", help="The right speaker: a name "
                                                   "(an actor is found or created), or `anonymous`.")] = None,
    actor: Annotated[Optional[str], typer.Option("--actor", help="The right speaker: an actor id, name or alias.")] = None,
    speaker_type: Annotated[Optional[str], typer.Option("--speaker-type", help="person, organization, media, "
                                                        "anonymous, or unknown (no speaker).")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="direct, indirect or mixed.")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="YYYY-MM-DD or YYYY-MM; '' for unknown.")] = None,
    date_basis: Annotated[Optional[str], typer.Option("--date-basis", help="How the date is known: explicit "
                                                      "(default), section, published.")] = None,
    position: Annotated[Optional[list[str]], typer.Option("--position", help="Where it stands on an issue: "
                                                          "ISSUE=support|oppose|neutral (repeatable).")] = None,
    note: NoteOption = None,
    by: ByOption = None,
) -> None:
    """Correct a statement: not a statement, its speaker, kind, date, or its position on an issue.
    Kept through re-ingest."""
    from storyline.ledger import corrections as C

    changes = []
    if not_statement:
        changes.append(("not_statement", None))
    if speaker is not None or actor is not None or speaker_type == "unknown":
        changes.append(("speaker", speaker))
    if kind is not None:
        changes.append(("kind", kind))
    if date is not None:
        changes.append(("date", date))
    for value in position or []:
        C.parse_position(value)  # every ISSUE=POSITION well formed before anything is written
        changes.append(("position", value))
    if not changes:
        raise StorylineError(E.BAD_OPTION, option="correct", detail="say what to change: --not-statement, "
                             "--speaker/--actor, --kind, --date or --position ISSUE=POSITION")
    if not_statement and len(changes) > 1:
        raise StorylineError(E.BAD_OPTION, option="--not-statement", detail="cannot be combined with other changes")
    with _store(db) as store:
        for field, value in changes:
            c = C.correct_statement(store, statement, field, value, note=note, by=by, speaker_type=speaker_type,
                                    actor=actor, date_basis=date_basis)
            _show(c)


@corrections_app.command("list")
@handle_errors
def corrections_list_cmd(
    db: DbOption = DEFAULT_DB,
    statement: Annotated[Optional[str], typer.Option("--statement", help="Only corrections of this statement "
                                                     "(or actor id).")] = None,
    active: Annotated[bool, typer.Option("--active", help="Leave out corrections that were undone.")] = False,
    json_out: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", help="Show at most N corrections (0 = all).")] = 0,
) -> None:
    """List corrections: what, old and new value, note, when, by whom, undone."""
    from storyline.ledger.corrections import iter_corrections

    rows = iter_corrections(_conn(db), statement, include_undone=not active, limit=limit or None)
    if json_out:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    # id, target and state always; the change as "was → now"; when, by and note on wide terminals.
    wide = console.width >= 120
    table = Table(box=None, padding=(0, 1, 0, 0), header_style="bold")
    for name in ("id", "what", "target"):
        table.add_column(name, no_wrap=True)
    table.add_column("change", ratio=1, min_width=16)
    table.add_column("state", max_width=14)
    if wide:
        table.add_column("when", no_wrap=True)
        table.add_column("by", no_wrap=True)
        table.add_column("note", max_width=30)
    n = 0
    for c in rows:
        n += 1
        state = (f"undone {c['undone_at'][:10]}" if c["undone_at"] else
                 "not found (statement or issue gone)" if c["applied"] is False and c["field"] == "position" else
                 "not found (no longer extracted)" if c["applied"] is False else "applied")
        cells = [str(c["id"]), c["field"], c["target"], f"{_brief(c['old_value'])} → {_brief(c['new_value'])}", state]
        if wide:
            cells += [c["created_at"][:16].replace("T", " "), c["created_by"] or "", c["note"] or ""]
        table.add_row(*cells)
    console.print(table)
    console.print(f"{n} correction(s)")


def _brief(value) -> str:
    """A value as a person reads it: the statement's own fields only, no JSON braces."""
    if isinstance(value, dict) and "text" in value:
        return "a statement"
    if isinstance(value, dict) and {"issue", "position"} <= set(value):  # a position on an issue
        text = f"{value['issue']}: {value['position']}" + (" (suggested)" if value.get("from") == "suggestion" else "")
        return text if len(text) <= 48 else text[:45] + "..."
    if value is True:
        return "not a statement"
    if isinstance(value, dict):
        text = " · ".join("unknown" if v is None else str(v) for k, v in value.items() if k not in ("actor_id", "statements"))
    else:
        text = "" if value is None else str(value)
    return text if len(text) <= 48 else text[:45] + "..."


@corrections_app.command("undo")
@handle_errors
def corrections_undo_cmd(
    correction: Annotated[int, typer.Argument(help="Correction id (see `storyline corrections list`).")],
    db: DbOption = DEFAULT_DB,
    by: ByOption = None,
) -> None:
    """Take a correction back (the statement returns to the value before it)."""
    from storyline.ledger.corrections import undo

    with _store(db) as store:
        c = undo(store, correction, by=by)
    console.print(f"undid correction {c['id']} ({c['field']} of {c['target']})", highlight=False)


@export_app.command("corrections")
@handle_errors
def export_corrections_cmd(
    db: DbOption = DEFAULT_DB,
    as_gold: Annotated[bool, typer.Option("--as-gold", help="Gold statements (GUIDE.md shape) of every corrected "
                                          "article, as corrected, for `storyline eval statements --gold`.")] = False,
    positions: Annotated[bool, typer.Option("--positions", help="With --as-gold: the corrected positions instead, "
                                            "for `storyline eval positions --gold`.")] = False,
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Write to FILE (default: stdout).")] = None,
) -> None:
    """Export the corrections log as JSONL, or with --as-gold the corrected articles as gold statements
    (with --positions: the corrected positions as labelled statements)."""
    from storyline.ledger import corrections as C
    from storyline.ledger.export import write_jsonl

    if positions and not as_gold:
        raise StorylineError(E.BAD_OPTION, option="--positions", detail="goes with --as-gold")
    conn = _conn(db)
    rows = (C.iter_position_gold(conn) if positions else C.iter_gold(conn)) if as_gold else C.iter_corrections(conn)
    what = "labelled position" if positions else "gold statement" if as_gold else "correction"
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            n = write_jsonl(rows, fh)
        console.print(f"{n} {what}(s) written to {output}")
    else:
        write_jsonl(rows, sys.stdout)
