"""Bytes to text: byte-order marks, strict UTF-8, then charset-normalizer.

`decode_bytes` returns `(text, encoding)` or raises `InputError` with E.BINARY,
E.EMPTY or E.DECODE. `sniff_kind` guesses what a blob of text is (html, feed,
json, jsonl, text) when the file name does not say.
"""

from __future__ import annotations

import codecs
import json
import re

from charset_normalizer import from_bytes

from storyline.errors import E, InputError

SNIFF_BYTES = 8192

# Byte-order marks, longest first (UTF-32 LE starts with the UTF-16 LE mark).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Signatures of common binary formats, so the error can say what the file is.
MAGIC = (
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (docx/xlsx/epub?)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
)

# Control characters that never appear in text (tab, newline, CR, form feed are fine).
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13, 27}
MAX_CONTROL_RATIO = 0.05


def _bom(data: bytes) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM: NULs in every other byte (ASCII-heavy text), or, for
    non-Latin text (Cyrillic, Greek, …), one high byte (the script's Unicode block) in most
    characters and NULs at spaces and digits. The decoded sample must be printable."""
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    candidates = []
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        candidates.append("utf-16-le")
    elif even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        candidates.append("utf-16-be")
    else:
        for encoding, high in (("utf-16-le", odd), ("utf-16-be", even)):
            counts = sorted((high.count(b) for b in set(high)), reverse=True)
            if len(counts) >= 2 and counts[0] + counts[1] > 0.9 * len(high) and high.count(0) in counts[:2]:
                candidates.append(encoding)
    for encoding in candidates:
        try:
            text = head[: len(head) // 2 * 2].decode(encoding)
        except UnicodeDecodeError:
            continue
        if sum(1 for c in text if c.isprintable() or c.isspace()) >= 0.98 * len(text):
            return encoding
    return None


def binary_reason(data: bytes) -> str | None:
    """Why `data` looks binary (a format name or a symptom), or None when it may be text."""
    head = data[:SNIFF_BYTES]
    for magic, name in MAGIC:
        if head.startswith(magic):
            return name
    if _bom(head) or _utf16_without_bom(head):
        return None
    if b"\x00" in head:
        return "NUL bytes"
    if head:
        controls = sum(1 for b in head if b in _CONTROL)
        if controls / len(head) > MAX_CONTROL_RATIO:
            return f"{controls} control characters in the first {len(head)} bytes"
    return None


def decode_bytes(data: bytes, source: str, allow_nul: bool = False) -> tuple[str, str]:
    """Decode input bytes to text; returns (text, encoding name). `allow_nul`: a NUL byte
    alone does not make the input binary (JSON Lines: the line holding it fails alone)."""
    if not data.strip():
        raise InputError(E.EMPTY, source=source)
    reason = binary_reason(data)
    if reason == "NUL bytes" and allow_nul:
        reason = binary_reason(data.replace(b"\x00", b""))
    if reason:
        raise InputError(E.BINARY, source=source, detail=reason)
    encoding = _bom(data) or _utf16_without_bom(data[:SNIFF_BYTES])
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(E.DECODE, source=source, detail=f"{encoding}: {exc.reason} at byte {exc.start}") from None
        if encoding == "utf-8-sig":
            encoding = "utf-8"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            best = _best_guess(data)
            if best is None:
                raise InputError(E.DECODE, source=source,
                                 detail=f"not UTF-8 ({exc.reason} at byte {exc.start}) and no other encoding fits") from None
            text, encoding = str(best), best.encoding
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError(E.EMPTY, source=source)
    return text, encoding


# When several code pages read the bytes equally well, prefer the common Western ones.
PREFERRED = ("cp1252", "latin_1", "iso8859_15")


def _best_guess(data: bytes):
    results = list(from_bytes(data))
    if not results:
        return None
    best = results[0]
    ties = [r for r in results if r.chaos <= best.chaos and r.coherence >= best.coherence - 0.01]
    for name in PREFERRED:
        for r in ties:
            if r.encoding == name:
                return r
    return best


_FEED_RE = re.compile(r"<(rss|feed|rdf:RDF)\b", re.I)
_HTML_RE = re.compile(r"<(!doctype html|html|head|body|article|p|div)\b", re.I)


def sniff_kind(text: str) -> str:
    """What a text looks like: "feed", "html", "json", "jsonl" or "text"."""
    head = text[:SNIFF_BYTES].lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        if _FEED_RE.search(head[:2000]):
            return "feed"
        if _HTML_RE.search(head[:2000]):
            return "html"
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        first = head.split("\n", 1)[0].strip()
        try:
            json.loads(first)
            return "jsonl"
        except (ValueError, RecursionError):
            return "json"
    return "text"
