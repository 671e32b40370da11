"""Reading a speaker mention: what the article wrote before or after the cue.

`parse_mention` tells a name with its title ("Russian Deputy Foreign Minister Sergey
Ryabkov" -> name, role "Deputy Foreign Minister", affiliation Russia) from a pronoun, a
description ("the US president"), an organisation, an outlet, a group or an unnamed
source, using spaCy's entity labels where the model has them and the words themselves
where it has not. Lexicons live in data/names.yaml and data/demonyms.tsv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from storyline.lexicon import DATA
from storyline.model import Article, Mention
from storyline.names import lexicon, normalize_name

DETERMINERS = set(lexicon()["determiners"])
GROUP_HEADS = set(lexicon()["group_heads"])  # plural heads of collective speakers ("the G7 nations")
NAME_TITLES = set(lexicon()["name_titles"])
# "The statement said …": a text standing for whoever issued it, named earlier.
DOCUMENT_NOUNS = set(lexicon()["document_nouns"])


@lru_cache(maxsize=1)
def name_lexicon() -> dict:
    lex = dict(lexicon())
    for key in ("role_words", "honorifics", "person_heads", "organization_heads", "anonymous_heads",
                "anonymous_cues", "media_heads", "male_cues", "female_cues"):
        lex[key] = {w.lower() for w in lex[key]}
    lex["media_name_words"] = set(lex.get("media_name_words") or [])
    media = {}
    for canonical, aliases in lex["media"].items():
        for name in [canonical, *(aliases or [])]:
            media[normalize_name(name)] = canonical
    lex["media_names"] = media
    demonyms = {}
    for line in (DATA / "demonyms.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, place = line.split("\t")
            demonyms[normalize_name(word)] = place
    lex["demonyms"] = demonyms
    return lex


def media_name(text: str) -> str | None:
    """The canonical outlet name when `text` names an outlet: a known one ("the NYT" ->
    New York Times), or a capitalised name ending like one ("the Harbour Times")."""
    lex = name_lexicon()
    known = lex["media_names"].get(normalize_name(text))
    if known and (any(c.isupper() for c in text) or not any(c.isupper() for c in known)):
        return known  # "the Economist" is an outlet, "the economist" a person
    words = org_name(text).split()
    if len(words) >= 2 and words[-1] in lex["media_name_words"] and all(w[:1].isupper() for w in words):
        return " ".join(words)
    return None


def demonym(country: str) -> str | None:
    """The adjective of a country the lexicon knows, written as a name ("Ukraine" ->
    "Ukrainian"); None for cities and unknown places."""
    lex = name_lexicon()
    norm = normalize_name(country)
    place = lex["demonyms"].get(norm)
    if place is None or normalize_name(place) != norm:
        return None
    for word, target in lex["demonyms"].items():
        if target == place and word != norm and word.isalpha() and len(word) > 3:
            return " ".join(w.capitalize() for w in word.split())
    return None


def place_of(word: str) -> str | None:
    return name_lexicon()["demonyms"].get(normalize_name(word))


def _strip_possessive(word: str) -> str:
    return re.sub(r"['\u2019]s?$", "", word)


@dataclass
class Parsed:
    """A mention read into its parts."""

    form: str  # name | pronoun | description | org | media | anonymous | group | none
    name: str | None = None
    role: str | None = None
    affiliation: str | None = None
    words: set[str] = field(default_factory=set)  # lower-cased role/description words
    affiliations: set[str] = field(default_factory=set)  # normalised places/organisations
    gender: str | None = None


def clean_name(tokens: list[str]) -> list[str]:
    honor = name_lexicon()["honorifics"]
    out = [_strip_possessive(t) for t in tokens]
    while out and out[0].lower().rstrip(".") in honor:
        out = out[1:]
    return [t for t in out if t]


def titled_name(words: list[str], before: list[str]) -> list[str]:
    """"Patriarch Kirill", "King Harald": a title that is part of a single-name person's name."""
    if len(words) == 1 and before and before[-1].lower() in NAME_TITLES and before[-1][:1].isupper():
        return [before[-1], *words]
    return words


def affiliation_keys(name: str) -> set[str]:
    """Keys an affiliation is matched by: the name, its country ("Russian" -> russia) and,
    for an unknown adjective in -an, the likely place ("Velorian" -> veloria)."""
    norm = normalize_name(name)
    keys = {norm} if norm else set()
    place = place_of(name)
    if place:
        keys.add(normalize_name(place))
    if norm.endswith("an") and len(norm) > 4:
        keys.add(norm[:-1])
    return keys


