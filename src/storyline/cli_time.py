"""Commands for time and events: `timex`, `timeline`, `export events`, `eval timex`."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer

from .cli import DbOption, JsonOption, app, console, eval_app, export_app, handle_errors
from .errors import E, StorylineError


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
    from .timex import Anchor, find_timexes

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
