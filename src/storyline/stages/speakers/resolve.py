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

Where things live: cast.py (the people an article names), mentions.py (reading one
mention), canonical.py (the canonical-name step), bodies.py (organisations), registry.py
(what the ledger's registry adds), via.py (channel carry-over), confidence.py (calibrated
confidence), places.py (names used as places); names.py at the package root holds the
pure name keys shared with the registry.
"""

from __future__ import annotations

import re

from storyline.model import Article, Mention, Statement
from storyline.names import (
    canonical_person,
    name_word,
    normalize_name,
    surname_start,
    title_word,
    variant_key,
)
from storyline.pipeline import Context, stage
from storyline.stages.speakers.bodies import last_body, organisation
from storyline.stages.speakers.canonical import (
    full_body,
    fuller_forms,
    fullest_person,
    named_body,
    spoken_for,
)
from storyline.stages.speakers.cast import (
    GENERIC_HEADS,
    JOURNALISTS,
    LEADER_ROLES,
    UNKNOWN,
    Cast,
    Person,
    Resolved,
    build_cast,
    role_holder,
    segment_index,
)
from storyline.stages.speakers.confidence import calibrated
from storyline.stages.speakers.mentions import (
    DETERMINERS,
    Parsed,
    clean_name,
    media_name,
    name_lexicon,
    org_name,
    owner_of_statement,
    parse_mention,
    place_keys,
    place_of,
)
from storyline.stages.speakers.places import batch_places
from storyline.stages.speakers.registry import (
    enrich_from_registry,
    ledger_outlets,
    registry_describe,
    registry_name,
)
from storyline.stages.speakers.via import carry_via


def _describe(cast: Cast, parsed: Parsed, before: int, previous: str | None = None) -> Person | None:
    """The introduced person a description fits best ("the Kremlin spokesman").

    Shared role words and affiliations score; a different country rules a person out;
    the previous statement's speaker wins ties ("… Kirill said. The Christian leader added")."""
    head_words = parsed.words
    wanted_places = parsed.affiliations & place_keys()
    generic = bool(head_words & GENERIC_HEADS)
    specific = head_words - GENERIC_HEADS - {"first", "deputy", "senior", "top", "former"}
    best, best_score, best_at = None, 0, -1
    for person in cast.people:
        keys = set()
        for a in person.affiliations:
            keys.add(normalize_name(a))
            place = place_of(a)
            if place:
                keys.add(normalize_name(place))
        places = keys & place_keys()
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
    enrich_from_registry(cast, store)
    spans = [(s.start, s.end) for s in statements]
    caches: tuple[dict, dict] = ({}, {})
    previous: Statement | None = None
    previous_resolved: Resolved | None = None
    for s in statements:
        mention = s.speaker_mention
        if s.speaker == "anonymous" or (s.speaker_type == "anonymous"):
            resolved = Resolved("anonymous", "anonymous", "anonymous",
                                description=s.speaker_description or (mention.text if mention else None))
            holder = role_holder(cast, resolved.description)
            if holder is not None:  # "a council leader" in an article that names council leader Andrew Baggott
                resolved = _person(holder, "description")
        elif mention is None or not mention.text.strip():
            resolved = _continue(article, s, previous, previous_resolved)
            if resolved.speaker and previous is not None and previous.speaker_mention is not None:
                s.speaker_mention = previous.speaker_mention  # the mention the continued quote's speaker was named by
        else:
            resolved = _resolve_mention(article, cast, s, previous, previous_resolved, spans, store)
        resolved = _canonical(article, cast, resolved, caches)
        if resolved.type == "person" and resolved.speaker and " " not in resolved.speaker:
            resolved.speaker = registry_name(store, resolved.speaker) or resolved.speaker  # "Korvel"
        if resolved.type == "organization" and resolved.speaker and mention is not None:
            cast.orgs.append((mention.start, resolved.speaker))  # "the committee" may refer back to it
        if resolved.type == "person" and mention is not None and resolved.affiliation and \
                resolved.affiliation.split()[-1].lower() in name_lexicon()["organization_heads"]:
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
        s.confidence = calibrated(s.confidence, resolved.how)
        previous, previous_resolved = s, resolved
    carry_via(statements, article)
    return cast


