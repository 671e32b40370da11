"""The `events` stage: sentences that report something happening, coded with PLOVER.

Triggers come from a lexicon (data/plover.yaml) of verbs, verb+particle phrases and
nouns, looked up by lemma in the spaCy parse. In each sentence a trigger governed by
another trigger gives that one its mode ("demanded the release" -> REQUEST yield);
the others become events. Each event carries its actors (subject, or the parties of a
noun: "talks between X and Y"), recipients (object, "with"/"to"/"against" parties),
location (a place named with in/at/near), date (its own time words, else the live-blog
section, else the published date; none for background "Earlier, …" sentences), and
flags: negated ("did not meet", "no deal"), hypothetical ("could", "if", "possible")
and future ("will", "plans to", "is scheduled to", "upcoming"). Events are kept and
flagged, never dropped. The evidence span is the sentence.

Clustering: reports of the same real-world event (one summit reported dozens of times)
get one `cluster_id`, the smallest event id of the cluster: same event family,
overlapping actors or location, compatible dates. It runs as a store save hook, so
every ingest keeps clusters current with no extra step; `cluster_events(conn)`
recomputes all of them.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from storyline.ledger import store as store_module
from storyline.stages.dates import (
    Paragraph,
    anchor_at,
    anchor_value,
    find_article_timexes,
    opens_background,
    paragraphs,
    sentences,
)
from storyline.model import Article, Event, Mention, TimeExpression
from storyline import components
from storyline.pipeline import Context, stage

NAME = "events.plover.rules.v1"

PARTY_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
MODALS = {"could", "would", "might", "may", "should", "can", "ca"}
FUTURE_AUX = {"will", "shall", "'ll", "’ll", "wo"}
FUTURE_HEADS = {"plan", "schedule", "set", "due", "expect", "intend", "prepare", "aim", "go", "hope", "want", "seek"}
FUTURE_AMODS = {"upcoming", "planned", "next", "future", "forthcoming", "scheduled", "proposed"}
HYPO_AMODS = {"possible", "potential", "hypothetical", "eventual", "prospective"}
PHONE_WORDS = re.compile(r"\b(?:phone|telephone|call|video ?link|by video)\b", re.IGNORECASE)
_BACKGROUND = re.compile(r"\b(?:previously|has long|have long|had long|in the past)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    text = resources.files("storyline").joinpath("data/plover.yaml").read_text(encoding="utf-8")
    lex = yaml.safe_load(text)
    lex["light_verbs"] = set(lex["light_verbs"])
    lex["speech_verbs"] = set(lex["speech_verbs"])
    lex["family_of"] = {(t, m): name for name, members in lex.get("families", {}).items() for t, m in members}
    return lex


@dataclass
class Trigger:
    token: Any
    event: str
    mode: str | None
    noun: bool
    end_token: Any = None  # last token of a phrasal trigger
    sub: list["Trigger"] = field(default_factory=list)


# --- triggers ---------------------------------------------------------------------------

def _particle(token) -> str | None:
    for c in token.children:
        if c.dep_ in ("prt", "prep", "advmod") and c.i > token.i:
            return c.lower_
        if c.dep_ == "dobj" and c.lemma_ in ("tie", "fire") and c.i > token.i:
            return c.lower_
        if c.dep_ == "prep":
            for g in c.children:
                if g.lemma_ == "alert":
                    return "alert"
    return None


def _phrasal(token, lex) -> Trigger | None:
    if token.pos_ not in ("VERB", "AUX"):
        return None
    found = {c.lower_ for c in token.children if c.i > token.i and c.dep_ in ("prt", "prep", "advmod", "dobj")}
    for c in token.children:
        if c.dep_ == "prep":
            found.update(g.lemma_ for g in c.children)
    for entry in lex["phrasal"]:
        if token.lemma_ == entry["lemma"] and entry["particle"] in found:
            return Trigger(token, entry["event"], entry.get("mode"), False)
    return None


def _has_party(token) -> bool:
    for c in token.children:
        if c.dep_ == "prep" and c.lower_ in ("with", "to") and any(
            g.ent_type_ in PARTY_LABELS or g.pos_ == "PROPN" or g.lemma_ in ("counterpart", "leader", "president")
            for g in c.subtree
        ):
            return True
    return False


def _quoted(sent) -> set[int]:
    """Token indexes inside quotation marks in the sentence."""
    inside, out = False, set()
    for tok in sent:
        if tok.text in ("“", "”", '"'):
            inside = not inside if tok.text == '"' else tok.text == "“"
            continue
        if inside:
            out.add(tok.i)
    return out


def find_triggers(sent, lex) -> list[Trigger]:
    triggers: list[Trigger] = []
    quoted = _quoted(sent)
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX"):
            if lemma in lex["speech_verbs"] and lemma not in lex["verbs"]:
                continue
            if tok.dep_ in ("amod", "compound"):
                continue  # "occupied territories", "the now-banned party": a description
            if tok.tag_ == "VBN" and tok.dep_ == "advcl" and (lemma in ("ask", "press", "question") or any(
                c.dep_ in ("advmod", "mark") and c.lower_ in ("when", "if", "as") for c in tok.children
            )):
                continue  # "when asked to comment", "Asked about Heron Point, he said …"
            phr = _phrasal(tok, lex)
            if phr is not None:
                triggers.append(phr)
                continue
            objects = {c.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr")}
            override = lex["verb_object_events"].get(lemma, {})
            hit = next((objects & {k} for k in override if k in objects), None)
            if hit:
                obj = hit.pop()
                triggers.append(Trigger(tok, override[obj], None, False))
                continue
            entry = lex["verbs"].get(lemma)
            if entry is None:
                continue
            if objects & set(entry.get("not_objects", ())):
                continue  # "released a joint statement" is not a release of prisoners
            if lemma == "ask" and any(g.dep_ == "mark" and g.lower_ in ("whether", "if")
                                      for c in tok.children if c.dep_ == "ccomp" for g in c.children):
                continue  # "asked whether …" is a question, not a request
            if lemma in lex["light_verbs"] and any(o in lex["nouns"] for o in objects):
                continue  # "sign an agreement": the noun is the event
            needs = entry.get("needs")
            if needs == "with_party" and not (_has_party(tok) or PHONE_WORDS.search(sent.text)):
                continue
            if needs == "object" and not any(c.dep_ in ("dobj", "nsubjpass") for c in tok.children):
                continue
            if needs == "with_target" and not any(c.dep_ == "prep" and c.lower_ in ("on", "at", "upon") for c in tok.children):
                continue
            triggers.append(Trigger(tok, entry["event"], entry.get("mode"), False))
            if needs == "complement":
                triggers[-1].mode = "__needs_complement__"
        elif tok.pos_ in ("NOUN", "PROPN"):
            entry = lex["nouns"].get(lemma)
            if entry is None or tok.dep_ == "compound" or tok.i in quoted:
                continue  # "the settlement process"; words inside a quotation are speech
            needs = entry.get("needs")
            if needs == "phone_call" and not PHONE_WORDS.search(sent.text[:]) and not any(
                c.lemma_ in ("phone", "telephone", "video") for c in tok.children
            ):
                continue
            if needs == "use_force" and tok.head.lemma_ != "use":
                continue
            modifiers = {c.lemma_.lower() for c in tok.children if c.dep_ in ("compound", "amod")}
            modifiers |= {g.lemma_.lower() for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                          for g in c.children if g.dep_ == "pobj"}
            if modifiers & set(entry.get("not_modifiers", ())):
                continue  # "land swaps"
            event, mode = entry["event"], entry.get("mode")
            if lemma == "strike":
                amods = {c.lemma_.lower() for c in tok.children}
                governors = {tok.head.lemma_, tok.head.head.lemma_}
                if governors & {"go", "stage", "call", "declare"} or amods & {"general", "hunger"}:
                    event, mode = "PROTEST", "hunger" if "hunger" in amods else "boycott"
            triggers.append(Trigger(tok, event, mode, True))
    return triggers


def _trigger_parent(trig: Trigger, by_token: dict) -> Trigger | None:
    """The nearest trigger that governs this one (through the dependency tree)."""
    token = trig.token
    for _ in range(12):
        if token.head.i == token.i:
            return None
        token = token.head
        if token.i in by_token:
            return by_token[token.i]
    return None


def _depth(trig: Trigger) -> float:
    """Clause depth of a trigger: hops to the root (a preposition and its object count
    once), subjects and prepositional attachments ranked after objects."""
    token, depth = trig.token, 0.0
    while token.head.i != token.i:
        if token.dep_ != "prep":
            depth += 1
        token = token.head
    if trig.token.dep_ in SUBJECTS:
        depth += 1  # "The talks ended with no deal": the object is the news
    if trig.token.dep_ == "pobj":
        depth += 0.5  # "opened an investigation into the shooting"
    return depth


OCCASION_PREPS = {"at", "in", "during", "after", "before", "ahead", "following", "since", "amid", "until"}


def _via_occasion(sub: Trigger, head: Trigger) -> bool:
    """Is `sub` attached to `head` as an occasion ("at Friday's summit", "after talks")?"""
    token = sub.token
    while token.head.i != token.i and token.head.i != head.token.i:
        if token.dep_ == "prep" and token.lower_ in OCCASION_PREPS:
            return True
        token = token.head
    return token.dep_ == "prep" and token.lower_ in OCCASION_PREPS


def _finish_mode(head: Trigger, lex, sent) -> str | None:
    mode = head.mode
    if mode == "__needs_complement__":
        mode = None
    table = lex["complement_modes"].get(head.event, {})
    subs = [s for s in head.sub if not _via_occasion(s, head) and s.token.dep_ not in SUBJECTS]
    for sub in subs:
        if head.event == "THREATEN" and sub.mode in lex["threaten_relations_modes"]:
            return "relations"
    for sub in subs:
        if mode is not None:
            break
        if sub.event in table:
            if head.event == "AGREE" and sub.event == "RETREAT" and sub.mode != "ceasefire":
                continue
            mode = table[sub.event]
        elif head.event == sub.event and sub.mode:
            mode = sub.mode
    text = sent.text
    for event, modes in lex.get("keyword_modes", {}).items():
        if head.event != event:
            continue
        for name, pattern in modes.items():
            if re.search(pattern, text, re.IGNORECASE) and (mode is None or name in lex.get("overriding_modes", ())):
                return name
    return mode


def code_sentence(sent, lex=None) -> list[tuple[Trigger, str | None]]:
    """The top-level triggers of a sentence with their final modes, most central first."""
    lex = lex or lexicon()
    triggers = find_triggers(sent, lex)
    by_token = {t.token.i: t for t in triggers}
    top: list[Trigger] = []
    for t in triggers:
        parent = _trigger_parent(t, by_token)
        if parent is not None:
            parent.sub.append(t)
        else:
            top.append(t)
    out = []
    hostile = set(lex.get("threat_complements", ()))
    for t in list(top):
        if t.mode == "__needs_complement__" and t.event == "THREATEN" and not any(x.event in hostile for x in t.sub):
            top.extend(t.sub)  # "warned that the meeting could be derailed": no threat,
            t.sub = []         # what it mentions stands on its own
    for t in top:
        if t.mode == "__needs_complement__" and not t.sub:
            # "warned that …" with no action inside: a statement, not an event.
            continue
        out.append((t, _finish_mode(t, lex, sent)))
    out.sort(key=lambda pair: (_depth(pair[0]), pair[0].noun, pair[0].token.i))
    return out


# --- flags ------------------------------------------------------------------------------

def _clause_chain(token):
    """The trigger's verb and the verbs above it up to its clause head (xcomp/aux chains)."""
    chain = [token]
    t = token
    while t.head.i != t.i and (t.dep_ in ("xcomp", "nsubjpass", "nsubj", "dobj", "pobj", "prep", "attr", "oprd", "compound", "amod")
                               or t.pos_ in ("NOUN", "PROPN", "ADP")):
        t = t.head
        chain.append(t)
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("xcomp",):
            break
    return chain


