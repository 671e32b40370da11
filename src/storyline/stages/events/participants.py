"""Who, where and when of a coded event: participants from the parse, the place, the date."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from storyline import lexicon as data
from storyline.model import Article, TimeExpression
from storyline.stages.dates import (
    Paragraph,
    anchor_at,
    anchor_value,
    opens_background,
    statement_date,
)
from storyline.stages.events.coding import PARTY_LABELS, PLACE_LABELS, Trigger
from storyline.stages.speakers.resolve import build_cast

_BACKGROUND = re.compile(r"\b(?:previously|has long|have long|had long|in the past)\b", re.IGNORECASE)


# --- parties and places ---------------------------------------------------------------------

# Nouns that name a party by what it is ("electoral officials", "the governors").
GROUP_NOUNS = {"official", "governor", "police", "resident", "lawmaker", "legislator", "protester", "minister",
               "government", "council", "committee", "court", "judge", "jury", "army", "military", "troop", "rebel",
               "militant", "insurgent", "student", "worker", "union", "party", "opposition", "company", "regulator",
               "authority", "leader", "president", "premier", "chancellor", "mayor", "senator", "delegation",
               "negotiator", "envoy", "diplomat", "ambassador", "parliament", "congress", "senate", "cabinet",
               "administration", "ministry", "department", "agency", "commission", "board", "prosecutor",
               "investigator", "officer", "soldier", "force", "coalition", "alliance", "bloc", "power", "country",
               "nation", "state", "side", "member", "representative", "spokesman", "spokeswoman", "chief", "councillor",
               "councilor", "secretary", "firm", "group", "organisation", "organization", "club", "team"}
TITLE_WORDS = {"president", "prime", "minister", "ministers", "foreign", "secretary", "chief", "cm", "pm", "general",
               "gen", "col", "dr", "mr", "mrs", "ms", "sen", "senator", "governor", "gov", "mayor", "deputy", "state",
               "interior", "defence", "defense", "finance", "justice", "health", "cabinet", "ambassador", "envoy",
               "special", "leader", "commissioner", "police", "judge", "king", "queen", "prince", "sheikh"}
FIRST_PERSON = {"i", "me", "my", "we", "us", "our"}
THIRD_PERSON = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}


class Resolver:
    """Names for the parties of an article's events, with the statement speakers'
    machinery: a surname or partial name -> the fullest name the article gives (the
    speakers' cast), a role ("the President") -> the one person the article gives that
    role, "he"/"she" -> the last person named as a subject before, "I"/"we" inside a
    quotation -> the statement's speaker. What cannot be resolved stays unresolved."""

    def __init__(self, article: Article, cast: Any = None):
        self.article = article
        # the speakers stage's cast when given, else built on first use (an article whose
        # events name no one needs none)
        self._cast: Any = cast if cast is not None else False
        self.base = 0
        self._extensions: dict[str, str] = {}
        self.statements = sorted(
            (st for st in article.statements if st.speaker and st.speaker != "anonymous"), key=lambda st: st.start
        )

    @property
    def cast(self):
        if self._cast is False:
            try:
                self._cast = build_cast(self.article)
            except Exception:  # noqa: BLE001 - no cast: names stay as written
                self._cast = None
        return self._cast

    def person(self, text: str) -> str:
        """The fullest name the article gives this person: the longest tail of the
        words (titles and a trailing aside dropped) that names someone in the cast."""
        words = re.split(r"\s+", re.split(r"\s*[(\[]", text)[0].replace("’s", "").replace("'s", "").strip())
        words = [w for w in words if w]
        while len(words) > 2 and words[0].casefold().rstrip(".") in TITLE_WORDS:
            words = words[1:]  # "Foreign Ministers Ararat Mirzoyan": the name, not the title
        if self.cast is not None:
            for i in range(len(words)):
                found = self.cast.find(words[i:]) if words[i][:1].isupper() else None
                if found is not None and words[-1] in found.name.split():
                    return self.fullest(found.name)
        while len(words) > 2 and words[0].casefold().rstrip(".") in TITLE_WORDS:
            words = words[1:]  # "Foreign Ministers Ararat Mirzoyan": the name, not the title
        return self.fullest(" ".join(words)) if words else text

    def expand(self, name: str) -> str:
        """An acronym -> the name the article spells out before it in brackets
        ("Competition and Markets Authority (CMA)" -> "CMA" is that authority), when the
        capitalised words' initials are the acronym's letters."""
        if not re.fullmatch(r"[A-Z]{2,6}", name):
            return name
        found = self._extensions.get("(" + name)
        if found is None:
            found = name
            for m in re.finditer(r"((?:[A-Z][\w’'.-]*|of|and|for|on|the|&)(?:\s+(?:[A-Z][\w’'.-]*|of|and|for|on|the|&))+)"
                                 r"\s*\(\s*" + name + r"\s*\)", self.article.text):
                words = m.group(1).split()
                caps = [w for w in words if w[:1].isupper()]
                for i in range(len(caps)):  # the shortest tail whose initials spell it
                    if "".join(w[0] for w in caps[i:]) == name:
                        tail = words[words.index(caps[i]):]
                        found = " ".join(tail)
                        break
                if found != name:
                    break
            self._extensions["(" + name] = found
        return found

    def fullest(self, name: str) -> str:
        """The name with the capitalised words the article writes after it at least twice
        inside running text ("Moon Jae" -> "Moon Jae In" when the tagger cut the name
        short): the words must end before a lower-case word or punctuation, so a title-case
        headline ("Moon Jae In Meets Kim") never extends it."""
        if len(name.split()) < 2:
            return self.expand(name)
        found = self._extensions.get(name)
        if found is None:
            counts: dict[str, int] = {}
            for m in re.finditer(re.escape(name) + r"((?:[ \t]+[A-Z][a-z]{1,11}){1,2})\b(?=[ \t]*(?:[a-z]|[,.;:)’'\"”]))",
                                 self.article.text):
                counts[m.group(1)] = counts.get(m.group(1), 0) + 1
            best = max(counts.items(), key=lambda kv: kv[1], default=("", 0))
            found = self._extensions[name] = name + best[0] if best[1] >= 2 else name
        return found

    def role(self, token) -> str | None:
        if self.cast is None:
            return None
        word = token.lower_
        holders = [p for p in self.cast.people if word in p.role_words]
        return holders[0].name if len(holders) == 1 else None

    def pronoun(self, token) -> str | None:
        offset = self.base + token.idx
        low = token.lower_
        if low in FIRST_PERSON:
            st = next((st for st in self.statements if st.start <= offset < st.end), None)
            if st is not None and low in ("we", "us", "our") and st.speaker_affiliation:
                return st.speaker_affiliation  # "we will appeal" said for a company: the company
            return st.speaker if st is not None else None
        if low in ("it", "its"):
            return _last_org_subject(token)  # "The FTC said it is barring …"
        gender = THIRD_PERSON.get(low)
        if gender is None or self.cast is None:
            return None
        best, best_at = None, -1
        for person in self.cast.people:
            if person.gender and person.gender != gender:
                continue
            for at, subject in person.mentions:
                if subject and offset - 1500 <= at < offset and at > best_at:
                    best, best_at = person, at
        return best.name if best is not None else None


def _last_org_subject(token) -> str | None:
    """The organisation or country that was the last subject before `token` in its
    sentence or the one before: what "it" most often stands for in news."""
    sent = token.sent
    lo = sent.start
    if lo > 0:
        lo = token.doc[lo - 1].sent.start
    for ent in reversed([e for e in token.doc.ents if lo <= e.start and e.end <= token.i]):
        if ent.label_ in ("ORG", "GPE", "NORP") and ent.root.dep_ in ("nsubj", "nsubjpass"):
            return re.sub(r"^(?:the|The)\s+", "", ent.text)
    return None


def _phrase(token, resolver: Resolver | None = None) -> str | None:
    """A party named by this token: the entity it is in, or a noun phrase naming one."""
    if token.ent_type_ and token.ent_type_ not in PARTY_LABELS:
        return None  # "Wednesday night", "two hours"
    if token.ent_type_ in PARTY_LABELS and token.ent_type_ != "NORP":
        for ent in token.doc.ents:
            if ent.start <= token.i < ent.end:
                text = ent.text
                for suffix in ("’s", "'s"):
                    text = text.removesuffix(suffix)
                text = re.sub(r"^(?:the|The)\s+(?=\S)", "", text)
                text = re.split(r"\s*[(\[]", text)[0] or text  # "Rex Tillerson (Pic EFE": a credit glued on
                after = token.doc[ent.end].text if ent.end < len(token.doc) else ""
                if text.isupper() and len(text) > 3 and ent.start == ent.sent.start and after in ("(", ",", "-", "–", "—"):
                    return None  # "SEOUL (Reuters) -": a dateline, not a party
                if resolver is not None and (ent.label_ == "PERSON" or len(ent) <= 2 and token.pos_ == "PROPN"):
                    return resolver.person(text)  # "Albayalde", "Moon": the fullest name given
                return text
    if token.pos_ == "PRON":
        return resolver.pronoun(token) if resolver is not None else None
    named = [c for c in token.children if c.dep_ == "compound" and c.ent_type_ == "PERSON" and c.i < token.i]
    if named and token.pos_ == "PROPN" and not token.ent_type_:
        # "Moon Jae In": the tagger cut the name before its last word; the name runs on to it
        ent = next((e for e in token.doc.ents if e.start <= named[0].i < e.end), None)
        if ent is not None and ent.end == token.i:
            text = token.doc[ent.start:token.i + 1].text
            return resolver.person(text) if resolver is not None else text
    appos = [c for c in token.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"]
    if appos:
        return _phrase(appos[0], resolver)
    mods = [c for c in token.children if c.dep_ in ("compound", "amod", "poss", "nmod", "nummod") and c.i < token.i]
    if not mods and token.pos_ == "PROPN":
        return token.text
    definite = any(c.dep_ == "det" and c.lower_ == "the" for c in token.children) and not any(
        c.dep_ in ("poss", "prep") for c in token.children)
    if token.pos_ == "NOUN" and resolver is not None and token.lemma_.lower() in GROUP_NOUNS and definite:
        named = resolver.role(token)
        if named:
            return named  # "the President" when the article gives one president
    if not any(m.ent_type_ in PARTY_LABELS or m.pos_ == "PROPN" for m in mods):
        if token.pos_ == "NOUN" and token.lemma_.lower() in GROUP_NOUNS | PEOPLE_NOUNS:
            return _described(token, mods)  # "electoral officials", "the police", "soldiers"
        return None
    start = min(m.left_edge.i for m in mods)
    while start < token.i and (token.doc[start].pos_ in ("DET", "NUM", "PUNCT", "SYM") or
                               token.doc[start].like_num):
        start += 1
    return token.doc[start:token.i + 1].text


# Nouns for people a report names as a party by what they are ("attack on soldiers").
PEOPLE_NOUNS = {"people", "resident", "civilian", "soldier", "teen", "teenager", "child", "student", "worker",
                "witness", "voter", "citizen", "protester", "demonstrator", "migrant", "refugee", "prisoner", "hostage",
                "journalist", "activist", "farmer", "fisherman", "patient", "vessel", "ship", "warship", "lawmaker",
                "councillor", "councilor", "employee", "customer", "user", "victim", "officer", "man", "woman"}


def _described(token, mods) -> str:
    """A noun phrase naming a party by description, as written, without its
    determiner or a possessive pronoun: "seven northern state governors", "the police"."""
    start = min([m.left_edge.i for m in mods] + [token.i])
    doc = token.doc
    while start < token.i and (doc[start].pos_ in ("DET", "PUNCT", "SYM") or doc[start].tag_ == "PRP$"):
        start += 1
    end = token.i + 1
    of = [c for c in token.children if c.dep_ == "prep" and c.lower_ == "of" and c.i > token.i]
    if of and any(g.dep_ == "pobj" for g in of[0].children):
        end = of[0].right_edge.i + 1  # "foreign ministers of the member nations"
    return doc[start:end].text


def _with_conjuncts(token) -> list:
    out = [token]
    for c in token.children:
        if c.dep_ == "conj":
            out.extend(_with_conjuncts(c))
        elif c.dep_ == "nmod" and c.pos_ == "PROPN" and c.i < token.i and any(
                g.dep_ == "cc" and g.lower_ == "and" for g in c.children):
            out.insert(0, c)  # "X and Y met", parsed with X a modifier of Y: both are parties
    if token.ent_type_ == "PERSON":
        # "Ararat Mirzoyan of Armenia and Jeyhun Bayramov of Azerbaijan": the parser hangs the
        # second person on the first one's country
        for c in token.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                out.extend(x for g in c.children if g.dep_ == "pobj" for x in g.children
                           if x.dep_ == "conj" and x.ent_type_ == "PERSON")
    return out


# Heads of noun phrases that name a topic or an act, never a party ("the Trump-Kim
# summit", "the Falklands issue", "the CMA's decision": the CMA is the party).
TOPIC_NOUNS = {"issue", "matter", "question", "problem", "crisis", "decision", "report", "agenda", "plan", "policy",
               "programme", "program", "deal", "summit", "talk", "meeting", "negotiation", "statement", "announcement",
               "claim", "ruling", "law", "bill", "process", "situation", "case", "conflict", "war", "dispute", "row",
               "election", "vote", "result", "proposal", "idea", "effort", "move", "step", "framework", "declaration",
               "allegation", "accusation", "remark", "comment", "criticism", "charge", "suggestion", "assertion",
               "demand", "request", "offer", "position", "stance", "view", "threat", "warning", "plea"}


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """Demonyms and short names -> country (data/demonyms.tsv): "British" -> United Kingdom."""
    out = {}
    for line in data.path("demonyms.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        word, place = line.split("\t", 1)
        out.setdefault(word.strip().casefold(), place.strip())
    return out


# Heads of noun phrases that stand for the countries that modify them ("US and UK armed
# forces", "American and British warships": the United States and the United Kingdom).
FORCE_NOUNS = {"force", "troop", "ship", "warship", "jet", "aircraft", "plane", "navy", "army", "military", "drone",
               "submarine", "vessel", "fighter", "official", "government", "authority", "diplomat", "negotiator"}


def _country_parties(tok) -> list[str]:
    if tok.lemma_.lower() not in FORCE_NOUNS:
        return []
    mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i]
    named = [m2 for m in mods for m2 in _with_conjuncts(m) if m2.ent_type_ in ("GPE", "NORP")]
    if len(named) < 2:
        return []
    found = [countries().get(m.text.casefold()) or (m.text if m.ent_type_ == "GPE" else None) for m in named]
    return found if all(found) else []


def party_names(tokens, resolver: Resolver | None = None) -> list[str]:
    names = []
    for t in tokens:
        joint = _country_parties(t)
        if joint:  # "American and British ships, submarines and warplanes": the two countries
            names.extend(n for n in joint if n not in names)
            continue
        for tok in _with_conjuncts(t):
            if tok.lemma_.lower() in TOPIC_NOUNS and tok.ent_type_ not in ("PERSON", "GPE", "NORP"):
                # "slammed Abdullah's announcement", "the claim of Teodoro", "allegations from
                # Western powers": the one whose words or act it is
                owner = [c for c in tok.children if c.dep_ == "poss"] + [
                    g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "from", "by")
                    for g in c.children if g.dep_ == "pobj" and (g.ent_type_ in PARTY_LABELS or g.pos_ == "PROPN")]
                if not owner:
                    continue
                tok = owner[0]
            name = _phrase(tok, resolver)
            if name and name not in names:
                names.append(name)
    return names


# Events whose parties act together: everyone named is an actor ("X met Y", "talks
# between X and Y", "X and Y agreed"), unless the mode says who receives (visit, host).
SYMMETRIC = {"CONSULT", "AGREE", "COOPERATE"}
# Events a place name before the noun locates rather than carries out ("the Ottawa
# shooting", "Hallen protests"); a country there still acts ("US strikes").
PLACED_EVENTS = {"ASSAULT", "PROTEST", "MOBILIZE", "COERCE"}


def is_country(token) -> bool:
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    text = re.sub(r"^(?:the|The)\s+", "", ent.text if ent is not None else token.text).casefold()
    known = countries()
    return text in known or text in {v.casefold() for v in known.values()}
DIRECTED_MODES = {"visit", "host"}
RELATIVE_PRONOUNS = {"who", "which", "that"}
# Verbs whose subject tells of, judges or wants an event named by their object, without
# being a party to it ("KCNA confirmed the meeting", "critics condemned the deal").
OUTSIDE_VERBS = {"confirm", "report", "announce", "welcome", "describe", "deny", "criticise", "criticize",
                 "condemn", "praise", "hail", "mention", "expect", "want", "seek", "propose", "urge", "demand",
                 "call", "reveal", "dismiss", "applaud", "cover", "watch", "follow", "discuss", "question",
                 "doubt", "predict", "await", "see", "note", "cite", "brief", "oppose", "back", "support", "endorse"}


def parties(trig: Trigger, resolver: Resolver | None = None) -> tuple[list[str], list[str]]:
    """Actors and recipients from the parse: subject (or, in a passive, the "by" agent),
    coordinated subjects, the parties of a noun ("talks between X and Y", "X's visit");
    recipients from objects and with/to/against/from/on/for phrases."""
    token = trig.token
    verb = token
    if trig.noun:
        between = [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("between", "of", "among", "by")
                   for g in c.children if g.dep_ == "pobj"]
        poss = [c for c in token.children if c.dep_ == "poss"]
        if any(p.pos_ == "PRON" and p.lower_ in ("their", "its", "his", "her") for p in poss):
            # "X and Y held their summit": the possessor is the governing verb's subject
            gov = token.head if token.dep_ in ("dobj", "attr") else None
            subject = [c for c in gov.children if c.dep_ == "nsubj" and c.pos_ != "PRON"] if gov is not None else []
            if subject:
                poss = [p for p in poss if p.pos_ != "PRON"] + subject
        named = [c for c in token.children if c.dep_ == "compound" and c.ent_type_ in ("ORG", "GPE", "NORP", "PERSON")
                 and not (c.ent_type_ == "ORG" and token.ent_type_ == "ORG" and token.ent_iob_ == "I")]
        # ("the QUAD Summit": an entity that holds the trigger names the event, not a party)
        if trig.event in PLACED_EVENTS:  # "the Ottawa shooting": a city names where, not who
            named = [c for c in named if c.ent_type_ != "GPE" or is_country(c)]
        actors = party_names(poss + between + named, resolver)  # "X's visit", "talks between X and Y", "the OPEC deal"
        withs = [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("with", "against", "on", "to")
                 for g in c.children if g.dep_ == "pobj"]
        verb = token.head if token.dep_ in ("dobj", "nsubjpass", "attr", "pobj") else token
        if token.dep_ == "pobj" and token.head.head.i != token.head.i:
            verb = token.head.head
        if actors:
            return actors, [n for n in party_names(withs, resolver) if n not in actors]
    subj = [c for c in verb.children if c.dep_ in ("nsubj",)]
    if trig.noun and verb is not token and verb.lemma_.lower() in OUTSIDE_VERBS:
        subj = []  # "the agency confirmed the meeting": who tells of it is not a party to it
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN") and any(
            c.lower_ in RELATIVE_PRONOUNS for c in subj):
        subj = [verb.head]  # "the governors, who met with the President"
    agent = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    head = verb
    while not subj and not agent and head.dep_ in ("xcomp", "conj", "advcl", "acl", "relcl", "pcomp", "prep") \
            and head.head.i != head.i:
        if head.dep_ in ("relcl", "acl") and head.head.pos_ in ("NOUN", "PROPN") and head.tag_ != "VBN":
            subj = [head.head]  # "the governors, who met with the President", "Joe Biden attending the summit"
            break
        head = head.head  # "plans to sign", "met … and agreed"
        subj = [c for c in head.children if c.dep_ == "nsubj"]
    actors = party_names(subj or agent, resolver)
    objs = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    if not trig.noun:
        objs += [c for c in token.children if c.dep_ == "nsubjpass"]
    preps = [g for c in verb.children if c.dep_ == "prep" and c.lower_ in ("with", "to", "against", "on", "from", "for")
             for g in c.children if g.dep_ == "pobj"]
    if trig.noun:
        preps += [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("with", "against", "on", "to")
                  for g in c.children if g.dep_ == "pobj"]
    else:  # "agreed a ceasefire with X", "signed a deal with X"
        preps += [g for o in verb.children if o.dep_ == "dobj" for c in o.children
                  if c.dep_ == "prep" and c.lower_ in ("with", "against") for g in c.children if g.dep_ == "pobj"]
    recipients = [n for n in party_names(objs + preps, resolver) if n not in actors]
    if not actors and trig.event not in SYMMETRIC:
        source = _reporting_subject(head)
        if source is not None:
            actors = [n for n in party_names([source], resolver) if n not in recipients]
    return actors, recipients


