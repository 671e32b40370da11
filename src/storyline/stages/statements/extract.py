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

import bisect
import re

from storyline.model import Article, Mention, Segment, Statement
from storyline import components
from storyline.pipeline import Context, stage
from storyline.stages.statements import cue_words as cues
from storyline.stages.statements.cue_words import find_outlet, headline_lemma
from storyline.stages.statements.cues import verb_statement
from storyline.stages.statements.phrases import (
    CLAUSE_JOINERS,
    WORDS,
    ArticleState,
    Candidate,
    is_anonymous,
    make_mention,
    media_name,
    note_outlets,
    np_span,
    span_offsets,
    tok_end,
    tok_start,
)
from storyline.stages.statements.quotes import (
    ALL_MARKS,
    CLOSERS,
    DOUBLE_APOSTROPHE,
    STRAIGHT,
    QuoteIndex,
    classify,
    find_quotes,
    trim,
)

# Words before a colon that label page furniture, not a speaker ("Photo: …", "Editor: …").
_LABEL_STOP = frozenset("""photo photos video videos image images source sources update updated live watch
listen read editor author note notes related tags credit caption file breaking exclusive opinion
analysis comment see also more by published date time copyright advertisement share""".split())
_SENT_END = re.compile(r"[.!?…][\"”’)\]]*\s*$")
# A wire dateline before the first words of a report: "SARN, April 14 (Veloria Wire) — ",
# "NEW YORK, Ostmark, 14 April 2026 – ", "BERLIN (Reuters) - ".
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3}"  # the place, in capitals
    r"(?:, [A-Z][\w.'’\-]+(?: [A-Z][\w.'’\-]+){0,2})??"  # ", Country"
    r"(?:,? (?:" + _MONTH + r" \d{1,2}|\d{1,2} " + _MONTH + r")(?:,? \d{4})?)?"  # the date
    r"(?: \([^()\n]{1,60}\))?"  # the outlet
    r"\s*(?:—|–|--?)\s+(?=\S)")
_LABEL_RE = re.compile(r"^\s*([A-Z][\w.'’\- ]{0,60}?)\s*:\s+(\S.*)$", re.S)


@stage("statements", requires=("docs",), assigns=("statements",), analysed_only=True)
def statements(articles: list[Article], ctx: Context) -> None:
    for article in articles:
        name = ctx.options.statement_extractor
        article.statements = components.get("statement_extractor", name)(article, name)


def extract(article: Article, extractor: str = "statements.rules.v1") -> list[Statement]:
    """All statements of one parsed article, in text order."""
    text = article.text
    spans = [(seg.start, seg.end) for seg, _ in article.docs]
    index = QuoteIndex(find_quotes(text, spans))
    c = ArticleState(article, index)
    for n, (seg, doc) in enumerate(article.docs):
        note_outlets(c, seg, doc)
        if seg.kind in ("title", "heading") and _headline(c, seg, doc, n):
            continue
        if seg.kind not in ("title", "heading"):
            # an article's first line written as a headline ("Kask: Harbour Talks Are Over.")
            # when the reader could not tell it was the title
            if not (n == 0 and _headline_case(c.text[seg.start:seg.end]) and _label(c, seg, doc, n, caps_only=False, strict=True)):
                _label(c, seg, doc, n, caps_only=True)
        for sent in doc.sents:
            _sentence(c, seg, doc, sent, n)
    _resolve_nesting(c)
    _quote_statements(c, article)
    return _finish(c, extractor)


# ---------------------------------------------------------------- sentence rules


def _sentence(c: ArticleState, seg: Segment, doc, sent, n: int) -> None:
    found_before = len(c.cands)
    for tok in sent:
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            verb_statement(c, seg, doc, sent, tok, n)
    for tok in sent:
        if tok.lower_ == "according":
            _according(c, seg, doc, sent, tok, n)
    here = c.cands[found_before:]
    for tok in sent:
        low = tok.lower_
        if low in cues.HEDGE_ADVERBS:
            pos, head = tok_start(seg, tok), tok_start(seg, tok.head)
            holders = [k for k in here if k.start <= pos < k.end or k.cue_pos == head]
            for k in holders:  # "Putin reportedly told Trump …": the statement is hedged
                k.hedged = True
            if not holders and low in cues.SOURCE_ADVERBS and tok.head.pos_ in ("VERB", "AUX"):
                _reportedly(c, seg, doc, sent, tok, n)


