"""Commands for getting articles in and looking at them: ingest, articles, show,
errors, export articles.

Each command is thin: it builds `Options`, calls a plain function (`ingest.ingest`, or
the query functions below, which also work from Python on an open `Store`) and prints.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from storyline.ledger import export
from storyline.cli.app import DEFAULT_DB, DbOption, JsonOption, ModelOption, app, console, err_console, export_app, handle_errors
from storyline.errors import E, StorylineError
from storyline.ingest import IngestReport, count_inputs, ingest
from storyline.workers import default_workers
from storyline.stages.metadata import OutletRegistry
from storyline.settings import Options
from storyline.ledger.store import Store


# --- queries (plain functions over an open Store) -----------------------------------------

_LIST_SQL = """
SELECT a.id, a.doc, a.outlet, a.published, a.published_precision, a.title, a.language, a.analysed,
       a.cluster_id, a.cluster_similarity,
       (SELECT COUNT(*) FROM segments s WHERE s.article_id = a.id) AS segments,
       (SELECT COUNT(*) FROM statements s WHERE s.article_id = a.id) AS statements
FROM articles a {where}
ORDER BY a.published IS NULL, a.published, a.id
"""


def list_articles(store: Store, outlet: str | None = None, limit: int | None = None) -> Iterator[dict]:
    """Articles in publication order (undated last), optionally of one outlet (any case)."""
    where, params = "", []
    if outlet:
        where, params = "WHERE a.outlet = ? COLLATE NOCASE", [outlet]
    sql = _LIST_SQL.format(where=where)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    for row in store.conn.execute(sql, params):
        item = dict(row)
        item["analysed"] = bool(item["analysed"])
        yield item


_EXPORT_SQL = """
SELECT a.id, a.doc, a.source,
       (SELECT json_group_array(source) FROM (SELECT source FROM article_sources
            WHERE article_id = a.id ORDER BY first_seen, source)) AS sources,
       a.format, a.url, a.outlet, a.outlet_method, a.title, a.authors, a.published, a.published_precision,
       a.published_method, a.updated, a.language, a.language_score, a.analysed, a.not_analysed_reason,
       a.cluster_id, a.cluster_similarity, a.length,
       (SELECT COUNT(*) FROM segments s WHERE s.article_id = a.id) AS segments,
       (SELECT COUNT(*) FROM statements s WHERE s.article_id = a.id) AS statements,
       a.stages, a.ingested_at, a.text
