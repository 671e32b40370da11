"""`storyline eval pages`: body and metadata quality on a folder of saved web pages."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from storyline.cli.app import JsonOption, console, eval_app, handle_errors


@eval_app.command("pages")
@handle_errors
def eval_pages_cmd(
    pages: Annotated[str, typer.Option("--pages", help="Folder of saved HTML pages.")],
    evaldata: Annotated[str, typer.Option("--evaldata", help="trafilatura-style body gold (JSON keyed by URL: file, with, without).")],
    metadata: Annotated[Optional[str], typer.Option("--metadata", help="Metadata gold, JSON Lines: file, is_article, title, outlet, authors, published, updated.")] = None,
    show_errors: Annotated[bool, typer.Option("--show-errors", help="Print every page with a body snippet or metadata field wrong.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Score web-page reading: body precision/recall/F1 (trafilatura's method) and headline, outlet, author, date accuracy."""
    from storyline.evaluation.pages import evaluate_pages

    report = evaluate_pages(pages, evaldata, metadata)
    if not show_errors:
        report.pop("errors")
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    body = report["body"]
    console.print(f"{report['pages']} pages, {report['rejected']} rejected by the reader; body on {report['body_pages']} pages")
    console.print(f"body      precision {body['precision']:.3f}  recall {body['recall']:.3f}  F1 {body['f1']:.3f}"
                  f"  (tp {body['tp']}, fp {body['fp']}, fn {body['fn']})")
    if report["metadata_pages"]:
        console.print(f"metadata on {report['metadata_pages']} article pages")
        for name, label in (("title", "headline"), ("outlet", "outlet"), ("authors", "authors"),
                            ("published", "published"), ("updated", "updated")):
            r = report["metadata"][name]
            console.print(f"{label:9} {r['accuracy']:.3f}  ({r['right']}/{r['total']})")
    for e in report.get("errors", []):
        console.print(f"[bold]{e['file']}[/]", highlight=False)
        if e.get("rejected"):
            console.print(f"  rejected: {e['rejected']}", highlight=False)
        for snippet in e.get("body_missing", []):
            console.print(f"  body missing: {snippet!r}", highlight=False)
        for snippet in e.get("body_leaked", []):
            console.print(f"  body leaked:  {snippet!r}", highlight=False)
        for name, pair in e.get("wrong", {}).items():
            console.print(f"  {name}: gold {pair['gold']!r} · ours {pair['ours']!r}", highlight=False)