def flags(token) -> tuple[bool, bool, bool]:
    negated = hypothetical = future = False
    chain = _clause_chain(token)
    for t in chain:
        kids = list(t.children)
        if any(c.dep_ == "neg" for c in kids):
            negated = True
        if any(c.dep_ == "det" and c.lower_ == "no" for c in kids) and t.pos_ in ("NOUN", "PROPN"):
            negated = True
        auxes = {c.lower_ for c in kids if c.dep_ in ("aux", "auxpass")}
        if auxes & MODALS:
            hypothetical = True
        if auxes & FUTURE_AUX:
            future = True
        if t.i != token.i and t.lemma_ in FUTURE_HEADS and t.pos_ in ("VERB", "ADJ") and (
            t.lemma_ != "go" or t.tag_ == "VBG"  # "is going to", not "went on strike"
        ):
            future = True
        if t.pos_ in ("NOUN", "PROPN"):
            amods = {c.lower_ for c in kids if c.dep_ in ("amod", "compound")}
            if amods & FUTURE_AMODS:
                future = True
            if amods & HYPO_AMODS or any(c.dep_ == "det" and c.lower_ == "any" for c in kids):
                hypothetical = True
        if t.lemma_ in ("fail",) and t.i != token.i:
            negated = True
    # Inside an "if …" clause.
    t = token
    for _ in range(10):
        if t.dep_ == "advcl" and any(c.lower_ in ("if", "unless") for c in t.children if c.dep_ == "mark"):
            hypothetical = True
            break
        if t.head.i == t.i:
            break
        t = t.head
    return negated, hypothetical, future


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