def role_parts(words: list[str]) -> tuple[str | None, str | None, set[str], set[str]]:
    """Role words and affiliation from the words written around a name.

    Returns (role as written, affiliation, lower-cased role words, affiliation keys).
    """
    lex = name_lexicon()
    role, affiliation, keys = [], None, set()
    words = [w for w in words if w.lower() not in DETERMINERS]
    # A capitalised run naming an organisation before the title: "Northern Seas Council envoy",
    # "White House Press Secretary", "Kremlin aide".
    cut = -1
    for i, raw in enumerate(words):
        word = _strip_possessive(raw)
        if not word[:1].isupper():
            break
        low = word.lower().rstrip(".")
        if low in lex["honorifics"]:
            continue
        if low in lex["organization_heads"] or (low not in lex["role_words"] and low not in lex["person_heads"]
                                                and not place_of(word)):
            cut = i
        if raw.endswith(("'s", "\u2019s")):
            break
    if cut >= 1 or (cut == 0 and not place_of(words[0])):
        org = " ".join(_strip_possessive(w) for w in words[: cut + 1])
        affiliation = org
        keys.update(affiliation_keys(org))
        for w in words[: cut + 1]:
            place = place_of(_strip_possessive(w))
            if place:
                keys.add(normalize_name(place))
        words = words[cut + 1:]
    # A named body inside the title ("leader of the opposition National Ostmark Party"):
    # the affiliation, and its words are no role.
    for i in range(len(words)):
        run = []
        for raw in words[i:]:
            if not raw[:1].isupper():
                break
            run.append(_strip_possessive(raw))
            if len(run) >= 2 and run[-1].lower() in lex["organization_heads"] and \
                    any(w.lower() not in lex["role_words"] for w in run):
                affiliation = affiliation or " ".join(run)
                keys.update(affiliation_keys(" ".join(run)))
                words = words[:i] + words[i + len(run):]
                break
        else:
            continue
        if affiliation == " ".join(run):
            break
    skip = 0
    weak = False  # the affiliation is a lone capitalised word, not a body or a known place
    joined = -1  # index of the last word of a weak affiliation
    for n, raw in enumerate(words):
        if skip:
            skip -= 1
            continue
        word = _strip_possessive(raw)
        low = word.lower()
        if low.rstrip(".") in lex["honorifics"] and low.rstrip(".") not in lex["person_heads"]:
            continue  # "Mr", "Dr": not a role
        if low in ("of", "for", "at", "to", "with"):
            # "spokesman for the Karvian foreign ministry": a body described in lower case
            phrase = []
            for nxt in words[n + 1:n + 5]:
                if nxt.lower() in ("of", "for", "at", "to", "with", "and", "in"):
                    break
                phrase.append(_strip_possessive(nxt))
                if phrase[-1].lower() in lex["organization_heads"]:
                    break
            after = words[n + 1 + len(phrase):n + 2 + len(phrase)]
            if len(phrase) >= 2 and phrase[-1].lower() in lex["organization_heads"] and \
                    not (after and after[0][:1].isupper()) and not any("-" in w for w in phrase):
                # (not "the now-banned … party Opposition Platform": the named body follows)
                org = " ".join(phrase)
                affiliation = affiliation if affiliation and not weak else org
                keys.update(affiliation_keys(org))
                for w in phrase:
                    if place_of(w):
                        keys.add(normalize_name(place_of(w)))
                skip = len(phrase)
                continue
            # "spokesman for the Northern Seas Council": a named body after the title
            run = []
            for nxt in words[n + 1:]:
                if not nxt[:1].isupper():
                    break
                run.append(nxt)
            if run and any(w.lower() not in lex["role_words"] and not place_of(w) for w in run):
                org = " ".join(_strip_possessive(w) for w in run)
                affiliation = affiliation or org
                keys.update(affiliation_keys(org))
                skip = len(run)
                continue
        if not word or low in DETERMINERS or low in ("of", "to", "for", "and", "in", "at", "on", "s"):
            if role and low in ("of", "for"):
                role.append(low)
            continue
        place = place_of(word)
        if place and low not in lex["role_words"]:
            # A known country wins over a lone capitalised word before it ("the Euroskeptic
            # Ukrainian party": Ukraine, not "Euroskeptic").
            affiliation = place if affiliation is None or weak else affiliation
            weak = False
            keys.add(normalize_name(place))
            keys.add(normalize_name(word))
            continue
        if low in lex["role_words"] or low in lex["person_heads"]:
            role.append(word)
            continue
        if word[:1].isupper():  # an organisation or place named in the title: "Kremlin aide"
            if affiliation is None:
                affiliation, weak, joined = word, True, n
            elif weak and joined == n - 1:  # "former Port Alder foreign secretary": one name
                affiliation, joined = f"{affiliation} {word}", n
                keys.update(affiliation_keys(affiliation))
            keys.update(affiliation_keys(word))
            place = place_of(word)
            if place:
                keys.add(normalize_name(place))
    while role and role[-1] in ("of", "for"):
        role.pop()
    # "his American counterpart X": how the article relates X to someone, not X's role
    role = [w for w in role if w.lower() not in lex["relations"]]
    while role and role[0] in ("of", "for"):
        role.pop(0)
    while role and role[-1] in ("of", "for"):
        role.pop()
    text = " ".join(role) or None
    return text, affiliation, {w.lower() for w in role if w not in ("of", "for")}, keys