FROM articles a ORDER BY a.rowid
"""

# Column types for Parquet (so a column that is empty in the first rows keeps its type).
EXPORT_TYPES = {
    "id": "string", "doc": "string", "source": "string", "sources": "list", "format": "string", "url": "string",
    "outlet": "string", "outlet_method": "string", "title": "string", "authors": "list", "published": "string",
    "published_precision": "string", "published_method": "string", "updated": "string", "language": "string",
    "language_score": "float", "analysed": "bool", "not_analysed_reason": "string", "cluster_id": "string",
    "cluster_similarity": "float", "length": "int", "segments": "int", "statements": "int", "stages": "list",
    "ingested_at": "string", "text": "string",
}


def iter_export_rows(store: Store) -> Iterator[dict]:
    """Every article as a flat dict, one row at a time from a cursor (no row cap)."""
    for row in store.conn.execute(_EXPORT_SQL):
        item = dict(row)
        for key in ("sources", "authors", "stages"):
            item[key] = json.loads(item[key]) if item[key] else []
        item["analysed"] = bool(item["analysed"])
        yield item


def list_errors(store: Store) -> Iterator[dict]:
    for row in store.conn.execute(
        "SELECT source, code, message, detail, attempts, first_seen, last_seen FROM errors ORDER BY last_seen DESC, source"
    ):
        yield dict(row)


def article_detail(store: Store, article_id: str) -> dict[str, Any]:
    """One article (id or unique prefix) with its sources, segments, statements and cluster."""
    row = store.article_row(article_id)
    item = dict(row)
    aid = item["id"]
    conn = store.conn
    item["authors"] = json.loads(item["authors"] or "[]")
    item["meta"] = json.loads(item["meta"] or "{}")
    item["stages"] = json.loads(item["stages"] or "[]")
    item["sources"] = [dict(r) for r in conn.execute(
        "SELECT source, doc, outlet, first_seen FROM article_sources WHERE article_id=? ORDER BY first_seen, source",
        (aid,))]
    item["segments"] = [dict(r) for r in conn.execute(
        'SELECT idx, start, "end", kind, boilerplate, reason, section_date FROM segments WHERE article_id=? ORDER BY idx',
        (aid,))]
    item["statements"] = [dict(r) for r in conn.execute(
        'SELECT id, start, "end", text, parts, kind, speaker, speaker_type, cue, date FROM statements '
        "WHERE article_id=? ORDER BY start", (aid,))]
    for s in item["statements"]:
        s["parts"] = json.loads(s["parts"] or "[]")
    item["cluster"] = []
    if item["cluster_id"]:
        item["cluster"] = [dict(r) for r in conn.execute(
            "SELECT id, outlet, doc, title, published, cluster_similarity FROM articles WHERE cluster_id=? ORDER BY id",
            (item["cluster_id"],))]
    return item


# --- ingest ---------------------------------------------------------------------------


def _json_fields(pairs: list[str]) -> dict[str, str] | None:
    if not pairs:
        return None
    fields = {}
    for pair in pairs:
        theirs, sep, ours = pair.partition("=")
        if not sep or not theirs.strip() or not ours.strip():
            raise StorylineError(E.BAD_OPTION, option="--json-field",
                                 detail=f"{pair!r}; write THEIRS=OURS, e.g. --json-field body=text")
        fields[theirs.strip()] = ours.strip()
    return fields


@app.command("ingest")
@handle_errors
def ingest_command(
    sources: Annotated[list[str], typer.Argument(
        help="Files, directories, URLs, feeds, JSON/JSONL files, or '-' for stdin.", show_default=False)],
    db: DbOption = DEFAULT_DB,
    model: ModelOption = None,
    max_bytes: Annotated[Optional[int], typer.Option(
        "--max-bytes", help="Reject inputs bigger than this many bytes (default 20 MB).")] = None,
    include: Annotated[Optional[list[str]], typer.Option(
        "--include", help="Directories: only files matching this glob (repeatable; replaces the default list).")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option(
        "--exclude", help="Directories: skip files matching this glob (repeatable).")] = None,
    json_field: Annotated[Optional[list[str]], typer.Option(
        "--json-field", help="JSON/JSONL: map a field of yours onto ours, THEIRS=OURS (repeatable), e.g. body=text.")] = None,
    follow_links: Annotated[bool, typer.Option(
        "--follow-links", help="Feeds: fetch each entry's linked page instead of using the entry text.")] = False,
    timeout: Annotated[Optional[float], typer.Option(
        "--timeout", help="Network timeout in seconds for URLs and feeds (default 20).")] = None,
    block_private_urls: Annotated[bool, typer.Option(
        "--block-private-urls", help="URLs and feeds: refuse loopback, private, link-local and multicast addresses "
                                     "(checked after DNS resolution and on every redirect).")] = False,
    outlets: Annotated[Optional[str], typer.Option(
        "--outlets", help="Your own outlets registry (YAML: name, domains, aliases, fingerprints), checked first.")] = None,
    min_body_chars: Annotated[Optional[int], typer.Option(
        "--min-body-chars", help="Warn (SHORT_BODY) about stored articles with less body text than this (default 300; 0 = never).")] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar; print a one-line summary and the errors.")] = False,
    workers: Annotated[Optional[int], typer.Option(
        "--workers", "-j", help="Processes that analyse articles (default: one per core; 1 = none besides "
        "the ingesting one). The ledger is the same whatever the number.")] = None,
) -> None:
    """Read articles, analyse them and store them in the ledger.

    Exit code 0 when every input was stored, 1 when some inputs failed (the others are
    stored; see `storyline errors`), 2 when nothing could run (bad option, no model).
    """
    options = Options(db=db).with_(
        model=model, max_bytes=max_bytes, include=tuple(include) if include else None,
        exclude=tuple(exclude) if exclude else None, json_fields=_json_fields(json_field or []),
        follow_feed_links=follow_links or None, http_timeout=timeout, outlets_file=outlets,
        block_private_urls=block_private_urls or None,
        min_body_chars=min_body_chars,
        workers=workers if workers is not None else default_workers(),
    )
    if options.workers < 1:
        raise StorylineError(E.BAD_OPTION, option="--workers", detail="must be 1 or more")
    if options.outlets_file:
        OutletRegistry.load(options.outlets_file)  # a bad registry stops here, before any input is read
    if options.max_bytes <= 0:
        raise StorylineError(E.BAD_OPTION, option="--max-bytes", detail="must be a positive number of bytes")
    if options.http_timeout <= 0:
        raise StorylineError(E.BAD_OPTION, option="--timeout", detail="must be a positive number of seconds")
    folder = Path(db).resolve().parent
    if not folder.is_dir():
        raise StorylineError(E.BAD_OPTION, option="--db", detail=f"folder {folder} does not exist")
    if options.workers > 1 and workers is None:
        total = count_inputs(sources, options)
        if total is not None and total <= options.commit_every:
            options = options.with_(workers=1)  # one batch: starting workers would cost more than it saves
    try:
        if quiet:
            report = ingest(sources, options)
        elif not err_console.is_terminal:
            report = ingest(sources, options, _plain_progress())
        else:
            report = _ingest_with_progress(sources, options)
    except sqlite3.OperationalError as exc:
        code = E.DB_BUSY if "locked" in str(exc) or "busy" in str(exc) else E.DB_UNUSABLE
        raise StorylineError(code, db=db, detail=str(exc)) from exc
    if quiet:
        _print_one_line(report, db)
        _print_errors(report)
    else:
        print_summary(report, db)
    if report.interrupted:
        raise typer.Exit(130)
    raise typer.Exit(0 if report.ok else 1)


# A non-terminal stderr (a pipe, a log file, CI) gets a plain line this often instead of a bar.
PLAIN_PROGRESS_SECONDS = 5.0


def _plain_progress(every: float = PLAIN_PROGRESS_SECONDS, clock=None):
    """A progress callback that prints one plain line to stderr at most every `every` seconds."""
    import time

    clock = clock or time.monotonic
    started = clock()
    last = [started]

    def progress(report: IngestReport, label: str) -> None:
        now = clock()
        if now - last[0] < every:
            return
        last[0] = now
        rate = report.processed / (now - started) if now > started else 0.0
        print(f"ingest: {report.processed} inputs done, {report.analysed} articles analysed, "
              f"{report.stored} new, {report.failed} errors, {rate:.1f} inputs/s", file=sys.stderr, flush=True)

    return progress


def _ingest_with_progress(sources: list[str], options: Options) -> IngestReport:
    total = count_inputs(sources, options)
    columns = [
        SpinnerColumn(), TextColumn("[bold]Ingesting"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.1f} items/s"), TextColumn("{task.fields[analysed]} analysed"),
        TextColumn("[red]{task.fields[errors]} errors"),
        TextColumn("ETA"), TimeRemainingColumn(), TextColumn("[dim]{task.fields[current]}"),
    ]
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("ingest", total=total, rate=0.0, errors=0, analysed=0, current="")
        started = [None]

        def progress(report: IngestReport, label: str) -> None:
            import time

            if started[0] is None:
                started[0] = time.perf_counter()
            done = report.processed
            elapsed = time.perf_counter() - started[0]
            task_total = bar.tasks[0].total
            if task_total is not None and report.read + report.failed > task_total:
                bar.update(task, total=None)  # more inputs than counted: no ETA
            bar.update(task, completed=done, errors=report.failed, analysed=report.analysed,
                       rate=done / elapsed if elapsed > 0 else 0.0, current=Path(label).name[:40])

        return ingest(sources, options, progress)


def _print_one_line(report: IngestReport, db: str) -> None:
    console.print(
        f"{report.stored} new, {report.already_stored} already stored, {report.exact_duplicates} exact duplicates, "
        f"{report.near_duplicates} near-duplicates, {report.not_analysed} not analysed, {report.failed} failed, "
        f"{report.warnings} warnings, {report.skipped} files skipped "
        f"→ {db} ({report.elapsed:.1f}s)", highlight=False,
    )


def _print_errors(report: IngestReport) -> None:
    if not report.failed:
        return
    err_console.print(f"[bold red]{report.failed} input(s) failed[/] (stored in the ledger; see `storyline errors`):")
    for failure in report.errors:
        err_console.print(f"  {escape(failure.source)} → [red][{failure.code}][/] {escape(failure.message)}",
                          highlight=False)
    if report.failed > len(report.errors):
        err_console.print(f"  … and {report.failed - len(report.errors)} more")


def print_summary(report: IngestReport, db: str) -> None:
    rate = f"{report.articles_per_second:.1f} documents/s"
    console.print(f"[bold]Ingest into {escape(db)}[/]: {report.read} documents read in "
                  f"{report.elapsed:.1f}s ({rate})", highlight=False)
    counts = Table.grid(padding=(0, 2))
    counts.add_column(justify="right", style="bold")
    counts.add_column()
    counts.add_row(str(report.stored), "new articles stored")
    counts.add_row(str(report.already_stored), "already in the ledger (skipped)")
    counts.add_row(str(report.exact_duplicates), "exact duplicates (stored once, every source kept)")
    counts.add_row(str(report.near_duplicates), "near-duplicates (linked into clusters)")
    langs = ", ".join(f"{lang}: {n}" for lang, n in sorted(report.languages_not_analysed.items()))
    counts.add_row(str(report.not_analysed), "not analysed: other language" + (f" ({langs})" if langs else ""))
    counts.add_row(Text(str(report.failed), style="red" if report.failed else ""), "inputs failed")
    if report.warnings:
        counts.add_row(Text(str(report.warnings), style="yellow"), "stored with a warning (SHORT_BODY …; see `storyline errors`)")
    if report.skipped:
        counts.add_row(str(report.skipped), "files skipped in folders (hidden, or not matching --include / "
                       "--exclude): " + ", ".join(escape(Path(f).name) for f in report.skipped_files[:3])
                       + (" …" if report.skipped > 3 else ""))
    console.print(counts)
    if report.outlets:
        table = Table(title="Articles per outlet (this run)", title_justify="left", show_edge=False)
        table.add_column("Outlet")
        table.add_column("Articles", justify="right")
        for outlet, n in sorted(report.outlets.items(), key=lambda kv: (-kv[1], kv[0])):
            table.add_row(escape(outlet), str(n))
        console.print(table)
    if report.first_published:
        console.print(f"Published: {report.first_published} → {report.last_published}", highlight=False)
    else:
        console.print("Published: no dates known")
    if report.links:
        console.print("[bold]Near-duplicates[/]")
        for link in report.links:
            console.print(f"  {escape(link.doc)} ({escape(link.outlet or 'unknown outlet')}) ≈ cluster "
                          f"{link.cluster_id[:8]}, similarity {link.similarity:.2f}", highlight=False)
    _print_errors(report)
    if report.skipped_stages:
        err_console.print(f"[yellow]Stages not run[/] (what they need is missing from this build): "
                          f"{', '.join(report.skipped_stages)}", highlight=False)
    if report.interrupted:
        err_console.print("[yellow]Interrupted.[/] Everything committed so far is kept; "
                          "run the same command again to finish.")
    elif report.stored or report.already_stored or report.exact_duplicates:
        console.print("[dim]Next: storyline articles · storyline show ID · storyline errors[/]")


# --- articles, show, errors --------------------------------------------------------------


def _published(row: dict) -> str:
    if not row.get("published"):
        return "unknown"
    precision = row.get("published_precision")
    return f"{row['published']} ({precision})" if precision else row["published"]


def _short_date(row: dict) -> str:
    """The published date for a table cell: the day, or the month/year when that is all we know."""
    if not row.get("published"):
        return "unknown"
    precision = row.get("published_precision")
    if precision in ("month", "year"):
        return f"{row['published'][:7 if precision == 'month' else 4]} ({precision})"
    return row["published"][:10]


@app.command("articles")
@handle_errors
def articles_command(
    db: DbOption = DEFAULT_DB,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="Only this outlet (any case).")] = None,
    as_json: JsonOption = False,
    limit: Annotated[Optional[int], typer.Option("--limit", min=0, help="At most this many articles (0 = all).")] = None,
) -> None:
    """List stored articles in publication order (undated last)."""
    with Store(db, readonly=True) as store:
        rows = list_articles(store, outlet, limit or None)
        if as_json:
            for row in rows:
                sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            return
        # Fixed columns keep their width (the id is what `show` needs); outlet and title share the rest.
        spare = max(24, console.width - 56)
        outlet_width = min(22, max(8, spare // 3))
        table = Table(box=None, padding=(0, 1, 0, 0), header_style="bold")
        table.add_column("id", no_wrap=True, width=16)
        table.add_column("outlet", width=outlet_width, no_wrap=True, overflow="ellipsis")
        table.add_column("published", no_wrap=True, width=10)
        table.add_column("title", width=spare - outlet_width, no_wrap=True, overflow="ellipsis")
        table.add_column("lang", no_wrap=True, width=4)
        table.add_column("segs", justify="right", width=4)
        table.add_column("stmts", justify="right", width=5)
        table.add_column("cluster", no_wrap=True, width=8)
        n = skipped = 0
        for row in rows:
            n += 1
            lang = row["language"] or "?"
            if not row["analysed"]:
                lang += "†"
                skipped += 1
            cluster = (row["cluster_id"] or "")[:8]
            table.add_row(row["id"], escape(row["outlet"] or "?"), _short_date(row),
                          escape(row["title"] or row["doc"] or ""), lang, str(row["segments"]),
                          str(row["statements"]), cluster)
        if not n:
            what = f" from outlet {outlet!r}" if outlet else ""
            console.print(f"No articles{what} in {escape(db)}. Add some with `storyline ingest SOURCES --db {escape(db)}`.")
            return
        console.print(table)
        total = store.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        clusters = store.conn.execute(
            "SELECT COUNT(DISTINCT cluster_id) FROM articles WHERE cluster_id IS NOT NULL").fetchone()[0]
        note = "† stored but not analysed (other language). " if skipped else ""
        console.print(f"[dim]{n} shown of {total} articles; {clusters} near-duplicate cluster(s) "
                      f"(cluster = first 8 characters of its smallest member's id). {note}"
                      f"`storyline show ID` prints one article with its segments and statements.[/]")


_SPEAKER_STYLES = ("cyan", "magenta", "green", "yellow", "blue", "bright_red", "bright_cyan", "bright_magenta")


def render_article_text(item: dict) -> Text:
    """The stored text with its segments marked and statements underlined and labelled."""
    text = item["text"]
    segments = item["segments"] or [{"start": 0, "end": len(text), "kind": "paragraph", "boilerplate": 0,
                                      "reason": None, "section_date": None}]
    colours: dict[str, str] = {}
    out = Text()
    section = None
    for seg in segments:
        if seg["section_date"] and seg["section_date"] != section:
            section = seg["section_date"]
            out.append(f"── section {section} ──\n", style="bold blue")
        body = Text(text[seg["start"]:seg["end"]])
        if seg["boilerplate"]:
            body.stylize("grey50")
            out.append(f"[boilerplate: {seg['reason'] or 'other'}] ", style="grey50 italic")
            out.append_text(body)
            out.append("\n")
            continue
        if seg["kind"] in ("title", "heading", "section"):
            body.stylize("bold")
            out.append(f"[{seg['kind']}] ", style="bold blue")
        elif seg["kind"] == "dateline":
            out.append("[dateline] ", style="blue")
        labels: list[tuple[int, str, str]] = []
        for st in item["statements"]:
            if st["end"] <= seg["start"] or st["start"] >= seg["end"]:
                continue  # a statement may span segments: each segment marks its own part
            speaker = st["speaker"] or "unknown speaker"
            style = colours.setdefault(speaker, _SPEAKER_STYLES[len(colours) % len(_SPEAKER_STYLES)])
            for a, b in (st["parts"] or [(st["start"], st["end"])]):
                a, b = max(a, seg["start"]), min(b, seg["end"])
                if a < b:
                    body.stylize(f"underline {style}", a - seg["start"], b - seg["start"])
            if seg["start"] < st["end"] <= seg["end"]:
                labels.append((st["end"] - seg["start"], f" ⟨{speaker}, {st['kind']}⟩", style))
        if labels:
            labels.sort()
            pieces = body.divide([pos for pos, _, _ in labels])
            rebuilt = Text()
            for i, piece in enumerate(pieces):
                rebuilt.append_text(piece)
                if i < len(labels):
                    rebuilt.append(labels[i][1], style=f"bold {labels[i][2]}")
            body = rebuilt
        out.append_text(body)
        out.append("\n")
    return out


@app.command("show")
@handle_errors
def show_command(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id or a unique prefix of it.")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Show one article: its metadata, sources, cluster and text with segments and statements marked."""
    with Store(db, readonly=True) as store:
        item = article_detail(store, article_id)
    if as_json:
        sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
        return
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="bold")
    meta.add_column()
    meta.add_row("id", item["id"])
    meta.add_row("title", escape(item["title"] or "(none)"))
    meta.add_row("outlet", escape(f"{item['outlet'] or 'unknown'}" + (f"  (from {item['outlet_method']})" if item["outlet_method"] else "")))
    published = _published(item)
    if item["published_method"]:
        published += f"  (from {item['published_method']})"
    meta.add_row("published", escape(published))
    meta.add_row("updated", escape(item["updated"] or "—"))
    if item["authors"]:
        meta.add_row("authors", escape(", ".join(item["authors"])))
    lang = item["language"] or "unknown"
    if item["language_score"] is not None:
        lang += f" ({item['language_score']:.2f})"
    if not item["analysed"]:
        lang += f" — not analysed ({item['not_analysed_reason'] or 'other language'})"
    meta.add_row("language", escape(lang))
    if item["url"]:
        meta.add_row("url", escape(item["url"]))
    meta.add_row("sources", escape("\n".join(s["source"] for s in item["sources"])))
    if item["cluster"]:
        lines = [f"{m['id']}  {m['outlet'] or '?'}  {m['doc']}"
                 + (f"  ({m['cluster_similarity']:.2f})" if m["cluster_similarity"] is not None else "")
                 + ("  ← this" if m["id"] == item["id"] else "") for m in item["cluster"]]
        meta.add_row("near-duplicates", escape("\n".join(lines)))
    meta.add_row("stored", f"{item['length']} characters, {len(item['segments'])} segments, "
                           f"{len(item['statements'])} statements; stages: {', '.join(item['stages']) or 'none'}")
    console.print(meta)
    console.rule()
    console.print(render_article_text(item), highlight=False)


