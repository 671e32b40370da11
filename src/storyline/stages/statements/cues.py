"""Reporting cues: the rules that find a cue in a parsed sentence.

The lexicon (reporting verbs, hedges, channels, media outlets; general English news
usage, never keyed to one article) is cue_words.py; the phrase helpers (offsets, noun
phrases, subjects) are phrases.py. The rules read spaCy's dependency parse: a
reporting verb and its subject give the cue and the speaker mention; its content is
the clausal complement ("X said that …"), the object for verbs like welcome or describe
("welcomed the talks", "described X as Y"), or the clause before it ("…, X has said").
`extract.py` runs them sentence by sentence and settles the article-level questions
(nesting, quotes without a cue, kinds).
"""


from __future__ import annotations

from storyline.model import Mention, Segment
from storyline.stages.statements.cue_words import (
    ALL_VERB_CUES,
    ANON_NOUNS,
    CHANNEL_NOUNS,
    CLAIM_NOUNS,
    CLAUSE_CUES,
    HEDGE_ADVERBS,
    HEDGE_CUES,
    HOPE_NOUNS,
    OBJECT_CUES,
    PHRASAL_CUES,
    PLATFORMS,
    XCOMP_CUES,
    find_outlet,
    normalise_outlet,
    verb_lemma,
)
from storyline.stages.statements.phrases import (
    CLAUSE_JOINERS,
    CONTENT_DEPS,
    INTENT_VERBS,
    IT_NOT_SPEECH,
    NOT_SPEAKERS,
    SUBJ_DEPS,
    TAIL_PUNCT,
    WORDS,
    ArticleState,
    Candidate,
    absolute,
    appositive_span,
    content_from_children,
    is_anonymous,
    is_sibling,
    make_mention,
    media_name,
    np_span,
    on_statement_noun,
    span_offsets,
    surface_span,
    surface_subject,
    tok_end,
    tok_start,
    verb_subject,
)
from storyline.stages.statements.quotes import (
    ALL_MARKS,
    CLOSERS,
    DOUBLE_APOSTROPHE,
    SINGLE_CLOSE,
    STRAIGHT,
)

# ---------------------------------------------------------------- reporting verbs


