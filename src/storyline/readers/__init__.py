"""Readers: turn each input (file, directory, URL, feed, JSON, stdin) into `RawDocument`s.

`iter_inputs` expands every source and yields one `RawDocument` per article, or an
`InputFailure` per input that failed; it never raises for a bad input. The format
readers live in their own modules: decode.py (bytes → text), html.py
(trafilatura + htmldate), feeds.py (feedparser), jsonl.py, fetch.py (httpx).
"""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from storyline.readers.decode import binary_reason, decode_bytes, sniff_kind
from storyline.errors import E, InputError
from storyline.model import RawDocument
from storyline.settings import Options

# File extension → reader kind. Anything else is sniffed when named explicitly.
EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
}

# Content type of a fetched URL → reader kind.
CONTENT_TYPES = {
    "text/html": "html", "application/xhtml+xml": "html", "text/plain": "text",
    "application/rss+xml": "feed", "application/atom+xml": "feed", "application/xml": "feed",
    "text/xml": "feed", "application/json": "json", "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
}


@dataclass
class InputFailure:
    source: str  # path / URL / "stdin" / "file.jsonl#L7"
    error: InputError  # with a specific E code


def display_name(name: str) -> str:
    """A file name as valid text: bytes that are not UTF-8 (kept by Python as surrogate
    escapes, which SQLite and JSON cannot store) are written as `\\xff`, so two such
    names stay two sources."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def iter_inputs(sources: Iterable[str], options: Options,
                skipped: list[str] | None = None) -> Iterator[RawDocument | InputFailure]:
    """Expand each source (file, directory (recursive, options.include/exclude globs),
    URL http(s)://, '-' for stdin) and yield one RawDocument per article, or an
    InputFailure per input that failed. Never raises for a bad input; deterministic
    order (sources in the order given, directory contents by sorted relative path).
    Files a directory walk leaves out (hidden, not matching include, excluded) are
    appended to `skipped` when given."""
    for source in sources:
        source = str(source)
        shown = display_name(source)
        try:
            if source == "-":
                yield from _read_stream(sys.stdin.buffer, options)
            elif source.lower().startswith(("http://", "https://")):
                yield from read_url(source, options)
            else:
                yield from _read_path(source, options, skipped)
        except InputError as exc:  # a reader refused the whole input
            yield InputFailure(display_name(exc.details.get("source", shown)), exc)
        except Exception as exc:  # a library bug must not stop the batch
            yield InputFailure(shown, InputError(E.UNREADABLE, source=shown, detail=f"{type(exc).__name__}: {exc}"))


# ---- paths -----------------------------------------------------------------------------

def _read_path(source: str, options: Options, skipped: list[str] | None = None) -> Iterator[RawDocument | InputFailure]:
    if not source.strip():  # Path("") would be the current folder
        yield InputFailure(source, InputError(E.NOT_FOUND, source=repr(source)))
        return
    path = Path(source)
    source = display_name(source)
    if path.is_symlink() and not path.exists():
        yield InputFailure(source, InputError(E.UNREADABLE, source=source, detail="broken symbolic link"))
        return
    if not path.exists():
        yield InputFailure(source, InputError(E.NOT_FOUND, source=source))
        return
    if path.is_dir():
        files = walk_directory(path, options, skipped)
        if not files:
            yield InputFailure(source, InputError(E.EMPTY, source=f"{source}: no files matching {', '.join(options.include)}"))
        for file in files:  # one file's unexpected failure must not end the folder
            yield from _guarded(_read_file(file, options, explicit=False), display_name(str(file)))
        return
    yield from _read_file(path, options, explicit=True)


def _guarded(items: Iterator[RawDocument | InputFailure], source: str) -> Iterator[RawDocument | InputFailure]:
    try:
        yield from items
    except InputError as exc:
        yield InputFailure(source, exc)
    except Exception as exc:  # a library bug on one input
        yield InputFailure(source, InputError(E.UNREADABLE, source=source, detail=f"{type(exc).__name__}: {exc}"))


def walk_directory(root: Path, options: Options, skipped: list[str] | None = None) -> list[Path]:
    """Files under `root` matching include and not exclude (on the relative path,
    ignoring case: `UPPER.TXT` is a text file), sorted.

    Hidden files and folders are skipped; broken links and unreadable folders are
    returned too, so the reader reports them instead of dropping them silently. What is
    left out (hidden files and folders, files not matching) is appended to `skipped`.
    """
    left_out = skipped if skipped is not None else []
    found: list[Path] = []
    unreadable: list[Path] = []

    def on_error(exc: OSError) -> None:
        if exc.filename and Path(exc.filename) != root:
            unreadable.append(Path(exc.filename))

    for folder, dirs, files in os.walk(root, onerror=on_error):
        left_out.extend(display_name(str(Path(folder, d))) + "/" for d in dirs if d.startswith("."))
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(folder, name)
            if name.startswith("."):
                left_out.append(display_name(str(path)))
                continue
            relative = path.relative_to(root).as_posix()
            if _matches(relative, options.include) and not _matches(relative, options.exclude):
                found.append(path)
            else:
                left_out.append(display_name(str(path)))
    found.extend(unreadable)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def _matches(relative: str, patterns: Iterable[str]) -> bool:
    relative = relative.casefold()
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(relative, p.casefold()) or fnmatch.fnmatchcase(name, p.casefold())
               for p in patterns)


def _read_file(path: Path, options: Options, explicit: bool) -> Iterator[RawDocument | InputFailure]:
    source = display_name(str(path))
    try:
        info = path.stat()  # the size first: big files are never read whole
        size = info.st_size
    except FileNotFoundError:
        detail = "broken symbolic link" if path.is_symlink() else "file vanished while reading"
        yield InputFailure(source, InputError(E.UNREADABLE, source=source, detail=detail))
        return
    except OSError as exc:
        yield InputFailure(source, InputError(E.UNREADABLE, source=source, detail=exc.strerror or str(exc)))
        return
    if stat.S_ISDIR(info.st_mode):
        yield InputFailure(source, InputError(E.UNREADABLE, source=source, detail="unreadable folder"))
        return
    if not stat.S_ISREG(info.st_mode):  # a pipe or a device would block or never end
        yield InputFailure(source, InputError(E.UNREADABLE, source=source, detail="not a regular file"))
        return
    if size > options.max_bytes:
        yield InputFailure(source, InputError(E.TOO_LARGE, source=source, size=size, limit=options.max_bytes))
        return
    try:
        with path.open("rb") as handle:
            data = handle.read(options.max_bytes + 1)
    except OSError as exc:
        yield InputFailure(source, InputError(E.UNREADABLE, source=source, detail=exc.strerror or str(exc)))
        return
    if len(data) > options.max_bytes:  # grew since stat, or a special file
        yield InputFailure(source, InputError(E.TOO_LARGE, source=source, size=len(data), limit=options.max_bytes))
        return
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind is None and explicit:
        reason = binary_reason(data)
        if reason:
            yield InputFailure(source, InputError(E.UNSUPPORTED, source=source,
                                                  detail=f"extension {path.suffix or '(none)'}, looks like {reason}"))
            return
        kind = "sniff"
    if not explicit and kind in ("json", "jsonl") and not options.json_fields:
        reason = _annotation_file(data, kind)
        if reason:
            yield InputFailure(source, InputError(E.NOT_ARTICLES, source=source, detail=reason))
            return
    yield from read_bytes(data, source=source, doc=display_name(path.name), kind=kind or "sniff", options=options)


def _annotation_file(data: bytes, kind: str) -> str | None:
    from storyline.readers.jsonl import annotation_reason

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return annotation_reason(text, lines=kind == "jsonl")


# ---- stdin -------------------------------------------------------------------------------

def _read_stream(stream: BinaryIO, options: Options) -> Iterator[RawDocument | InputFailure]:
    data = stream.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        yield InputFailure("stdin", InputError(E.TOO_LARGE, source="stdin", size=f"more than {options.max_bytes}",
                                               limit=options.max_bytes))
        return
    yield from read_bytes(data, source="stdin", doc="stdin", kind="sniff", options=options)


# ---- URLs --------------------------------------------------------------------------------

def read_url(url: str, options: Options, client=None) -> Iterator[RawDocument | InputFailure]:
    from storyline.readers.fetch import fetch

    fetched = fetch(url, options, client)  # FetchError → InputFailure in iter_inputs
    kind = CONTENT_TYPES.get(fetched.content_type, "sniff")
    if kind in ("html", "feed", "text"):  # servers often label feeds text/html or pages text/xml
        looks = sniff_kind(fetched.body[:4096].decode("utf-8", "ignore"))
        if looks in ("html", "feed") and looks != kind:
            kind = looks
    for item in read_bytes(fetched.body, source=url, doc=url, kind=kind, options=options,
                           url=fetched.url, charset=fetched.charset):
        if isinstance(item, RawDocument) and item.format in ("text", "html"):
            item.url = item.url or fetched.url
            item.meta.setdefault("fetched_from", url)
        yield item


# ---- bytes → documents -------------------------------------------------------------------

def read_bytes(data: bytes, *, source: str, doc: str, kind: str, options: Options,
               url: str | None = None, charset: str | None = None) -> Iterator[RawDocument | InputFailure]:
    """Dispatch one input's bytes to the reader for `kind` ("sniff" to decide from the content)."""
    try:
        if kind == "html":
            yield _html(data, source, doc, url)
            return
        if kind == "feed":
            yield from _feed(data, source, options)
            return
        text, encoding = _decode(data, source, charset, allow_nul=kind in ("json", "jsonl"))
        if kind == "text" and sniff_kind(text) in ("html", "feed"):
            kind = "sniff"  # a saved web page or feed named .txt
        if kind == "sniff":
            kind = sniff_kind(text)
            if kind == "html":
                yield _html(data, source, doc, url, encoding)
                return
            if kind == "feed":
                yield from _feed(data, source, options)
                return
        if kind in ("json", "jsonl"):
            yield from _json(text, source, doc, kind == "jsonl", options)
            return
        yield RawDocument(source=source, doc=doc, text=text, url=url, format="text", encoding=encoding)
    except InputError as exc:
        yield InputFailure(source, exc)


def _decode(data: bytes, source: str, charset: str | None, allow_nul: bool = False) -> tuple[str, str]:
    if charset:
        try:
            return data.decode(charset), charset
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, source, allow_nul)