def common_word(tok, is_place=None) -> bool:
    """A capitalised common noun that is no name ("Presenter: Karl Odden"): capitalised by
    its place in the sentence, not an organisation. (Adjectives are not: "Ostmark", a
    demonym the model does not know, is tagged JJ.)"""
    return tok.text[:1].isupper() and tok.tag_ in ("NN", "NNS") and not tok.ent_type_ and \
        tok.text.lower() not in name_lexicon()["role_words"] and not place_of(tok.text) and \
        not (is_place is not None and is_place(tok.text))


def as_written(words: list[str], span, is_place=None) -> list[str]:
    """`words` with the capitalised common words of `span` in lower case."""
    common = {t.text for t in span if common_word(t, is_place)} if span is not None else set()
    return [w.lower() if w in common else w for w in words]


def gender_of(words) -> str | None:
    lex = name_lexicon()
    low = {w.lower().rstrip(".") for w in words}
    if low & lex["female_cues"]:
        return "female"
    if low & lex["male_cues"]:
        return "male"
    return None


def org_name(text: str) -> str:
    text = re.split(r"\s*[(\[]", text)[0]
    text = re.sub(r"\s+(in|at|based in)\s+[A-Z][\w.-]*(\s+[A-Z][\w.-]*)*$", "", text)
    words = text.split()
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    if words:
        words[-1] = _strip_possessive(words[-1])
    return " ".join(words)


def mention_span(article: Article, start: int, end: int):
    for seg, doc in article.docs:
        if seg.start <= start < seg.end:
            return doc.char_span(start - seg.start, min(end, seg.end) - seg.start, alignment_mode="expand")
    return None


def known_outlet(text: str, outlets: list[str]) -> str | None:
    """An outlet of the ledger named in full or by its distinctive last words ("the
    Lantern" for "The Daily Lantern")."""
    words = normalize_name(text).split()
    if not words or not text.strip()[-1:].isalnum() or not any(w[:1].isupper() for w in text.split()):
        return None
    for outlet in outlets:
        full = normalize_name(outlet).split()
        if words == full or (len(words) < len(full) and full[-len(words):] == words):
            return org_name(outlet)
    return None


