"""Streamed exports: rows in, JSONL / CSV / Parquet out, with no row cap.

Rows are dicts; nested values (lists, dicts) are JSON in CSV and Parquet strings.
Memory stays flat: JSONL and CSV write row by row, Parquet in record batches.

Files are written atomically: into a temporary file in the same folder, renamed over
the target only when complete, so a killed export leaves the previous file intact and
never a truncated one (`atomic_text`, and `write_parquet` itself).
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from storyline.errors import E, StorylineError

FORMATS = ("jsonl", "csv", "parquet")


def _flat(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """A temporary path beside `path`; renamed to `path` when the block ends without an
    error, removed otherwise."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    os.close(fd)
    try:
        yield tmp
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_text(path: str | os.PathLike) -> Iterator[IO[str]]:
    """A text file to write an export into; it replaces `path` only once complete."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())


def write_jsonl(rows: Iterable[dict], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(rows: Iterable[dict], out: IO[str], fields: list[str] | None = None) -> int:
    iterator: Iterator[dict] = iter(rows)
    first = next(iterator, None)
    if first is None:
        if fields:
            csv.writer(out).writerow(fields)
        return 0
    fields = fields or list(first.keys())
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in itertools.chain([first], iterator):
        writer.writerow({k: _flat(v) for k, v in row.items()})
        n += 1
    return n


def write_parquet(rows: Iterable[dict], path: str, batch_rows: int = 5000, schema=None) -> int:
    """`schema` (a pyarrow.Schema) fixes column types; by default they come from the first batch.
    The file replaces `path` only once complete."""
    with atomic_path(path) as tmp:
        return _write_parquet(rows, tmp, batch_rows, schema)


def _write_parquet(rows: Iterable[dict], path: str, batch_rows: int, schema) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    batch: list[dict] = []
    n = 0

    def flush() -> None:
        nonlocal writer, schema
        if not batch:
            return
        table = pa.Table.from_pylist([{k: _flat(v) for k, v in r.items()} for r in batch], schema=schema)
        if writer is None:
            schema = table.schema
            writer = pq.ParquetWriter(path, schema)
        writer.write_table(table)
        batch.clear()

    for row in rows:
        batch.append(row)
        n += 1
        if len(batch) >= batch_rows:
            flush()
    flush()
    if writer is not None:
        writer.close()
    else:
        pq.write_table(schema.empty_table() if schema is not None else pa.table({}), path)
    return n


def write(rows: Iterable[dict], fmt: str, out: IO[str] | None = None, path: str | None = None,
          fields: list[str] | None = None) -> int:
    """Write rows in `fmt` to a text stream (jsonl, csv) or a file path (parquet)."""
    if fmt == "jsonl":
        return write_jsonl(rows, out)
    if fmt == "csv":
        return write_csv(rows, out, fields)
    if fmt == "parquet":
        if not path:
            raise StorylineError(E.BAD_OPTION, option="--output", detail="parquet needs an output file (-o FILE)")
        return write_parquet(rows, path)
    raise StorylineError(E.BAD_OPTION, option="--format", detail=f"{fmt!r}; choose one of {', '.join(FORMATS)}")
