"""The cast of an article: every person it names, with roles and affiliations, merged by
surname (the fullest form wins); and `Resolved`, what resolution finds for one mention."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storyline.model import Article
from storyline.names import (
    canonical_person,
    lexicon,
    normalize_name,
    similar_names,
    surname_start,
    variant_key,
)
from storyline.stages.speakers.mentions import (
    DETERMINERS,
    NAME_TITLES,
    clean_name,
    common_word,
    gender_of,
    media_name,
    name_lexicon,
    org_name,
    place_of,
    role_parts,
    titled_name,
)
from storyline.stages.speakers.places import Places, dash_joined

GENERIC_HEADS = set(lexicon()["generic_heads"])
LEADER_ROLES = set(lexicon()["leader_roles"])
# Clauses whose subject becomes what a following "he"/"she" refers to (not reported content).
CLAUSES = ("ROOT", "advcl", "conj", "parataxis")
# Cues that continue what the same speaker was saying ("Kesh added …").
CONTINUING_CUES = set(lexicon()["continuing_cues"])
# Roles of people who report rather than speak for themselves ("Axios correspondent X, citing sources").
JOURNALISTS = set(lexicon()["journalists"])

@dataclass
class Person:
    name: str  # fullest form seen
    key: str  # variant key of the surname
    first: str | None = None
    roles: list[str] = field(default_factory=list)  # as written: "Deputy Foreign Minister"
    role_words: set[str] = field(default_factory=set)
    affiliations: list[str] = field(default_factory=list)
    gender: str | None = None
    mentions: list[tuple[int, bool]] = field(default_factory=list)  # (offset, is a subject)

    @property
    def affiliation_keys(self) -> set[str]:
        return {normalize_name(a) for a in self.affiliations}

    def add_role(self, role: str | None, affiliation: str | None) -> None:
        if role and role not in self.roles:
            self.roles.append(role)
            self.role_words.update(w.lower() for w in re.findall(r"[\w-]+", role))
        if affiliation and affiliation not in self.affiliations:
            self.affiliations.append(affiliation)


class Cast:
    """The people an article names, with their roles, merged by surname."""

    def __init__(self, text: str = "") -> None:
        self.people: list[Person] = []
        self.orgs: list[tuple[int, str]] = []  # (offset, name) of organisations named
        self.media: list[tuple[int, str]] = []  # (offset, canonical) of outlets named
        self.text = text
        self.outlets: list[str] = []  # outlet names known to the ledger
        self.places = Places(text)  # which capitalised names the article uses as places
        self.labels = self.places.labels  # entity text -> how often the model gave each label

    def place_like(self, name: str) -> bool:
        return self.places.place_like(name)

    def find(self, tokens: list[str]) -> Person | None:
        if not tokens:
            return None
        key = variant_key(tokens[-1])
        first = variant_key(tokens[0]) if surname_start(tokens) > 0 else None  # "de Blasio": a surname
        candidates = [p for p in self.people if p.key == key]
        if first:
            exact = [p for p in candidates if p.first is None or p.first == first or
                     (len(tokens[0].rstrip(".")) == 1 and p.first.startswith(first[:1]))]
            candidates = exact
        if not candidates and len(tokens) == 1:
            # a first name alone ("Kirill") or a one-word name matching a first name
            candidates = [p for p in self.people if p.first == key]
        if not candidates and len(tokens) == 1:
            # a spelling variant of a surname or first name ("Mahithir" for "Mahathir"), when only one fits
            candidates = [p for p in self.people
                          if similar_names(tokens[0], p.name.split()[-1]) or (p.first and similar_names(tokens[0], p.name.split()[0]))]
            if len(candidates) > 1:
                return None
        if not candidates:
            return None
        # A surname shared by two people ("Trump"): the one the article mentions most.
        return max(candidates, key=lambda p: (len(p.mentions), -min((o for o, _ in p.mentions), default=0)))

    def add(self, tokens: list[str], offset: int, subject: bool = False, role: str | None = None,
            affiliation: str | None = None, gender: str | None = None) -> Person | None:
        tokens = canonical_person(" ".join(clean_name(tokens))).split()
        if not tokens:
            return None
        person = self.find(tokens)
        if person is None:
            person = Person(" ".join(tokens), variant_key(tokens[-1]))
            self.people.append(person)
        if surname_start(tokens) > 0 and (person.first is None or len(tokens) > len(person.name.split())):
            person.name = " ".join(tokens)
            person.first = variant_key(tokens[0])
        elif person.first is None and len(tokens) > len(person.name.split()):
            person.name = " ".join(tokens)  # "de Blasio" after "Blasio"
        person.add_role(role, affiliation)
        person.gender = person.gender or gender
        person.mentions.append((offset, subject))
        return person

    def affiliation(self, affiliation: str | None, speaker: str | None = None, depth: int = 0) -> str | None:
        """An affiliation that names a person of the cast ("Varga's aide", "Marta Tolle,
        whose husband Arvid") stands for that person's own affiliation, or none."""
        if not affiliation:
            return None
        lex = name_lexicon()
        words = [w for w in clean_name(affiliation.split()) if w.lower() not in lex["role_words"]]
        if " " not in affiliation and affiliation.lower() in lex["organization_heads"]:
            for _, org in self.orgs:  # "the Council envoy" after "the Northern Seas Council"
                if len(org.split()) > 1 and org.split()[-1] == affiliation:
                    return org
        if len(words) == 1 and words[0].endswith("n") and not place_of(words[0]) and \
                re.search(rf"\b{re.escape(words[0][:-1])}\b", self.text) and self.place_like(words[0][:-1]):
            return words[0][:-1]  # "Velorian" in an article about Veloria: Veloria
        if not words or len(words) > 3 or not all(w[:1].isupper() for w in words) or \
                self.place_like(" ".join(words)) or place_of(" ".join(words)):
            return affiliation
        person = self.find(words)
        if person is None or person.name == speaker:
            return affiliation
        if depth == 0:
            for other in person.affiliations:
                clean = self.affiliation(other, person.name, 1)
                if clean == other:
                    return other
        return None

    def last_subject_between(self, start: int, end: int, skip: list[tuple[int, int]]) -> Person | None:
        best, best_at = None, -1
        for person in self.people:
            for offset, subject in person.mentions:
                if subject and start <= offset < end and offset > best_at and \
                        not any(a <= offset < b for a, b in skip):
                    best, best_at = person, offset
        return best


def written(tok, cast: Cast) -> str:
    """A title word as a role reads it: capitalised common words in lower case."""
    return tok.text.lower() if common_word(tok, cast.place_like) else tok.text


def is_subject(tok) -> bool:
    """The subject of a main or adverbial clause (or a conjunct of one)."""
    if tok.dep_ == "conj" and tok.head.dep_ in ("nsubj", "nsubjpass"):
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ in CLAUSES


def title_before(doc, ent) -> list:
    """Tokens of the title written right before a name: "Russian Deputy Foreign Minister"."""
    lex = name_lexicon()
    out = []
    i = ent.start - 1
    while i >= 0:
        tok = doc[i]
        low = tok.text.lower()
        if tok.is_punct or tok.pos_ in ("VERB", "AUX", "ADP", "CCONJ", "SCONJ", "PRON", "NUM") and low not in ("'s", "’s"):
            break
        if tok.ent_type_ == "PERSON" and tok.ent_iob_ != "":
            break
        if low in DETERMINERS:
            break
        if low in lex["role_words"] or low in lex["person_heads"] or place_of(tok.text) or \
                tok.ent_type_ in ("ORG", "GPE", "NORP") or low in ("'s", "’s") or tok.text[:1].isupper():
            out.insert(0, tok)
            i -= 1
            continue
        break
    return out


def appositive(doc, ent) -> list:
    """The words of an apposition describing a name ("X, the Kremlin spokesman," or
    "Russia's ambassador to Washington, X")."""
    root = ent.root
    span = None
    for child in root.children:
        if child.dep_ == "appos" and child.i >= ent.end:
            span = doc[child.left_edge.i:child.right_edge.i + 1]
            break
    if span is None and root.dep_ == "appos" and root.head.i < ent.start:
        head = root.head
        if head.ent_type_ != "PERSON":
            span = doc[head.left_edge.i:head.i + 1]
    if span is None:
        return []
    return [t for t in span if not t.is_punct and t.i not in range(ent.start, ent.end)][:12]


def build_cast(article: Article, known_places: set[str] | None = None) -> Cast:
    cast = Cast(article.text)
    cast.places = Places.of(article, known_places)
    cast.labels = cast.places.labels
    lex = name_lexicon()
    for seg, doc in article.docs:
        for ent in doc.ents:
            offset = seg.start + ent.start_char
            if ent.label_ == "PERSON":
                # as written, hyphens kept ("Jean-Luc Fabre"), other punctuation dropped
                words = "".join(t.text + t.whitespace_ if not t.is_punct or t.text in ".-\u2010\u2011"
                                else " " for t in ent).replace(" .", ".").split()
                if not words or not any(w[:1].isupper() for w in words):
                    continue
                if (len(words) <= 2 and cast.place_like(" ".join(words))) or \
                        (len(words) > 1 and all(cast.place_like(w) for w in words)):
                    continue
                if dash_joined(ent.text) and (re.search("[\u2013\u2014]", ent.text) or
                                               any(cast.place_like(w) for w in re.split(r"[-\u2010\u2011]", ent.text))):
                    continue  # "the Veloria–Ostmark border": two places, not a person
                if media_name(ent.text):
                    cast.media.append((offset, media_name(ent.text)))
                    continue
                title = title_before(doc, ent)
                extra = appositive(doc, ent)
                role, aff, _, _ = role_parts([written(t, cast) for t in title])
                if not role and extra:
                    role, aff2, _, _ = role_parts([written(t, cast) for t in extra])
                    aff = aff or aff2
                # Title words the model put inside the entity ("President Vladimir Putin").
                lead = []
                while len(words) > 1 and (words[0].lower() in lex["role_words"] or place_of(words[0]) or
                                          (len(words) > 2 and cast.place_like(words[0]))) and \
                        not (len(words) == 2 and words[0].lower() in NAME_TITLES):
                    lead.append(words.pop(0))
                words = titled_name(words, [t.text for t in title])
                if lead:
                    r2, a2, _, _ = role_parts(lead)
                    role = " ".join(x for x in (role, r2) if x) if r2 and role != r2 else (role or r2)
                    aff = aff or a2
                root = ent.root
                subject = is_subject(root) or (root.dep_ in ("compound", "appos") and is_subject(root.head))
                cast.add(words, offset, subject, role, aff, gender_of([t.text for t in title] + lead))
            elif ent.label_ in ("ORG", "GPE", "NORP", "FAC", "WORK_OF_ART"):
                name = media_name(ent.text)
                if name:
                    cast.media.append((offset, name))
                elif ent.label_ == "ORG":
                    cast.orgs.append((offset, org_name(ent.text)))
    # Surnames the model did not tag as PERSON ("After the summit, Trump changed …") still
    # count as mentions, so pronouns follow them.
    keys = {p.key for p in cast.people}
    for seg, doc in article.docs:
        for tok in doc:
            if tok.pos_ != "PROPN" or tok.ent_type_ == "PERSON" or not tok.text[:1].isupper():
                continue
            if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN":
                continue
            if variant_key(tok.text) in keys:
                person = cast.find([tok.text])
                if person is not None:
                    subject = is_subject(tok)
                    person.mentions.append((seg.start + tok.idx, subject))
    for person in cast.people:
        person.mentions.sort()
    return cast


@dataclass
class Resolved:
    speaker: str | None
    type: str
    how: str
    role: str | None = None
    affiliation: str | None = None
    description: str | None = None


UNKNOWN = Resolved(None, "unknown", "unknown")

def segment_index(article: Article, offset: int) -> int:
    for i, seg in enumerate(article.segments):
        if seg.start <= offset < seg.end:
            return i
    return -1


def role_holder(cast: Cast, description: str | None) -> Person | None:
    """The one person of the article whose roles hold every word of a role description
    ("a council leader", "the finance minister"), or None: a description made only of
    role words, never of unnamed-source words ("sources", "officials familiar with …")."""
    if not description:
        return None
    words = [w.lower().strip(".,") for w in description.split()]
    words = [w for w in words if w not in DETERMINERS and w not in ("a", "an")]
    lex = name_lexicon()
    if not words or len(words) > 4 or not all(w in lex["role_words"] for w in words) or \
            set(words) <= GENERIC_HEADS or any(w in lex["anonymous_cues"] for w in words):
        return None
    holders = [p for p in cast.people if set(words) <= p.role_words]
    return holders[0] if len(holders) == 1 else None