def _canonical(name: str, names: dict[str, str]) -> str:
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
            from storyline.stages.dates import statement_date

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


# --- the stage ---------------------------------------------------------------------------

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
                actors = [_canonical(a, names) for a in actors]
                recipients = [_canonical(r, names) for r in recipients if _canonical(r, names) not in actors]
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
        name = ctx.options.event_coder
        article.events = components.get("event_coder", name)(article, name)


# --- clustering ------------------------------------------------------------------------------

def event_id(article_id: str, e: Event) -> str:
    """The id the store gives an event."""
    return f"{article_id}:{e.start}-{e.end}:{e.event_type}"


_GENERIC = {"the", "of", "and", "government", "president", "minister", "prime", "foreign", "officials", "official",
            "leader", "leaders", "side", "sides", "delegation", "delegations", "two", "'s", "’s", "mr", "ms"}


def _party_keys(names: list[str]) -> set[str]:
    keys = set()
    for name in names:
        for w in re.findall(r"[\w’']+", name.casefold()):
            w = re.sub(r"['’]s$", "", w)
            if w not in _GENERIC and len(w) > 2:
                keys.add(w)
                # "Velorian" and "Veloria", "Ostmark's": a demonym shares the country's stem.
                keys.add(w[:6])
    return keys


def family(event_type: str, mode: str | None) -> str:
    return lexicon()["family_of"].get((event_type, mode), event_type)


