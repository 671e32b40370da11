"""Event coding: PLOVER triggers in a parsed sentence, their modes and their flags.

Triggers come from a lexicon (data/plover.yaml) of verbs, verb+particle phrases and
nouns, looked up by lemma in the spaCy parse. In each sentence a trigger governed by
another trigger gives that one its mode ("demanded the release" -> REQUEST yield);
the others become events. Flags: negated ("did not meet", "no deal"), hypothetical
("could", "if", "possible", "sought", "demanded") and future ("will", "plans to").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

NAME = "events.plover.rules.v1"

PARTY_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
MODALS = {"could", "would", "might", "may", "should", "can", "ca"}
FUTURE_AUX = {"will", "shall", "'ll", "’ll", "wo"}
FUTURE_HEADS = {"plan", "schedule", "set", "due", "intend", "prepare", "go"}
# Heads that make what they govern not (yet) real: sought, proposed, demanded, expected.
HYPO_HEADS = {"expect", "hope", "want", "seek", "aim", "try", "attempt", "propose", "push", "need", "demand", "urge",
              "call", "ask", "request", "wish", "offer", "consider", "press", "pressure", "wait", "tick", "lobby",
              "campaign", "bid", "plead", "appeal", "insist", "like", "able", "likely", "unlikely", "chance", "possibility", "prospect", "effort", "pursue", "work", "fight", "struggle", "mull", "weigh", "explore"}
# Subjects that make their clause a wish, not an act: "demands include the withdrawal".
HYPO_SUBJECTS = {"demand", "proposal", "plan", "call", "request", "condition", "aim", "goal", "hope", "offer",
                 "idea", "option", "priority", "objective", "wish", "bid", "effort"}
# Verbs whose subject is what is not yet real: "a ceasefire looms".
SUBJECT_HYPO_HEADS = {"loom", "near", "beckon", "approach", "hinge", "depend"}
EPISTEMIC = {"maybe", "perhaps", "possibly", "probably", "potentially"}
NEG_SUBJECTS = {"nobody", "none", "nothing", "neither"}
# Entities that are never events, whatever their words: "March 14", "two strikes" as a count.
NOT_EVENT_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "WORK_OF_ART", "LAW"}
# Verbs a topic hangs on: "talked of the summit", "will focus on a peace treaty".
TOPIC_VERBS = {"talk", "speak", "focus", "say", "write", "think", "comment", "ask", "question", "tell", "know",
               "hear", "learn", "report", "worry", "care", "concern", "inform", "brief", "update", "remind",
               "warn", "dream", "read", "wonder", "argue", "disagree", "debate", "joke", "testify"}
TOPIC_PREPS = {"about", "of", "on", "over", "regarding", "concerning"}
PERSON_LIKE = {"prisoner", "hostage", "detainee", "captive", "inmate", "soldier", "people", "civilian", "man", "woman",
               "journalist", "activist", "member", "national", "citizen", "child", "worker", "fighter", "crew",
               "sailor", "suspect", "guard", "fisherman", "staff", "employee", "passenger", "patient", "hostages",
               "captain", "pilot", "farmer", "priest", "nurse", "doctor", "reporter", "politician", "volunteer", "opponent", "dissident", "leader", "protester", "student", "refugee", "migrant",
               "body", "remains", "official", "troop", "hundred", "thousand", "dozen", "him", "her", "them", "he",
               "she", "they", "who"}
FUTURE_AMODS = {"upcoming", "planned", "next", "future", "forthcoming", "scheduled"}
HYPO_AMODS = {"possible", "potential", "hypothetical", "eventual", "prospective", "proposed", "mooted", "suggested",
              "desired", "sought", "hoped", "expected", "likely"}
# Attachments across which a head's meaning does not reach: the occasion or the topic.
BLOCKING_PREPS = {"in", "at", "during", "after", "before", "following", "amid", "since", "ahead", "on", "about", "of",
                  "over", "despite", "with", "by", "from"}
NEG_HEADS = {"fail", "deny", "refuse", "decline", "reject", "avoid", "cancel", "scrap", "abandon", "stop"}
REPORTING = {"say", "tell", "add", "announce", "state", "report", "claim", "insist", "confirm", "indicate", "write"}
# Heads of noun phrases that name a party one talks with ("talked to the chief").
PARTY_HEADS = {"counterpart", "leader", "president", "chief", "minister", "official", "governor", "mayor", "envoy",
               "ambassador", "delegation", "negotiator", "representative", "premier", "chancellor", "king", "prince"}
PHONE_WORDS = re.compile(r"\b(?:phone|telephone|call|video ?link|by video)\b", re.IGNORECASE)


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
    sub: list[Trigger] = field(default_factory=list)


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
            g.ent_type_ in PARTY_LABELS or g.pos_ == "PROPN" or g.lemma_ in PARTY_HEADS or g.lower_ in ("him", "her", "them")
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
    consumed: set[int] = set()
    quoted = _quoted(sent)
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.ent_type_ in NOT_EVENT_ENTS:
            continue  # "March 14", "the Paris Agreement" as a title
        if tok.pos_ in ("VERB", "AUX"):
            if lemma in lex["speech_verbs"] and lemma not in lex["verbs"]:
                continue
            if tok.dep_ in ("amod", "compound"):
                continue  # "occupied territories", "the now-banned party": a description
            if tok.tag_ == "VBN" and tok.dep_ == "advcl" and not any(c.dep_ == "nsubjpass" for c in tok.children) and (
                lemma in ("ask", "press", "question") or any(
                    c.dep_ in ("advmod", "mark") and c.lower_ in ("when", "if", "as") for c in tok.children)
            ):
                continue  # "when asked to comment", "Asked about Heron Point, he said …"
            phr = _phrasal(tok, lex)
            if phr is not None:
                triggers.append(phr)
                continue
            objects = {c.lemma_.lower() for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr")}
            if tok.dep_ == "acl" and tok.tag_ == "VBN":
                objects.add(tok.head.lemma_.lower())  # "no questions asked": a reduced passive
            if not any(c.dep_ in ("aux", "auxpass", "dobj") for c in tok.children):
                # a bare participle ("…, no questions asked", parsed with "questions" as its
                # subject): what is acted on
                objects |= {c.lemma_.lower() for c in tok.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"}
            override = lex["verb_object_events"].get(lemma, {})
            hit = next((objects & {k} for k in override if k in objects), None)
            if hit:
                obj = hit.pop()
                noun = lex["nouns"].get(obj) or {}
                mode = noun.get("mode") if noun.get("event") == override[obj] else None
                triggers.append(Trigger(tok, override[obj], mode, False))  # "struck a deal": AGREE settlement
                consumed.update(c.i for c in tok.children if c.lemma_.lower() == obj)  # "imposed a ban": one act
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
            if not _objects_fit(tok, entry, objects):
                continue  # "release the tallies", "ease the minds", "delivered a profit"
            subjects = {c.lemma_.lower() for c in tok.children if c.dep_ == "nsubj"}
            if any(c.dep_ == "prep" and c.lower_ in entry.get("not_preps", ()) for c in tok.children):
                continue  # "withdrew as counsel": resigned
            if subjects & set(entry.get("not_subjects", ())):
                continue  # "oil prices rallied"
            if entry.get("needs_agent") and any(c.dep_ == "nsubjpass" for c in tok.children) and not any(
                c.dep_ == "agent" for c in tok.children
            ):
                continue  # "their safety is threatened": no one threatens
            if needs == "with_party" and not (_has_party(tok) or PHONE_WORDS.search(sent.text)):
                continue
            if needs == "object" and not any(c.dep_ in ("dobj", "nsubjpass") for c in tok.children):
                continue
            if needs == "no_object" and any(c.dep_ in ("dobj", "ccomp") for c in tok.children):
                continue
            if needs == "place" and (any(c.dep_ == "nsubjpass" for c in tok.children) or not any(
                c.dep_ == "prep" and any(g.ent_type_ in ("GPE", "LOC", "FAC") or (g.pos_ == "PROPN" and (
                    c.lower_ in ("to", "into") or not g.ent_type_)) for g in c.subtree if g.dep_ in ("pobj", "compound"))
                and c.lower_ in ("to", "in", "at", "into") for c in tok.children
            )):
                continue  # "flew to Hallen", not "fire crews arrived" nor "the flag was flown"
            if needs == "with_target" and not any(c.dep_ == "prep" and c.lower_ in ("on", "at", "upon") for c in tok.children):
                continue
            event = entry["event"]
            if entry.get("alone") and not any(c.dep_ in ("dobj", "prep", "xcomp", "ccomp", "dative") for c in tok.children):
                event = entry["alone"]  # "Microsoft will appeal": a legal challenge, not a plea
            triggers.append(Trigger(tok, event, entry.get("mode") if event == entry["event"] else None, False))
            if needs == "complement":
                triggers[-1].mode = "__needs_complement__"
        elif tok.pos_ in ("NOUN", "PROPN"):
            entry = lex["nouns"].get(lemma)
            if entry is None or tok.dep_ == "compound" or tok.i in quoted:
                continue  # "the settlement process"; words inside a quotation are speech
            if _topic_or_audience(tok):
                continue  # "talked of the summit", "told the conference": a topic or an audience
            if entry.get("needs_of") and not any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
                continue  # "a brief release on the minister's activities": a press release
            needs = entry.get("needs")
            if needs == "phone_call" and not PHONE_WORDS.search(
                sent.text[:tok.idx - sent.start_char] + " " + sent.text[tok.idx - sent.start_char + len(tok.text):]
            ) and not any(c.lemma_ in ("phone", "telephone", "video") or c.lower_ in ("with", "between") and any(
                g.ent_type_ in PARTY_LABELS or g.lemma_ in PARTY_HEADS for g in c.subtree) for c in tok.children):
                continue  # a call with someone, or by phone: not "followed up the call"
            if needs == "use_force" and tok.head.lemma_ != "use":
                continue
            if needs == "against" and not any(c.dep_ == "prep" and c.lower_ == "against" for c in tok.children):
                continue  # "the case against X", not "in this case"
            modifiers = {c.lemma_.lower() for c in tok.children if c.dep_ in ("compound", "amod")}
            modifiers |= {g.lemma_.lower() for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "for")
                          for g in c.children if g.dep_ == "pobj"}
            if modifiers & set(entry.get("not_modifiers", ())):
                continue  # "land swaps"
            if "modifiers_any" in entry and not modifiers & set(entry["modifiers_any"]):
                continue  # "a police presence", not "a presence"
            event, mode = entry["event"], entry.get("mode")
            if entry.get("in_phrase") and tok.dep_ == "pobj" and tok.head.lower_ == "in":
                event, mode = entry["in_phrase"], None  # "withdrew in protest": disapproval, not a protest
            if lemma == "strike":
                amods = {c.lemma_.lower() for c in tok.children}
                governors = {tok.head.lemma_, tok.head.head.lemma_}
                if governors & {"go", "stage", "call", "declare"} or amods & {"general", "hunger"}:
                    event, mode = "PROTEST", "hunger" if "hunger" in amods else "boycott"
            triggers.append(Trigger(tok, event, mode, True))
    return [t for t in triggers if t.token.i not in consumed]


def _objects_fit(tok, entry: dict, objects: set[str]) -> bool:
    """A verb whose entry lists `objects_any` needs an object of that kind (or, with
    `persons`, a person or group): "released the prisoners", not "released the tallies"."""
    if "objects_any" not in entry:
        return True
    wanted = entry["objects_any"]
    kids = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    if not kids:
        return entry.get("bare_ok", False)
    wanted = set(wanted) | (PERSON_LIKE if entry.get("persons") else set())
    for k in kids:
        if k.lemma_.lower() in wanted or (entry.get("persons") and k.ent_type_ in ("PERSON", "NORP")):
            return True
    return False


def _topic_or_audience(tok) -> bool:
    """A noun that is what someone talks about, or whom they tell: not an event."""
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in TOPIC_PREPS and head.head.lemma_.lower() in TOPIC_VERBS:
        return True
    return tok.dep_ in ("dobj", "dative") and head.lemma_.lower() in ("tell", "address", "brief", "inform")


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


def _same_act(t: Trigger, by_token: dict) -> bool:
    """A verb that only goes on about the act its governing trigger names: "met … to
    discuss", "talks in Munich hosted by X", "the summit, which was held …"."""
    parent = _trigger_parent(t, by_token)
    return parent is not None and parent.event == t.event and not t.noun and \
        t.token.dep_ in ("xcomp", "advcl", "acl", "relcl") and t.token.head.i == parent.token.i