REPORTING_VERBS = {"say", "announce", "declare", "state", "confirm", "tell", "add", "report", "insist"}


def _reporting_subject(head):
    """The subject of the verb of saying whose "that"-clause holds the event: the one
    announcing what it does ("The FTC said the case against X …", "Iran says …")."""
    x = head
    for _ in range(4):
        if x.dep_ == "ccomp" and x.head.lemma_.lower() in REPORTING_VERBS:
            subj = [c for c in x.head.children if c.dep_ == "nsubj" and c.ent_type_ in ("ORG", "GPE", "NORP")]
            return subj[0] if subj else None
        if x.head.i == x.i:
            return None
        x = x.head
    return None


_COLLECTIVE = re.compile(
    r"^(?:both|the|all|two|three|four|five|several|\d+)?\s*(?:\w+\s+)?(?:sides|parties|leaders|countries|nations|"
    r"powers|governments|delegations|neighbours|neighbors|rivals|states)$", re.IGNORECASE)


def collective(name: str) -> bool:
    """A plural description that stands for parties named before: "both sides", "the two
    leaders", "warring parties", "the three countries"."""
    return bool(_COLLECTIVE.match(name.strip()))


def arrange(event_type: str, mode: str | None, actors: list[str], recipients: list[str]) -> tuple[list[str], list[str]]:
    """Joint events list every party as an actor; directed ones keep their recipients."""
    if event_type in SYMMETRIC and mode not in DIRECTED_MODES:
        return actors + [r for r in recipients if r not in actors], []
    return actors, recipients