def verb_statement(c: ArticleState, seg: Segment, doc, sent, verb, n: int) -> None:
    """Add the statement that `verb` reports, if it is a reporting cue with a speaker and content.

    Skipped: verbs inside quoted words, reduced relative clauses ("the principles
    formulated"), intentions ("wants to say"), bare participles ("Asked whether …").
    """
    text = c.text
    lemma = verb_lemma(verb.lower_, verb.lemma_.lower())
    cue = lemma
    particle = None
    for child in verb.children:
        key = (lemma, child.lower_)
        if key in PHRASAL_CUES and child.dep_ in ("prt", "acomp", "oprd", "ccomp", "advmod", "dobj", "amod"):
            cue, particle = PHRASAL_CUES[key], child
    if particle is None and lemma not in ALL_VERB_CUES:
        return
    pos = tok_start(seg, verb)
    if c.quotes.at(pos) is not None:
        return  # a verb inside quoted words belongs to the quoted speaker's own speech
    if verb.dep_ in ("amod", "compound"):
        return
    if verb.dep_ in ("relcl", "acl") and not (verb.dep_ == "acl" and on_statement_noun(verb)) \
            and not absolute(verb):
        relative = any(t.tag_ in ("WDT", "WP", "WP$", "WRB") or (t.lower_ == "that" and t.dep_ != "mark")
                       for t in verb.subtree if t.i < verb.i)
        own_subj = any(ch.dep_ in SUBJ_DEPS for ch in verb.children)
        has_clause = any(ch.dep_ == "ccomp" for ch in verb.children)
        reduced = verb.tag_ == "VBN" and not any(ch.dep_ == "aux" for ch in verb.children)
        if (relative and not has_clause) or reduced or not (own_subj or has_clause):
            return
    if any(ch.dep_ in ("auxpass", "nsubjpass") for ch in verb.children):
        _passive(c, seg, doc, sent, verb, n)
        return
    if any(ch.lower_ == "to" and ch.dep_ == "aux" for ch in verb.children) and verb.dep_ == "xcomp" \
            and verb.head.lemma_.lower() in INTENT_VERBS:
        return  # "wants to say", "declined to comment": not a statement made

    if verb.tag_ == "VBN" and (verb.i == sent.start or doc[verb.i - 1].is_punct) \
            and not any(ch.dep_ in ("aux", "auxpass") + SUBJ_DEPS for ch in verb.children) \
            and surface_span(verb) is None:
        return  # "Asked whether …, Rell said": a passive participle, not the speaker's cue
    subj, inherited = verb_subject(verb)
    lost = subj is None or inherited or subj.pos_ == "VERB" or appositive_span(verb)
    surface = surface_subject(verb) if lost else None
    if surface is not None:
        subj, inherited = surface, False
    sibling = is_sibling(verb) and surface is None
    clause_start = -1
    if verb.dep_ == "relcl" and not inherited and any(ch.dep_ == "ccomp" for ch in verb.children):
        sibling, clause_start = True, tok_start(seg, verb.left_edge)  # "…, which he said would …"
    elif subj is not None and not inherited and surface is None and subj.i < verb.i:
        lead = subj.left_edge.i
        if lead >= 2 and doc[lead - 1].lower_ in CLAUSE_JOINERS and doc[lead - 2].text in (",", ";"):
            sibling, clause_start = True, tok_start(seg, doc[lead])  # "…, while Rell said …"
    if subj is None or subj.lower_ in NOT_SPEAKERS or (subj.lower_ == "it" and lemma in IT_NOT_SPEECH):
        if not sibling:
            return

    span = _content(c, seg, doc, sent, verb, lemma, cue, particle, subj)
    if span is None:
        return
    start, end, cue, tail = span
    if end <= start or not WORDS.search(text[start:end]):
        return

    speaker = None
    anonymous = media = None
    if subj is not None:
        i, j = np_span(subj) if surface is None else surface_span(verb)
        speaker = make_mention(text, *span_offsets(seg, doc, i, j))
        if is_anonymous(subj, i, j):
            anonymous = speaker.text
        media = media_name(c, seg, subj, (i, j), strict=True)
    cand = Candidate(start=start, end=end, cue=cue, cue_span=Mention(pos, tok_end(seg, verb), verb.text),
                     speaker=speaker, doc_index=n, cue_pos=pos, sibling=sibling, tail=tail,
                     confidence=0.8 if not sibling else 0.7, media=media, anonymous=anonymous,
                     inherited=inherited, sent=tok_start(seg, sent[0]), clause_start=clause_start)
    if inherited and not sibling:
        cand.confidence = 0.6
    cand.hedged = lemma in HEDGE_CUES
    cand.reporter = lemma == "report" and subj is not None and subj.pos_ == "PROPN" and subj.ent_type_ != "PERSON"
    _frame(c, seg, doc, verb, cand)
    if subj is not None and cand.anonymous is None and _asked_anonymity(seg, verb, subj, cand):
        cand.anonymous = speaker.text if speaker else "unnamed source"
    if tail:
        cand.attr_end = tok_end(seg, verb.right_edge) if not _has_inner_cue(verb) else -1
        more = _tail_continuation(c, seg, doc, verb)
        if more is not None:
            cand.parts = [(start, end), more]
            cand.end = more[1]
            cand.attr_end = -1
    c.cands.append(cand)


def _asked_anonymity(seg, verb, subj, cand: Candidate) -> bool:
    """"…, speaking on condition of anonymity", "the official, who asked not to be named"."""
    for tok in list(verb.subtree) + list(subj.subtree):
        if cand.start <= tok_start(seg, tok) < cand.end:
            continue  # the content's words, not the attribution's
        if tok.lemma_.lower() == "anonymity":
            return True
        if tok.lemma_.lower() in ("name", "identify") and tok.tag_ == "VBN" \
                and any(ch.dep_ == "neg" for ch in tok.children) or (
                    tok.lemma_.lower() in ("name", "identify") and tok.head.lemma_.lower() in ("ask", "decline", "refuse")):
            return True
    return False