def _complement_of(t: Trigger, heads: dict, lex) -> bool:
    """Is `t` the act a REQUEST/REJECT/THREATEN head is about ("rules out a truce",
    "demanded the release")? Then it is that head's mode, not a report of its own."""
    for head in heads.values():
        if t in head.sub and head.event in ("REQUEST", "REJECT", "THREATEN") and not _via_occasion(t, head) \
                and t.token.dep_ not in SUBJECTS and t.event in lex["complement_modes"].get(head.event, {}):
            return True
    return False


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
        if head.event == "REJECT" and sub.event == "REQUEST" and sub.mode:
            mode = sub.mode  # "turned down an invitation to talks": REJECT meet
        elif sub.event in table:
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


def code_sentence(sent, lex=None, nested: bool = False) -> list[tuple[Trigger, str | None]]:
    """The top-level triggers of a sentence with their final modes, most central first.

    With `nested`, the triggers governed by another one follow, each as its own event
    ("met … to discuss a possible summit": the meeting, and the summit, which its
    flags mark as not yet real); a governed trigger that only gives its head a mode is
    still reported, since the act it names is mentioned too."""
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
    if nested:
        seen = {t.token.i for t, _ in out}
        heads = {t.token.i: t for t, _ in out}
        inner = [t for t in triggers if t.token.i not in seen and t.mode != "__needs_complement__"
                 and not _complement_of(t, heads, lex) and not _same_act(t, by_token)]
        inner.sort(key=lambda t: t.token.i)
        out += [(t, _finish_mode(t, lex, sent)) for t in inner]
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
    lexical = True  # do the words above (aim, expect, fail …) bear on the trigger?
    child = None
    for k, t in enumerate(chain):
        kids = list(t.children)
        if k > 0:
            child = chain[k - 1]
            if child.dep_ == "prep" and child.lower_ in BLOCKING_PREPS:
                break  # an occasion or a topic: "will see more police after the shooting"
            if child.dep_ in SUBJECTS and t.lemma_.lower() in SUBJECT_HYPO_HEADS and lexical:
                hypothetical = True  # "a new ceasefire looms", "a deal nears"
            if child.dep_ in SUBJECTS:
                lexical = False  # "the strikes were aimed at …"
        if any(c.dep_ == "neg" for c in kids):
            negated = True
        if any(c.dep_ == "det" and c.lower_ == "no" for c in kids) and t.pos_ in ("NOUN", "PROPN"):
            negated = True
        auxes = {c.lower_ for c in kids if c.dep_ in ("aux", "auxpass")}
        if "would" in auxes and t.dep_ == "ccomp" and t.head.lemma_ in REPORTING and t.head.tag_ == "VBD":
            future = True  # "said he would meet": the future seen from then
            auxes.discard("would")
        if auxes & MODALS:
            hypothetical = True
        if auxes & FUTURE_AUX:
            future = True
        if lexical and t.i != token.i and t.lemma_ in FUTURE_HEADS and t.pos_ in ("VERB", "ADJ") and (
            t.lemma_ != "go" or t.tag_ == "VBG"  # "is going to", not "went on strike"
        ) and "had" not in auxes:  # "had been scheduled to host": it did not happen as planned
            future = True
        if any(c.dep_ == "advmod" and c.lower_ in EPISTEMIC for c in kids):
            hypothetical = True  # "maybe a new truce will be agreed"
        if lexical and t.i != token.i and t.lemma_.lower() in HYPO_HEADS:
            hypothetical = True  # "called on the state to investigate", "hopes for a deal"
        if lexical and t.i != token.i and t.lemma_.lower() in NEG_HEADS and child is not None and \
                child.dep_ in ("xcomp", "ccomp", "pcomp"):
            negated = True  # "failed to reach", "denied meeting"; not "rejected the allegations"
        for c in kids:
            if c.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("VERB", "AUX"):
                if c.lemma_.lower() in HYPO_SUBJECTS:
                    hypothetical = True  # "demands include the withdrawal of troops"
                if c.lower_ in NEG_SUBJECTS or any(g.dep_ == "det" and g.lower_ == "no" for g in c.children):
                    negated = True  # "no one was injured"
        if t.pos_ in ("NOUN", "PROPN"):
            amods = {c.lower_ for c in kids if c.dep_ in ("amod", "compound")}
            if amods & FUTURE_AMODS:
                future = True
            if amods & HYPO_AMODS and t.i == token.i or any(c.dep_ == "det" and c.lower_ == "any" for c in kids):
                hypothetical = True
    if token.dep_ == "ROOT" and token.pos_ == "VERB" and any(c.lower_ == "to" and c.dep_ == "aux" for c in token.children):
        future = True  # a headline's "Police chiefs to meet minister"
    if hypothetical:
        future = False  # possible, sought, proposed: not announced as certain
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