@app.command("errors")
@handle_errors
def errors_command(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """List inputs that failed, and stored articles with a warning (SHORT_BODY): source, code, message, attempts, last seen."""
    with Store(db, readonly=True) as store:
        rows = list_errors(store)
        if as_json:
            for row in rows:
                sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            return
        table = Table()
        for name in ("source", "code", "message", "attempts", "last seen"):
            table.add_column(name, overflow="fold")
        n = 0
        for row in rows:
            n += 1
            table.add_row(escape(row["source"]), row["code"], escape(row["message"]), str(row["attempts"]),
                          row["last_seen"])
        if not n:
            console.print(f"No failed inputs recorded in {escape(db)}.")
            return
        console.print(table)


# --- export articles ------------------------------------------------------------------------


def export_articles(store: Store, fmt: str, out=None, path: str | None = None) -> int:
    """Stream every article to `out` (jsonl, csv) or `path` (parquet); returns the row count."""
    if fmt not in export.FORMATS:
        raise StorylineError(E.BAD_OPTION, option="--format", detail=f"{fmt!r}; choose one of {', '.join(export.FORMATS)}")
    rows = iter_export_rows(store)
    if fmt == "parquet":
        if not path:
            raise StorylineError(E.BAD_OPTION, option="--output", detail="parquet needs an output file (-o FILE)")
        return export.write_parquet(rows, path, schema=_parquet_schema())
    return export.write(rows, fmt, out=out, fields=list(EXPORT_TYPES))


def _parquet_schema():
    import pyarrow as pa

    types = {"string": pa.string(), "float": pa.float64(), "int": pa.int64(), "bool": pa.bool_(),
             "list": pa.string()}  # lists are JSON strings, as in CSV
    return pa.schema([(name, types[kind]) for name, kind in EXPORT_TYPES.items()])


@export_app.command("articles")
@handle_errors
def export_articles_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet.")] = "jsonl",
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Output file (default: stdout for jsonl/csv).")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export every article with its metadata and text (streamed, no row cap)."""
    if fmt not in export.FORMATS:
        raise StorylineError(E.BAD_OPTION, option="--format", detail=f"{fmt!r}; choose one of {', '.join(export.FORMATS)}")
    with Store(db, readonly=True) as store:
        if fmt == "parquet" or output:
            if fmt != "parquet":
                with export.atomic_text(output) as fh:
                    n = export_articles(store, fmt, out=fh)
            else:
                n = export_articles(store, fmt, path=output)
            err_console.print(f"Exported {n} articles to {escape(str(output))}.", highlight=False)
        else:
            export_articles(store, fmt, out=sys.stdout)