PLACE_PREPS = {"in", "at", "near", "outside", "inside", "across", "throughout"}


def location(sent, taken: set[str], trig: Trigger | None = None) -> str | None:
    """A place the sentence puts the event in ("in Vienna", "at the Presidential Villa",
    "the Ottawa shooting"), never a party: places after with/to/from/against/of name
    who, not where."""
    keys = {t.casefold() for t in taken}
    if trig is not None and trig.noun and trig.event in PLACED_EVENTS:
        for c in trig.token.children:
            if c.dep_ == "compound" and c.ent_type_ == "GPE" and not is_country(c):
                ent = next((e for e in sent.ents if e.start <= c.i < e.end), None)
                if ent is not None and ent.text.casefold() not in keys:
                    return ent.text
    for ent in sent.ents:
        if ent.label_ not in PLACE_LABELS or ent.text.casefold() in keys:
            continue
        head = ent.root.head
        if ent.root.dep_ == "pobj" and head.lower_ in PLACE_PREPS:
            return ent.text
    return None


def canonical_names(article: Article) -> dict[str, str]:
    """Mentions -> canonical names, from the speakers the statements resolved."""
    names: dict[str, str] = {}
    for st in article.statements:
        if not st.speaker or st.speaker == "anonymous":
            continue
        names[st.speaker.casefold()] = st.speaker
        parts = st.speaker.split()
        if st.speaker_type == "person" and len(parts) > 1:
            names.setdefault(parts[-1].casefold(), st.speaker)
        if st.speaker_mention is not None:
            names.setdefault(st.speaker_mention.text.casefold(), st.speaker)
    return names