def _tail_continuation(c: ArticleState, seg, doc, verb) -> tuple[int, int] | None:
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
    start = tok_start(seg, first)
    q = c.quotes.opening_at(start)
    if q is not None:
        return start, q.close + 1
    last = first.sent[-1]
    while last.i > first.i and last.is_punct:
        last = doc[last.i - 1]
    if last.i <= first.i:
        return None
    return start, tok_end(seg, last)


def _has_inner_cue(verb) -> bool:
    return any(t.i > verb.i and (t.lemma_.lower() in ALL_VERB_CUES and t.pos_ == "VERB") for t in verb.subtree)


def _content(c: ArticleState, seg, doc, sent, verb, lemma, cue, particle, subj):
    """(start, end, cue, tail) of the verb's content in the article, or None."""
    text = c.text
    # 1. "X said: “…”" / "X added, “…”": the quote after a colon or comma.
    k = verb.i + 1
    limit = min(sent.end + 3, len(doc), verb.i + 12)
    while k < limit:
        t = doc[k]
        if t.text in (":", ","):
            after = tok_start(seg, t) + 1
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
    # 2. a clause: "X said (that) …" (or hung on ", citing Y, that …" by the parse)
    clauses = list(verb.rights)
    for child in verb.rights:
        if child.dep_ == "advcl" and child.lemma_ in ("cite", "quote") and child.tag_ == "VBG":
            clauses += [g for g in child.rights if g.dep_ == "ccomp"]
    for child in clauses:
        if child.dep_ == "ccomp":
            i = max(child.left_edge.i, verb.i + 1)  # not "which" in "…, which he said would …"
            while i < child.i and (doc[i].lower_ in (",", ":") or (doc[i].lower_ == "that" and doc[i].tag_ == "IN")
                                   or doc[i].lemma_ in ("cite", "quote") and doc[i].tag_ == "VBG"):
                # "said (that) …": the complementiser is not content, nor ", citing officials,"
                i = doc[i].right_edge.i + 1 if doc[i].tag_ == "VBG" else i + 1
            if doc[i].lower_ in ("whether", "if") and any(ch.dep_ == "neg" for ch in verb.children):
                return None  # "He would not say whether …": a refusal, not a statement
            if lemma in ("ask", "wonder") and (doc[i].lower_ in ("whether", "if") or doc[i].tag_.startswith("W")):
                return None  # "Reporters asked whether …": a question, not a claim
            j = child.right_edge.i
            for t in doc[child.i:j + 1]:
                if t.lower_ == "according" and t.head.i == child.i and t.i > i:
                    j = t.i - 1
                    while j > i and doc[j].is_punct:
                        j -= 1
                    break
            return tok_start(seg, doc[i]), tok_end(seg, doc[j]), cue, False
    # 2b. "X told Y in an interview published on Monday that …": a that-clause the parse
    # hung inside the cue's own prep phrase, plus a conjunct after it inside an open quote
    if not any(ch.dep_ == "ccomp" for ch in verb.rights):
        span = _clause_in_frame(c, seg, doc, verb)
        if span is not None:
            return span[0], span[1], cue, False
    # 3. express/voice hope, call for, make clear, claim nouns
    for child in verb.rights:
        if child.dep_ == "dobj" and child.lemma_.lower() in CLAIM_NOUNS | HOPE_NOUNS:
            for gc in child.rights:
                if gc.dep_ in ("acl", "ccomp", "relcl", "xcomp") or (gc.dep_ == "prep" and gc.lower_ == "for"):
                    i = gc.left_edge.i
                    if doc[i].lower_ in ("that", "for") and i < gc.right_edge.i:
                        i += 1
                    name = f"{cue} {child.lemma_.lower()}" if lemma in ("express", "voice") else cue
                    return tok_start(seg, doc[i]), tok_end(seg, gc.right_edge), name, False
    if particle is not None and cue == "make clear":
        for t in particle.subtree:
            if t.dep_ == "ccomp":
                return tok_start(seg, t.left_edge), tok_end(seg, t.right_edge), cue, False
    if lemma == "call":
        for child in verb.rights:  # "calling for X to be involved": "for" parsed as a marker
            if child.dep_ in ("advcl", "ccomp", "xcomp") and child.left_edge.lower_ == "for" \
                    and child.left_edge.i < child.right_edge.i:
                return tok_start(seg, doc[child.left_edge.i + 1]), tok_end(seg, child.right_edge), "call for", False
        for child in verb.rights:
            if child.dep_ == "prep" and child.lower_ in ("for", "on"):
                rng = content_from_children(verb)
                objs = [g for g in child.children if g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME")]
                if child.lower_ == "on" and not any(t.dep_ in ("xcomp", "advcl", "acl") and t.i > child.i
                                                     for t in verb.subtree):
                    objs = []  # "called Varga on Tuesday" is a phone call; "called on X to …" is not
                if objs:
                    end_tok = rng[1] if rng else objs[0].right_edge.i
                    return tok_start(seg, objs[0].left_edge), tok_end(seg, doc[max(end_tok, objs[0].right_edge.i)]), \
                        f"call {child.lower_}", False
        objs = [ch for ch in verb.rights if ch.dep_ in ("dobj", "oprd", "attr", "ccomp", "xcomp", "acomp")]
        appos = any(g.dep_ == "appos" for o in objs for g in o.children)
        quoted = bool(objs) and bool(c.quotes.within(tok_start(seg, objs[0]), tok_end(seg, verb.right_edge)))
        if len(objs) < 2 and not appos and not quoted:
            return None
    # 4. objects: "welcomed X", "described X as Y", "urged X to Y"
    if lemma in OBJECT_CUES or lemma in XCOMP_CUES or particle is not None:
        deps = CONTENT_DEPS if (lemma in OBJECT_CUES or particle is not None) else {"xcomp", "dobj"}
        has_obj = any(ch.dep_ in ("dobj", "xcomp", "oprd") or (ch.dep_ == "prep" and ch.lower_ in ("for", "among"))
                      for ch in verb.rights)
        if lemma not in OBJECT_CUES and particle is None:
            has_obj = any(ch.dep_ == "xcomp" for ch in verb.rights)
        if has_obj:
            rng = content_from_children(verb, deps)
            if rng and not (rng[0] == rng[1] and doc[rng[0]].pos_ == "PRON"):
                i, j = rng
                if lemma in ("express", "voice"):
                    cue = lemma
                return tok_start(seg, doc[i]), tok_end(seg, doc[j]), cue, False
    # 5. a parse that hung the clause above the cue: "X reported, citing Y, that …"
    head = verb.head
    if verb.dep_ == "ccomp" and head.i > verb.i:
        marks = [ch for ch in head.children if ch.dep_ == "mark" and ch.lower_ == "that" and ch.i > verb.i]
        if marks and marks[0].i < head.right_edge.i:
            return tok_start(seg, doc[marks[0].i + 1]), tok_end(seg, head.right_edge), cue, False
    # 6. the clause before: "…, X has said" / "“…,” he said"
    if subj is None or any(ch.dep_ in ("ccomp", "xcomp") for ch in verb.rights):
        return None
    if lemma not in CLAUSE_CUES and particle is None:
        return None
    if lemma not in ("tell", "inform", "brief", "assure") and any(ch.dep_ == "dobj" for ch in verb.rights):
        return None
    first = verb.i
    surface = surface_span(verb)
    lead = surface[0] if surface is not None and surface[1] == subj.i else subj.left_edge.i
    for i in (lead,) + tuple(ch.i for ch in verb.lefts if ch.dep_ in ("aux", "neg", "advmod")):
        first = min(first, i)
    if subj.i > verb.i:  # "…, said Peskov"
        first = min(first, verb.i)
    if first == 0:
        return None
    before = doc[first - 1]
    around = c.quotes.at(tok_start(seg, before))
    closing = before.text in CLOSERS or (before.text in (STRAIGHT, SINGLE_CLOSE, DOUBLE_APOSTROPHE) and
                                         around is not None and around.close == tok_start(seg, before))
    if before.text not in TAIL_PUNCT and not closing:
        return None
    end = tok_start(seg, before) + (len(before) if closing else 0)
    anchor = before
    if before.text in TAIL_PUNCT and first >= 2 and \
            doc[first - 2].text in (*CLOSERS, STRAIGHT, SINGLE_CLOSE, DOUBLE_APOSTROPHE):
        end = tok_start(seg, before)
        anchor = doc[first - 2]  # "“…” – Rell wrote": the dash may start a sentence of its own
    # The sentence splitter often cuts at a closing mark: start where the sentence
    # holding the words before the cue starts, or at the opening mark around it.
    start = tok_start(seg, anchor.sent[0])
    q = c.quotes.at(start)
    if q is not None and q.open < start:
        start = q.open
    for pos in (end - 1, tok_start(seg, anchor)):
        q = c.quotes.at(pos)
        if q is not None and q.close == pos and q.open < start:
            start = q.open
    if end - start < 2:
        return None
    return start, end, cue, True


def _clause_in_frame(c: ArticleState, seg, doc, verb) -> tuple[int, int] | None:
    """Offsets of a clause marked by "that" inside the verb's prep/advmod subtree, or None."""
    for child in verb.rights:
        if child.dep_ not in ("prep", "advmod"):
            continue
        for t in child.subtree:
            mark = next((ch for ch in t.children if ch.dep_ == "mark" and ch.lower_ == "that"), None)
            if mark is None or t.dep_ not in ("relcl", "acl", "ccomp", "advcl") \
                    or mark.i != t.left_edge.i or mark.i >= t.right_edge.i:
                continue
            a = t.head
            while a.i != verb.i and a.dep_ != "relcl" and not any(ch.dep_ in SUBJ_DEPS for ch in a.children):
                a = a.head
            if a.i != verb.i:
                continue  # "…, to which the US leader responded that …": another speaker's clause
            j = t.right_edge.i
            while j > mark.i + 1 and doc[j].is_punct and doc[j].text not in CLOSERS + STRAIGHT:
                j -= 1
            start, end = tok_start(seg, doc[mark.i + 1]), tok_end(seg, doc[j])
            q = c.quotes.at(end - 1)
            if q is not None and start <= q.open and q.close >= end:
                for conj in verb.rights:  # "… “have stalled, and they have stalled …”"
                    if conj.dep_ == "conj" and conj.i > j and q.open < tok_start(seg, conj) < q.close:
                        end = q.close + 1
                        break
            return start, end
    return None


def _passive(c: ArticleState, seg, doc, sent, verb, n: int) -> None:
    """"X is said to …", "X was reported to …": a hedged claim by unnamed sources."""
    if verb.lemma_.lower() not in ("say", "report", "claim", "allege", "rumor", "rumour"):
        return
    xcomp = [ch for ch in verb.rights if ch.dep_ == "xcomp"]
    subj = [ch for ch in verb.children if ch.dep_ == "nsubjpass"]
    if not xcomp or not subj:
        return
    start, end = tok_start(seg, subj[0].left_edge), tok_end(seg, xcomp[0].right_edge)
    c.cands.append(Candidate(start=start, end=end, cue=f"is {verb.lower_} to",
                             cue_span=Mention(tok_start(seg, verb), tok_end(seg, verb), verb.text), speaker=None,
                             doc_index=n, cue_pos=tok_start(seg, verb), hedged=True, confidence=0.5,
                             anonymous="unnamed sources"))


def _frame(c: ArticleState, seg, doc, verb, cand: Candidate) -> None:
    """Via, channel and hedges from the attribution clause (the verb's non-content words)."""
    hung = set()  # words of other cues hung on this one ("…, adding that …")
    for tok in verb.subtree:
        if tok.i > verb.i and tok.dep_ in ("advcl", "conj", "relcl") and tok.lemma_.lower() in ALL_VERB_CUES \
                and tok.lemma_.lower() != "cite":  # not "Writing on X, he said": that is the frame
            hung.update(t.i for t in tok.subtree)
    for tok in verb.subtree:
        pos = tok_start(seg, tok)
        if cand.start <= pos < cand.end or tok.i in hung or c.quotes.at(pos) is not None:
            continue
        low = tok.lower_
        if tok.dep_ in ("pobj", "dobj", "dative", "compound", "appos", "nsubj") and tok.i != verb.i:
            head = tok.head
            if tok.dep_ != "nsubj":
                plat = PLATFORMS.get(_platform_key(_np_text(tok))) or PLATFORMS.get(low.rstrip("."))
                if plat and (tok.dep_ != "compound" or head.lemma_.lower() in ("post", "account", "channel", "video")):
                    if tok.dep_ == "pobj" or tok.dep_ == "compound":
                        cand.channel = plat
                        continue
            noun = tok.lemma_.lower()
            if tok.dep_ == "pobj" and noun in ("interview", "conference", "briefing", "statement", "call", "speech",
                                               "address", "post", "letter", "podcast", "broadcast", "op-ed", "phone"):
                phrase = _np_text(tok).lower()
                for key, value in sorted(CHANNEL_NOUNS.items(), key=lambda kv: -len(kv[0])):
                    if key in phrase:
                        cand.channel = cand.channel or value
                        break
            via_ok = (tok.dep_ in ("dobj", "dative") and verb.lemma_.lower() in ("tell", "inform", "give")
                      and head.i == verb.i) or (tok.dep_ == "pobj" and (
                          head.lower_ in ("with", "to", "by") or head.head.lemma_.lower() in ("cite", "quote")))
            strict = False
            if not via_ok and tok.dep_ == "pobj" and head.lower_ in ("in", "on"):
                via_ok = strict = True  # "wrote in the Ostmark Herald", "said on CNN"
            if via_ok and tok.dep_ != "compound":
                name = media_name(c, seg, tok, strict=strict)
                if name and name not in cand.via:
                    cand.via.append(name)
                    if head.lower_ == "with" and head.head.lemma_.lower() == "interview":
                        cand.channel = f"interview with {name}"
        if low == "according" and tok.head.i == verb.i:
            for to in tok.children:
                for pobj in to.children:
                    if pobj.dep_ == "pobj":
                        name = media_name(c, seg, pobj)
                        if name and name not in cand.via:
                            cand.via.append(name)
        if low in HEDGE_ADVERBS and tok.head.i == verb.i:
            cand.hedged = True
        if tok.lemma_.lower() == "cite" and tok.dep_ in ("advcl", "acl", "dep", "conj", "xcomp", "amod", "csubj"):
            _citing(c, seg, tok, cand)  # "…, X reported, citing …" / "Citing …, X reported"
    for anc in (verb.head, verb.head.head):  # "X was quoted by the Herald as saying …"
        if anc.lemma_.lower() in ("quote", "cite") and anc.i != verb.i:
            for agent in anc.children:
                if agent.dep_ == "agent":
                    for pobj in agent.children:
                        name = media_name(c, seg, pobj) if pobj.dep_ == "pobj" else None
                        if name and name not in cand.via:
                            cand.via.append(name)
    for tok in verb.head.children:
        if tok.lemma_.lower() == "cite" and tok.i > verb.i and verb.dep_ == "ccomp" \
                and verb.head.i > verb.i and verb.head.lemma_.lower() not in ALL_VERB_CUES:
            _citing(c, seg, tok, cand)


def _citing(c: ArticleState, seg, tok, cand: Candidate) -> None:
    """"…, Reuters reported, citing anonymous sources": unnamed speaker, the outlet is the via."""
    for obj in tok.children:
        if obj.dep_ == "dobj":
            i, j = np_span(obj)
            if obj.lemma_.lower() in ANON_NOUNS or is_anonymous(obj, i, j):
                cand.anonymous = tok.doc[i:j + 1].text
                outlet = cand.media or (find_outlet(cand.speaker.text) if cand.speaker else None)
                if outlet is None and cand.speaker is not None and cand.reporter:
                    # an unknown name that reports citing sources is an outlet: "Northline reported, citing …"
                    outlet = normalise_outlet(cand.speaker.text)
                if outlet and outlet not in cand.via:
                    cand.via.append(outlet)
                cand.media = outlet


def _platform_key(phrase: str) -> str:
    """"his Truth Social account" → "truth social"."""
    key = phrase.lower().rstrip(".")
    for prefix in ("his ", "her ", "their ", "its ", "the "):
        key = key.removeprefix(prefix)
    for suffix in (" account", " channel", " page"):
        key = key.removesuffix(suffix)
    return key


def _np_text(tok) -> str:
    i, j = np_span(tok)
    return tok.doc[i:j + 1].text