def _html(data: bytes, source: str, doc: str, url: str | None, encoding: str | None = None) -> RawDocument:
    from storyline.readers.html import read_html

    if not data.strip():
        raise InputError(E.EMPTY, source=source)
    reason = binary_reason(data)
    if reason:
        raise InputError(E.BINARY, source=source, detail=reason)
    return read_html(data, source, doc, url=url, encoding=encoding)


def _feed(data: bytes, source: str, options: Options) -> Iterator[RawDocument | InputFailure]:
    from storyline.readers.feeds import iter_feed_entries, parse_feed

    if not data.strip():
        raise InputError(E.EMPTY, source=source)
    parsed = parse_feed(data, source)
    for entry in iter_feed_entries(parsed, source):
        if isinstance(entry, InputError):
            yield InputFailure(entry.details.get("source", source), entry)
        elif options.follow_feed_links and entry.url:
            yield from _follow(entry, options)
        else:
            yield entry


def _follow(entry: RawDocument, options: Options) -> Iterator[RawDocument | InputFailure]:
    """Fetch an entry's linked page instead of using the entry's own content."""
    try:
        for item in read_url(entry.url, options):
            if isinstance(item, RawDocument):
                item = replace(item, source=entry.source, doc=entry.url,
                               outlet=item.outlet or entry.outlet, title=item.title or entry.title,
                               published=item.published or entry.published,
                               published_method=item.published_method if item.published else entry.published_method,
                               authors=item.authors or entry.authors, meta={**entry.meta, **item.meta})
            yield item
    except InputError as exc:
        yield InputFailure(entry.source, exc)


def _json(text: str, source: str, doc: str, lines: bool, options: Options) -> Iterator[RawDocument | InputFailure]:
    from storyline.readers.jsonl import iter_json_records

    if not lines and "\n" in text.strip() and sniff_kind(text) == "jsonl":
        lines = True  # a .json file that is really JSON Lines
    for item in iter_json_records(text, source, doc, dict(options.json_fields), lines):
        if isinstance(item, InputError):
            yield InputFailure(item.details.get("source", source), item)
        else:
            yield item
