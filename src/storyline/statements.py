"""The `statements` stage: find every statement an article attributes to someone.

Rules over the dependency parse (no second model): a reporting verb from `cues.py`
and its subject give the cue and the speaker mention; the content is the verb's
clausal complement ("X said that …"), its object for verbs like welcome or describe,
or the clause before it ("…, X has said"). "According to X", attributing headlines
("Moscow: …", "Kremlin Confirms …"), transcript labels ("PUTIN: …"), "reportedly",
and quotations (paired in `quotes.py`) add the rest. Speakers are left as the
mention written in the text; the `speakers` stage resolves them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import cues
from .model import Article, Mention, Segment, Statement
from .pipeline import Context, stage
from .quotes import ALL_MARKS, CLOSERS, SINGLE_CLOSE, STRAIGHT, QuoteIndex, classify, find_quotes, trim

# Dependencies of a verb's right children that belong to its content (object cues).
_CONTENT_DEPS = frozenset("dobj dative oprd attr acomp xcomp ccomp prep npadvmod advmod".split())
# Prepositions that mark channel, time or place of speaking, never the content.
_FRAME_PREPS = frozenset("in on at during after before while via through from over".split())
_OBJECT_PREPS = frozenset("as for of on with to among from over about against into".split())
_TAIL_PUNCT = frozenset({",", "–", "—", "-", "--"})
_SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")
_NOT_SPEAKERS = frozenset({"i", "we", "you", "it", "this", "that", "there", "which", "who", "what"})
_STATEMENT_NOUNS = frozenset("statement post letter message communique declaration tweet video interview "
                             "remarks speech report release address".split())
_LABEL_STOP = frozenset("""photo photos video videos image images source sources update updated live watch
listen read editor author note notes related tags credit caption file breaking exclusive opinion
analysis comment see also more by published date time copyright advertisement share""".split())
_CLAUSE_JOINERS = ("while", "whereas", "but", "although", "though", "and")
_INTENT_VERBS = frozenset("""want plan intend decline refuse need try expect seek like wish attempt aim
prepare hope be go have fail agree ask order allow force""".split())
_MEDIA_VERBS = frozenset("report claim say write note add reveal".split())
_SENT_END = re.compile(r"[.!?…][\"”’)\]]*\s*$")
_WORDS = re.compile(r"\w+")
_LABEL_RE = re.compile(r"^\s*([A-Z][\w.'’\- ]{0,60}?)\s*:\s+(\S.*)$", re.S)


@dataclass
class _Cand:
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


class _Ctx:
    """Per-article state shared by the rules."""

    def __init__(self, article: Article, quotes: QuoteIndex):
        self.text = article.text
        self.quotes = quotes
        self.cands: list[_Cand] = []
        self.outlets: list[tuple[int, str]] = []  # (offset, outlet) mentioned so far

    def last_outlet(self, before: int) -> str | None:
        found = [name for pos, name in self.outlets if pos < before]
        return found[-1] if found else None


@stage("statements", requires=("docs",), assigns=("statements",), analysed_only=True)
def statements(articles: list[Article], ctx: Context) -> None:
    for article in articles:
        article.statements = extract(article, ctx.options.statement_extractor)


def extract(article: Article, extractor: str = "statements.rules.v1") -> list[Statement]:
    """All statements of one parsed article, in text order."""
    text = article.text
    spans = [(seg.start, seg.end) for seg, _ in article.docs]
    index = QuoteIndex(find_quotes(text, spans))
    c = _Ctx(article, index)
    for n, (seg, doc) in enumerate(article.docs):
        _note_outlets(c, seg, doc)
        if seg.kind in ("title", "heading") and _headline(c, seg, doc, n):
            continue
        if seg.kind not in ("title", "heading"):
            _label(c, seg, doc, n, caps_only=True)
        for sent in doc.sents:
            _sentence(c, seg, doc, sent, n)
    _resolve_nesting(c)
    _quote_statements(c, article)
    return _finish(c, extractor)


# ---------------------------------------------------------------- helpers


def _off(seg: Segment, tok) -> int:
    return seg.start + tok.idx


def _end(seg: Segment, tok) -> int:
    return seg.start + tok.idx + len(tok)


def _mention(text: str, start: int, end: int) -> Mention:
    start, end = trim(text, start, end)
    return Mention(start, end, text[start:end])


def _speaker_tokens(subj) -> tuple[int, int]:
    """Token range [i, j] of a subject noun phrase, appositions kept ("the head of the
    Church, Patriarch Kirill"), relative clauses and edge punctuation dropped."""
    skip = set()
    for child in subj.children:
        if child.dep_ in ("relcl", "acl", "advcl"):
            skip.update(t.i for t in child.subtree)
            if child.left_edge.i > 0 and subj.doc[child.left_edge.i - 1].is_punct:
                skip.add(child.left_edge.i - 1)
    i, j = subj.left_edge.i, subj.i
    while j + 1 <= subj.right_edge.i and j + 1 not in skip:
        j += 1
    while i > subj.left_edge.i - 1 and i in skip:
        i += 1
    doc = subj.doc
    while j > subj.i and (doc[j].is_punct and doc[j].text not in ")”’\"'"):
        j -= 1
    while i < subj.i and doc[i].is_punct:
        i += 1
    return i, j


def _phrase(seg, doc, i: int, j: int) -> tuple[int, int]:
    return _off(seg, doc[i]), _end(seg, doc[j])


def _absolute(verb) -> bool:
    """"with the leader dismissing X as …": the noun before the participle is its subject."""
    return verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.dep_ == "pobj" \
        and verb.head.head.lower_ == "with"


def _subject(verb):
    """The verb's own subject, or the subject of the clause it hangs on."""
    own = [child for child in verb.children if child.dep_ in _SUBJ_DEPS]
    if own:  # the nearest one: a parse may hang a quoted clause's subject on the cue too
        return min(own, key=lambda t: abs(t.i - verb.i)), False
    if _absolute(verb):
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
                if child.dep_ in _SUBJ_DEPS:
                    return child, True
    return None, False


def _surface_span(verb) -> tuple[int, int] | None:
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
        return _appositive_span(verb)
    if not any(doc[t].pos_ in ("PROPN", "NOUN") for t in range(i, j + 1)) or j - i > 8:
        return None
    return i, j


def _appositive_span(verb) -> tuple[int, int] | None:
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


def _surface_subject(verb):
    span = _surface_span(verb)
    return verb.doc[span[1]] if span else None


def _is_sibling(verb) -> bool:
    """A cue hung on a statement: "…, adding that …", "while calling X …", "… and warned"."""
    if verb.dep_ == "conj" and verb.tag_ in ("VBD", "VBZ", "VBP", "VBN") \
            and not any(ch.dep_ in ("aux", "auxpass") for ch in verb.children):
        # "Lavrov said that Moscow was ready … and rejected …" hangs on the speaker, but in
        # "he said he spoke with X and expressed …" the reported clause goes on.
        own = [ch for ch in verb.children if ch.dep_ in _SUBJ_DEPS or ch.dep_ == "ccomp"]
        head_subj = [ch for ch in verb.head.children if ch.dep_ in _SUBJ_DEPS]
        return bool(own) or not head_subj or head_subj[0].lower_ not in ("he", "she", "they", "i", "we")
    if verb.tag_ != "VBG" or verb.dep_ not in ("advcl", "xcomp", "conj", "acl", "ccomp", "dep"):
        return False
    k = verb.i - 1
    while k > 0 and verb.doc[k].tag_ == "RB":
        k -= 1
    return k >= 0 and verb.doc[k].lower_ in (",", "and", "while", "before", "after", "—", "–", "also")


def _note_outlets(c: _Ctx, seg: Segment, doc) -> None:
    for ent in doc.ents:
        if ent.label_ in ("ORG", "PERSON", "GPE", "WORK_OF_ART", "NORP", "PRODUCT"):
            name = cues.find_outlet(ent.text)
            if name:
                c.outlets.append((_off(seg, ent[0]), name))


def _media_name(c: _Ctx, seg: Segment, tok) -> str | None:
    """Outlet named by the noun phrase headed by `tok`, resolving "the agency" to the last outlet."""
    i, j = _speaker_tokens(tok)
    phrase = tok.doc[i:j + 1].text
    low = phrase.lower().removeprefix("the ").strip()
    if low in cues.ANAPHORIC_MEDIA:
        return c.last_outlet(_off(seg, tok))
    if cues.is_media_phrase(phrase, tok.lemma_):
        return cues.normalise_outlet(phrase)
    return None


def _anonymous(subj, i: int, j: int) -> bool:
    """An unnamed source: "a source familiar with …", "officials", "unnamed US diplomats"."""
    if subj.lemma_.lower() not in cues.ANON_NOUNS:
        return False
    span = subj.doc[i:j + 1]
    if any(e.label_ == "PERSON" for e in span.ents):
        return False
    dets = {t.lower_ for t in span if t.dep_ == "det" and t.head.i == subj.i}
    mods = {t.lower_ for t in subj.children if t.dep_ in ("amod", "nummod", "det")}
    plural = subj.tag_ in ("NNS", "NNPS")
    if dets & {"the", "this", "that", "these", "those"} and not (mods & cues.ANON_MODIFIERS):
        return False
    return plural or bool(dets & {"a", "an"}) or bool(mods & cues.ANON_MODIFIERS)


def _content_from_children(verb, deps=_CONTENT_DEPS, preps=_OBJECT_PREPS):
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
            if child.lower_ == "according" or any(g.ent_type_ in ("DATE", "TIME") for g in child.children):
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


# ---------------------------------------------------------------- sentence rules


def _sentence(c: _Ctx, seg: Segment, doc, sent, n: int) -> None:
    found_before = len(c.cands)
    for tok in sent:
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            _verb(c, seg, doc, sent, tok, n)
    for tok in sent:
        if tok.lower_ == "according":
            _according(c, seg, doc, sent, tok, n)
    here = c.cands[found_before:]
    for tok in sent:
        low = tok.lower_
        if low in cues.HEDGE_ADVERBS:
            pos = _off(seg, tok)
            holders = [k for k in here if k.start <= pos < k.end or k.cue_span and
                       abs(k.cue_pos - pos) < 40 and tok.head.i == _tok_at(doc, seg, k.cue_pos)]
            if holders:
                for k in holders:
                    k.hedged = True
            elif low in cues.SOURCE_ADVERBS and tok.head.pos_ in ("VERB", "AUX"):
                _reportedly(c, seg, doc, sent, tok, n)


def _tok_at(doc, seg: Segment, pos: int) -> int:
    for t in doc:
        if seg.start + t.idx == pos:
            return t.i
    return -1


def _verb(c: _Ctx, seg: Segment, doc, sent, verb, n: int) -> None:
    text = c.text
    lemma = cues.verb_lemma(verb.lower_, verb.lemma_.lower())
    cue = lemma
    particle = None
    for child in verb.children:
        key = (lemma, child.lower_)
        if key in cues.PHRASAL_CUES and child.dep_ in ("prt", "acomp", "oprd", "ccomp", "advmod", "dobj", "amod"):
            cue, particle = cues.PHRASAL_CUES[key], child
    if particle is None and lemma not in cues.ALL_VERB_CUES:
        return
    pos = _off(seg, verb)
    if c.quotes.at(pos) is not None:
        return  # a verb inside quoted words belongs to the quoted speaker's own speech
    if verb.dep_ in ("amod", "compound"):
        return
    if verb.dep_ in ("relcl", "acl") and not (verb.dep_ == "acl" and verb.head.lemma_.lower() in _STATEMENT_NOUNS) \
            and not _absolute(verb):
        relative = any(t.tag_ in ("WDT", "WP", "WP$", "WRB") or (t.lower_ == "that" and t.dep_ != "mark")
                       for t in verb.subtree if t.i < verb.i)
        own_subj = any(ch.dep_ in _SUBJ_DEPS for ch in verb.children)
        has_clause = any(ch.dep_ == "ccomp" for ch in verb.children)
        reduced = verb.tag_ == "VBN" and not any(ch.dep_ == "aux" for ch in verb.children)
        if (relative and not has_clause) or reduced or not (own_subj or has_clause):
            return
    if any(ch.dep_ in ("auxpass", "nsubjpass") for ch in verb.children):
        _passive(c, seg, doc, sent, verb, n)
        return
    if any(ch.lower_ == "to" and ch.dep_ == "aux" for ch in verb.children) and verb.dep_ == "xcomp" \
            and verb.head.lemma_.lower() in _INTENT_VERBS:
        return  # "wants to say", "declined to comment": not a statement made

    if verb.tag_ == "VBN" and (verb.i == sent.start or doc[verb.i - 1].is_punct) \
            and not any(ch.dep_ in ("aux", "auxpass") + _SUBJ_DEPS for ch in verb.children) \
            and _surface_span(verb) is None:
        return  # "Asked whether …, Rell said": a passive participle, not the speaker's cue
    subj, inherited = _subject(verb)
    surface = _surface_subject(verb) if (subj is None or inherited or _appositive_span(verb)) else None
    if surface is not None:
        subj, inherited = surface, False
    sibling = _is_sibling(verb) and surface is None
    clause_start = -1
    if subj is not None and not inherited and surface is None and subj.i < verb.i:
        lead = subj.left_edge.i
        if lead >= 2 and doc[lead - 1].lower_ in _CLAUSE_JOINERS and doc[lead - 2].text in (",", ";"):
            sibling, clause_start = True, _off(seg, doc[lead])  # "…, while Rell said …"
    if subj is None or subj.lower_ in _NOT_SPEAKERS or subj.lower_ in ("there",):
        if not sibling:
            return

    span = _content(c, seg, doc, sent, verb, lemma, cue, particle, subj)
    if span is None:
        return
    start, end, cue, tail = span
    if end <= start or not _WORDS.search(text[start:end]):
        return

    speaker = None
    anonymous = media = None
    if subj is not None:
        i, j = _speaker_tokens(subj) if surface is None else _surface_span(verb)
        speaker = _mention(text, *_phrase(seg, doc, i, j))
        if _anonymous(subj, i, j):
            anonymous = speaker.text
        media = _media_name(c, seg, subj)
    cand = _Cand(start=start, end=end, cue=cue, cue_span=Mention(pos, _end(seg, verb), verb.text),
                 speaker=speaker, doc_index=n, cue_pos=pos, sibling=sibling, tail=tail,
                 confidence=0.8 if not sibling else 0.7, media=media, anonymous=anonymous,
                 inherited=inherited, sent=_off(seg, sent[0]), clause_start=clause_start)
    if inherited and not sibling:
        cand.confidence = 0.6
    cand.hedged = lemma in cues.HEDGE_CUES
    _frame(c, seg, doc, verb, cand)
    if tail:
        cand.attr_end = _end(seg, verb.right_edge) if not _has_inner_cue(verb) else -1
        more = _tail_continuation(c, seg, doc, verb)
        if more is not None:
            cand.parts = [(start, end), more]
            cand.end = more[1]
            cand.attr_end = -1
    c.cands.append(cand)


def _tail_continuation(c: _Ctx, seg, doc, verb) -> tuple[int, int] | None:
    """"A is so, he added, and “B …”": the words after the cue that go on with the content."""
    k = verb.i + 1
    frame = set()
    for child in verb.rights:
        if child.dep_ in ("prep", "advmod", "npadvmod", "dative", "dobj", "agent", "prt"):
            frame.update(t.i for t in child.subtree)
    while k < len(doc) and k in frame:
        k += 1
    if k + 1 >= len(doc) or doc[k].text != ",":
        return None
    if doc[k + 1].lower_ in ("and", "but") and k + 2 < len(doc):
        first = doc[k + 2]
    elif doc[k + 1].pos_ in ("AUX", "VERB") and doc[k + 1].tag_ != "VBG" and doc[k + 1].dep_ != "advcl":
        first = doc[k + 1]  # "The plan, officials say, could take months."
    else:
        return None
    start = _off(seg, first)
    q = c.quotes.opening_at(start)
    if q is not None:
        return start, q.close + 1
    last = first.sent[-1]
    while last.i > first.i and last.is_punct:
        last = doc[last.i - 1]
    if last.i <= first.i:
        return None
    return start, _end(seg, last)


def _has_inner_cue(verb) -> bool:
    return any(t.i > verb.i and (t.lemma_.lower() in cues.ALL_VERB_CUES and t.pos_ == "VERB") for t in verb.subtree)


def _content(c: _Ctx, seg, doc, sent, verb, lemma, cue, particle, subj):
    """(start, end, cue, tail) of the verb's content in the article, or None."""
    text = c.text
    # 1. "X said: “…”" / "X added, “…”": the quote after a colon or comma.
    k = verb.i + 1
    limit = min(sent.end + 3, len(doc), verb.i + 12)
    while k < limit:
        t = doc[k]
        if t.text in (":", ","):
            after = _off(seg, t) + 1
            while after < len(text) and text[after].isspace():
                after += 1
            q = c.quotes.opening_at(after)
            if q is not None and (t.text == ":" or k == verb.i + 1 or lemma in ("say", "add", "write")):
                return q.open, q.close + 1, cue, False
            break
        if t.text in ALL_MARKS or t.lower_ == "that" or t.pos_ in ("VERB", "AUX"):
            break
        if verb.i not in (t.head.i, t.head.head.i, t.head.head.head.i):
            break
        k += 1
    # 2. a clause: "X said (that) …"
    for child in verb.rights:
        if child.dep_ == "ccomp" or (child.dep_ == "xcomp" and lemma in ("say", "add") and False):
            i = child.left_edge.i
            while i <= child.i and doc[i].dep_ in ("mark", "punct") and doc[i].lower_ in ("that", ",", ":"):
                i += 1
            if doc[i].dep_ == "mark" and doc[i].lower_ == "that":
                i += 1
            j = child.right_edge.i
            for t in doc[child.i:j + 1]:
                if t.lower_ == "according" and t.head.i == child.i and t.i > i:
                    j = t.i - 1
                    while j > i and doc[j].is_punct:
                        j -= 1
                    break
            return _off(seg, doc[i]), _end(seg, doc[j]), cue, False
    # 3. express/voice hope, call for, make clear, claim nouns
    for child in verb.rights:
        if child.dep_ == "dobj" and child.lemma_.lower() in cues.CLAIM_NOUNS | cues.HOPE_NOUNS:
            for gc in child.rights:
                if gc.dep_ in ("acl", "ccomp", "relcl", "xcomp") or (gc.dep_ == "prep" and gc.lower_ == "for"):
                    i = gc.left_edge.i
                    if doc[i].lower_ in ("that", "for") and i < gc.right_edge.i:
                        i += 1
                    name = f"{cue} {child.lemma_.lower()}" if lemma in ("express", "voice") else cue
                    return _off(seg, doc[i]), _end(seg, gc.right_edge), name, False
    if particle is not None and cue == "make clear":
        for t in particle.subtree:
            if t.dep_ == "ccomp":
                return _off(seg, t.left_edge), _end(seg, t.right_edge), cue, False
    if lemma == "call":
        for child in verb.rights:  # "calling for X to be involved": "for" parsed as a marker
            if child.dep_ in ("advcl", "ccomp", "xcomp") and child.left_edge.lower_ == "for" \
                    and child.left_edge.i < child.right_edge.i:
                return _off(seg, doc[child.left_edge.i + 1]), _end(seg, child.right_edge), "call for", False
        for child in verb.rights:
            if child.dep_ == "prep" and child.lower_ in ("for", "on"):
                rng = _content_from_children(verb)
                objs = [g for g in child.children if g.dep_ == "pobj"]
                if objs:
                    end_tok = rng[1] if rng else objs[0].right_edge.i
                    return _off(seg, objs[0].left_edge), _end(seg, doc[max(end_tok, objs[0].right_edge.i)]), \
                        f"call {child.lower_}", False
        objs = [ch for ch in verb.rights if ch.dep_ in ("dobj", "oprd", "attr", "ccomp", "xcomp", "acomp")]
        appos = any(g.dep_ == "appos" for o in objs for g in o.children)
        quoted = bool(objs) and bool(c.quotes.within(_off(seg, objs[0]), _end(seg, verb.right_edge)))
        if len(objs) < 2 and not appos and not quoted:
            return None
    # 4. objects: "welcomed X", "described X as Y", "urged X to Y"
    if lemma in cues.OBJECT_CUES or lemma in cues.XCOMP_CUES or particle is not None:
        deps = _CONTENT_DEPS if (lemma in cues.OBJECT_CUES or particle is not None) else {"xcomp", "dobj"}
        has_obj = any(ch.dep_ in ("dobj", "xcomp", "oprd") or (ch.dep_ == "prep" and ch.lower_ in ("for", "among"))
                      for ch in verb.rights)
        if lemma not in cues.OBJECT_CUES and particle is None:
            has_obj = any(ch.dep_ == "xcomp" for ch in verb.rights)
        if has_obj:
            rng = _content_from_children(verb, deps)
            if rng and not (rng[0] == rng[1] and doc[rng[0]].pos_ == "PRON"):
                i, j = rng
                if lemma in ("express", "voice"):
                    cue = lemma
                return _off(seg, doc[i]), _end(seg, doc[j]), cue, False
    # 5. a parse that hung the clause above the cue: "X reported, citing Y, that …"
    head = verb.head
    if verb.dep_ == "ccomp" and head.i > verb.i:
        marks = [ch for ch in head.children if ch.dep_ == "mark" and ch.lower_ == "that" and ch.i > verb.i]
        if marks and marks[0].i < head.right_edge.i:
            return _off(seg, doc[marks[0].i + 1]), _end(seg, head.right_edge), cue, False
    # 6. the clause before: "…, X has said" / "“…,” he said"
    if subj is None or any(ch.dep_ in ("ccomp", "xcomp") for ch in verb.rights):
        return None
    if lemma not in cues.CLAUSE_CUES and particle is None:
        return None
    if lemma not in ("tell", "inform", "brief", "assure") and any(ch.dep_ == "dobj" for ch in verb.rights):
        return None
    first = verb.i
    surface = _surface_span(verb)
    if surface is not None and surface[1] == subj.i:
        first = surface[0]
    for t in (subj.left_edge,) + tuple(ch for ch in verb.lefts if ch.dep_ in ("aux", "neg", "advmod")):
        first = min(first, t.i)
    if subj.i > verb.i:  # "…, said Peskov"
        first = min(first, verb.i)
    if first == 0:
        return None
    before = doc[first - 1]
    around = c.quotes.at(_off(seg, before))
    closing = before.text in CLOSERS or (before.text in STRAIGHT + SINGLE_CLOSE and around is not None
                                         and around.close == _off(seg, before))
    if before.text not in _TAIL_PUNCT and not closing:
        return None
    end = _off(seg, before) + (len(before) if closing else 0)
    if before.text in _TAIL_PUNCT and first >= 2 and doc[first - 2].text in CLOSERS + STRAIGHT + SINGLE_CLOSE:
        end = _off(seg, before)
    # The sentence splitter often cuts at a closing mark: start where the sentence
    # holding the words before the cue starts, or at the opening mark around it.
    start = _off(seg, doc[first - 1].sent[0])
    q = c.quotes.at(start)
    if q is not None and q.open < start:
        start = q.open
    q = c.quotes.at(end - 1)
    if q is not None and q.close == end - 1 and q.open < start:
        start = q.open
    if end - start < 2:
        return None
    return start, end, cue, True


def _passive(c: _Ctx, seg, doc, sent, verb, n: int) -> None:
    """"X is said to …", "X was reported to …": a hedged claim by unnamed sources."""
    if verb.lemma_.lower() not in ("say", "report", "claim", "allege", "rumor", "rumour"):
        return
    xcomp = [ch for ch in verb.rights if ch.dep_ == "xcomp"]
    subj = [ch for ch in verb.children if ch.dep_ == "nsubjpass"]
    if not xcomp or not subj:
        return
    start, end = _off(seg, subj[0].left_edge), _end(seg, xcomp[0].right_edge)
    c.cands.append(_Cand(start=start, end=end, cue=f"is {verb.lower_} to",
                         cue_span=Mention(_off(seg, verb), _end(seg, verb), verb.text), speaker=None,
                         doc_index=n, cue_pos=_off(seg, verb), hedged=True, confidence=0.5,
                         anonymous="unnamed sources"))


def _frame(c: _Ctx, seg, doc, verb, cand: _Cand) -> None:
    """Via, channel and hedges from the attribution clause (the verb's non-content words)."""
    for tok in verb.subtree:
        pos = _off(seg, tok)
        if cand.start <= pos < cand.end:
            continue
        if tok.i != verb.i and tok.dep_ in ("advcl", "conj") and tok.lemma_.lower() in cues.ALL_VERB_CUES \
                and tok.lemma_.lower() != "cite":
            continue
        low = tok.lower_
        if tok.dep_ in ("pobj", "dobj", "dative", "compound", "appos", "nsubj") and tok.i != verb.i:
            head = tok.head
            if tok.dep_ != "nsubj":
                plat = cues.PLATFORMS.get(_np_text(tok).lower().removeprefix("his ").removeprefix("her ")
                                          .removeprefix("their ").removeprefix("its ").removesuffix(" account")
                                          .removesuffix(" channel").rstrip(".")) or cues.PLATFORMS.get(low.rstrip("."))
                if plat and (tok.dep_ != "compound" or head.lemma_.lower() in ("post", "account", "channel", "video")):
                    if tok.dep_ == "pobj" or tok.dep_ == "compound":
                        cand.channel = plat
                        continue
            noun = tok.lemma_.lower()
            if tok.dep_ == "pobj" and noun in ("interview", "conference", "briefing", "statement", "call", "speech",
                                               "address", "post", "letter", "podcast", "broadcast", "op-ed"):
                phrase = _np_text(tok).lower()
                for key, value in sorted(cues.CHANNEL_NOUNS.items(), key=lambda kv: -len(kv[0])):
                    if key in phrase:
                        cand.channel = cand.channel or value
                        break
            via_ok = (tok.dep_ in ("dobj", "dative") and verb.lemma_.lower() in ("tell", "inform", "give")
                      and head.i == verb.i) or (tok.dep_ == "pobj" and (
                          head.lower_ in ("with", "to", "by") or head.head.lemma_.lower() in ("cite", "quote")))
            if via_ok and tok.dep_ != "compound":
                name = _media_name(c, seg, tok)
                if name and name not in cand.via:
                    cand.via.append(name)
                    if head.lower_ == "with" and head.head.lemma_.lower() == "interview":
                        cand.channel = cand.channel or f"interview with {name}"
        if low == "according" and tok.head.i == verb.i:
            for to in tok.children:
                for pobj in to.children:
                    if pobj.dep_ == "pobj":
                        name = _media_name(c, seg, pobj)
                        if name and name not in cand.via:
                            cand.via.append(name)
        if low in cues.HEDGE_ADVERBS and tok.head.i == verb.i:
            cand.hedged = True
        if tok.lemma_.lower() == "cite" and tok.head.i == verb.i:
            _citing(c, seg, tok, cand)
    for anc in (verb.head, verb.head.head):  # "X was quoted by the Herald as saying …"
        if anc.lemma_.lower() in ("quote", "cite") and anc.i != verb.i:
            for agent in anc.children:
                if agent.dep_ == "agent":
                    for pobj in agent.children:
                        name = _media_name(c, seg, pobj) if pobj.dep_ == "pobj" else None
                        if name and name not in cand.via:
                            cand.via.append(name)
    for tok in verb.head.children:
        if tok.lemma_.lower() == "cite" and tok.i > verb.i and verb.dep_ == "ccomp" \
                and verb.head.i > verb.i and verb.head.lemma_.lower() not in cues.ALL_VERB_CUES:
            _citing(c, seg, tok, cand)


def _citing(c: _Ctx, seg, tok, cand: _Cand) -> None:
    """"…, Reuters reported, citing anonymous sources": unnamed speaker, the outlet is the via."""
    for obj in tok.children:
        if obj.dep_ == "dobj":
            i, j = _speaker_tokens(obj)
            if obj.lemma_.lower() in cues.ANON_NOUNS or _anonymous(obj, i, j):
                cand.anonymous = tok.doc[i:j + 1].text
                outlet = cand.media or (cues.find_outlet(cand.speaker.text) if cand.speaker else None)
                if outlet and outlet not in cand.via:
                    cand.via.append(outlet)
                cand.media = outlet


def _np_text(tok) -> str:
    i, j = _speaker_tokens(tok)
    return tok.doc[i:j + 1].text


def _according(c: _Ctx, seg, doc, sent, tok, n: int) -> None:
    """"According to X, …" / "…, according to X": X is the speaker, unless the phrase only
    names the outlet of another statement ("X said, according to RIA Novosti")."""
    to = next((ch for ch in tok.children if ch.lower_ == "to"), None)
    pobj = next((ch for ch in to.children if ch.dep_ == "pobj"), None) if to is not None else None
    if pobj is None:
        return
    pos = _off(seg, tok)
    if c.quotes.at(pos) is not None:
        return
    head = tok.head
    if head.lemma_.lower() in cues.ALL_VERB_CUES and any(k.cue_pos == _off(seg, head) for k in c.cands) \
            and _media_name(c, seg, pobj):
        return  # "X said, according to RIA Novosti": the outlet is the via, read by _frame
    i, j = _speaker_tokens(pobj)
    phrase_start, phrase_end = tok.i, max(j, pobj.right_edge.i)
    s0, s1 = sent.start, sent.end
    while s1 > s0 and doc[s1 - 1].is_punct and doc[s1 - 1].text not in CLOSERS + STRAIGHT:
        s1 -= 1
    parts: list[tuple[int, int]] = []
    lead = [t for t in doc[s0:phrase_start] if not t.is_punct]
    if not lead or all(t.pos_ in ("ADV", "CCONJ") for t in lead):
        if phrase_end + 1 >= s1:
            return
        start, end = _off(seg, doc[phrase_end + 1]), _end(seg, doc[s1 - 1])
    elif phrase_end + 1 >= s1:
        start, end = _off(seg, doc[s0]), _off(seg, doc[phrase_start])
    else:  # "…, who, according to Veloria, had crossed the line": the clause it qualifies
        cut = phrase_start
        if head.pos_ in ("VERB", "AUX") and head.left_edge.i < phrase_start:
            s0, s1 = head.left_edge.i, head.right_edge.i + 1
            if head.dep_ == "relcl" and doc[s0].tag_ in ("WDT", "WP"):
                s0, cut = head.head.left_edge.i, head.head.i + 1  # the antecedent: "six guards"
        start, end = _off(seg, doc[s0]), _end(seg, doc[s1 - 1])
        parts = [trim(c.text, start, _off(seg, doc[cut]) if cut < len(doc) else end),
                 trim(c.text, _end(seg, doc[phrase_end]), end)]
        parts = [p for p in parts if p[1] > p[0]]
        if len(parts) == 1:
            (start, end), parts = parts[0], []
    speaker = _mention(c.text, *_phrase(seg, doc, i, j))
    media = _media_name(c, seg, pobj)
    low = speaker.text.lower()
    hedged = "unconfirmed" in low or "reports" in low
    anonymous = speaker.text if (_anonymous(pobj, i, j) or hedged) else None
    cand = _Cand(start=start, end=end, cue="according to",
                 cue_span=Mention(pos, _end(seg, to), c.text[pos:_end(seg, to)]), speaker=speaker,
                 doc_index=n, cue_pos=pos, confidence=0.75, media=media, anonymous=anonymous,
                 hedged=hedged, parts=[p for p in parts if p[1] > p[0]])
    c.cands.append(cand)


def _reportedly(c: _Ctx, seg, doc, sent, tok, n: int) -> None:
    """"X reportedly did Y" with no source named: a hedged claim by unnamed sources."""
    head = tok.head
    first = head.left_edge.i
    last = head.i
    for child in head.rights:
        if child.dep_ in ("punct", "cc", "conj", "advcl", "parataxis"):
            break
        last = child.right_edge.i
    start, end = _off(seg, doc[max(first, sent.start)]), _end(seg, doc[last])
    c.cands.append(_Cand(start=start, end=end, cue=tok.lower_, cue_span=Mention(_off(seg, tok), _end(seg, tok), tok.text),
                         speaker=None, doc_index=n, cue_pos=_off(seg, tok), hedged=True, confidence=0.5,
                         anonymous="unnamed sources"))


# ---------------------------------------------------------------- headlines and labels


def _label(c: _Ctx, seg, doc, n: int, caps_only: bool) -> bool:
    """"Moscow: Anchorage momentum has run out" (headline), "PUTIN: …" (transcript)."""
    raw = c.text[seg.start:seg.end]
    m = _LABEL_RE.match(raw)
    if not m:
        return False
    label = m.group(1).strip()
    words = label.split()
    if not words or len(words) > 5 or label.lower() in _LABEL_STOP or words[0].lower() in _LABEL_STOP:
        return False
    if caps_only and not (label.isupper() and len(label) > 1):
        return False
    if not all(w[0].isupper() or w.lower() in ("of", "the", "and", "de", "von", "van", "al") for w in words):
        return False
    rest_start = seg.start + m.start(2)
    rest = m.group(2)
    if len(_WORDS.findall(rest)) < 3:
        return False
    # the rest must say something: hold a verb
    if not any(t.pos_ in ("VERB", "AUX") and seg.start + t.idx >= rest_start for t in doc):
        return False
    label_start = seg.start + m.start(1)
    colon = raw.index(":", m.end(1))
    c.cands.append(_Cand(start=rest_start, end=seg.start + len(raw.rstrip()), cue=":",
                         cue_span=Mention(seg.start + colon, seg.start + colon + 1, ":"),
                         speaker=Mention(label_start, label_start + len(label), label), doc_index=n,
                         cue_pos=seg.start + colon, confidence=0.6, kind="direct" if caps_only else None))
    return True


def _headline(c: _Ctx, seg, doc, n: int) -> bool:
    """Attributing headlines: "Kremlin: …", "Moscow Confirms U.S. Still Committed …"."""
    if _label(c, seg, doc, n, caps_only=False):
        return True
    toks = [t for t in doc if not t.is_space]
    for k, tok in enumerate(toks[:7]):
        if k == 0:
            continue
        lemma = cues.headline_lemma(tok.text) if tok.text[:1].isupper() else None
        if lemma is None and tok.lemma_.lower() in cues.HEADLINE_VERBS and tok.pos_ == "VERB" and tok.dep_ == "ROOT":
            lemma = tok.lemma_.lower()
        if lemma is None:
            continue
        subject = toks[:k]
        if not all(t.pos_ in ("PROPN", "NOUN", "ADJ", "DET", "PART", "NUM") or t.text in ("'s", "’s", ".", "-")
                   for t in subject) or not any(t.pos_ in ("PROPN", "NOUN") for t in subject):
            return False
        rest = toks[k + 1:]
        if rest and rest[0].lower_ == "that":
            rest = rest[1:]
        if len(rest) < 2:
            return False
        start, end = _off(seg, rest[0]), _end(seg, rest[-1])
        c.cands.append(_Cand(start=start, end=end, cue=lemma, cue_span=Mention(_off(seg, tok), _end(seg, tok), tok.text),
                             speaker=_mention(c.text, _off(seg, subject[0]), _end(seg, subject[-1])),
                             doc_index=n, cue_pos=_off(seg, tok), confidence=0.6))
        return True
    return False


# ---------------------------------------------------------------- article-level steps


def _resolve_nesting(c: _Ctx) -> None:
    """A cue inside another statement's content is part of that statement ("Trump said
    Putin told him …"), except that a media report around it only names the outlet
    ("Trump told leaders …, CNN has reported" → via CNN), and clauses hung on a statement
    ("…, adding that …") stand on their own with the same speaker."""
    cands = sorted(c.cands, key=lambda k: (k.start, -k.end))
    dropped: set[int] = set()
    by_doc: dict[int, list[_Cand]] = {}
    for k in cands:
        by_doc.setdefault(k.doc_index, []).append(k)
    for a in cands:
        holders = [b for b in by_doc[a.doc_index] if b is not a and b.start <= a.cue_pos < b.end
                   and id(b) not in dropped]
        if not holders:
            if a.sibling and a.inherited:
                # "…, he said, while calling X …": the speaker of the cue before it
                before = [b for b in by_doc[a.doc_index] if b is not a and b.sent == a.sent and b.cue_pos < a.cue_pos
                          and id(b) not in dropped and b.speaker is not None]
                if before:
                    b = max(before, key=lambda k: k.cue_pos)
                    a.speaker, a.anonymous, a.media = b.speaker, b.anonymous, b.media
                    a.via = list(dict.fromkeys(b.via + a.via))
            continue
        b = min(holders, key=lambda k: k.end - k.start)
        if b.kind == "direct":  # a transcript turn: its cues are the speaker's own words
            dropped.add(id(a))
            continue
        if a.sibling:
            if a.inherited or a.speaker is None:
                a.speaker = b.speaker
                a.anonymous, a.media = b.anonymous, b.media
            a.via = list(dict.fromkeys(b.via + a.via))
            # cut the holder's content before ", adding …" / ", while Rell said …"
            cut = a.clause_start if a.clause_start >= 0 else a.cue_pos
            text = c.text
            new_end = max(b.start, min(b.end, _cut_point(text, b.start, cut)))
            if new_end > b.start:
                b.end = new_end
            continue
        if b.media and a.speaker is not None and not a.anonymous:
            for name in [b.media] + b.via:
                if name not in a.via:
                    a.via.append(name)
            a.hedged = a.hedged or b.hedged
            dropped.add(id(b))
        elif b.anonymous and b.via and not b.speaker:
            dropped.add(id(a))
        elif b.media and a.anonymous:
            dropped.add(id(a))
        else:
            dropped.add(id(a))
    c.cands = [k for k in c.cands if id(k) not in dropped]


def _cut_point(text: str, start: int, cue_pos: int) -> int:
    """End of a holder's content before a hung clause starting at `cue_pos`."""
    head = text[start:cue_pos].rstrip()
    for word in _CLAUSE_JOINERS + ("before", "after"):
        if head.endswith(" " + word):
            head = head[: -len(word)].rstrip()
    return start + len(head.rstrip(" ,;–—"))


def _quote_statements(c: _Ctx, article: Article) -> None:
    """Quotes no rule consumed: the second half of "“…,” he said, “…”", a quote after a
    colon, or a quote that stands as a sentence of its own (the previous speaker's)."""
    text = c.text
    segs = {n: seg for n, (seg, _) in enumerate(article.docs)}
    seg_of = sorted((seg.start, seg.end, n) for n, seg in segs.items())
    covered = sorted((k.start, k.end) for k in c.cands)
    tails = sorted((k for k in c.cands if k.tail and k.attr_end > 0), key=lambda k: k.attr_end)
    for q in c.quotes.quotes:
        if any(s <= q.open < e or s < q.close < e for s, e in covered):
            continue
        n = next((m for s, e, m in seg_of if s <= q.open < e), None)
        if n is None:
            continue
        seg = segs[n]
        before = text[seg.start:q.open]
        after = text[q.close + 1:seg.end] if q.close < seg.end else ""
        # “…,” he said, “…” / “…,” he said. “…”: the same statement, resumed
        host = next((k for k in tails if k.doc_index == n and k.attr_end <= q.open
                     and not text[k.attr_end:q.open].strip(" \t,.;:")), None)
        if host is not None and host.parts is not None and _is_quote_content(c, host):
            host.parts = (host.parts or [(host.start, host.end)]) + [(q.open, q.close + 1)]
            host.end = q.close + 1
            host.attr_end = -1
            covered.append((q.open, q.close + 1))
            continue
        words = len(_WORDS.findall(text[q.inner_start:q.inner_end]))
        stripped = before.rstrip()
        if stripped.endswith(":"):
            prev = [k for k in c.cands if k.doc_index == n and k.cue_pos < q.open and k.end <= q.open]
            prev.sort(key=lambda k: k.end)
            src = prev[-1] if prev else None
            c.cands.append(_Cand(start=q.open, end=q.close + 1, cue=src.cue if src else ":",
                                 cue_span=src.cue_span if src else None, speaker=src.speaker if src else None,
                                 doc_index=n, cue_pos=q.open, via=list(src.via) if src else [],
                                 anonymous=src.anonymous if src else None, media=src.media if src else None,
                                 confidence=0.7))
            covered.append((q.open, q.close + 1))
            continue
        standalone = (not stripped or _SENT_END.search(stripped) or stripped[-1] in ALL_MARKS) \
            and (not after.strip() or after.lstrip()[:1] in ALL_MARKS or _starts_sentence(after))
        if standalone and words >= 3:
            c.cands.append(_Cand(start=q.open, end=q.close + 1, cue=None, cue_span=None, speaker=None,
                                 doc_index=n, cue_pos=q.open, confidence=0.6))
            covered.append((q.open, q.close + 1))


def _is_quote_content(c: _Ctx, cand: _Cand) -> bool:
    kind, _, _, _ = classify(c.text, cand.start, cand.end, c.quotes)
    return kind == "direct"


def _starts_sentence(after: str) -> bool:
    s = after.lstrip()
    if not s:
        return True
    if s[0] in ".!?":
        return True
    return False


def _finish(c: _Ctx, extractor: str) -> list[Statement]:
    text = c.text
    out: list[Statement] = []
    seen: list[tuple[str, frozenset]] = []
    for k in sorted(c.cands, key=lambda k: (k.start, k.end)):
        if k.parts and len(k.parts) > 1:
            pieces = []
            kinds = set()
            for s, e in k.parts:
                kind, sub, ps, pe = classify(text, s, e, c.quotes)
                kinds.add(kind)
                pieces.extend(sub or [(ps, pe)])
            pieces = [p for p in pieces if p[1] > p[0]]
            if not pieces:
                continue
            kind = kinds.pop() if len(kinds) == 1 else "mixed"
            start, end = pieces[0][0], pieces[-1][1]
            body = " ".join(text[s:e] for s, e in pieces)
            parts = pieces
        else:
            kind, parts, start, end = classify(text, k.start, k.end, c.quotes)
            if k.kind == "direct" and kind == "indirect":
                kind = "direct"  # verbatim words without quotation marks: a transcript turn
            if parts:
                body = " ".join(text[s:e] for s, e in parts)
            else:
                body = text[start:end]
        if not _WORDS.search(body):
            continue
        words = frozenset(w.lower() for w in _WORDS.findall(body))
        who = k.speaker.text.lower() if k.speaker else ""
        if any(who == w and (len(words & ws) / max(len(words | ws), 1)) >= 0.8 for w, ws in seen):
            continue  # a caption repeating a headline
        seen.append((who, words))
        stmt = Statement(start=start, end=end, text=body, kind=kind, parts=parts, speaker_mention=k.speaker,
                         cue=k.cue, cue_span=k.cue_span, channel=k.channel, via=list(k.via), hedged=k.hedged,
                         confidence=k.confidence, extractor=extractor)
        if k.anonymous:
            stmt.speaker, stmt.speaker_type, stmt.speaker_description = "anonymous", "anonymous", k.anonymous
        out.append(stmt)
    return out
