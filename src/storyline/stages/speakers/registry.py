"""What the ledger's actor registry adds to one article's resolution: roles seen in other
articles for the people this one names, a surname's full name when unique, and a
description matched to one role-holder (role AND affiliation, never a role alone)."""

from __future__ import annotations

import re

from storyline.ledger import actors as _registry  # noqa: F401  (its save hook links statements to actors)
from storyline.ledger import store as store_module
from storyline.model import Article
from storyline.stages.speakers.cast import GENERIC_HEADS, Cast
from storyline.stages.speakers.confidence import CONFIDENCE
from storyline.stages.speakers.mentions import (
    Parsed,
    affiliation_keys,
    parse_mention,
)


def registry_describe(store, parsed: Parsed) -> str | None:
    """A description matched against roles the registry has seen in other articles."""
    if store is None:
        return None
    specific = parsed.words - GENERIC_HEADS
    if not specific or not parsed.affiliations:
        return None  # "the mayor" alone never names someone from another article: role AND affiliation
    rows = store.conn.execute(
        "SELECT a.name, r.role, COALESCE(r.affiliation, a.affiliation) AS aff, r.last_seen "
        "FROM actor_roles r JOIN actors a ON a.id = r.actor_id WHERE a.merged_into IS NULL AND a.type='person'"
    ).fetchall()
    matches = {}
    for row in rows:
        words = {w.lower() for w in re.findall(r"[\w-]+", row["role"])}
        if not specific <= words:
            continue
        aff = affiliation_keys(row["aff"] or "")
        if parsed.affiliations and not (parsed.affiliations & aff):
            continue
        matches.setdefault(row["name"], row["last_seen"] or "")
    if len(matches) == 1:
        return next(iter(matches))
    return None


def registry_name(store, name: str) -> str | None:
    """The registry's canonical name for a person named only by surname, when unique."""
    if store is None:
        return None
    from storyline.ledger.actors import actor_index, lookup

    try:
        actor_id = lookup(store.conn, actor_index(store), name, "person")
    except Exception:
        return None
    if actor_id is None:
        return None
    row = store.conn.execute("SELECT name, type FROM actors WHERE id=?", (actor_id,)).fetchone()
    return row["name"] if row and row["type"] == "person" else None


def enrich_from_registry(cast: Cast, store) -> None:
    """Roles the ledger knows for the people an article names, so "the foreign minister"
    finds the person the article itself names without a title."""
    if store is None:
        return
    from storyline.ledger.actors import actor_index, lookup

    try:
        index = actor_index(store)
        # a name the model tagged as a body that the registry knows as a person ("Ilse Varga met …")
        for offset, org in list(cast.orgs):
            words = org.split()
            if 2 <= len(words) <= 4 and cast.find(words) is None and lookup(store.conn, index, org, "person") is not None:
                row = store.conn.execute("SELECT type FROM actors WHERE id=?",
                                         (lookup(store.conn, index, org, "person"),)).fetchone()
                if row and row["type"] == "person":
                    cast.add(words, offset)
        for person in cast.people:
            actor_id = lookup(store.conn, index, person.name, "person")
            if actor_id is None:
                continue
            for row in store.conn.execute("SELECT role, affiliation FROM actor_roles WHERE actor_id=? "
                                          "ORDER BY last_seen DESC LIMIT 5", (actor_id,)):
                person.add_role(row["role"], row["affiliation"])
    except Exception:
        return


def ledger_outlets(store) -> list[str]:
    """Outlet names the ledger already knows (articles' outlets)."""
    if store is None:
        return []
    try:
        return [r[0] for r in store.conn.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")]
    except Exception:
        return []


@store_module.on_save_first
def describe_from_registry(store, article: Article) -> None:
    """Save hook, run before the registry links statements to actors: a description the
    article could not resolve ("the Velorian president") gets the one person the registry
    knows in that role, now that earlier articles of the same batch are saved."""
    for s in article.statements:
        unnamed = s.speaker == "anonymous" and s.speaker_mention is not None and \
            s.speaker_description == s.speaker_mention.text  # a role never named in the article
        if (s.speaker is not None and not unnamed) or s.speaker_mention is None or not s.speaker_mention.text.strip():
            continue
        parsed = parse_mention(article, s.speaker_mention)
        if parsed.form != "description":
            continue
        name = registry_describe(store, parsed)
        if name:
            s.speaker, s.speaker_type, s.speaker_description = name, "person", None
            s.speaker_role = s.speaker_role or parsed.role
            s.confidence = CONFIDENCE["registry"]