def _family_members(name: str) -> list[tuple[str, str]]:
    return [tuple(m) for m in lexicon().get("families", {}).get(name, [])]


WEAK_BASES = ("published", "section")
WEAK_WINDOW_DAYS = 7


def dates_compatible(a: str | None, b: str | None, basis_a: str = "explicit", basis_b: str = "explicit") -> bool:
    """Same day, or one undated or coarser and containing the other; a date taken from
    the publication or live-blog section (no time words of its own) may also be up to a
    week after the other report's own date: "the summit" reported days later."""
    if not a or not b:
        return True
    if a.startswith(b) or b.startswith(a):
        return True
    if len(a) == 10 and len(b) == 10:
        from datetime import date as _date

        da, db_ = _date.fromisoformat(a), _date.fromisoformat(b)
        if basis_a in WEAK_BASES and 0 <= (da - db_).days <= WEAK_WINDOW_DAYS:
            return True
        if basis_b in WEAK_BASES and 0 <= (db_ - da).days <= WEAK_WINDOW_DAYS:
            return True
    return False


def _prepare(r: dict) -> dict:
    r = dict(r)
    r["family"] = family(r["event_type"], r["mode"])
    r["keys"] = _party_keys(list(r["actors"]) + list(r["recipients"]))
    r["weak"] = _weak_keys(r.get("text"))
    r.setdefault("date_basis", "explicit")
    return r


def same_event(a: dict, b: dict) -> bool:
    """Two prepared rows report the same real-world event."""
    if a["family"] != b["family"] or not dates_compatible(a["date"], b["date"], a["date_basis"], b["date_basis"]):
        return False
    if a["keys"] & b["keys"]:
        return True
    if a["location"] and a["location"] == b["location"]:
        return True
    if len(a["weak"] & b["weak"]) >= 2:
        return True
    # Both dated to the same day, and one names no party: nothing contradicts.
    return bool(a["date"] and len(a["date"]) == 10 and a["date"] == b["date"] and not (a["keys"] and b["keys"]))