def parse_mention(article: Article, mention, outlets: list[str] | None = None, is_place=None) -> Parsed:
    """Read a mention into its parts. `is_place(name)`: whether the article uses a name as
    a place (then it is never taken for the person's name in an apposition)."""
    lex = name_lexicon()
    text = re.sub(r"\s*\([^)]*\)?", "", mention.text).strip().strip(",;:")  # "Sen. Ana Holm (D-Sarn)"
    words = text.split()
    low = [w.lower() for w in words]
    if not words:
        return Parsed("none")
    if len(words) == 2 and low[1] in ("himself", "herself", "itself", "themselves"):
        words, low, text = words[:1], low[:1], words[0]  # "Kesh himself"
    if len(words) == 1 and low[0] in lex["pronouns"]:
        return Parsed("pronoun", gender=lex["pronouns"][low[0]])
    if len(words) == 1 and low[0] in ("who", "which", "that", "whom"):
        return Parsed("relative")
    outlet = media_name(text) or known_outlet(text, outlets or [])
    if outlet:
        return Parsed("media", name=outlet)
    span = mention_span(article, mention.start, mention.end)
    persons = [e for e in (span.ents if span is not None else []) if e.label_ == "PERSON" and not media_name(e.text)]
    # Two people speaking together: "Putin and Trump".
    if len(persons) >= 2 and " and " in text:
        return Parsed("name", name=" and ".join(e.text for e in persons), role=None)
    name_words: list[str] = []
    rest: list[str] = []
    if _anonymous(low) and not _ends_with_name(words, persons, text):
        return Parsed("anonymous")
    if " and " in text and len(text.split()) <= 8:
        parts = [p.strip() for p in text.split(" and ")]
        if all(p[:1].isupper() for p in parts) and not _is_org_text(text, span):
            return Parsed("name", name=" and ".join(" ".join(clean_name(p.split())) for p in parts))
        if parts[0][:1].isupper() and (place_of(parts[0]) or _is_org_text(parts[0], None) or
                                       (span is not None and any(e.label_ in ("GPE", "ORG", "NORP") for e in span.ents))):
            return Parsed("group", name=org_name(text))  # "Moscow and Washington", "Ukraine and its allies"
    name_words, rest = _find_name(text, words, span, persons, is_place)
    # Leading title words the model kept inside the name.
    while len(name_words) > 1 and (name_words[0].lower() in lex["role_words"] or place_of(name_words[0])) and \
            not (len(name_words) == 2 and name_words[0].lower() in NAME_TITLES):
        rest.append(name_words.pop(0))
    name_words = titled_name(name_words, rest)
    if len(name_words) == 2 and name_words[0].lower() in NAME_TITLES and rest and rest[-1] == name_words[0]:
        rest = rest[:-1]
    name_words = clean_name(name_words)
    rest = as_written(rest, span, is_place)
    role, affiliation, role_words, aff_keys = role_parts(rest)
    if name_words:
        return Parsed("name", name=" ".join(name_words), role=role, affiliation=affiliation, words=role_words,
                      affiliations=aff_keys, gender=gender_of(rest))
    anonymous = _anonymous(low)
    if anonymous:
        return Parsed("anonymous")
    heads = [w.strip(",.").lower() for w in words]
    head = _head(span, heads)
    if head in lex["media_heads"]:
        return Parsed("media_ref")
    if re.fullmatch(r"(the|this)\s+\d+-year-old(\s+\w+)?", text.lower()):
        return Parsed("description", words={"official"})  # "the 62-year-old": whoever was just speaking
    if head in DOCUMENT_NOUNS and low[0] in ("the", "this", "that", "its", "their", "his", "her"):
        return Parsed("document", words={head})
    role, affiliation, role_words, aff_keys = role_parts(as_written(words, span, is_place))
    plural = head.endswith("s") and head[:-1] in lex["person_heads"] or head in GROUP_HEADS
    if head in lex["person_heads"] or head.rstrip("s") in lex["person_heads"] and not plural:
        if plural:
            return Parsed("group", name=org_name(text))
        return Parsed("description", role=role, affiliation=affiliation, words=role_words | {head},
                      affiliations=aff_keys, gender=gender_of(words))
    if plural:
        return Parsed("group", name=org_name(text))
    if head in ("sides", "others", "both"):
        return Parsed("none")  # "both sides": parties named elsewhere, not unnamed sources
    if span is not None and len(span) and span.root.tag_ == "NNS" and head not in lex["organization_heads"] \
            and not head[:1].isupper() and head not in GROUP_HEADS:
        return Parsed("anonymous")  # "relatives", "several fishermen", "Council monitors": nobody named
    return Parsed("org", name=org_name(text), words=set(heads))


def _name_word(word: str) -> bool:
    lex = name_lexicon()
    bare = word.strip(",").rstrip(".")
    return bool(bare) and bare[:1].isupper() and bare == _strip_possessive(bare) and \
        bare.lower() not in lex["role_words"] and not place_of(bare) and bare.lower() not in lex["organization_heads"] \
        and bare.lower() not in DETERMINERS and bare not in lex["media_name_words"]