def _lex_heads() -> list[str]:
    return name_lexicon()["organization_heads"]


def _canonical(article: Article, cast: Cast, resolved: Resolved, caches: tuple[dict, dict]) -> Resolved:
    """The canonical-name step (canonical.py): persons cut clean and at their fullest,
    bodies by their full name, a spokesperson for a named body as that body."""
    found = _canonical_step(article, cast, resolved, caches)
    if found.type == "person" and found.speaker and re.match(r"[Tt]he\s+[A-Z]", found.speaker):
        return Resolved(found.speaker.split(None, 1)[1], "organization", "org")  # "The Houthis": a group
    return found


def _canonical_step(article: Article, cast: Cast, resolved: Resolved, caches: tuple[dict, dict]) -> Resolved:
    people, bodies = caches
    name = resolved.speaker
    if resolved.type in ("person", "organization") and name and all(title_word(w) for w in name.split()) and \
            not any(w.lower() in _lex_heads() for w in name.split()):
        # a role taken for a name ("Counsel said"): the person the article gives that role, else unnamed
        wanted = {w.lower().rstrip(".,") for w in name.split()}
        holders = [p for p in cast.people if wanted <= p.role_words and p.name != name]
        if len(holders) == 1:
            return _person(holders[0], "description")
        return Resolved("anonymous", "anonymous", "unnamed", description=name)
    if resolved.type == "person" and name and name.isupper() and len(name) > 2 and " " not in name:
        person = cast.find([name.title()])  # a transcript's "KASK:" is the Kask the article names
        if person is not None:
            return Resolved(person.name, "person", "surname", resolved.role, resolved.affiliation)
    if resolved.type == "person" and name and " and " not in name:
        body = named_body(article, name, bodies)
        if body:
            return Resolved(body, "organization", "org", description=resolved.description)
        full = fullest_person(article, name, people)
        words = full.split()
        while len(words) > 2:  # "West Bengal CM Mamata Banerjee": places and acronyms before the name
            if len(words) > 3 and cast.place_like(" ".join(words[:2])):
                words = words[2:]
            elif words[0].isupper() and len(words[0]) > 1 or cast.place_like(words[0]) or place_of(words[0]):
                words = words[1:]
            else:
                break
        full = " ".join(words)
        if full != name:
            person = cast.find(name.split())
            if person is not None and len(full.split()) >= len(person.name.split()):
                person.name = full
                words = full.split()
                person.first = variant_key(words[0]) if surname_start(words) > 0 else person.first
            resolved.speaker = full
    elif resolved.type == "organization" and name:
        words = canonical_person(name).split()
        honorific = name.split()[0].lower().rstrip(".") in name_lexicon()["honorifics"]
        person = cast.find(words) if words and words[-1][:1].isupper() else None
        same = person is not None and (variant_key(words[-1]) == person.key or
                                       (len(words) == 1 and person.first == variant_key(words[0])))
        if not same and len(words) == 1 and not honorific:
            forms = fuller_forms(article, words[0], person_only=True)  # "Oscar Albayalde", "Albayalde" as a place
            if forms:
                full = max(forms, key=lambda f: (forms[f], len(f)))
                return _canonical(article, cast, Resolved(full, "person", "surname", resolved.role,
                                                          resolved.affiliation), caches)
        lex = name_lexicon()
        titled = " ".join(words) != name.strip() and 2 <= len(words) <= 4 and all(name_word(w) for w in words) and \
            not any(w.lower() in lex["organization_heads"] or place_of(w) for w in words)  # "RT's Egor Piskunov"
        # a spelling variant of a name the article gives in full ("Mahithir" for "Mahathir")
        spelled = person is not None and len(words) == 1 and person.first is not None and \
            variant_key(words[0]) not in (person.key, person.first)
        same = same or spelled
        introduced = person is not None and person.first is not None and (variant_key(words[-1]) == person.key or spelled)  # "Albayalde" after "Oscar Albayalde", even if tagged a place
        if (honorific or same or titled) and len(words) <= 4 \
                and (introduced or not cast.place_like(" ".join(words))):
            # "Dr. Ted Long, the Director of Tracing", "de Blasio": a person, not a body
            full = person.name if person is not None and len(person.name.split()) >= len(words) else " ".join(words)
            return _canonical(article, cast, Resolved(full, "person", "name", resolved.role, resolved.affiliation),
                              caches)
        resolved.speaker = re.sub(r"^[Tt]he\s+(?=[A-Z])", "", full_body(article, name, bodies))  # "The Houthis"
    elif resolved.type == "anonymous":
        body = spoken_for(resolved.description)
        if body:
            return Resolved(full_body(article, body, bodies), "organization", "org", description=resolved.description)
    return resolved