def _according(c: ArticleState, seg, doc, sent, tok, n: int) -> None:
    """"According to X, …" / "…, according to X": X is the speaker, unless the phrase only
    names the outlet of another statement ("X said, according to RIA Novosti")."""
    to = next((ch for ch in tok.children if ch.lower_ == "to"), None)
    pobj = next((ch for ch in to.children if ch.dep_ == "pobj"), None) if to is not None else None
    if pobj is None:
        return
    pos = tok_start(seg, tok)
    if c.quotes.at(pos) is not None:
        return
    head = tok.head
    if head.lemma_.lower() in cues.ALL_VERB_CUES and any(k.cue_pos == tok_start(seg, head) for k in c.cands) \
            and media_name(c, seg, pobj):
        return  # "X said, according to RIA Novosti": the outlet is the via, read by _frame
    i, j = np_span(pobj)
    phrase_start, phrase_end = tok.i, max(j, pobj.right_edge.i)
    s0, s1 = sent.start, sent.end
    while s1 > s0 and doc[s1 - 1].is_punct and doc[s1 - 1].text not in CLOSERS + STRAIGHT:
        s1 -= 1
    parts: list[tuple[int, int]] = []
    lead = [t for t in doc[s0:phrase_start] if not t.is_punct]
    if not lead or all(t.pos_ in ("ADV", "CCONJ") for t in lead):
        if phrase_end + 1 >= s1:
            return
        start, end = tok_start(seg, doc[phrase_end + 1]), tok_end(seg, doc[s1 - 1])
    elif phrase_end + 1 >= s1:
        start, end = tok_start(seg, doc[s0]), tok_start(seg, doc[phrase_start])
    else:  # "…, who, according to Veloria, had crossed the line": the clause it qualifies
        cut = phrase_start
        if head.pos_ in ("VERB", "AUX") and head.left_edge.i < phrase_start:
            s0, s1 = head.left_edge.i, head.right_edge.i + 1
            if head.dep_ == "relcl" and doc[s0].tag_ in ("WDT", "WP"):
                s0, cut = head.head.left_edge.i, head.head.i + 1  # the antecedent: "six guards"
        start, end = tok_start(seg, doc[s0]), tok_end(seg, doc[s1 - 1])
        parts = [trim(c.text, start, tok_start(seg, doc[cut]) if cut < len(doc) else end),
                 trim(c.text, tok_end(seg, doc[phrase_end]), end)]
        parts = [p for p in parts if p[1] > p[0]]
        if len(parts) == 1:
            (start, end), parts = parts[0], []
    speaker = make_mention(c.text, *span_offsets(seg, doc, i, j))
    media = media_name(c, seg, pobj, (i, j), strict=True)
    low = speaker.text.lower()
    hedged = "unconfirmed" in low or "reports" in low
    anonymous = speaker.text if (is_anonymous(pobj, i, j) or hedged) else None
    c.cands.append(Candidate(
        start=start, end=end, cue="according to", cue_span=Mention(pos, tok_end(seg, to), c.text[pos:tok_end(seg, to)]),
        speaker=speaker, doc_index=n, cue_pos=pos, confidence=0.75, media=media, anonymous=anonymous,
        hedged=hedged, parts=parts))


def _reportedly(c: ArticleState, seg, doc, sent, tok, n: int) -> None:
    """"X reportedly did Y" with no source named: a hedged claim by unnamed sources."""
    head = tok.head
    first = head.left_edge.i
    last = head.i
    for child in head.rights:
        if child.dep_ in ("punct", "cc", "conj", "advcl", "parataxis"):
            break
        last = child.right_edge.i
    start, end = tok_start(seg, doc[max(first, sent.start)]), tok_end(seg, doc[last])
    c.cands.append(Candidate(
        start=start, end=end, cue=tok.lower_, cue_span=Mention(tok_start(seg, tok), tok_end(seg, tok), tok.text),
        speaker=None, doc_index=n, cue_pos=tok_start(seg, tok), hedged=True, confidence=0.5,
        anonymous="unnamed sources"))


# ---------------------------------------------------------------- headlines and labels


def _label(c: ArticleState, seg, doc, n: int, caps_only: bool, strict: bool = False) -> bool:
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
    if len(WORDS.findall(rest)) < 3:
        return False
    # the rest must say something: hold a verb
    if not any(t.pos_ in ("VERB", "AUX") and seg.start + t.idx >= rest_start for t in doc):
        return False
    label_start = seg.start + m.start(1)
    if not caps_only and not _can_speak(c.text, doc, m.start(1), m.start(1) + len(label), words, strict):
        return False  # "Coronavirus: city ramps up testing": a topic, not a speaker
    colon = raw.index(":", m.end(1))
    c.cands.append(Candidate(
        start=rest_start, end=seg.start + len(raw.rstrip()), cue=":",
        cue_span=Mention(seg.start + colon, seg.start + colon + 1, ":"),
        speaker=Mention(label_start, label_start + len(label), label), doc_index=n, cue_pos=seg.start + colon,
        confidence=0.6, kind="direct" if caps_only else None, headline=not caps_only))
    return True