def _find_name(text: str, words: list[str], span, persons, is_place=None) -> tuple[list[str], list[str]]:
    """The name in a mention and the words around it (title, apposition)."""
    lex = name_lexicon()
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) > 1:  # apposition: "Lucia Marenko, the envoy" / "Ostmark's ambassador, Karl Brenn"
        # "the mayor of Tarn Hollow, Greta Ilves": a part the model tagged as a person comes
        # first; a part the article uses as a place is never the name.
        tagged = {e.text for e in persons}
        order = sorted(range(len(parts)), key=lambda i: parts[i] not in tagged)
        for i in order:
            part = parts[i]
            if is_place is not None and is_place(part):
                continue
            pw = part.split()
            others = [w for j, p in enumerate(parts) if j != i for w in p.split()]
            if 1 <= len(pw) <= 4 and all(_name_word(w) for w in pw) and \
                    (len(pw) >= 2 or {w.lower() for w in others} & (lex["person_heads"] | lex["role_words"])):
                return pw, others
    for ent in reversed(persons):
        at = text.rfind(ent.text)
        if at >= 0 and not text[at + len(ent.text):].strip(" ,.;:"):
            return ent.text.split(), text[:at].split()
    trailing: list[str] = []
    for w in reversed(words):
        if not _name_word(w):
            break
        trailing.insert(0, w.strip(","))
    if not trailing:
        if persons:  # a name inside a longer phrase the model recognised: "X, who …"
            ent = persons[-1]
            rest = [w for w in re.split(r"[\s,]+", text.replace(ent.text, " ")) if w]
            last = words[-1].lower().strip(",.")
            if last not in lex["organization_heads"] and not text.startswith(ent.text + "'") and \
                    not text.startswith(ent.text + "\u2019"):
                return ent.text.split(), rest
        return [], []
    before = words[: len(words) - len(trailing)]
    titled = bool(before) and (before[-1].lower().rstrip(",") in lex["role_words"] or
                               before[-1].lower() in lex["person_heads"] or before[-1] != _strip_possessive(before[-1]))
    exact_org = span is not None and any(e.text == " ".join(trailing) and e.label_ in ("ORG", "GPE", "NORP", "FAC")
                                         for e in span.ents)
    if len(trailing) >= 2 and (titled or not exact_org):
        return trailing, before
    if titled:
        return trailing, before
    if not before and not _is_org_text(text, span) and (span is None or _looks_person(span) or persons):
        return trailing, before
    return [], []


def _head(span, words: list[str]) -> str:
    if span is not None and len(span):
        root = span.root
        return root.text.lower()
    return words[-1] if words else ""


def _looks_person(span) -> bool:
    return any(t.ent_type_ == "PERSON" for t in span) or not any(t.ent_type_ for t in span)


def _is_org_text(text: str, span) -> bool:
    lex = name_lexicon()
    low = {w.lower().strip(",.") for w in text.split()}
    if low & lex["organization_heads"]:
        return True
    if span is not None and any(t.ent_type_ in ("ORG", "GPE", "NORP", "FAC") for t in span):
        return not any(t.ent_type_ == "PERSON" for t in span)
    return False


def _ends_with_name(words: list[str], persons, text: str) -> bool:
    """"… aide Mira Oster": the mention closes on a name (not "a source in Hallen")."""
    run = 0
    while run < len(words) and _name_word(words[len(words) - 1 - run]):
        run += 1
    if run == 0:
        return False
    before = words[len(words) - 1 - run].lower() if run < len(words) else ""
    if before in ("in", "from", "at", "of", "near", "close", "to", "inside", "outside", "across"):
        return False
    return run >= 2 or any(text.rstrip(" ,.").endswith(ent.text) for ent in persons)


def _anonymous(low: list[str]) -> bool:
    lex = name_lexicon()
    words = {w.strip(",.") for w in low}
    if words & lex["anonymous_cues"]:
        return True
    if not low:
        return False
    if low[0] in ("a", "an", "one") and len(low) >= 2:
        return True  # "a neighbour in Tarn Hollow", "a senior official": nobody named
    head_words = [w for w in low if w in lex["anonymous_heads"]]
    if not head_words:
        return False
    # "officials", "a senior official", "people close to…": unnamed; "the official" is a description.
    if low[0] in ("a", "an", "one", "two", "three", "several", "some", "many", "other", "unnamed") or \
            any(w.endswith("s") and w in lex["anonymous_heads"] for w in head_words):
        return True
    return False


@lru_cache(maxsize=1)
def place_keys() -> set[str]:
    return {normalize_name(v) for v in name_lexicon()["demonyms"].values()}


def owner_of_statement(article: Article, mention) -> Mention | None:
    """The owner in "X's statement" (a capitalised X before a statement noun), as a mention."""
    found = re.match(r"\s*(?:[Tt]he\s+)?((?:[A-Z][\w.&-]*\s+){0,4}[A-Z][\w.&-]*)['\u2019]s\s+(\w+)", mention.text)
    if not found or found.group(2).lower() not in name_lexicon()["owned_statement_nouns"]:
        return None
    a = mention.start + found.start(1)
    return Mention(a, a + len(found.group(1)), found.group(1))