def canonical(name: str, names: dict[str, str]) -> str:
    key = name.casefold()
    if key in names:
        return names[key]
    last = name.split()[-1].casefold() if name.split() else key
    if last in names and " " in names[last] and name.split()[0][:1].isupper():
        full = names[last]
        if name.endswith(full.split()[-1]):
            return full
    return name


# --- dates ---------------------------------------------------------------------------------

CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "acl", "parataxis", "csubj", "xcomp", "conj"}


def own_clause(trig_token) -> dict[int, int]:
    """Token index -> hops, for the trigger and the words above it up to the head of its
    own clause (a "that"-clause, a relative or adverbial clause ends it)."""
    chain, x = {}, trig_token
    for hops in range(12):
        chain[x.i] = hops
        if x.head.i == x.i or x.dep_ in CLAUSE_DEPS and not (x.dep_ == "xcomp" and x.pos_ in ("NOUN", "PROPN")):
            if x.dep_ in ("xcomp", "conj") and x.head.i != x.i:
                chain[x.head.i] = hops + 1  # "agreed to meet on Monday", "met and agreed on Monday"
            break
        x = x.head
    return chain


def _timex_distance(t: TimeExpression, doc, base: int, chain: dict[int, int]) -> tuple[int, int] | None:
    """How far up the trigger's own clause a time expression attaches (None: elsewhere)."""
    span = doc.char_span(t.start - base, t.end - base, alignment_mode="expand")
    if span is None:
        return None
    token = span.root
    for steps in range(10):
        if token.i in chain:
            return chain[token.i], steps  # attached nearest the trigger first
        if token.dep_ in ("relcl", "acl") or token.head.i == token.i:
            return None
        if steps and token.pos_ in ("VERB", "AUX") and token.dep_ in CLAUSE_DEPS:
            return None  # "came after the Council on Wednesday approved …": another clause's date
        if token.dep_ == "poss" and steps == 0 and token.head.i not in chain:
            return None  # "last month's shoot-out" dates the shoot-out
        token = token.head
    return None