_CAPS = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}\b")


def _weak_keys(text: str | None) -> set[str]:
    """Capitalised words of the evidence sentence (names the coder did not assign)."""
    return {w.casefold()[:6] for w in _CAPS.findall(text or "")} - _GENERIC


def _order_key(r: dict):
    return (-(len(r["date"] or "")), BASIS_ORDER.get(r.get("date_basis"), 3), r["id"])


BASIS_ORDER = {"explicit": 0, "section": 1, "published": 2, "none": 3}


def cluster_rows(rows: list[dict]) -> dict[str, str]:
    """event id -> cluster id for rows with id, event_type, mode, actors, recipients,
    location, date (and optionally date_basis, text). Deterministic: events with their
    own precise dates first, then by id; an event joins the first cluster holding a
    report of the same event (`same_event`); the cluster id is its smallest event id."""
    clusters: list[list[dict]] = []
    for r in sorted((_prepare(r) for r in rows), key=_order_key):
        home = next((c for c in clusters if any(same_event(r, m) for m in c)), None)
        if home is None:
            clusters.append([r])
        else:
            home.append(r)
    out = {}
    for c in clusters:
        cid = min(m["id"] for m in c)
        for m in c:
            out[m["id"]] = cid
    return out


_COLUMNS = "id, event_type, mode, actors, recipients, location, date, date_basis, text, cluster_id"


def _rows(conn: sqlite3.Connection, where: str = "", args: tuple = ()) -> list[dict]:
    cur = conn.execute(f"SELECT {_COLUMNS} FROM events {where}", args)
    return [
        {"id": r[0], "event_type": r[1], "mode": r[2], "actors": json.loads(r[3] or "[]"),
         "recipients": json.loads(r[4] or "[]"), "location": r[5], "date": r[6], "date_basis": r[7],
         "text": r[8], "cluster_id": r[9]}
        for r in cur
    ]


def cluster_events(conn: sqlite3.Connection) -> int:
    """Recompute every event's cluster_id from scratch. Returns the number of clusters."""
    mapping = cluster_rows(_rows(conn))
    conn.executemany("UPDATE events SET cluster_id=? WHERE id=?", [(c, e) for e, c in mapping.items()])
    return len(set(mapping.values()))


def _date_windows(date: str | None, article_date: str | None) -> list[tuple[str, str]]:
    """Ranges of stored `date` strings that can be compatible with `date` (index ranges on
    events(event_type, date)). An undated report is looked up around its article's date."""
    from datetime import date as _date, timedelta

    def around(day: str, before: int, after: int) -> list[tuple[str, str]]:
        d = _date.fromisoformat(day)
        return [((d - timedelta(days=before)).isoformat(), (d + timedelta(days=after)).isoformat()),
                (day[:7], day[:7]), (day[:4], day[:4])]

    if date and len(date) == 10:
        return around(date, WEAK_WINDOW_DAYS, WEAK_WINDOW_DAYS)
    if date:
        return [(date, date + "~"), (date[:4], date[:4])]  # a month or year and every day in it
    if article_date and len(article_date) >= 10:
        return around(article_date[:10], 31, 0)
    if article_date:
        return [(article_date[:7], article_date[:7] + "~")]
    return []


def _candidates(conn: sqlite3.Connection, r: dict, article_id: str, article_date: str | None) -> list[dict]:
    """Stored events that may report the same event as `r`: same event family, dates in
    a compatible range (index lookups); the exact test is `same_event`."""
    types = sorted({r["event_type"]} | {t for t, _ in _family_members(r["family"])})
    out: list[dict] = []
    for lo, hi in _date_windows(r["date"], article_date):
        for t in types:
            out.extend(_rows(conn, "WHERE event_type = ? AND date BETWEEN ? AND ? AND article_id != ? "
                                   "AND cluster_id IS NOT NULL", (t, lo, hi, article_id)))
    seen, unique = set(), []
    for row in out:
        if row["id"] not in seen:
            seen.add(row["id"])
            unique.append(_prepare(row))
    return unique