def _can_speak(text: str, doc, start: int, end: int, words: list[str], strict: bool = False) -> bool:
    """A headline label that can be a speaker: a person, body, place or nationality, a
    role ("Minister"), an outlet; never a topic ("Coronavirus: …", "Poll: …"), a common
    noun the article also writes in lower case."""
    from storyline.names import title_word

    if any(title_word(w) for w in words) or find_outlet(" ".join(words)):
        return True
    tokens = [t for t in doc if start <= t.idx < end and not t.is_punct]
    if any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in tokens):
        return True
    if any(re.search(rf"(?<![\w-]){re.escape(w.lower())}(?![\w-])", text) for w in words if len(w) > 2):
        return False
    return not strict  # a first line that may not be a headline at all: only what the model knows


def _headline_case(line: str) -> bool:
    """A short line in headline case: most of its longer words capitalised."""
    words = [w for w in WORDS.findall(line) if len(w) > 3]
    return 3 <= len(words) <= 25 and "\n" not in line.strip() and \
        sum(w[:1].isupper() for w in words) >= 0.6 * len(words)


def _headline(c: ArticleState, seg, doc, n: int) -> bool:
    """Attributing headlines: "Kremlin: …", "Moscow Confirms U.S. Still Committed …"."""
    if _label(c, seg, doc, n, caps_only=False):
        return True
    toks = [t for t in doc if not t.is_space]
    for k, tok in enumerate(toks[:7]):
        if k == 0:
            continue
        lemma = headline_lemma(tok.text) if tok.text[:1].isupper() else None
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
        start, end = tok_start(seg, rest[0]), tok_end(seg, rest[-1])
        c.cands.append(Candidate(
            start=start, end=end, cue=lemma, cue_span=Mention(tok_start(seg, tok), tok_end(seg, tok), tok.text),
            speaker=make_mention(c.text, tok_start(seg, subject[0]), tok_end(seg, subject[-1])),
            doc_index=n, cue_pos=tok_start(seg, tok), confidence=0.6, headline=True))
        return True
    return False


# ---------------------------------------------------------------- article-level steps


def _resolve_nesting(c: ArticleState) -> None:
    """A cue inside another statement's content is part of that statement ("Trump said
    Putin told him …"), except that a media report around it only names the outlet
    ("Trump told leaders …, CNN has reported" → via CNN), and clauses hung on a statement
    ("…, adding that …") stand on their own with the same speaker."""
    cands = sorted(c.cands, key=lambda k: (k.start, -k.end))
    dropped: set[int] = set()
    by_doc: dict[int, list[Candidate]] = {}
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
            new_end = max(b.start, min(b.end, _cut_point(c.text, b.start, cut)))
            if new_end > b.start:
                b.end = new_end
            continue
        if b.media and a.speaker is not None and not a.anonymous:
            for name in [b.media] + b.via:
                if name not in a.via:
                    a.via.append(name)
            a.hedged = a.hedged or b.hedged
            dropped.add(id(b))
        else:
            dropped.add(id(a))
    c.cands = [k for k in c.cands if id(k) not in dropped]


def _cut_point(text: str, start: int, cue_pos: int) -> int:
    """End of a holder's content before a hung clause starting at `cue_pos`."""
    head = text[start:cue_pos].rstrip()
    for word in CLAUSE_JOINERS + ("before", "after"):
        if head.endswith(" " + word):
            head = head[: -len(word)].rstrip()
    return start + len(head.rstrip(" ,;–—"))