def event_date(article: Article, paras: list[Paragraph], sent_start: int, sent_end: int, doc, base: int,
               trig: Trigger, timexes: list[TimeExpression]) -> tuple[str | None, str | None, str]:
    """The event's own time words (those in its own clause, the nearest first); a year
    alone is too coarse to give and leaves the date unknown. Else background is
    undated, and the rest speaks from the live-blog section or the published date."""
    sentence = article.text[sent_start:sent_end]
    chain = own_clause(trig.token)
    best = None
    for t in timexes:
        if not (sent_start <= t.start and t.end <= sent_end) or not t.value or t.value.startswith(("P", "PAST", "PRESENT", "FUTURE")):
            continue
        if t.precision not in ("day", "time", "month", "week", "year"):
            continue
        distance = _timex_distance(t, doc, base, chain)
        if distance is not None and (best is None or distance < best[0]):
            best = (distance, t)
    if best is not None:
        t = best[1]
        value, precision = t.value, t.precision
        if precision in ("time", "day"):
            value, precision = value[:10], "day"  # 2026-03-03TMO is a day
        if precision == "week":
            value = statement_date(value, "week")
            precision = "month"
        if precision == "year" or not value:
            return None, None, "none"  # "in 2019", "a week that spans two months": not a day or a month
        return value, precision, "explicit"
    para = next((p for p in paras if p.start <= sent_start < p.end), None)
    if opens_background(sentence, para.live if para else False) or _BACKGROUND.search(sentence) or re.search(
        r"\bhad\s+(?:\w+ly\s+)?" + re.escape(trig.token.text) + r"\b", sentence
    ):
        return None, None, "none"
    anchor, basis = anchor_at(article, paras, sent_start)
    value = anchor_value(anchor)
    if value is None:
        return None, None, "none"
    return value, anchor.precision, basis
