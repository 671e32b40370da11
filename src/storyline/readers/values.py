"""Field values of records and pages: strings and the one date normaliser (ISO 8601 from
ISO strings, RFC 822 dates or Unix timestamps), shared by the JSON, feed and HTML readers."""

from __future__ import annotations

from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any


def as_str(value: Any) -> str | None:
    if isinstance(value, dict):  # {"name": "Example News"} as in NewsAPI's "source"
        value = value.get("name") or value.get("title")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


def normalise_date(value: Any) -> str | None:
    """ISO 8601 from ISO strings, RFC 822 dates or Unix timestamps; None when unreadable."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            seconds = value / 1000 if value > 1e11 else value
            return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat()
        except (OverflowError, OSError, ValueError):  # NaN, infinity, beyond year 9999: unreadable
            return None
    text = as_str(value)
    if not text:
        return None
    if len(text) == 10:
        try:
            return date.fromisoformat(text).isoformat()  # a date stays a date
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
