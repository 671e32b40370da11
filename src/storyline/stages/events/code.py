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

from storyline import components
from storyline.model import Article, Event, Mention
from storyline.pipeline import Context, stage
from storyline.stages.dates import find_article_timexes, paragraphs, sentences
from storyline.stages.events.cluster import cluster_events, cluster_rows
from storyline.stages.events.coding import NAME, code_sentence, flags, lexicon
from storyline.stages.events.participants import (
    SYMMETRIC,
    Resolver,
    arrange,
    canonical,
    canonical_names,
    collective,
    event_date,
    location,
    parties,
)

__all__ = ["NAME", "cluster_events", "cluster_rows", "code_article", "code_sentence", "events_stage"]


def code_article(article: Article, extractor: str = NAME, cast=None) -> list[Event]:
    """The events of one article. `cast`: the speakers stage's cast of the article, if
    it is at hand (else it is built on first use)."""
    lex = lexicon()
    paras = paragraphs(article)
    timexes = article.timexes or find_article_timexes(article, paras)
    names = canonical_names(article)
    resolver = Resolver(article, cast)
    events: list[Event] = []
    lemmas: list[str] = []  # the trigger word of each event
    last_parties: dict[str, list[str]] = {}  # event type -> the parties of its last report
    for seg, doc in article.docs:
        base = seg.start
        resolver.base = base
        for sent in sentences(doc):
            coded = code_sentence(sent, lex, nested=True)
            if not coded:
                continue
            s0, s1 = base + sent.start_char, base + sent.end_char
            told: set[tuple[str, str]] = set()
            at = {t.token.i: t.event for t, _ in coded}
            for trig, mode in coded:
                if trig.noun and nested_in_event(trig, at):
                    continue
                said = (trig.event, trig.token.lemma_.lower())
                if trig.noun and said in told:
                    continue  # "talks …: tripartite talks in Khartoum": one event named twice
                if trig.noun:
                    told.add(said)
                actors, recipients = parties(trig, resolver)
                actors = _unique(resolver.fullest(canonical(a, names)) for a in actors)
                recipients = [r for r in _unique(resolver.fullest(canonical(r, names)) for r in recipients)
                              if r not in actors]
                actors, recipients = arrange(trig.event, mode, actors, recipients)
                told_before = last_parties.get(trig.event)
                if trig.event in SYMMETRIC and actors and all(map(collective, actors)):
                    told_before = told_before or last_parties.get("joint")  # "both sides agreed"
                if told_before and (
                    (trig.noun and not actors) or (trig.event in SYMMETRIC and (not actors or all(map(collective, actors))))
                ):
                    # "the talks", "the two leaders met", "both sides agreed": the parties of the
                    # last report of that kind in the article (an event or parties already told).
                    actors = [a for a in told_before if a not in recipients]
                if actors and not all(map(collective, actors)):
                    last_parties[trig.event] = actors
                    if trig.event in SYMMETRIC and len(actors) > 1:
                        last_parties["joint"] = actors
                negated, hypothetical, future = flags(trig.token)
                date, precision, basis = event_date(article, paras, s0, s1, doc, base, trig, timexes)
                if basis in ("published", "section") and hypothetical and not future:
                    # sought, proposed, possible: nothing has happened to date; never the article's date
                    date, precision, basis = None, None, "none"
                last = trig.end_token or trig.token
                t0, t1 = base + trig.token.idx, base + last.idx + len(last)
                events.append(Event(
                    start=s0, end=s1, text=article.text[s0:s1], event_type=trig.event, mode=mode,
                    actors=actors, recipients=recipients, location=location(sent, set(actors) | set(recipients), trig),
                    date=date, precision=precision, date_basis=basis, negated=negated,
                    hypothetical=hypothetical, future=future, trigger=Mention(t0, t1, article.text[t0:t1]),
                    confidence=0.4 if trig.noun else 0.6, extractor=extractor,
                ))
                lemmas.append(trig.token.lemma_.lower())
    same_event_dates(events, lemmas)
    return events


TOPIC_PREPS = {"on", "about", "over", "regarding"}


def nested_in_event(trig, at: dict[int, str]) -> bool:
    """A noun trigger that only names what another event of the sentence is about ("an
    agreement on that meeting") or a part of it ("talks with US-backed mediation"): no
    event mention of its own."""
    tok = trig.token
    if tok.dep_ != "pobj" or tok.head.dep_ != "prep":
        return False
    gov = tok.head.head
    if gov.i not in at or gov.i == tok.i:
        return False
    return tok.head.lower_ in TOPIC_PREPS or at[gov.i] == trig.event


def same_event_dates(events: list[Event], lemmas: list[str]) -> None:
    """An event the article dates only by its own day ("the talks failed", published
    date) takes the date of another report of the same event in the article that gives
    its own day ("talks on Thursday"): the same type, and the same parties or the same
    trigger word; the nearest such report, earlier ones first. Only for realised events
    and only a date before the published one (the report tells of what already happened)."""
    dated = [(i, e) for i, e in enumerate(events) if e.date_basis == "explicit" and e.date]
    if not dated:
        return
    for i, e in enumerate(events):
        if e.date_basis != "published" or e.hypothetical or e.future or e.negated or not e.date:
            continue
        same = [(abs(i - j) + (0 if j < i else 0.5), o) for j, o in dated
                if o.event_type == e.event_type and not o.hypothetical and o.date < e.date
                and (lemmas[j] == lemmas[i] or set(o.actors) & set(e.actors))]
        if same:
            other = min(same, key=lambda x: x[0])[1]
            e.date, e.precision, e.date_basis = other.date, other.precision, "report"


def _unique(names) -> list[str]:
    out: list[str] = []
    for n in names:
        if n and n not in out:
            out.append(n)
    return out


@stage("events", requires=("docs", "speakers"), assigns=("events",), analysed_only=True)
def events_stage(articles: list[Article], ctx: Context) -> None:
    name = ctx.options.event_coder
    coder = components.get("event_coder", name)
    casts = ctx.cache.get("casts") or {}
    for article in articles:
        found = casts.get(id(article))
        cast = found[1] if found is not None and found[0] is article else None
        # the speakers stage's cast of this article when it built one (no second build)
        article.events = coder(article, name, cast=cast) if cast is not None and coder is code_article \
            else coder(article, name)
