"""Calibrated confidence of a statement: the chance that it is a statement and that its
speaker is right, by how the speaker was found and how sure the extraction was."""

from __future__ import annotations

# Calibrated confidence (see README, "Confidence"): how often the speaker is right, by
# how it was found, measured with `storyline eval statements` on the news and anchorage
# gold (news first: it is news in general), rounded down. Multiplied by how often the
# extraction itself is right at its extraction confidence (EXTRACTION_SURE).
CONFIDENCE = {"name": 0.95, "surname": 0.92, "pronoun": 0.88, "continued": 0.8, "description": 0.75,
              "org": 0.72, "media": 0.7, "group": 0.6, "anonymous": 0.6, "registry": 0.6,
              "org_pronoun": 0.6, "org_description": 0.6, "unnamed": 0.4, "unknown": 0.1}
EXTRACTION_SURE = ((0.8, 1.0), (0.7, 0.97), (0.6, 0.93), (0.0, 0.9))  # (extraction confidence >=, factor)


def calibrated(extraction: float | None, how: str) -> float:
    """A statement's confidence: the chance that it is a statement and its speaker is right."""
    factor = next(f for edge, f in EXTRACTION_SURE if (extraction or 0.0) >= edge)
    return round(CONFIDENCE.get(how, 0.1) * factor, 3)
