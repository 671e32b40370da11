"""The `events` stage: sentences that report something happening, coded with PLOVER.

Coding (triggers, modes, flags) is in `coding`, participants, place and date in
`participants`, clustering across reports in `cluster` (a store save hook). Each event
carries its actors (subject, passive agent, or the parties of a noun: "talks between X
and Y"), recipients (object, "with"/"to"/"against" parties), location (a place named
with in/at/near), date (its own time words, else the live-blog section, else the
published date; none for background "Earlier, …" sentences), and flags. The evidence
span is the sentence; the trigger keeps its own offsets.
"""

from __future__ import annotations

from storyline.model import Article, Event, Mention
from storyline.pipeline import Context, stage
from storyline.stages.dates import find_article_timexes, paragraphs, sentences
from storyline.stages.events.cluster import cluster_events, cluster_rows
from storyline.stages.events.coding import NAME, code_sentence, flags, lexicon
from storyline.stages.events.participants import (
    canonical,
    canonical_names,
    event_date,
    location,
    parties,
)

__all__ = ["NAME", "cluster_events", "cluster_rows", "code_article", "code_sentence", "events_stage"]


def code_article(article: Article, extractor: str = NAME) -> list[Event]:
    lex = lexicon()
    paras = paragraphs(article)
    timexes = article.timexes or find_article_timexes(article, paras)
    names = canonical_names(article)
    events: list[Event] = []
    for seg, doc in article.docs:
        base = seg.start
        for sent in sentences(doc):
            coded = code_sentence(sent, lex)
            if not coded:
                continue
            s0, s1 = base + sent.start_char, base + sent.end_char
            seen_types = set()
            for trig, mode in coded:
                if trig.event in seen_types:
                    continue
                seen_types.add(trig.event)
                actors, recipients = parties(trig)
                actors = [canonical(a, names) for a in actors]
                recipients = [canonical(r, names) for r in recipients if canonical(r, names) not in actors]
                negated, hypothetical, future = flags(trig.token)
                date, precision, basis = event_date(article, paras, s0, s1, doc, base, trig, timexes)
                last = trig.end_token or trig.token
                t0, t1 = base + trig.token.idx, base + last.idx + len(last)
                events.append(Event(
                    start=s0, end=s1, text=article.text[s0:s1], event_type=trig.event, mode=mode,
                    actors=actors, recipients=recipients, location=location(sent, set(actors) | set(recipients)),
                    date=date, precision=precision, date_basis=basis, negated=negated,
                    hypothetical=hypothetical, future=future, trigger=Mention(t0, t1, article.text[t0:t1]),
                    confidence=0.4 if trig.noun else 0.6, extractor=extractor,
                ))
    return events


@stage("events", requires=("docs", "speakers"), assigns=("events",), analysed_only=True)
def events_stage(articles: list[Article], ctx: Context) -> None:
    for article in articles:
        article.events = code_article(article, ctx.options.event_coder)