@store_module.on_save
def _cluster_on_save(store, article: Article) -> None:
    """Give the article's events cluster ids among the stored events (same transaction).

    Incremental: each new event joins the cluster of the stored (or earlier new) report
    of the same event with the smallest cluster id; a cluster takes the new event's id
    when that is smaller. Stored events are looked up by type and date range (an index),
    so saving stays fast as the ledger grows; an undated report is looked up in the month
    before its article's date, and an undated stored report is not revisited by later
    articles. `cluster_events(conn)` recomputes everything from scratch.
    """
    if not article.events:
        return
    conn = store.conn
    by_id = {}
    for e in article.events:
        by_id[event_id(article.id, e)] = e
    new = sorted((_prepare({"id": eid, "event_type": e.event_type, "mode": e.mode, "actors": e.actors,
                            "recipients": e.recipients, "location": e.location, "date": e.date,
                            "date_basis": e.date_basis, "text": e.text}) for eid, e in by_id.items()), key=_order_key)
    from storyline.stages.dates import published_anchor

    sections = sorted(s.section_date for s in article.segments if s.section_date)
    anchor = sections[-1] if sections else (published_anchor(article).iso() if published_anchor(article) else None)
    placed: list[dict] = []
    for r in new:
        found = [c for c in _candidates(conn, r, article.id, anchor) + placed if same_event(r, c)]
        cid = min((c["cluster_id"] for c in found), default=r["id"])
        if r["id"] < cid:
            conn.execute("UPDATE events SET cluster_id=? WHERE cluster_id=?", (r["id"], cid))
            for p in placed:
                if p["cluster_id"] == cid:
                    p["cluster_id"] = r["id"]
            cid = r["id"]
        r["cluster_id"] = cid
        placed.append(r)
    for r in placed:
        by_id[r["id"]].cluster_id = r["cluster_id"]


# --- evaluation on labelled sentences ----------------------------------------------------------

def score_labelled(path: str, nlp=None, split: str | None = None) -> dict[str, Any]:
    """Event-type precision over hand-labelled sentences (tests/data/events_labelled.jsonl).

    `split`: "dev" (the sentences the lexicon was written against) or "heldout" (written
    after the rules were frozen); None scores both. Each sentence is coded alone; its first (most central) event is compared with the
    label. Precision = correct types / sentences with an event; coverage = sentences
    with an event / all. Mode and flag accuracy are over the sentences with the right type.
    """
    from storyline.nlp import load

    nlp = nlp or load(None)
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    if split:
        rows = [r for r in rows if r.get("split", "dev") == split]
    coded = correct = mode_ok = flags_ok = 0
    misses = []
    for row, doc in zip(rows, nlp.pipe(r["text"] for r in rows)):
        sent = next(iter(doc.sents))
        out = code_sentence(doc[sent.start:doc[-1].i + 1] if len(list(doc.sents)) > 1 else sent)
        if not out:
            misses.append({"text": row["text"], "gold": row["event_type"], "pred": None})
            continue
        coded += 1
        trig, mode = out[0]
        if trig.event != row["event_type"]:
            misses.append({"text": row["text"], "gold": row["event_type"], "pred": trig.event, "trigger": trig.token.text})
            continue
        correct += 1
        mode_ok += mode == row.get("mode")
        f = flags(trig.token)
        flags_ok += f == (row["negated"], row["hypothetical"], row["future"])
        if mode != row.get("mode") or f != (row["negated"], row["hypothetical"], row["future"]):
            misses.append({"text": row["text"], "gold": row["event_type"], "pred": trig.event,
                           "gold_mode": row.get("mode"), "pred_mode": mode,
                           "gold_flags": [row["negated"], row["hypothetical"], row["future"]], "pred_flags": list(f)})
    return {
        "sentences": len(rows),
        "coded": coded,
        "type_precision": round(correct / coded, 4) if coded else 0.0,
        "coverage": round(coded / len(rows), 4) if rows else 0.0,
        "mode_accuracy": round(mode_ok / correct, 4) if correct else 0.0,
        "flag_accuracy": round(flags_ok / correct, 4) if correct else 0.0,
        "errors": misses,
    }