def _quote_statements(c: ArticleState, article: Article) -> None:
    """Quotes no rule consumed: the second half of "“…,” he said, “…”", a quote after a
    colon, or a quote that stands as a sentence of its own (the previous speaker's)."""
    text = c.text
    segs = {n: seg for n, (seg, _) in enumerate(article.docs)}
    seg_of = sorted((seg.start, seg.end, n) for n, seg in segs.items())
    starts = [s for s, _, _ in seg_of]
    covered: dict[int, list[tuple[int, int]]] = {}  # per segment: content spans so far
    for k in c.cands:  # under every segment the content overlaps (quotes run over paragraphs)
        first = max(bisect.bisect_right(starts, k.start) - 1, 0)
        for _s, _e, m in seg_of[first:bisect.bisect_left(starts, k.end)]:
            covered.setdefault(m, []).append((k.start, k.end))
    tails = sorted((k for k in c.cands if k.tail and k.attr_end > 0), key=lambda k: k.attr_end)
    for q in c.quotes.quotes:
        m = bisect.bisect_right(starts, q.open) - 1
        if m < 0 or q.open >= seg_of[m][1]:
            continue
        n = seg_of[m][2]
        spans = covered.setdefault(n, [])
        if any(s <= q.open < e or s < q.close < e for s, e in spans):
            continue
        seg = segs[n]
        before = text[seg.start:q.open]
        after = text[q.close + 1:seg.end] if q.close < seg.end else ""
        if text.startswith(DOUBLE_APOSTROPHE, q.close):
            after = after[1:]  # the second apostrophe of a '' mark
        # “…,” he said, “…” / “…,” he said. “…”: the same statement, resumed
        host = next((k for k in tails if k.doc_index == n and k.attr_end <= q.open
                     and not text[k.attr_end:q.open].strip(" \t,.;:")), None)
        if host is not None and _is_quote_content(c, host):
            host.parts = (host.parts or [(host.start, host.end)]) + [(q.open, q.close + 1)]
            host.end = q.close + 1
            host.attr_end = -1
            spans.append((q.open, q.close + 1))
            continue
        words = len(WORDS.findall(text[q.inner_start:q.inner_end]))
        stripped = before.rstrip()
        if stripped.endswith(":"):
            prev = [k for k in c.cands if k.doc_index == n and k.cue_pos < q.open and k.end <= q.open]
            prev.sort(key=lambda k: k.end)
            src = prev[-1] if prev else None
            speaker = src.speaker if src else _colon_subject(c, article.docs[n], q.open)
            c.cands.append(Candidate(
                start=q.open, end=q.close + 1, cue=src.cue if src else ":", cue_span=src.cue_span if src else None,
                speaker=speaker, doc_index=n, cue_pos=q.open, via=list(src.via) if src else [],
                anonymous=src.anonymous if src else None, media=src.media if src else None, confidence=0.7))
            spans.append((q.open, q.close + 1))
            continue
        if not stripped and after.lstrip()[:1] in (":", "–", "—") and words >= 2:
            # a headline quote: "‘We will not give up’: Varga vows …"
            speaker = _subject_after(c, article.docs[n], q.close + 1)
            if speaker is not None:
                c.cands.append(Candidate(start=q.open, end=q.close + 1, cue=":", cue_span=None, speaker=speaker,
                                         doc_index=n, cue_pos=q.open, confidence=0.6))
                spans.append((q.open, q.close + 1))
                continue
        standalone = (not stripped or _SENT_END.search(stripped) or stripped[-1] in ALL_MARKS) \
            and (not after.strip() or after.lstrip()[:1] in ALL_MARKS or _starts_sentence(after))
        if standalone and words >= 3:
            c.cands.append(Candidate(start=q.open, end=q.close + 1, cue=None, cue_span=None, speaker=None,
                                     doc_index=n, cue_pos=q.open, confidence=0.6))
            spans.append((q.open, q.close + 1))


def _colon_subject(c: ArticleState, pair, opening: int) -> Mention | None:
    """"Varga was blunt: “…”": the subject of the clause before the colon speaks."""
    seg, doc = pair
    colon = next((t for t in reversed(doc) if tok_start(seg, t) < opening and t.text == ":"), None)
    if colon is None:
        return None
    # the head of the words before the colon: the token whose head lies outside them
    before = doc[colon.sent.start:colon.i]
    head = next((t for t in before if t.pos_ in ("VERB", "AUX") and (t.head.i >= colon.i or t.head.i == t.i)), None)
    if head is None:
        return None
    subj = next((ch for ch in head.children if ch.dep_ in ("nsubj", "nsubjpass") and ch.i < colon.i), None)
    if subj is None or subj.pos_ not in ("PROPN", "NOUN", "PRON") or subj.lower_ in ("i", "we", "you", "it"):
        return None
    i, j = np_span(subj)
    return make_mention(c.text, *span_offsets(seg, doc, i, j))


