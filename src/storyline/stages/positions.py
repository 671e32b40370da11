"""Position suggestions: does a statement lean `support`, `oppose` or `neutral` toward an issue?

Rules over the statement's cue and clause (`positions.rules.v1`), no model:

1. The cue's class (data/positions.yaml): a side-taking cue ("welcomed", "rejected"), a
   flipping cue ("denied", "refused"), a directive ("urged", "called for"), a label cue
   ("called X Y", "described X as Y"), a question, or a plain reporting verb ("said").
   A negator just before the cue turns it round ("did not welcome").
2. The content's lean: the evaluative words of the clause that names the issue
   ("a surrender", "must hold", "a mistake"), each turned round by a negator a few
   words before it ("would not abandon", "never accept"); their signs multiply.
3. A question ("Is the truce still alive?") takes no side. Side-taking cues judge their object; directives and flips follow the content's lean;
   reporting verbs and label cues take it as it is. No evidence, no side: `neutral`
   with method `default`, which is a guess and is marked as one (`covered=False`).

Every suggestion carries its evidence (cue, negators, evaluative words) as character
spans of the text it was given, so it can be shown and checked; a user correction
overrides it without erasing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from storyline import lexicon

NAME = "positions.rules.v1"
POSITIONS = ("support", "oppose", "neutral")

_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*|n['’]t")
_CLAUSE_BREAK = re.compile(r";|,?\s+but\s+|,?\s+(?:before|after|because|if|unless|until|when|while|whereas)\s+|,?\s+and\s+(?=(?:the|a|an|it|he|she|they|we|there|this|that)\b)|\s+[–—-]\s+",
                           re.IGNORECASE)
_COMPLEMENT = re.compile(r"\s(?:as|for|of)\s", re.IGNORECASE)


@dataclass
class Evidence:
    start: int
    end: int
    text: str
    role: str  # cue | negator | positive | negative | issue | particle


@dataclass
class Suggestion:
    position: str
    method: str               # which rule decided, e.g. "cue:support", "content", "default"
    covered: bool             # False when no rule fired (the neutral default)
    evidence: list[Evidence] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"position": self.position, "method": self.method, "covered": self.covered,
                "evidence": [vars(e) for e in self.evidence]}


def _forms(lemma: str) -> set[str]:
    """Inflected forms of an English lemma, generously (over-generation is harmless here)."""
    w = lemma.lower()
    forms = {w, w + "s", w + "es", w + "ed", w + "d", w + "ing"}
    if w.endswith("e"):
        forms |= {w[:-1] + "ing", w + "d"}
    if w.endswith("y"):
        forms |= {w[:-1] + "ies", w[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", w):
        forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    return forms


@lru_cache(maxsize=1)
def rules() -> dict:
    data = lexicon.load_yaml("positions.yaml")

    def words(key: str) -> dict[str, str]:
        out = {}
        for lemma in data[key].split():
            for form in _forms(lemma):
                out.setdefault(form, lemma)
        return out

    cue_class: dict[str, str] = {}
    for key, cls in (("support_cues", "support"), ("oppose_cues", "oppose"), ("flip_cues", "flip"),
                     ("directive_cues", "directive"), ("label_cues", "label"), ("question_cues", "question")):
        for lemma in data[key].split():
            cue_class.setdefault(lemma, cls)
    return {
        "cue_class": cue_class,
        "particles": {tuple(k.split()): v for k, v in data["cue_particles"].items()},
        # A side-taking verb inside reported content leans as it would as the cue:
        # "said his party would boycott the talks", "said she welcomed the truce".
        "positive": {**words("support_cues"), **words("positive_words")},
        "negative": {**words("oppose_cues"), **words("negative_words")},
        "positive_phrases": [p.lower() for p in data["positive_phrases"]],
        "negative_phrases": [p.lower() for p in data["negative_phrases"]],
        "negators": set(data["negators"].split()),
        "irregular": dict(data["irregular_forms"]),
        "passive": set(data["passive_auxiliaries"].split()),
        "window": int(data["negation_window"]),
    }


def tokens(text: str, offset: int = 0) -> list[tuple[int, int, str]]:
    return [(m.start() + offset, m.end() + offset, m.group(0).lower().replace("’", "'")) for m in _WORD.finditer(text)]


def _negator(tok: str, negators: set[str]) -> bool:
    return tok in negators or tok.endswith("n't")


def lean(text: str, offset: int = 0, skip: tuple[int, int] | None = None) -> tuple[int, list[Evidence]]:
    """The lean of a stretch of text: +1, -1, or 0 (no evaluative word), with its evidence.

    Evaluative words and phrases multiply; a negator up to `negation_window` words before
    one turns it round. `skip` is a span (the cue) that is not read as content.
    """
    r = rules()
    toks = [t for t in tokens(text, offset) if not (skip and skip[0] <= t[0] < skip[1])]
    words = [r["irregular"].get(t[2], t[2]) for t in toks]
    evidence: list[Evidence] = []
    sign, found, used = 1, False, set()
    for phrases, polarity in ((r["positive_phrases"], 1), (r["negative_phrases"], -1)):
        for phrase in phrases:
            parts = [p for _, _, p in tokens(phrase)]
            for i in range(len(words) - len(parts) + 1):
                if words[i:i + len(parts)] == parts and not used & set(range(i, i + len(parts))):
                    used |= set(range(i, i + len(parts)))
                    s = polarity * _negated(words, i, r)
                    sign, found = sign * s, True
                    start, end = toks[i][0], toks[i + len(parts) - 1][1]
                    evidence.append(Evidence(start, end, text[start - offset:end - offset],
                                             "positive" if polarity > 0 else "negative"))
    for i, word in enumerate(words):
        if i in used:
            continue
        polarity = 1 if word in r["positive"] else -1 if word in r["negative"] else 0
        if not polarity or (word.endswith("ed") and i and words[i - 1] in r["passive"]):
            continue
        sign, found = sign * polarity * _negated(words, i, r), True
        evidence.append(Evidence(toks[i][0], toks[i][1], text[toks[i][0] - offset:toks[i][1] - offset],
                                 "positive" if polarity > 0 else "negative"))
    for i, word in enumerate(words):
        if _negator(word, r["negators"]) and any(i < _index(toks, e.start) <= i + r["window"]
                                                 for e in evidence):
            evidence.append(Evidence(toks[i][0], toks[i][1], text[toks[i][0] - offset:toks[i][1] - offset], "negator"))
    evidence.sort(key=lambda e: e.start)
    return (sign if found else 0), evidence


def _index(toks, start: int) -> int:
    for i, t in enumerate(toks):
        if t[0] == start:
            return i
    return -1


def _negated(words: list[str], i: int, r: dict) -> int:
    count = sum(1 for w in words[max(0, i - r["window"]):i] if _negator(w, r["negators"]))
    return -1 if count % 2 else 1


def issue_clause(text: str, terms: list[str]) -> tuple[int, int]:
    """The span of the clause of `text` that names the issue (the whole text if none does)."""
    bounds = [0] + [p for m in _CLAUSE_BREAK.finditer(text) for p in (m.start(), m.end())] + [len(text)]
    spans = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds) - 1, 2)]
    low = text.lower()
    for start, end in spans:
        if any(term and term in low[start:end] for term in terms):
            return start, end
    return 0, len(text)


def suggest(frame: str, cue: str | None, content: tuple[int, int], cue_span: tuple[int, int] | None = None,
            terms: list[str] | None = None) -> Suggestion:
    """Suggest the position of one statement toward an issue.

    frame: the sentence (or sentences) holding the cue and the content.
    cue: the cue's lemma as the ledger stores it ("welcome", "say"); None when there is none.
    content: the statement's span in `frame`; cue_span: the cue's span in `frame`.
    terms: the issue's search words and phrases, lower case, used to pick the clause.
    """
    r = rules()
    terms = terms or []
    cue_lemma = (cue or "").lower().split()[0] if cue else ""
    cls = r["cue_class"].get(cue_lemma, "report")
    evidence: list[Evidence] = []
    cue_sign = 1
    if cue_span:
        evidence.append(Evidence(cue_span[0], cue_span[1], frame[cue_span[0]:cue_span[1]], "cue"))
        before = tokens(frame[:cue_span[0]])[-r["window"]:]
        negs = [t for t in before if _negator(t[2], r["negators"])]
        if len(negs) % 2 and cls != "report":
            cue_sign = -1
            evidence += [Evidence(s, e, frame[s:e], "negator") for s, e, _ in negs]
        after = tokens(frame[cue_span[1]:], cue_span[1])[:1]
        if after and (cue_lemma, after[0][2]) in r["particles"]:
            cls = r["particles"][(cue_lemma, after[0][2])]
            evidence.append(Evidence(after[0][0], after[0][1], frame[after[0][0]:after[0][1]], "particle"))
    c_start, c_end = content
    body = frame[c_start:c_end]
    k_start, k_end = issue_clause(body, terms)
    skip = cue_span if cue_span else None

    def decide(sign: int, method: str, extra: list[Evidence]) -> Suggestion:
        ev = sorted(evidence + extra, key=lambda e: e.start)
        if sign == 0:
            return Suggestion("neutral", method, method != "default", ev)
        return Suggestion("support" if sign * cue_sign > 0 else "oppose", method, True, ev)

    if cls == "question" or body.rstrip(" \"'”’").endswith("?"):
        return decide(0, "cue:question", [])
    if cls in ("support", "oppose"):
        # The object only: "condemned X as a retreat" judges X once, by the cue.
        obj_end = k_end
        m = _COMPLEMENT.search(body, k_start)
        if m and m.start() < k_end:
            obj_end = m.start()
        sign, ev = lean(body[k_start:obj_end], c_start + k_start, skip)
        base = 1 if cls == "support" else -1
        return decide(base * (sign or 1), f"cue:{cls}", ev)
    sign, ev = lean(body[k_start:k_end], c_start + k_start, skip)
    if cls == "flip":
        return decide(-sign, "cue:flip" if sign else "default", ev)
    if cls == "directive":
        return decide(sign or 1, "cue:directive", ev)
    if cls == "label":
        m = _COMPLEMENT.search(body, k_start)
        if m and m.start() < k_end:
            sign, ev = lean(body[m.end():k_end], c_start + m.end(), skip)
        return decide(sign, "cue:label" if sign else "default", ev)
    return decide(sign, "content" if sign else "default", ev)


def issue_terms(query: str) -> list[str]:
    """The words and quoted phrases of an FTS query, lower case, without operators."""
    phrases = [p.lower() for p in re.findall(r'"([^"]+)"', query)]
    rest = re.sub(r'"[^"]*"', " ", query)
    words = [w.lower().rstrip("*") for w in re.findall(r"[\w*'-]+", rest)
             if w.upper() not in ("AND", "OR", "NOT", "NEAR")]
    return phrases + [w for w in words if w]
