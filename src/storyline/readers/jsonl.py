"""JSON and JSON Lines: a JSON array or object, or one object per line.

Field names are matched case-insensitively: text/content/body, title/headline,
url/link, published/date/pubDate, outlet/source/site, author/authors. `Options.json_fields`
maps other names onto ours ({"story": "text"}). Each record is its own source:
"file.jsonl#L7" for a line, "file.json#item-3" for an array item. A malformed line fails
alone (E.BAD_JSON); a record without text fails with E.JSON_NO_TEXT.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from storyline.errors import E, InputError
from storyline.readers.html import html_to_text
from storyline.readers.values import as_str as _as_str
from storyline.readers.values import normalise_date
from storyline.model import RawDocument

# Our field → the names we look for, in order of preference.
FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "articlebody", "full_text", "maintext"),
    "title": ("title", "headline"),
    "url": ("url", "link", "canonical_url"),
    "published": ("published", "date", "pubdate", "datepublished", "published_at", "publishedat", "date_publish"),
    "updated": ("updated", "modified", "datemodified", "updated_at"),
    "outlet": ("outlet", "source", "site", "sitename", "publisher", "source_name", "domain"),
    "authors": ("authors", "author", "byline", "creator"),
    "id": ("id", "guid", "uuid"),
}


# Keys of annotation records (gold statements, NER spans, labels) that an article export
# does not have. A folder walk skips a JSON file whose first record has two of these and
# none of the article fields (title, url, outlet, author), so a corpus folder with its gold file beside it ingests cleanly.
ANNOTATION_KEYS = frozenset({"kind", "speaker", "label", "labels", "start", "end", "span", "spans",
                             "entities", "annotations", "line", "doc", "offset"})


def annotation_reason(text: str, lines: bool) -> str | None:
    """Why the first record of a JSON(L) document looks like an annotation, or None."""
    first = None
    if lines:
        for line in text.splitlines():
            if line.strip():
                first = line
                break
        try:
            record = json.loads(first) if first else None
        except (ValueError, RecursionError):
            return None
    else:
        try:
            record = json.loads(text)
        except (ValueError, RecursionError):
            return None
        if isinstance(record, list):
            record = record[0] if record else None
    if not isinstance(record, dict):
        return None
    keys = {str(k).lower() for k in record}
    # A date alone does not make an article: annotations carry dates too.
    article_keys = {name for ours in ("title", "url", "outlet", "authors") for name in FIELDS[ours]}
    if len(keys & ANNOTATION_KEYS) >= 2 and not keys & article_keys:
        return f"fields {', '.join(sorted(keys))}; no title, url or outlet"
    return None


def _storable(value: Any) -> Any:
    """The value with lone surrogates ("\\ud800" is valid JSON, not valid text) replaced by U+FFFD."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


def record_to_raw(record: Any, source: str, doc: str, json_fields: dict[str, str]) -> RawDocument:
    record = _storable(record)
    if not isinstance(record, dict):
        raise InputError(E.BAD_JSON, source=source, detail=f"expected an object, got {type(record).__name__}")
    lowered = {str(k).lower(): v for k, v in record.items()}
    fields: dict[str, Any] = {}
    for theirs, ours in json_fields.items():  # the user's mapping wins
        if theirs.lower() in lowered and lowered[theirs.lower()] not in (None, ""):
            fields.setdefault(ours, lowered[theirs.lower()])
    for ours, names in FIELDS.items():
        if ours not in fields:
            for name in names:
                if lowered.get(name) not in (None, "", []):
                    fields[ours] = lowered[name]
                    break
    text = _as_str(fields.get("text"))
    if not text:
        tried = [k for k, v in json_fields.items() if v == "text"] + list(FIELDS["text"])
        raise InputError(E.JSON_NO_TEXT, source=source, fields=", ".join(tried))
    if "<p" in text or "<br" in text or "</" in text:
        text = html_to_text(text)
    title = _as_str(fields.get("title"))
    if title and not text.lstrip().startswith(title):
        text = f"{title}\n\n{text}"  # headlines can attribute statements; keep them in the text
    url = _as_str(fields.get("url"))
    outlet = _as_str(fields.get("outlet"))
    if outlet and outlet.lower().startswith(("http://", "https://")):  # a "source" field holding a link
        url, outlet = url or outlet, None
    authors = fields.get("authors")
    authors = [a for a in (_as_str(x) for x in (authors if isinstance(authors, list) else [authors])) if a]
    raw_published = fields.get("published")
    published = normalise_date(raw_published)
    meta: dict[str, Any] = {}
    if raw_published is not None and published is None:
        meta["published_raw"] = raw_published  # kept, never guessed
    if fields.get("id") is not None:
        meta["record_id"] = _as_str(fields["id"])
    return RawDocument(
        source=source, doc=url or doc, text=text, title=title, outlet=outlet,
        authors=authors, published=published, published_method="json-field" if published else None,
        updated=normalise_date(fields.get("updated")), url=url, format="json", meta=meta,
    )


def iter_json_records(text: str, source: str, doc: str, json_fields: dict[str, str],
                      lines: bool) -> Iterator[RawDocument | InputError]:
    """Records of a JSON document (`lines=False`) or a JSON Lines document."""
    if lines:
        # Lines end at "\n" only: U+2028 and other separators str.splitlines() breaks on
        # are valid inside a JSON string.
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            record_source = f"{source}#L{number}"
            try:
                record = json.loads(line)
            except (ValueError, RecursionError) as exc:
                yield InputError(E.BAD_JSON, source=record_source, detail=_reason(exc))
                continue
            yield from _safe(record, record_source, f"{doc}#L{number}", json_fields)
        return
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        yield InputError(E.BAD_JSON, source=source, detail=_reason(exc))
        return
    if isinstance(data, dict):
        for key in ("articles", "items", "data", "results", "records", "entries"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if isinstance(data, list):
        for number, record in enumerate(data, start=1):
            yield from _safe(record, f"{source}#item-{number}", f"{doc}#item-{number}", json_fields)
    else:
        yield from _safe(data, source, doc, json_fields)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    return str(exc)


def _safe(record, source, doc, json_fields):
    """One record; whatever is wrong with it fails that record alone."""
    try:
        yield record_to_raw(record, source, doc, json_fields)
    except InputError as exc:
        yield exc
    except (RecursionError, Exception) as exc:  # noqa: BLE001 - an odd value must not lose the file's other records
        yield InputError(E.BAD_JSON, source=source, detail=f"{type(exc).__name__}: {_reason(exc)}")
