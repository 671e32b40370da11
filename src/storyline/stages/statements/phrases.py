"""spaCy phrase helpers for statement rules: the candidate records, offsets of tokens and
noun phrases, the subject of a reporting verb, media and unnamed-source phrases."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storyline.model import Article, Mention, Segment
from storyline.stages.statements.cue_words import (
    ANAPHORIC_MEDIA,
    ANON_MODIFIERS,
    ANON_NOUNS,
    find_outlet,
    is_media_phrase,
    normalise_outlet,
)
from storyline.stages.statements.quotes import QuoteIndex, trim

# ---------------------------------------------------------------- rule constants

# Dependencies of a verb's right children that belong to its content (object cues).
CONTENT_DEPS = frozenset("dobj dative oprd attr acomp xcomp ccomp prep npadvmod advmod".split())
# Prepositions that mark channel, time or place of speaking, never the content.
_FRAME_PREPS = frozenset("in on at during after before while via through from over".split())
_OBJECT_PREPS = frozenset("as for of on with to among from over about against into".split())
# Nouns of a prepositional phrase that says where a statement was made ("in a statement").
_CHANNEL_HEADS = frozenset("statement interview post speech address briefing conference call letter video "
                           "tweet message broadcast podcast remarks".split())
TAIL_PUNCT = frozenset({",", "–", "—", "-", "--"})
SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")
# Subjects that are the writer's own voice or not a speaker at all.
NOT_SPEAKERS = frozenset({"i", "we", "you", "this", "that", "there", "which", "who", "what"})
# "It said" is an organisation speaking; "it suggests that" is usually evidence, not speech.
IT_NOT_SPEECH = frozenset("suggest indicate signal hint show confirm reveal predict estimate mean".split())
_STATEMENT_NOUNS = frozenset("statement post letter message communique declaration tweet video interview "
                             "remarks speech report release address".split())
CLAUSE_JOINERS = ("while", "whereas", "but", "although", "though", "and")
INTENT_VERBS = frozenset("""want plan intend decline refuse need try expect seek like wish attempt aim
prepare hope be go have fail agree ask order allow force""".split())
WORDS = re.compile(r"\w+")


@dataclass
class Candidate:
    """A statement found in one sentence, before kinds and quotes are settled."""

    start: int
    end: int
    cue: str | None
    cue_span: Mention | None
    speaker: Mention | None
    doc_index: int
    cue_pos: int = -1  # article offset of the cue word, for nesting
    via: list[str] = field(default_factory=list)
    channel: str | None = None
    hedged: bool = False
    confidence: float = 0.7
    media: str | None = None  # outlet name when the speaker is a media outlet
    anonymous: str | None = None  # description of an unnamed source
    sibling: bool = False  # "…, adding that …": a statement hung on another
    inherited: bool = False  # the speaker was taken from the clause the cue hangs on
    tail: bool = False  # content stands before the cue
    attr_end: int = -1  # where the attribution clause ends (for "“…,” he said, “…”")
    parts: list[tuple[int, int]] = field(default_factory=list)
    kind: str | None = None
    sent: int = -1  # article offset of the sentence the cue stands in
    clause_start: int = -1  # where an independent clause holding the cue starts
    headline: bool = False  # found by the headline rules
    reporter: bool = False  # the speaker is a proper name that "reported" (likely an outlet)


class ArticleState:
    """Per-article state shared by the rules."""

    def __init__(self, article: Article, quotes: QuoteIndex):
        self.text = article.text
        self.quotes = quotes
        self.cands: list[Candidate] = []
        self.outlets: list[tuple[int, str]] = []  # (offset, outlet) mentioned so far

    def last_outlet(self, before: int) -> str | None:
        found = [name for pos, name in self.outlets if pos < before]
        return found[-1] if found else None


# ---------------------------------------------------------------- noun phrases and subjects


def tok_start(seg: Segment, tok) -> int:
    return seg.start + tok.idx


def tok_end(seg: Segment, tok) -> int:
    return seg.start + tok.idx + len(tok)


def make_mention(text: str, start: int, end: int) -> Mention:
    start, end = trim(text, start, end)
    return Mention(start, end, text[start:end])


def np_span(subj) -> tuple[int, int]:
    """Token range [i, j] of a subject noun phrase, appositions kept ("the head of the
    Church, Patriarch Kirill"), relative clauses and edge punctuation dropped."""
    skip = set()
    for child in subj.children:
        dated = child.dep_ == "prep" and any(g.ent_type_ in ("DATE", "TIME") for g in child.children)
        if child.dep_ in ("relcl", "acl", "advcl") or dated or (child.pos_ == "VERB" and child.dep_ != "compound"):
            skip.update(t.i for t in child.subtree)
            if child.left_edge.i > 0 and subj.doc[child.left_edge.i - 1].is_punct:
                skip.add(child.left_edge.i - 1)
    i, j = subj.left_edge.i, subj.i
    while j + 1 <= subj.right_edge.i and j + 1 not in skip:
        j += 1
    while i > subj.left_edge.i - 1 and i in skip:
        i += 1
    doc = subj.doc
    dashes = [k for k in range(i, j) if doc[k].text in ("—", "–", "--") or (doc[k].text == "-" and doc[k].whitespace_)]
    if dashes and (dashes[-1] < subj.i or (doc[i].text.isupper() and len(doc[i].text) > 1)):
        i = dashes[-1] + 1 if dashes[-1] < subj.i else dashes[0] + 1  # "SARN, Feb 17 — Veloria": no dateline
    while j > subj.i and (doc[j].is_punct and doc[j].text not in ")”’\"'"):
        j -= 1
    while i < subj.i and doc[i].is_punct:
        i += 1
    return i, j


def span_offsets(seg, doc, i: int, j: int) -> tuple[int, int]:
    return tok_start(seg, doc[i]), tok_end(seg, doc[j])


def absolute(verb) -> bool:
    """"with the leader dismissing X as …": the noun before the participle is its subject."""
    return verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.dep_ == "pobj" \
        and verb.head.head.lower_ == "with"


def on_statement_noun(verb) -> bool:
    """"released a statement (following the summit) blaming X": a participle that
    describes a statement, even when the parse hangs it on a nearer noun."""
    node = verb.head
    for _ in range(4):
        if node.lemma_.lower() in _STATEMENT_NOUNS:
            return True
        if node.dep_ not in ("pobj", "prep", "dobj", "acl") or node.head.i == node.i:
            return False
        node = node.head
    return False


def verb_subject(verb):
    """The verb's own subject, or the subject of the clause it hangs on."""
    own = [child for child in verb.children if child.dep_ in SUBJ_DEPS]
    if own:  # the nearest one: a parse may hang a quoted clause's subject on the cue too
        subj = min(own, key=lambda t: abs(t.i - verb.i))
        if subj.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
            return verb.head, False  # "the mayor, who said …": the antecedent speaks
        return subj, False
    if absolute(verb):
        return verb.head, False
    head, seen = verb, 0
    while head.dep_ in ("conj", "advcl", "xcomp", "acl", "pcomp", "prep", "dobj", "pobj", "ccomp") \
            and head.head.i != head.i and seen < 6:
        head = head.head
        seen += 1
        if head.lemma_ == "quote":  # "the post quoted X as saying …"
            for child in head.children:
                if child.dep_ == "dobj":
                    return child, True
        if head.pos_ in ("VERB", "AUX"):
            for child in head.children:
                if child.dep_ in SUBJ_DEPS:
                    return child, True
    return None, False


def surface_span(verb) -> tuple[int, int] | None:
    """Token range of a noun phrase standing right before the verb after a comma or closing
    mark ("…, the New York Times has reported"), for parses that lost the subject."""
    doc = verb.doc
    k = verb.i - 1
    while k >= 0 and doc[k].dep_ in ("aux", "neg", "advmod") and doc[k].head.i == verb.i:
        k -= 1
    j = k
    while k >= 0 and (doc[k].pos_ in ("PROPN", "NOUN", "DET", "ADJ", "NUM") or doc[k].tag_ == "POS"
                      or doc[k].text in ("’s", "'s", "-", ".")):
        k -= 1
    i = k + 1
    if i > j or k < 0 or doc[k].text not in (",", "–", "—", "”", '"'):
        return appositive_span(verb)
    if not any(doc[t].pos_ in ("PROPN", "NOUN") for t in range(i, j + 1)) or j - i > 8:
        return None
    return i, j


def appositive_span(verb) -> tuple[int, int] | None:
    """"…, Viktor Medvedchuk, the ex leader of the party X – Y, has said." when the parse
    lost the subject: a named person opening the comma block before the cue."""
    doc = verb.doc
    k = verb.i - 1
    while k >= 0 and doc[k].dep_ in ("aux", "neg", "advmod") and doc[k].head.i == verb.i:
        k -= 1
    if k < 1 or doc[k].text != "," or any(not t.is_punct for t in doc[verb.i + 1:verb.sent.end]):
        return None
    for ent in reversed([e for e in doc.ents if e.label_ == "PERSON" and e.end <= k
                         and e.start > verb.sent.start and k - e.start <= 30]):
        if doc[ent.start - 1].text == ",":
            return ent.start, k - 1
    return None


def surface_subject(verb):
    span = surface_span(verb)
    return verb.doc[span[1]] if span else None


def is_sibling(verb) -> bool:
    """A cue hung on a statement: "…, adding that …", "while calling X …", "… and warned"."""
    if verb.dep_ == "conj" and verb.tag_ in ("VBD", "VBZ", "VBP", "VBN") \
            and not any(ch.dep_ in ("aux", "auxpass") for ch in verb.children):
        # "Lavrov said that Moscow was ready … and rejected …" hangs on the speaker, but in
        # "he said he spoke with X and expressed …" the reported clause goes on.
        own = [ch for ch in verb.children if ch.dep_ in SUBJ_DEPS or ch.dep_ == "ccomp"]
        head_subj = [ch for ch in verb.head.children if ch.dep_ in SUBJ_DEPS]
        return bool(own) or not head_subj or head_subj[0].lower_ not in ("he", "she", "they", "i", "we")
    if verb.tag_ != "VBG" or verb.dep_ not in ("advcl", "xcomp", "conj", "acl", "ccomp", "dep"):
        return False
    k = verb.i - 1
    while k > 0 and verb.doc[k].tag_ == "RB":
        k -= 1
    return k >= 0 and verb.doc[k].lower_ in (",", "and", "while", "before", "after", "—", "–", "also")


def note_outlets(c: ArticleState, seg: Segment, doc) -> None:
    for ent in doc.ents:
        if ent.label_ in ("ORG", "PERSON", "GPE", "WORK_OF_ART", "NORP", "PRODUCT"):
            name = find_outlet(ent.text)
            if name:
                c.outlets.append((tok_start(seg, ent[0]), name))


def media_name(c: ArticleState, seg: Segment, tok, span: tuple[int, int] | None = None,
               strict: bool = False) -> str | None:
    """Outlet named by the noun phrase headed by `tok` (or token range `span`), resolving
    "the agency" to the last outlet named before it. `strict`: the outlet must head it."""
    i, j = span or np_span(tok)
    phrase = tok.doc[i:j + 1].text
    low = phrase.lower().strip()
    if low.startswith("the ") and low[4:] in ANAPHORIC_MEDIA:
        return c.last_outlet(tok_start(seg, tok))
    if is_media_phrase(phrase, tok.text, tok.lemma_, strict):
        return normalise_outlet(phrase)
    return None


def is_anonymous(subj, i: int, j: int) -> bool:
    """An unnamed source: "a source familiar with …", "officials", "unnamed US diplomats"."""
    if subj.lemma_.lower() not in ANON_NOUNS:
        return False
    span = subj.doc[i:j + 1]
    if any(t.ent_type_ == "PERSON" and t.dep_ in ("appos", "compound") for t in span):
        return False  # "official Jan Holt" is named
    dets = {t.lower_ for t in span if t.dep_ == "det" and t.head.i == subj.i}
    mods = {t.lower_ for t in subj.children if t.dep_ in ("amod", "nummod", "det")}
    plural = subj.tag_ in ("NNS", "NNPS")
    if dets & {"the", "this", "that", "these", "those"} and not (mods & ANON_MODIFIERS):
        return False
    return plural or bool(dets & {"a", "an"}) or bool(mods & ANON_MODIFIERS)


def content_from_children(verb, deps=CONTENT_DEPS, preps=_OBJECT_PREPS):
    """Token range of the verb's right children that form its content, or None."""
    first = last = None
    started = False
    for child in verb.rights:
        dep = child.dep_
        if dep in ("punct", "cc", "conj", "advcl", "parataxis", "relcl", "agent", "mark"):
            if started:
                break
            continue
        if dep == "prep":
            if child.lower_ == "according" or any(g.ent_type_ in ("DATE", "TIME") or (
                    g.dep_ == "pobj" and g.lemma_.lower() in _CHANNEL_HEADS and child.lower_ in _FRAME_PREPS)
                    for g in child.children):
                if started:
                    break
                continue
            if not started and (child.lower_ not in preps or (child.lower_ in _FRAME_PREPS
                                                              and child.lower_ not in ("for", "as"))):
                continue
        elif dep not in deps:
            if started:
                break
            continue
        if dep in ("npadvmod", "advmod") and not started:
            continue
        if not started:
            first = child.left_edge.i
            started = True
        last = child.right_edge.i
    if first is None:
        return None
    return first, last
