"""The `speakers` stage: turn each statement's speaker mention into a canonical speaker.

A mention is what the article wrote ("Kremlin aide Yuri Ushakov", "he", "the Kremlin
official", "the Kremlin", "Axios", "sources familiar with the talks"). Resolution:

1. The article's cast: every person the article names (spaCy PERSON entities), with
   the roles and affiliations written around the name ("Russian Deputy Foreign
   Minister X", "X, the Kremlin spokesman", "Russia's ambassador to Washington, X"),
   merged by surname so "Ushakov" is the "Yury Ushakov" introduced earlier. A person's
   canonical name is the fullest form the article gives.
2. Each mention is parsed into name / role / affiliation, or recognised as a pronoun,
   a description ("the US president"), an organisation, an outlet or an unnamed source.
3. Pronouns go to the previous statement's speaker, unless another person became the
   subject in between; descriptions go to the introduced person whose role and
   affiliation words they share, else to the ledger's registry (roles seen in other
   articles); a statement with no mention continues the previous speaker of the same or
   previous paragraph. What cannot be known stays `None` / `unknown`: never a guess.
4. `via` carries over to the same speaker's later statements until another channel is
   named for that speaker (GUIDE.md).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from storyline.ledger.actors import lexicon, normalize_name, variant_key
from storyline.stages.speakers.mentions import (
    affiliation_keys,
    common_word,
    demonym,
    DETERMINERS,
    NAME_TITLES,
    Parsed,
    _clean_name,
    _gender_of,
    _lex,
    _org_name,
    _place,
    _places,
    _role_parts,
    _titled_name,
    media_name,
    parse_mention,
)
from storyline.model import Article, Mention, Statement
from storyline.pipeline import Context, stage
from storyline.stages.speakers.places import Places, batch_places, dash_joined, place_names  # noqa: F401

# Confidence by how a speaker was found.
CONFIDENCE = {"name": 0.95, "surname": 0.9, "org": 0.9, "media": 0.9, "anonymous": 0.9, "pronoun": 0.75,
              "description": 0.7, "registry": 0.6, "continued": 0.7, "group": 0.7}
GENERIC_HEADS = set(lexicon()["generic_heads"])
LEADER_ROLES = set(lexicon()["leader_roles"])
# Clauses whose subject becomes what a following "he"/"she" refers to (not reported content).
CLAUSES = ("ROOT", "advcl", "conj", "parataxis")
# Cues that continue what the same speaker was saying ("Kesh added …").
CONTINUING_CUES = {"add", "continue", "go on", "elaborate", "conclude"}
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
        first = variant_key(tokens[0]) if len(tokens) > 1 else None
        candidates = [p for p in self.people if p.key == key]
        if first:
            exact = [p for p in candidates if p.first is None or p.first == first or
                     (len(tokens[0].rstrip(".")) == 1 and p.first.startswith(first[:1]))]
            candidates = exact
        if not candidates and len(tokens) == 1:
            # a first name alone ("Kirill") or a one-word name matching a first name
            candidates = [p for p in self.people if p.first == key]
        if not candidates:
            return None
        # A surname shared by two people ("Trump"): the one the article mentions most.
        return max(candidates, key=lambda p: (len(p.mentions), -min((o for o, _ in p.mentions), default=0)))

    def add(self, tokens: list[str], offset: int, subject: bool = False, role: str | None = None,
            affiliation: str | None = None, gender: str | None = None) -> Person | None:
        tokens = _clean_name(tokens)
        if not tokens:
            return None
        person = self.find(tokens)
        if person is None:
            person = Person(" ".join(tokens), variant_key(tokens[-1]))
            self.people.append(person)
        if len(tokens) > 1 and (person.first is None or len(tokens) > len(person.name.split())):
            person.name = " ".join(tokens)
            person.first = variant_key(tokens[0])
        person.add_role(role, affiliation)
        person.gender = person.gender or gender
        person.mentions.append((offset, subject))
        return person

    def affiliation(self, affiliation: str | None, speaker: str | None = None, depth: int = 0) -> str | None:
        """An affiliation that names a person of the cast ("Varga's aide", "Marta Tolle,
        whose husband Arvid") stands for that person's own affiliation, or none."""
        if not affiliation:
            return None
        lex = _lex()
        words = [w for w in _clean_name(affiliation.split()) if w.lower() not in lex["role_words"]]
        if " " not in affiliation and affiliation.lower() in lex["organization_heads"]:
            for _, org in self.orgs:  # "the Council envoy" after "the Northern Seas Council"
                if len(org.split()) > 1 and org.split()[-1] == affiliation:
                    return org
        if len(words) == 1 and words[0].endswith("n") and not _place(words[0]) and \
                re.search(rf"\b{re.escape(words[0][:-1])}\b", self.text) and self.place_like(words[0][:-1]):
            return words[0][:-1]  # "Velorian" in an article about Veloria: Veloria
        if not words or len(words) > 3 or not all(w[:1].isupper() for w in words) or \
                self.place_like(" ".join(words)) or _place(" ".join(words)):
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


def _written(tok, cast: Cast) -> str:
    """A title word as a role reads it: capitalised common words in lower case."""
    return tok.text.lower() if common_word(tok, cast.place_like) else tok.text


def _is_subject(tok) -> bool:
    """The subject of a main or adverbial clause (or a conjunct of one)."""
    if tok.dep_ == "conj" and tok.head.dep_ in ("nsubj", "nsubjpass"):
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ in CLAUSES


def _title_before(doc, ent) -> list:
    """Tokens of the title written right before a name: "Russian Deputy Foreign Minister"."""
    lex = _lex()
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
        if low in lex["role_words"] or low in lex["person_heads"] or _place(tok.text) or \
                tok.ent_type_ in ("ORG", "GPE", "NORP") or low in ("'s", "’s") or tok.text[:1].isupper():
            out.insert(0, tok)
            i -= 1
            continue
        break
    return out


def _appositive(doc, ent) -> list:
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
    lex = _lex()
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
                title = _title_before(doc, ent)
                extra = _appositive(doc, ent)
                role, aff, _, _ = _role_parts([_written(t, cast) for t in title])
                if not role and extra:
                    role, aff2, _, _ = _role_parts([_written(t, cast) for t in extra])
                    aff = aff or aff2
                # Title words the model put inside the entity ("President Vladimir Putin").
                lead = []
                while len(words) > 1 and (words[0].lower() in lex["role_words"] or _place(words[0]) or
                                          (len(words) > 2 and cast.place_like(words[0]))) and \
                        not (len(words) == 2 and words[0].lower() in NAME_TITLES):
                    lead.append(words.pop(0))
                words = _titled_name(words, [t.text for t in title])
                if lead:
                    r2, a2, _, _ = _role_parts(lead)
                    role = " ".join(x for x in (role, r2) if x) if r2 and role != r2 else (role or r2)
                    aff = aff or a2
                root = ent.root
                subject = _is_subject(root) or (root.dep_ in ("compound", "appos") and _is_subject(root.head))
                cast.add(words, offset, subject, role, aff, _gender_of([t.text for t in title] + lead))
            elif ent.label_ in ("ORG", "GPE", "NORP", "FAC", "WORK_OF_ART"):
                name = media_name(ent.text)
                if name:
                    cast.media.append((offset, name))
                elif ent.label_ == "ORG":
                    cast.orgs.append((offset, _org_name(ent.text)))
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
                    subject = _is_subject(tok)
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


def _describe(cast: Cast, parsed: Parsed, before: int, previous: str | None = None) -> Person | None:
    """The introduced person a description fits best ("the Kremlin spokesman").

    Shared role words and affiliations score; a different country rules a person out;
    the previous statement's speaker wins ties ("… Kirill said. The Christian leader added")."""
    head_words = parsed.words
    wanted_places = parsed.affiliations & _places()
    generic = bool(head_words & GENERIC_HEADS)
    specific = head_words - GENERIC_HEADS - {"first", "deputy", "senior", "top", "former"}
    best, best_score, best_at = None, 0, -1
    for person in cast.people:
        keys = set()
        for a in person.affiliations:
            keys.add(normalize_name(a))
            place = _place(a)
            if place:
                keys.add(normalize_name(place))
        places = keys & _places()
        if wanted_places and places and not (wanted_places & places):
            continue
        if person.role_words & {"former", "ex", "late"} and not head_words & {"former", "ex", "late"}:
            continue
        score = 0
        shared = specific & person.role_words
        score += 2 * len(shared)
        if parsed.affiliations and parsed.affiliations & keys:
            score += 2
        if "leader" in head_words and person.role_words & LEADER_ROLES:
            score += 1
        if specific and not shared and not generic:
            continue  # "the spokesman" is not the foreign minister
        if previous and person.name == previous and (score > 0 or generic):
            score += 1
        if score <= 0:
            continue
        if parsed.gender and person.gender and parsed.gender != person.gender:
            continue
        seen = [o for o, _ in person.mentions if o < before]
        at = max(seen) if seen else -1
        if at < 0:
            score -= 1  # not yet introduced: weaker
            if score <= 0:
                continue
        if (score, at) > (best_score, best_at):
            best, best_score, best_at = person, score, at
    return best


def _registry_describe(store, parsed: Parsed) -> str | None:
    """A description matched against roles the registry has seen in other articles."""
    if store is None:
        return None
    specific = parsed.words - GENERIC_HEADS
    if not specific:
        return None
    rows = store.conn.execute(
        "SELECT a.name, r.role, COALESCE(r.affiliation, a.affiliation) AS aff, r.last_seen "
        "FROM actor_roles r JOIN actors a ON a.id = r.actor_id WHERE a.merged_into IS NULL AND a.type='person'"
    ).fetchall()
    matches = {}
    for row in rows:
        words = {w.lower() for w in re.findall(r"[\w-]+", row["role"])}
        if not specific <= words:
            continue
        aff = affiliation_keys(row["aff"] or "")
        if parsed.affiliations and not (parsed.affiliations & aff):
            continue
        matches.setdefault(row["name"], row["last_seen"] or "")
    if len(matches) == 1:
        return next(iter(matches))
    return None


def _registry_name(store, name: str) -> str | None:
    """The registry's canonical name for a person named only by surname, when unique."""
    if store is None:
        return None
    from storyline.ledger.actors import _index, lookup

    try:
        actor_id = lookup(store.conn, _index(store), name, "person")
    except Exception:  # noqa: BLE001 - the registry is a help, never a reason to fail
        return None
    if actor_id is None:
        return None
    row = store.conn.execute("SELECT name, type FROM actors WHERE id=?", (actor_id,)).fetchone()
    return row["name"] if row and row["type"] == "person" else None


def _enrich_from_registry(cast: Cast, store) -> None:
    """Roles the ledger knows for the people an article names, so "the foreign minister"
    finds the person the article itself names without a title."""
    if store is None:
        return
    from storyline.ledger.actors import _index, lookup

    try:
        index = _index(store)
        for person in cast.people:
            actor_id = lookup(store.conn, index, person.name, "person")
            if actor_id is None:
                continue
            for row in store.conn.execute("SELECT role, affiliation FROM actor_roles WHERE actor_id=? "
                                          "ORDER BY last_seen DESC LIMIT 5", (actor_id,)):
                person.add_role(row["role"], row["affiliation"])
    except Exception:  # noqa: BLE001 - the registry is a help, never a reason to fail
        return


def _segment_index(article: Article, offset: int) -> int:
    for i, seg in enumerate(article.segments):
        if seg.start <= offset < seg.end:
            return i
    return -1


def ledger_outlets(store) -> list[str]:
    """Outlet names the ledger already knows (articles' outlets)."""
    if store is None:
        return []
    try:
        return [r[0] for r in store.conn.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")]
    except Exception:  # noqa: BLE001 - a help, never a reason to fail
        return []


def resolve_article(article: Article, store=None, outlets: list[str] | None = None,
                    known_places: set[str] | None = None) -> Cast:
    """Resolve the speakers of one article. `known_places`: names other articles use as
    places (a name this article gives a person stays a person). Returns the article's cast."""
    cast = build_cast(article, known_places)
    cast.outlets = sorted({*(outlets or []), *([article.outlet] if article.outlet else [])}, key=len, reverse=True)
    statements = sorted(article.statements, key=lambda s: (s.start, s.end))
    for s in statements:  # names written in mentions join the cast first (fullest form wins)
        if s.speaker_mention is not None and s.speaker_mention.text.strip():
            parsed = parse_mention(article, s.speaker_mention, cast.outlets, cast.place_like)
            if parsed.form == "name" and " and " not in (parsed.name or "") and \
                    not (len(parsed.name.split()) <= 2 and not parsed.role and cast.place_like(parsed.name)):
                cast.add(parsed.name.split(), s.speaker_mention.start, False, parsed.role, parsed.affiliation,
                         parsed.gender)
    _enrich_from_registry(cast, store)
    spans = [(s.start, s.end) for s in statements]
    previous: Statement | None = None
    previous_resolved: Resolved | None = None
    for s in statements:
        mention = s.speaker_mention
        if s.speaker == "anonymous" or (s.speaker_type == "anonymous"):
            resolved = Resolved("anonymous", "anonymous", "anonymous",
                                description=s.speaker_description or (mention.text if mention else None))
        elif mention is None or not mention.text.strip():
            resolved = _continue(article, s, previous, previous_resolved)
        else:
            resolved = _resolve_mention(article, cast, s, previous, previous_resolved, spans, store)
        if resolved.type == "person" and resolved.speaker and " " not in resolved.speaker:
            resolved.speaker = _registry_name(store, resolved.speaker) or resolved.speaker  # "Korvel"
        if resolved.type == "organization" and resolved.speaker and mention is not None:
            cast.orgs.append((mention.start, resolved.speaker))  # "the committee" may refer back to it
        if resolved.type == "person" and mention is not None and resolved.affiliation and \
                resolved.affiliation.split()[-1].lower() in _lex()["organization_heads"]:
            cast.orgs.append((mention.start, resolved.affiliation))  # "a spokesman for X" … "the ministry"
        if mention is not None and (resolved.type == "media" or s.via):
            # "the newspaper" refers back to the outlet named last, as speaker or as channel
            outlet = resolved.speaker if resolved.type == "media" else s.via[-1]
            cast.media.append((mention.start, outlet))
            cast.media.sort()
        s.speaker = resolved.speaker
        s.speaker_type = resolved.type
        s.speaker_role = resolved.role or s.speaker_role
        s.speaker_affiliation = cast.affiliation(resolved.affiliation or s.speaker_affiliation, resolved.speaker)
        if s.speaker_affiliation is None and resolved.type == "person" and resolved.speaker:
            person = cast.find(resolved.speaker.split())
            others = [a for a in (person.affiliations if person else []) if cast.affiliation(a, person.name) == a]
            s.speaker_affiliation = others[0] if others else None
        s.speaker_description = resolved.description
        # The statement is as sure as the weaker of its extraction and its speaker.
        found = CONFIDENCE.get(resolved.how, 0.5)
        s.confidence = round(min(s.confidence, found) if s.confidence else found, 3)
        previous, previous_resolved = s, resolved
    carry_via(statements, article)
    return cast


def _continue(article: Article, s: Statement, previous, prev: Resolved | None) -> Resolved:
    if previous is None or prev is None or prev.speaker is None:
        return UNKNOWN
    here, there = _segment_index(article, s.start), _segment_index(article, previous.start)
    if here - there > 1:
        return UNKNOWN
    return Resolved(prev.speaker, prev.type, "continued", prev.role, prev.affiliation, prev.description)


def _person(person: Person, how: str) -> Resolved:
    return Resolved(person.name, "person", how, person.roles[0] if person.roles else None,
                    person.affiliations[0] if person.affiliations else None)


def _resolve_mention(article, cast: Cast, s: Statement, previous, prev: Resolved | None, spans, store,
                     documents: bool = True) -> Resolved:
    parsed = parse_mention(article, s.speaker_mention, cast.outlets, cast.place_like)
    start = s.speaker_mention.start
    if parsed.form == "relative" and documents:
        antecedent = _antecedent(article, s.speaker_mention)
        if antecedent is not None:
            proxy = Statement(s.start, s.end, s.text, s.kind, speaker_mention=antecedent, via=list(s.via))
            return _resolve_mention(article, cast, proxy, previous, prev, spans, store, documents=False)
        return UNKNOWN
    if parsed.form == "document":
        author = _document_author(article, cast, s, next(iter(parsed.words)), previous, prev, spans, store) \
            if documents else None
        return author or UNKNOWN
    honorific = s.speaker_mention.text.split()[0].lower().rstrip(".") in _lex()["honorifics"]
    if parsed.form == "name" and len(parsed.name.split()) <= 2 and not parsed.role and not honorific and \
            (cast.place_like(parsed.name) or _tagged_place(article, s.speaker_mention, parsed.name, cast)) and \
            not any(p.name == parsed.name and p.roles for p in cast.people):
        return Resolved(parsed.name, "organization", "org")  # a country or town speaking
    if parsed.form == "name":
        if " and " in (parsed.name or ""):
            names = []
            for part in parsed.name.split(" and "):
                person = cast.find(_clean_name(part.split()))
                names.append(person.name if person else part)
            return Resolved(" and ".join(names), "person", "name")
        tokens = parsed.name.split()
        person = cast.find(tokens)
        if person is None:
            person = cast.add(tokens, start, True, parsed.role, parsed.affiliation, parsed.gender)
        else:
            person.add_role(parsed.role, parsed.affiliation)
        name = person.name
        how = "name" if len(tokens) > 1 else "surname"
        if len(name.split()) == 1:
            name = _registry_name(store, name) or name
        return Resolved(name, "person", how, parsed.role or (person.roles[0] if person.roles else None),
                        parsed.affiliation or (person.affiliations[0] if person.affiliations else None))
    if parsed.form in ("media", "media_ref") or (parsed.form == "name" and parsed.words & JOURNALISTS):
        cited = _cited_unnamed(article, s)
        if cited:  # "Reuters reported, citing anonymous sources": the outlet is the channel
            outlet = parsed.name if parsed.form == "media" else \
                (parsed.affiliation if parsed.form == "name" else _outlet_in(cast, s.speaker_mention, start))
            if outlet and outlet not in s.via:
                s.via.append(outlet)
            return Resolved("anonymous", "anonymous", "anonymous", description=cited)
    if parsed.form == "media":
        return Resolved(parsed.name, "media", "media")
    if parsed.form == "media_ref":
        outlet = _outlet_in(cast, s.speaker_mention, start)
        if outlet:
            return Resolved(outlet, "media", "media")
        named = [name for offset, name in cast.media if offset < start]
        if prev and prev.type == "media" and (not named or prev.speaker == named[-1]):
            return Resolved(prev.speaker, "media", "media")
        return Resolved(named[-1], "media", "media") if named else UNKNOWN
    if parsed.form == "anonymous":
        return Resolved("anonymous", "anonymous", "anonymous", description=s.speaker_mention.text)
    if parsed.form == "group":
        return Resolved(_earlier_group(article, parsed.name, start) or parsed.name, "organization", "group")
    if parsed.form == "pronoun":
        return _pronoun(article, cast, s, parsed, previous, prev, spans)
    if parsed.form == "description":
        if parsed.words <= GENERIC_HEADS | {"senior", "top"} and not parsed.affiliations:
            return _pronoun(article, cast, s, Parsed("pronoun", gender=parsed.gender), previous, prev, spans)
        person = _describe(cast, parsed, start, prev.speaker if prev and prev.type == "person" else None)
        if person is not None:
            return _person(person, "description")
        name = _registry_describe(store, parsed)
        if name:
            return Resolved(name, "person", "registry", parsed.role, parsed.affiliation)
        if s.speaker_mention.text.split()[0].lower() in ("his", "her", "their"):
            # "his spokesman", never named: an unnamed source close to someone named
            return Resolved("anonymous", "anonymous", "anonymous", description=s.speaker_mention.text)
        return UNKNOWN
    if parsed.form == "org":
        words = _clean_name((parsed.name or "").split())
        if 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and \
                not cast.place_like(" ".join(words)) and not _tagged_place(article, s.speaker_mention, " ".join(words), cast):
            person = cast.find(words)
            if person is not None and variant_key(words[-1]) == person.key:
                return _person(person, "surname")
        return _organisation(cast, parsed, start)
    return UNKNOWN


def _tagged_place(article: Article, mention, name: str, cast: Cast) -> bool:
    """The model tagged the name in this mention as a place or nationality (GPE, LOC,
    NORP) and the article names no person so (the model also tags surnames GPE: "Tolle
    said" after "skipper Arvid Tolle")."""
    from storyline.stages.speakers.mentions import _mention_span

    span = _mention_span(article, mention.start, mention.end)
    if span is None or cast.places.person_evidence(name):
        return False
    words = name.split()
    tokens = [t for t in span if t.text in words]
    return bool(tokens) and all(t.ent_type_ in ("GPE", "LOC", "NORP") for t in tokens)


def _antecedent(article: Article, mention) -> Mention | None:
    """What "who" stands for: the noun phrase its relative clause hangs on."""
    for seg, doc in article.docs:
        if not (seg.start <= mention.start < seg.end):
            continue
        span = doc.char_span(mention.start - seg.start, mention.end - seg.start, alignment_mode="expand")
        if span is None or not len(span):
            return None
        verb = span.root.head
        while verb.dep_ not in ("relcl", "ROOT") and verb.head.i != verb.i:
            verb = verb.head
        if verb.dep_ != "relcl":
            return None
        noun = verb.head
        left = noun.left_edge.i
        a, b = seg.start + doc[left].idx, seg.start + noun.idx + len(noun)
        return Mention(a, b, article.text[a:b])
    return None


def _document_author(article: Article, cast: Cast, s: Statement, noun: str, previous, prev, spans, store):
    """Who issued "the statement": the subject of the latest sentence before the mention
    that mentions such a text ("In a statement, the leaders ruled out …"), in the same or
    previous paragraph."""
    start = s.speaker_mention.start
    here = _segment_index(article, start)
    found = None
    for seg, doc in article.docs:
        index = _segment_index(article, seg.start)
        if index < here - 1 or seg.start >= start:
            continue
        for sent in doc.sents:
            if seg.start + sent.end_char > start:
                break
            if not any(t.lemma_.lower() == noun for t in sent):
                continue
            subjects = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"]
            if subjects:
                subj = subjects[0]
                a, b = seg.start + doc[subj.left_edge.i].idx, seg.start + subj.right_edge.idx + len(subj.right_edge)
                found = Mention(a, b, article.text[a:b])
    if found is None:
        return None
    proxy = Statement(s.start, s.end, s.text, s.kind, speaker_mention=found, via=list(s.via))
    resolved = _resolve_mention(article, cast, proxy, previous, prev, spans, store, documents=False)
    return resolved if resolved.speaker else None


def _outlet_in(cast: Cast, mention, start: int) -> str | None:
    """An outlet named inside a mention ("the BFMTV news outlet", "Berlin-based tabloid Bild")."""
    for offset, name in cast.media:
        if mention.start <= offset < mention.end:
            return name
    words = [w.strip(",.") for w in mention.text.split()]
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            name = media_name(" ".join(words[i:i + n]))
            if name and any(w[:1].isupper() for w in words[i:i + n]):
                return name
    return None


def _cited_unnamed(article: Article, s: Statement) -> str | None:
    """The unnamed source an outlet cites in the statement's sentence ("citing anonymous
    sources", "citing officials familiar with the talks"), or None."""
    mention = s.speaker_mention
    for seg, doc in article.docs:
        if not (seg.start <= mention.start < seg.end):
            continue
        for sent in doc.sents:
            if seg.start + sent.start_char <= mention.start < seg.start + sent.end_char:
                found = re.search(r"\bciting\s+([^,.;:\u201c\"]{1,80})", sent.text)
                if not found:
                    return None
                phrase = found.group(1).strip()
                words = [w.lower() for w in phrase.split()]
                lex = _lex()
                named = any(w[:1].isupper() and w.lower() not in DETERMINERS and not _place(w) for w in phrase.split()
                            if w.lower() not in lex["anonymous_heads"] and w.lower() not in lex["anonymous_cues"]
                            and w.lower() not in lex["role_words"] and w.lower() not in lex["organization_heads"])
                if (set(words) & (lex["anonymous_cues"] | lex["anonymous_heads"])) and not named:
                    return phrase
                return None
    return None


def _organisation(cast: Cast, parsed: Parsed, start: int) -> Resolved:
    lex = _lex()
    name = parsed.name or ""
    words = name.split()
    # "the Council" after "the Northern Seas Council": the body named before, in full.
    if len(words) == 1 and words[0][:1].isupper() and words[0].lower() in lex["organization_heads"]:
        for offset, org in reversed(cast.orgs):
            if offset < start and len(org.split()) > 1 and org.split()[-1] == words[0]:
                return Resolved(org, "organization", "org")
    # "Ukraine's presidential office" is the Ukrainian presidential office; "Eskby's harbour
    # committee" the Eskby harbour committee (a person's "office" stays theirs).
    owned = re.fullmatch(r"(.+?)['\u2019]s\s+([a-z][\w -]*)", name)
    if owned and (demonym(owned[1]) or (cast.place_like(owned[1]) and not _place(owned[1]))):
        name = f"{demonym(owned[1]) or owned[1]} {owned[2]}"
        words = name.split()
    # "the ministry" / "the Russian ministry": the organisation of that kind named before.
    if words and all(w.lower() in lex["organization_heads"] or _place(w) or w.islower() for w in words) and \
            not any(w[:1].isupper() and not _place(w) for w in words):
        head = words[-1].lower()
        for offset, org in reversed(cast.orgs):
            org_words = {w.lower() for w in org.split()}
            if offset < start and head in org_words and len(org.split()) > len(words):
                return Resolved(org, "organization", "org")
        if all(w.islower() for w in words):
            named = _named_before(cast, words, start)
            return Resolved(named, "organization", "org") if named else UNKNOWN
    if not name or not (words[-1][:1].isupper() or words[-1].lower() in lex["organization_heads"]):
        return UNKNOWN  # "the Ukraine issue", "the makeup of …": not a speaker
    return Resolved(name, "organization", "org")


def _named_before(cast: Cast, words: list[str], start: int) -> str | None:
    """The body a lower-case description stands for when the article named it before with
    a name in front ("the harbour committee" after "the Eskby harbour committee"), or in a
    sentence set in a place ("In Eskby, …, the local harbour committee said": Eskby
    harbour committee)."""
    text = cast.text[:start]
    sentence = re.split(r"(?<=[.!?\u201d\"])\s+|\n", text)[-1]
    setting = re.match(r"\s*In ([A-Z][\w-]*(?: [A-Z][\w-]*)?),", sentence)
    if setting and cast.place_like(setting[1]):
        body = [w for w in words if w not in ("local", "town", "city", "village")]
        if body:
            return " ".join([setting[1], *body])
    for n in range(len(words), 1, -1):
        tail = r"\s+".join(re.escape(w) for w in words[-n:])
        found = None
        for m in re.finditer(rf"((?:[A-Z][\w-]*\s+){{1,3}}?)(?:['\u2019]s\s+)?{tail}\b", text):
            found = m
        if found:
            run = " ".join(w for w in found.group(1).split() if w.lower() not in DETERMINERS)
            # a place or a body the model recognised, not any capitalised word ("Meanwhile")
            if run and (_place(run) or cast.place_like(run) or
                        any(cast.labels.get(run, Counter())[label] for label in ("ORG", "NORP", "GPE", "LOC"))):
                return " ".join([run, *words[-n:]])
    return None


def _pronoun(article, cast: Cast, s: Statement, parsed: Parsed, previous, prev: Resolved | None, spans) -> Resolved:
    gender = parsed.gender
    start = s.speaker_mention.start
    if gender in ("plural",):
        group = _plural_subject_between(article, previous.end if previous is not None else 0, start, spans)
        if group:
            return Resolved(group, "organization", "group")
        if prev and prev.speaker:
            return Resolved(prev.speaker, prev.type, "pronoun", prev.role, prev.affiliation, prev.description)
        return UNKNOWN
    if gender == "neuter":
        if prev and prev.type in ("organization", "media"):
            return Resolved(prev.speaker, prev.type, "pronoun", prev.role, prev.affiliation)
        return UNKNOWN
    # he / she / I: the previous person speaker, unless another person became the subject since.
    since = previous.end if previous is not None else 0
    if previous is not None and previous.speaker_mention is not None:
        since = max(since, previous.speaker_mention.end)
    intervening = cast.last_subject_between(since, start, spans)
    if intervening is not None and (prev is None or intervening.name != prev.speaker) and \
            not (gender and intervening.gender and intervening.gender != gender):
        if intervening.gender is None and gender in ("male", "female"):
            intervening.gender = gender
        return _person(intervening, "pronoun")
    if prev and prev.type == "person" and prev.speaker and " and " not in prev.speaker:
        person = cast.find(prev.speaker.split())
        if person is None or not (gender and person.gender and person.gender != gender):
            if person is not None and person.gender is None and gender in ("male", "female"):
                person.gender = gender
            return Resolved(prev.speaker, "person", "pronoun", prev.role, prev.affiliation)
    # No previous speaker: the most recent person named before, compatible in gender.
    best, best_at = None, -1
    for person in cast.people:
        if gender and person.gender and person.gender != gender:
            continue
        for offset, _ in person.mentions:
            if offset < start and offset > best_at and _segment_index(article, start) - _segment_index(article, offset) <= 1:
                best, best_at = person, offset
    return _person(best, "pronoun") if best else UNKNOWN


def _plural_subject_between(article: Article, start: int, end: int, spans) -> str | None:
    """The last plural noun phrase that was a sentence subject between two offsets
    ("The leaders of five nations released a statement. They said …")."""
    lex = _lex()
    found = None
    for seg, doc in article.docs:
        if seg.end <= start or seg.start >= end:
            continue
        for tok in doc:
            offset = seg.start + tok.idx
            if not (start <= offset < end) or any(a <= offset < b for a, b in spans):
                continue
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.tag_ in ("NNS", "NNPS") and \
                    tok.lower_ not in lex["anonymous_heads"]:
                phrase = doc[tok.left_edge.i:tok.right_edge.i + 1]
                if seg.start + phrase.end_char <= end and len(phrase) <= 10:
                    found = _org_name(phrase.text)
    return found


def _earlier_group(article: Article, name: str, start: int) -> str | None:
    """A group named again in other words ("the leaders of A, B and C" after "the leaders
    of eight nations") within the same or previous paragraph: the first naming wins."""
    head = name.split()[0].lower() if name else ""
    if not head.endswith("s"):
        return None
    here = _segment_index(article, start)
    for seg, doc in article.docs:
        index = _segment_index(article, seg.start)
        if index < here - 1 or seg.start >= start:
            continue
        for tok in doc:
            if seg.start + tok.idx >= start:
                break
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.lower_ == head and tok.tag_ == "NNS":
                phrase = _org_name(doc[tok.left_edge.i:tok.right_edge.i + 1].text)
                if phrase and phrase.lower() != name.lower() and len(phrase.split()) <= 10:
                    return phrase
    return None


def carry_via(statements: list[Statement], article: Article | None = None, max_gap: int | None = None) -> None:
    """Once named, `via` carries over to the same speaker's other statements in the same
    report (GUIDE.md) until another channel is named for that speaker.

    Live blogs and round-ups hold many reports in one article, so a report is taken to be
    a run of consecutive statements by one speaker: a statement by anyone else ends it.
    Within a run, a channel also covers the statements before it that name none
    ("“…,” Kesh said. … Kesh told the Herald"). `max_gap` (paragraphs) optionally ends a
    run at a long stretch without the speaker.
    """
    def segment(s: Statement) -> int:
        return _segment_index(article, s.start) if article is not None else 0

    live = article is not None and any(seg.kind == "item" for seg in article.segments)

    def new_item(s: Statement, last: Statement) -> bool:
        """In a live blog, a paragraph that names its speaker afresh starts another report."""
        if not live or segment(s) == segment(last):
            return False
        seg = article.segments[segment(s)]
        opening = article.text[seg.start:seg.end].lstrip()[:1]
        mention = (s.speaker_mention.text.strip().lower() if s.speaker_mention else "")
        continuing = not mention or mention in _lex()["pronouns"] or opening in "\"“‘'«" or \
            (s.cue or "").lower() in CONTINUING_CUES
        return not continuing

    if article is not None and not live and max_gap is None:
        _carry_per_speaker(statements, segment)
        return
    runs: list[list[Statement]] = []
    for s in statements:
        named = s.speaker and s.speaker != "anonymous"
        if runs and named and runs[-1][-1].speaker == s.speaker and not new_item(s, runs[-1][-1]) and \
                (max_gap is None or segment(s) - segment(runs[-1][-1]) <= max_gap):
            runs[-1].append(s)
        else:
            runs.append([s])
    for run in runs:
        if not run[0].speaker or run[0].speaker == "anonymous":
            continue
        explicit = [bool(s.via) for s in run]
        carried: list[str] | None = None
        for s in run:
            if s.via:
                carried = list(s.via)
            elif s.channel:
                carried = None
            elif carried:
                s.via = list(carried)
        for i, s in enumerate(run):
            if not explicit[i]:
                continue
            for j in range(i - 1, -1, -1):
                t = run[j]
                if explicit[j] or t.channel:
                    break
                if not t.via:
                    t.via = list(s.via)


def _carry_per_speaker(statements: list[Statement], segment) -> None:
    """One report per article: each speaker's channel carries forward through the article,
    and back to that speaker's earlier statements of the same paragraph."""
    explicit = [bool(s.via) for s in statements]
    carried: dict[str, list[str]] = {}
    for s in statements:
        if not s.speaker or s.speaker == "anonymous":
            continue
        if s.via:
            carried[s.speaker] = list(s.via)
        elif s.channel:
            carried.pop(s.speaker, None)
        elif s.speaker in carried:
            s.via = list(carried[s.speaker])
    for i, s in enumerate(statements):
        if not explicit[i] or not s.speaker:
            continue
        for t in statements[:i][::-1]:
            if segment(t) != segment(s):
                break
            if t.speaker != s.speaker:
                continue
            if t.channel or explicit[statements.index(t)]:
                break
            if not t.via:
                t.via = list(s.via)


@stage("speakers", requires=("statements",), assigns=("speakers",), analysed_only=True)
def speakers(articles: list[Article], ctx: Context) -> None:
    outlets = sorted({*ledger_outlets(ctx.store), *(a.outlet for a in articles if a.outlet)})
    places = batch_places(articles) if len(articles) > 1 else set()
    casts = ctx.cache["casts"] = {}  # id -> (article, cast): the events stage reuses them
    for article in articles:
        casts[id(article)] = (article, resolve_article(article, ctx.store, outlets, places))
