"""Who, where and when of a coded event: participants from the parse, the place, the date."""

from __future__ import annotations

import re

from storyline.model import Article, TimeExpression
from storyline.stages.dates import (
    Paragraph,
    anchor_at,
    anchor_value,
    opens_background,
    statement_date,
)
from storyline.stages.events.coding import PARTY_LABELS, PLACE_LABELS, Trigger

_BACKGROUND = re.compile(r"\b(?:previously|has long|have long|had long|in the past)\b", re.IGNORECASE)


# --- parties and places ---------------------------------------------------------------------

def _phrase(token) -> str | None:
    """A party named by this token: the entity it is in, or a noun phrase naming one."""
    if token.ent_type_ and token.ent_type_ not in PARTY_LABELS:
        return None  # "Wednesday night", "two hours"
    if token.ent_type_ in PARTY_LABELS and token.ent_type_ != "NORP":
        for ent in token.doc.ents:
            if ent.start <= token.i < ent.end:
                return ent.text
    if token.pos_ == "PRON":
        return None
    appos = [c for c in token.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"]
    if appos:
        return _phrase(appos[0])
    mods = [c for c in token.children if c.dep_ in ("compound", "amod", "poss", "nmod") and c.i < token.i]
    if not mods and token.pos_ == "PROPN":
        return token.text
    if not any(m.ent_type_ in PARTY_LABELS or m.pos_ == "PROPN" for m in mods):
        return None
    start = min(m.left_edge.i for m in mods)
    while start < token.i and token.doc[start].pos_ in ("DET", "NUM"):
        start += 1
    return token.doc[start:token.i + 1].text


def _with_conjuncts(token) -> list:
    out = [token]
    for c in token.children:
        if c.dep_ == "conj":
            out.extend(_with_conjuncts(c))
    return out


def _names(tokens) -> list[str]:
    names = []
    for t in tokens:
        for tok in _with_conjuncts(t):
            name = _phrase(tok)
            if name and name not in names:
                names.append(name)
    return names


def parties(trig: Trigger) -> tuple[list[str], list[str]]:
    token = trig.token
    verb = token
    if trig.noun:
        # "talks between X and Y", "Friday's summit of A and B", "X's visit".
        between = [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("between", "of", "among")
                   for g in c.children if g.dep_ == "pobj"]
        poss = [c for c in token.children if c.dep_ == "poss"]
        actors = _names(poss + between)
        verb = token.head if token.dep_ in ("dobj", "nsubjpass", "attr", "pobj") else token
        if token.dep_ == "pobj" and token.head.head.i != token.head.i:
            verb = token.head.head
        if actors:
            return actors, []
    subj = [c for c in verb.children if c.dep_ in ("nsubj",)]
    agent = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    head = verb
    while not subj and head.dep_ in ("xcomp", "conj", "advcl") and head.head.i != head.i:
        head = head.head  # "plans to sign", "met … and agreed"
        subj = [c for c in head.children if c.dep_ == "nsubj"]
    actors = _names(subj or agent)
    objs = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    if not trig.noun:
        objs += [c for c in token.children if c.dep_ == "nsubjpass"]
    preps = [g for c in verb.children if c.dep_ == "prep" and c.lower_ in ("with", "to", "against", "on", "from", "for")
             for g in c.children if g.dep_ == "pobj"]
    recipients = [n for n in _names(objs + preps) if n not in actors]
    return actors, recipients


def location(sent, taken: set[str]) -> str | None:
    best = None
    for ent in sent.ents:
        if ent.label_ not in PLACE_LABELS or ent.text in taken:
            continue
        head = ent.root.head
        if head.dep_ == "prep" or head.lower_ in ("in", "at", "near", "to", "outside", "into", "from", "of"):
            return ent.text
        best = best or None
    return best


def canonical_names(article: Article) -> dict[str, str]:
    """Mentions -> canonical names, from the speakers the statements resolved."""
    names: dict[str, str] = {}
    for st in article.statements:
        if not st.speaker or st.speaker == "anonymous":
            continue
        names[st.speaker.casefold()] = st.speaker
        parts = st.speaker.split()
        if st.speaker_type == "person" and len(parts) > 1:
            names.setdefault(parts[-1].casefold(), st.speaker)
        if st.speaker_mention is not None:
            names.setdefault(st.speaker_mention.text.casefold(), st.speaker)
    return names


def canonical(name: str, names: dict[str, str]) -> str:
    key = name.casefold()
    if key in names:
        return names[key]
    last = name.split()[-1].casefold() if name.split() else key
    if last in names and " " in names[last] and name.split()[0][:1].isupper():
        full = names[last]
        if name.endswith(full.split()[-1]):
            return full
    return name


# --- dates ---------------------------------------------------------------------------------

def _timex_governs(t: TimeExpression, doc, base: int, trig_token) -> bool:
    span = doc.char_span(t.start - base, t.end - base, alignment_mode="expand")
    if span is None:
        return False
    token = span.root
    if token.dep_ == "poss" and token.head.i != trig_token.i:
        return False  # "last month's shoot-out" dates the shoot-out
    chain_up = set()
    x = trig_token
    for _ in range(8):
        chain_up.add(x.i)
        if x.head.i == x.i:
            break
        x = x.head
    for _ in range(10):
        if token.dep_ in ("relcl", "acl") and token.i not in chain_up:
            return False
        if token.i in chain_up:
            return True
        if token.head.i == token.i:
            return True
        token = token.head
    return True


def event_date(article: Article, paras: list[Paragraph], sent_start: int, sent_end: int, doc, base: int,
               trig: Trigger, timexes: list[TimeExpression]) -> tuple[str | None, str | None, str]:
    sentence = article.text[sent_start:sent_end]
    for t in timexes:
        if not (sent_start <= t.start and t.end <= sent_end) or not t.value or t.value.startswith(("P", "PAST", "PRESENT", "FUTURE")):
            continue
        if t.precision not in ("day", "time", "month", "week", "year"):
            continue
        if not _timex_governs(t, doc, base, trig.token):
            continue
        value, precision = t.value, t.precision
        if precision in ("time", "day"):
            value, precision = value[:10], "day"  # 2026-03-03TMO is a day
        if precision == "week":
            month = statement_date(value, "week")
            if month is None:
                continue
            value, precision = month, "month"
        return value, precision, "explicit"
    para = next((p for p in paras if p.start <= sent_start < p.end), None)
    if opens_background(sentence, para.live if para else False) or _BACKGROUND.search(sentence) or re.search(
        r"\bhad\s+(?:\w+ly\s+)?" + re.escape(trig.token.text) + r"\b", sentence
    ):
        return None, None, "none"
    anchor, basis = anchor_at(article, paras, sent_start)
    value = anchor_value(anchor)
    if value is None:
        return None, None, "none"
    return value, anchor.precision, basis