def _subject_after(c: ArticleState, pair, after: int) -> Mention | None:
    """The speaker named right after a headline quote: the subject of the next verb
    ("…’: Varga vows …"), or a bare name ("…” – Ilse Varga")."""
    seg, doc = pair
    toks = [t for t in doc if tok_start(seg, t) > after and not t.is_punct]
    if not toks:
        return None
    for t in toks:
        if t.pos_ in ("VERB", "AUX"):
            subj = next((ch for ch in t.children if ch.dep_ in ("nsubj", "nsubjpass")
                         and tok_start(seg, ch) > after), None)
            if subj is not None and subj.pos_ in ("PROPN", "NOUN"):
                return make_mention(c.text, *span_offsets(seg, doc, *np_span(subj)))
            return None
    if all(t.pos_ in ("PROPN", "NOUN", "ADJ", "DET", "PART") for t in toks) and len(toks) <= 8:
        return make_mention(c.text, tok_start(seg, toks[0]), tok_end(seg, toks[-1]))
    return None


def _is_quote_content(c: ArticleState, cand: Candidate) -> bool:
    kind, _, _, _ = classify(c.text, cand.start, cand.end, c.quotes)
    return kind == "direct"


def _starts_sentence(after: str) -> bool:
    rest = after.lstrip()
    return not rest or rest[0] in ".!?"


def _finish(c: ArticleState, extractor: str) -> list[Statement]:
    """Statements in text order: kinds settled, quotation marks dropped from direct quotes."""
    text = c.text
    out: list[Statement] = []
    headlines: list[tuple[str, frozenset]] = []
    for k in c.cands:
        _drop_dateline(text, k)
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
            end = k.end
            while True:  # "…, and" left over before a hung clause
                stripped = text[k.start:end].rstrip(" ,;")
                last = stripped.rsplit(" ", 1)[-1].lower() if " " in stripped else ""
                if last not in ("and", "but", "or", "while"):
                    break
                end = k.start + len(stripped) - len(last)
            kind, parts, start, end = classify(text, k.start, end, c.quotes)
            if k.kind == "direct" and kind == "indirect":
                kind = "direct"  # verbatim words without quotation marks: a transcript turn
            if parts:
                body = " ".join(text[s:e] for s, e in parts)
            else:
                body = text[start:end]
        if not WORDS.search(body):
            continue
        words = frozenset(w.lower() for w in WORDS.findall(body))
        who = k.speaker.text.lower() if k.speaker else ""
        if any(who == w and (len(words & ws) / max(len(words | ws), 1)) >= 0.8 for w, ws in headlines):
            continue  # a caption repeating a headline
        if k.headline:
            headlines.append((who, words))
        for n, group in enumerate(paragraph_groups(text, parts) if parts else [[]]):
            if group:  # a quote running over paragraphs: one statement per paragraph (GUIDE)
                g_start, g_end = group[0][0], group[-1][1]
                g_body = " ".join(text[a:b] for a, b in group)
                g_parts = group if len(group) > 1 else []
            else:
                g_start, g_end, g_body, g_parts = start, end, body, parts
            stmt = Statement(start=g_start, end=g_end, text=g_body, kind=kind, parts=g_parts,
                             speaker_mention=k.speaker if n == 0 else None,
                             cue=k.cue, cue_span=k.cue_span if n == 0 else None, channel=k.channel, via=list(k.via),
                             hedged=k.hedged, confidence=k.confidence, extractor=extractor)
            if k.anonymous:
                stmt.speaker, stmt.speaker_type, stmt.speaker_description = "anonymous", "anonymous", k.anonymous
            out.append(stmt)
    return out


def paragraph_groups(text: str, parts: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The parts of one statement grouped by paragraph: a quote that runs over paragraphs
    (each opening with a mark, only the last closing) is one statement per paragraph, the
    later ones continuing the first one's speaker. One group: the parts as they are."""
    groups: list[list[tuple[int, int]]] = [[parts[0]]]
    for prev, part in zip(parts, parts[1:]):
        if "\n" in text[prev[1]:part[0]]:
            groups.append([part])
        else:
            groups[-1].append(part)
    return groups if len(groups) > 1 else [[]]


def _drop_dateline(text: str, k: Candidate) -> None:
    """Move the content start past a wire dateline ("SARN, April 14 (Veloria Wire) — …")."""
    if text[:k.start].rstrip(" \t")[-1:] not in ("", "\n"):
        return  # a dateline opens a paragraph
    m = _DATELINE.match(text, k.start, k.end)
    if m is None or not any(ch.islower() for ch in text[m.end():k.end]) \
            or (k.parts and m.end() >= k.parts[0][1]):
        return
    k.start = m.end()
    if k.parts:
        k.parts = [(k.start, k.parts[0][1])] + list(k.parts[1:])
