"""`storyline reanalyse`: re-run analysis on the stored texts (library: storyline.ledger.reanalyse)."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer

from storyline.cli.app import DEFAULT_DB, DbOption, JsonOption, ModelOption, app, console, handle_errors
from storyline.errors import E, StorylineError
from storyline.settings import Options


@app.command("reanalyse")
@handle_errors
def reanalyse_command(
    db: DbOption = DEFAULT_DB,
    stale: Annotated[bool, typer.Option(
        "--stale", help="Only the stages whose version changed since each article was analysed.")] = False,
    model: ModelOption = None,
    outlets: Annotated[Optional[str], typer.Option(
        "--outlets", help="Your own outlets registry, as given to `storyline ingest --outlets`.")] = None,
    json_out: JsonOption = False,
) -> None:
    """Re-run the pipeline's stages on the stored articles (no source is read again).

    User edits to actors (merges, splits, aliases, imports) are kept. Exit code 1 when
    some articles failed (they keep their old results), 0 otherwise.
    """
    import os

    from storyline.ledger.reanalyse import reanalyse

    if not os.path.exists(db):
        raise StorylineError(E.NO_DB, db=db)
    report = reanalyse(Options(db=db).with_(model=model, outlets_file=outlets), stale_only=stale)
    if json_out:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
    else:
        stages = ", ".join(f"{name} {n}" for name, n in sorted(report.stages.items())) or "none"
        console.print(f"{report.articles} article(s): {report.reanalysed} reanalysed (stages run: {stages}), "
                      f"{report.up_to_date} up to date, {len(report.failed)} failed ({report.elapsed:.1f}s)",
                      highlight=False)
        for failure in report.failed:
            console.print(f"  {failure['id'][:12]} → [ANALYSIS_FAILED] {failure['error']}", highlight=False)
    raise typer.Exit(1 if report.failed else 0)
