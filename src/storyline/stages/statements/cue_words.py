"""The reporting-cue lexicon (data/cues.yaml and the outlets registry): reporting verbs,
hedges, channels, media outlets, and the helpers that read words against it. General
English news usage, never keyed to one article."""

from __future__ import annotations

import re

import yaml

from storyline.lexicon import DATA

_DATA = DATA


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _load() -> dict:
    with open(_DATA / "cues.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _registry_outlets() -> dict[str, str]:
    """Names and aliases of the outlets registry (data/outlets.yaml), alias → name."""
    try:
        with open(_DATA / "outlets.yaml", encoding="utf-8") as fh:
            entries = yaml.safe_load(fh) or []
    except OSError:
        return {}
    names: dict[str, str] = {}
    for entry in entries:
        if isinstance(entry, dict) and entry.get("name"):
            canonical = re.sub(r"^The\s+", "", entry["name"])  # "the New York Times" → "New York Times"
            for alias in [entry["name"], *(entry.get("aliases") or [])]:
                names[str(alias)] = canonical
    return names


_TABLES = _load()
CLAUSE_CUES = _words(_TABLES["clause_cues"])  # content is a clause; the object is not content
OBJECT_CUES = _words(_TABLES["object_cues"])  # the object and its complements are the content
XCOMP_CUES = _words(_TABLES["xcomp_cues"])  # the to-infinitive is the content
ALL_VERB_CUES = CLAUSE_CUES | OBJECT_CUES | XCOMP_CUES
PHRASAL_CUES = {tuple(key.split()): value for key, value in _TABLES["phrasal_cues"].items()}
HOPE_NOUNS = _words(_TABLES["hope_nouns"])
CLAIM_NOUNS = _words(_TABLES["claim_nouns"])
HEADLINE_VERBS = _words(_TABLES["headline_verbs"])
_IRREGULAR = dict(_TABLES["irregular_forms"])
HEDGE_ADVERBS = _words(_TABLES["hedge_adverbs"])
SOURCE_ADVERBS = _words(_TABLES["source_adverbs"])  # a claim of unnamed sources when no cue is near
HEDGE_CUES = _words(_TABLES["hedge_cues"])
ANON_NOUNS = _words(_TABLES["anon_nouns"])
ANON_MODIFIERS = _words(_TABLES["anon_modifiers"])
PLATFORMS = dict(_TABLES["platforms"])
CHANNEL_NOUNS = dict(_TABLES["channel_nouns"])
MEDIA_NOUNS = _words(_TABLES["media_nouns"])
MEDIA_NAME_HEADS = _words(_TABLES["media_name_heads"])
# "the agency", "the outlet" … refer back to the last outlet named in the article.
ANAPHORIC_MEDIA = frozenset(MEDIA_NOUNS | {"media outlet", "news outlet", "news agency", "news site"})
_REGISTRY = _registry_outlets()
OUTLETS = sorted(set(_TABLES["outlets"]) | set(_REGISTRY))
OUTLET_ALIASES = {**{k: v for k, v in _REGISTRY.items() if k != v}, **_TABLES["outlet_aliases"]}

_INFLECTIONS = (("ies", "y"), ("ied", "y"), ("es", "e"), ("es", ""), ("s", ""), ("ed", "e"), ("ed", ""),
                ("ing", "e"), ("ing", ""))


def verb_lemma(word: str, lemma: str) -> str:
    """The tagger's lemma, or the cue a plain inflection points to when the lemmatiser
    slipped ("hopes" → hop → hope)."""
    if lemma in ALL_VERB_CUES:
        return lemma
    for suffix, repl in _INFLECTIONS:
        if word.endswith(suffix) and word[: -len(suffix)] + repl in ALL_VERB_CUES:
            return word[: -len(suffix)] + repl
    return lemma


def headline_lemma(word: str) -> str | None:
    """Lemma of a Title-Case headline verb ("Confirms" → confirm), or None."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w] if _IRREGULAR[w] in HEADLINE_VERBS else None
    for suffix, repl in (("ies", "y"), ("es", "e"), ("es", ""), ("s", ""), ("ed", "e"), ("ed", "")):
        if w.endswith(suffix) and w[: -len(suffix)] + repl in HEADLINE_VERBS:
            return w[: -len(suffix)] + repl
    return None


_OUTLET_RE = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, OUTLETS), key=len, reverse=True))
                        + r")(?![\w-])")
_MEDIA_DESCRIPTORS = re.compile(
    r"^(?:the\s+)?(?:[\w-]+-based\s+)?(?:(?:state|private|online|news|media|wire|daily|weekly|"
    r"tabloid|newspaper|news agency|broadcaster|outlet|agency|channel|podcast|magazine)\s+)*",
    re.IGNORECASE)
_MEDIA_TAIL = re.compile(
    r"\s+(?:news agency|news outlet|media outlet|news site|agency|outlet|newspaper|podcast|"
    r"broadcaster|channel|network|magazine|daily|tabloid|website|radio|tv)$", re.IGNORECASE)
_QUOTES_RE = re.compile(r"[\"“”‘’'«»]")


def find_outlet(text: str) -> str | None:
    """The first known outlet named in `text` ("Fox News’ Sean Hannity" → "Fox News")."""
    match = _OUTLET_RE.search(text)
    if not match:
        return None
    return OUTLET_ALIASES.get(match.group(1), match.group(1))


def normalise_outlet(phrase: str) -> str:
    """"the Interfax agency" → "Interfax", "the New York Times" → "New York Times"."""
    known = find_outlet(phrase)
    if known:
        return known
    text = _QUOTES_RE.sub("", phrase).strip(" ,.")
    text = re.sub(r"[’']s?$", "", text)
    words = text.split()
    marks = [k for k, w in enumerate(words) if w.lower() in MEDIA_NOUNS]
    if marks and marks[-1] < len(words) - 1 and words[marks[-1] + 1][:1].isupper():
        return " ".join(words[marks[-1] + 1:])  # "Ostmark's state broadcaster ORB" → "ORB"
    text = _MEDIA_DESCRIPTORS.sub("", text)
    text = _MEDIA_TAIL.sub("", text)
    return text.strip() or phrase.strip()


def is_media_phrase(phrase: str, head: str, head_lemma: str, strict: bool = True) -> bool:
    """A noun phrase naming a media outlet: a known outlet ("the New York Times"; when
    `strict`, only as its head: not "Axios correspondent Barak Ravid"), or a proper name
    with a media noun ("the “Interfax” agency", "state broadcaster ORB")."""
    known = find_outlet(phrase)
    if known and (not strict or head in known):
        return True
    words = _QUOTES_RE.sub("", phrase).split()
    if head[:1].isupper() and head.lower() in MEDIA_NAME_HEADS and len(words) > 1:
        return True  # "the Ostmark Herald", "the Carrow Courier"
    return (head_lemma.lower() in MEDIA_NOUNS or any(w.lower() in MEDIA_NOUNS for w in words[:-1])) \
        and any(w[:1].isupper() for w in words)
