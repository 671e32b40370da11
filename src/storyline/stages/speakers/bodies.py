"""Organisations as speakers: a body named before in full ("the Council" after "the Northern
Seas Council"), "the ministry" for the ministry named before, the body named last."""

from __future__ import annotations

import re
from collections import Counter

from storyline.model import Article
from storyline.stages.speakers.cast import UNKNOWN, Cast, Resolved
from storyline.stages.speakers.mentions import (
    DETERMINERS,
    Parsed,
    demonym,
    media_name,
    name_lexicon,
    place_of,
)


def organisation(cast: Cast, parsed: Parsed, start: int) -> Resolved:
    lex = name_lexicon()
    name = parsed.name or ""
    words = name.split()
    # "the Council" after "the Northern Seas Council": the body named before, in full.
    if len(words) == 1 and words[0][:1].isupper() and words[0].lower() in lex["organization_heads"]:
        for offset, org in reversed(cast.orgs):
            if offset < start and len(org.split()) > 1 and org.split()[-1] == words[0]:
                return Resolved(org, "organization", "org")
    # "Ukraine's presidential office" is the Ukrainian presidential office; "Eskby's harbour
    # committee" the Eskby harbour committee (a person's "office" stays theirs).
    owned = re.fullmatch(r"(.+?)['\u2019]s\s+([a-z][\w -]*)", name)
    if owned and (demonym(owned[1]) or (cast.place_like(owned[1]) and not place_of(owned[1]))):
        name = f"{demonym(owned[1]) or owned[1]} {owned[2]}"
        words = name.split()
    # "the ministry" / "the Russian ministry": the organisation of that kind named before.
    if words and all(w.lower() in lex["organization_heads"] or place_of(w) or w.islower() for w in words) and \
            not any(w[:1].isupper() and not place_of(w) for w in words):
        head = words[-1].lower()
        for offset, org in reversed(cast.orgs):
            org_words = {w.lower() for w in org.split()}
            if offset < start and head in org_words and len(org.split()) > len(words):
                return Resolved(org, "organization", "org")
        if all(w.islower() for w in words):
            named = named_before(cast, words, start)
            if named:
                return Resolved(named, "organization", "org")
            if len(words) == 1 and head in lex["organization_heads"]:
                body = last_body(None, cast, start)  # "the agency said" after "the Federal Trade Commission"
                return Resolved(body, "organization", "org_description") if body else UNKNOWN
            return UNKNOWN
    if not name or not (words[-1][:1].isupper() or words[-1].lower() in lex["organization_heads"]):
        return UNKNOWN  # "the Ukraine issue", "the makeup of …": not a speaker
    return Resolved(name, "organization", "org")


def last_body(article: Article | None, cast: Cast, start: int) -> str | None:
    """The organisation named last before `start` (an ORG entity of the article, not an
    outlet): what "it said" or "the agency said" refers to."""
    best = None
    for offset, org in cast.orgs:
        if offset < start and org[:1].isupper() and not cast.place_like(org) and not media_name(org) and \
                not cast.find(org.split()):
            best = org
    return best


def named_before(cast: Cast, words: list[str], start: int) -> str | None:
    """The body a lower-case description stands for when the article named it before with
    a name in front ("the harbour committee" after "the Eskby harbour committee"), or in a
    sentence set in a place ("In Eskby, …, the local harbour committee said": Eskby
    harbour committee)."""
    text = cast.text[:start]
    sentence = re.split(r"(?<=[.!?\u201d\"])\s+|\n", text)[-1]
    setting = re.match(r"\s*In ([A-Z][\w-]*(?: [A-Z][\w-]*)?),", sentence)
    if setting and cast.place_like(setting[1]):
        body = [w for w in words if w not in ("local", "town", "city", "village")]
        if body:
            return " ".join([setting[1], *body])
    for n in range(len(words), 1, -1):
        tail = r"\s+".join(re.escape(w) for w in words[-n:])
        found = None
        for m in re.finditer(rf"((?:[A-Z][\w-]*\s+){{1,3}}?)(?:['\u2019]s\s+)?{tail}\b", text):
            found = m
        if found:
            run = " ".join(w for w in found.group(1).split() if w.lower() not in DETERMINERS)
            # a place or a body the model recognised, not any capitalised word ("Meanwhile")
            if run and (place_of(run) or cast.place_like(run) or
                        any(cast.labels.get(run, Counter())[label] for label in ("ORG", "NORP", "GPE", "LOC"))):
                return " ".join([run, *words[-n:]])
    return None