def _continue(article: Article, s: Statement, previous, prev: Resolved | None) -> Resolved:
    if previous is None or prev is None or prev.speaker is None:
        return UNKNOWN
    here, there = segment_index(article, s.start), segment_index(article, previous.start)
    if here - there > 1:
        return UNKNOWN
    return Resolved(prev.speaker, prev.type, "continued", prev.role, prev.affiliation, prev.description)


def _person(person: Person, how: str) -> Resolved:
    return Resolved(person.name, "person", how, person.roles[0] if person.roles else None,
                    person.affiliations[0] if person.affiliations else None)


def _resolve_mention(article, cast: Cast, s: Statement, previous, prev: Resolved | None, spans, store,
                     documents: bool = True) -> Resolved:
    owner = owner_of_statement(article, s.speaker_mention) if documents else None
    if owner is not None:  # "the FTC's statement", "NASA's interpretation of the data": the owner speaks
        proxy = Statement(s.start, s.end, s.text, s.kind, speaker_mention=owner, via=list(s.via))
        found = _resolve_mention(article, cast, proxy, previous, prev, spans, store, documents=False)
        if found.speaker:
            return found
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
    honorific = s.speaker_mention.text.split()[0].lower().rstrip(".") in name_lexicon()["honorifics"]
    if parsed.form == "name" and len(parsed.name.split()) <= 2 and not parsed.role and not honorific and \
            (cast.place_like(parsed.name) or _tagged_place(article, s.speaker_mention, parsed.name, cast)) and \
            not any(p.name == parsed.name and p.roles for p in cast.people):
        return Resolved(parsed.name, "organization", "org")  # a country or town speaking
    if parsed.form == "name":
        if " and " in (parsed.name or ""):
            names = []
            for part in parsed.name.split(" and "):
                person = cast.find(clean_name(part.split()))
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
            name = registry_name(store, name) or name
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
        heads = name_lexicon()["organization_heads"]
        bodies_before = [(o, b) for o, b in cast.orgs if o < start and any(w.lower() in heads for w in b.split())]
        media_at = max((o for o, _ in cast.media if o < start), default=-1)
        if s.speaker_mention.text.split()[-1].lower() == "agency" and bodies_before and bodies_before[-1][0] > media_at:
            # "the agency" after "the Federal Trade Commission", no outlet named since: the body
            return Resolved(bodies_before[-1][1], "organization", "org_description")
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
            found = _pronoun(article, cast, s, Parsed("pronoun", gender=parsed.gender), previous, prev, spans)
            if found.speaker is None:  # "the official", nobody named before: an unnamed source
                return Resolved("anonymous", "anonymous", "unnamed", description=s.speaker_mention.text)
            return found
        person = _describe(cast, parsed, start, prev.speaker if prev and prev.type == "person" else None)
        if person is not None:
            return _person(person, "description")
        name = registry_describe(store, parsed)
        if name:
            return Resolved(name, "person", "registry", parsed.role, parsed.affiliation)
        # A role the article never gives a name to ("the official", "his spokesman", "a
        # senior constable"): an unnamed source, the description kept.
        return Resolved("anonymous", "anonymous", "unnamed", description=s.speaker_mention.text)
    if parsed.form == "org":
        words = clean_name((parsed.name or "").split())
        if 1 <= len(words) <= 4 and all(name_word(w) for w in words) and \
                not cast.place_like(" ".join(words)) and not _tagged_place(article, s.speaker_mention, " ".join(words), cast):
            person = cast.find(words)
            if person is not None and variant_key(words[-1]) == person.key:
                return _person(person, "surname")
        return organisation(cast, parsed, start)
    return UNKNOWN


