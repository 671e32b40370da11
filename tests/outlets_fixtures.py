"""A hand-built ledger for the outlet, issue and network tests: the web fixture ledger
(tests/web_fixtures.py) plus one article of another outlet on the same day, which quotes
the same actors on a ceasefire but leaves out their clustered quote. Fictional only."""

from __future__ import annotations

from pathlib import Path

from web_fixtures import build_ledger

from storyline.ledger import store as store_module
from storyline.ledger.store import Store
from storyline.model import Article, Mention, Segment, Statement, content_id

SIDE = (
    "Ilse Varga said the ceasefire must hold.\n\n"
    "Tomas Reiner rejected the ceasefire as a trap, aides said.\n\n"
    "Reiner said he would never accept the truce.\n\n"
    "Officials claimed the truce began at noon."
)


def _statement(text: str, content: str, cue_text: str, cue: str, speaker: str | None, actor_id: int | None,
               speaker_type: str = "person", affiliation: str | None = None, hedged: bool = False,
               cue_after: str = "") -> Statement:
    start = text.index(content)
    cue_start = text.index(cue_text, text.index(cue_after) + len(cue_after) if cue_after else 0)
    return Statement(start=start, end=start + len(content), text=content, kind="indirect", speaker=speaker,
                     speaker_type=speaker_type, actor_id=actor_id, cue=cue,
                     cue_span=Mention(cue_start, cue_start + len(cue_text), cue_text), hedged=hedged,
                     speaker_affiliation=affiliation, date="2026-03-03", date_basis="published", confidence=0.9,
                     extractor="test.v1", via=["Veloria Wire"] if speaker == "Ilse Varga" else [])


def build_outlets_ledger(path: str | Path) -> dict:
    ids = build_ledger(path)
    article = Article(id=content_id(SIDE), text=SIDE, source="/fixtures/lantern-side.txt", doc="lantern-side.txt",
                      sources=["/fixtures/lantern-side.txt"], outlet="Daily Beacon", title="Ceasefire: who stands where",
                      published="2026-03-03T18:00:00+01:00", published_method="test", language="en",
                      segments=[Segment(0, len(SIDE))])
    article.statements = [
        _statement(SIDE, "the ceasefire must hold", "said", "say", "Ilse Varga", 1, affiliation="Veloria"),
        _statement(SIDE, "the ceasefire as a trap", "rejected", "reject", "Tomas Reiner", 2, affiliation="Ostmark"),
        _statement(SIDE, "he would never accept the truce", "said", "say", "Tomas Reiner", 2, affiliation="Ostmark",
                   hedged=True, cue_after="\n\nReiner"),
        _statement(SIDE, "the truce began at noon", "claimed", "claim", "anonymous", None,
                   speaker_type="anonymous", cue_after="Officials"),
    ]
    hooks = list(store_module.SAVE_HOOKS)
    store_module.SAVE_HOOKS.clear()
    try:
        with Store(path) as store, store.transaction():
            store.save_article(article)
    finally:
        store_module.SAVE_HOOKS.extend(hooks)
    ids["side"] = article.id
    ids["side_statements"] = [f"{article.id}:{s.start}-{s.end}" for s in article.statements]
    return ids