def _tagged_place(article: Article, mention, name: str, cast: Cast) -> bool:
    """The model tagged the name in this mention as a place or nationality (GPE, LOC,
    NORP) and the article names no person so (the model also tags surnames GPE: "Tolle
    said" after "skipper Arvid Tolle")."""
    from storyline.stages.speakers.mentions import mention_span

    span = mention_span(article, mention.start, mention.end)
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
    here = segment_index(article, start)
    found = None
    for seg, doc in article.docs:
        index = segment_index(article, seg.start)
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
                lex = name_lexicon()
                named = any(w[:1].isupper() and w.lower() not in DETERMINERS and not place_of(w) for w in phrase.split()
                            if w.lower() not in lex["anonymous_heads"] and w.lower() not in lex["anonymous_cues"]
                            and w.lower() not in lex["role_words"] and w.lower() not in lex["organization_heads"])
                if (set(words) & (lex["anonymous_cues"] | lex["anonymous_heads"])) and not named:
                    return phrase
                return None
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
        body = last_body(article, cast, start)
        return Resolved(body, "organization", "org_pronoun") if body else UNKNOWN
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
    if prev and prev.type == "anonymous" and prev.description and intervening is None and \
            segment_index(article, start) - segment_index(article, previous.start) <= 1:
        return Resolved("anonymous", "anonymous", "pronoun", description=prev.description)  # "the official … He"
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
            if offset < start and offset > best_at and segment_index(article, start) - segment_index(article, offset) <= 1:
                best, best_at = person, offset
    return _person(best, "pronoun") if best else UNKNOWN


def _plural_subject_between(article: Article, start: int, end: int, spans) -> str | None:
    """The last plural noun phrase that was a sentence subject between two offsets
    ("The leaders of five nations released a statement. They said …")."""
    lex = name_lexicon()
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
                    found = org_name(phrase.text)
    return found


def _earlier_group(article: Article, name: str, start: int) -> str | None:
    """A group named again in other words ("the leaders of A, B and C" after "the leaders
    of eight nations") within the same or previous paragraph: the first naming wins."""
    head = name.split()[0].lower() if name else ""
    if not head.endswith("s"):
        return None
    here = segment_index(article, start)
    for seg, doc in article.docs:
        index = segment_index(article, seg.start)
        if index < here - 1 or seg.start >= start:
            continue
        for tok in doc:
            if seg.start + tok.idx >= start:
                break
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.lower_ == head and tok.tag_ == "NNS":
                phrase = org_name(doc[tok.left_edge.i:tok.right_edge.i + 1].text)
                if phrase and phrase.lower() != name.lower() and len(phrase.split()) <= 10:
                    return phrase
    return None


@stage("speakers", requires=("statements",), assigns=("speakers",), analysed_only=True)
def speakers(articles: list[Article], ctx: Context) -> None:
    outlets = sorted({*ledger_outlets(ctx.store), *(a.outlet for a in articles if a.outlet)})
    places = batch_places(articles) if len(articles) > 1 else set()
    casts = ctx.cache["casts"] = {}  # id -> (article, cast): the events stage reuses them
    for article in articles:
        casts[id(article)] = (article, resolve_article(article, ctx.store, outlets, places))
