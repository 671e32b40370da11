"""One canonical-name step for the speakers an article resolves.

- persons: title, honorific, role and apposition split off (`names.canonical_person`),
  and the fullest form of the name the article writes ("Sterling" -> "Raheem Sterling"
  when the article wrote "Raheem Sterling" anywhere, even where the model tagged it as
  an organisation);
- bodies: an abbreviation or short name ("FTC", "the Fed", "the Federal Reserve") becomes
  the full name the article gives ("Federal Trade Commission", "US Federal Reserve");
- an unnamed spokesperson or official *for a named body* speaks for that body
  ("a spokesperson for Leeds City Council" -> Leeds City Council).

Everything here reads the article only: no registry, no guess beyond what it writes.
"""

from __future__ import annotations

import re
from collections import Counter

from storyline.model import Article
from storyline.names import (
    abbreviates,
    canonical_person,
    is_particle,
    joined_particles,
    lexicon,
    title_word,
)

_BLOCK_ENTS = ("GPE", "NORP", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "ORDINAL", "EVENT", "LAW")


def _name_token(tok) -> bool:
    lex = lexicon()
    low = tok.text.lower()
    # a proper noun, or a capitalised word the model misread ("Raheem" as a verb) that the
    # article never writes in lower case
    proper = tok.pos_ == "PROPN" or (not tok.is_stop and tok.pos_ in ("NOUN", "VERB", "ADJ") and
                                     not any(t.text == low for t in tok.doc))
    return tok.text[:1].isupper() and proper and not title_word(tok.text) and not tok.text.isupper() and \
        low not in lex["organization_heads"] and tok.text not in lex["media_name_words"] and \
        tok.ent_type_ not in _BLOCK_ENTS and re.fullmatch(r"[\w.'\u2019-]+", tok.text) is not None


def fuller_forms(article: Article, surname: str, person_only: bool | None = None) -> Counter:
    """Longer forms of a one-word name as the article writes them: the capitalised name
    words right before it, inside one entity (or no entity), titles and places left out.
    `person_only`: only forms with a word the model tagged as a person ("Oscar Albayalde"
    where the model took "Albayalde" for a place)."""
    found: Counter = Counter()
    for _seg, doc in article.docs:
        for tok in doc:
            if tok.text != surname and not re.fullmatch(r"[a-z]{1,3}[-\u2010]" + re.escape(surname), tok.text):
                continue
            run = []
            j = tok.i - 1
            while j >= 0 and sum(1 for w in run if not is_particle(w) and not w.endswith("-")) < 3:
                prev = doc[j]
                if prev.text in ("-", "\u2010") and not prev.whitespace_ and j > 0 and not doc[j - 1].whitespace_ \
                        and doc[j - 1].text.lower() in joined_particles():
                    run.insert(0, doc[j - 1].text + prev.text)  # "al-Sada" written as three tokens
                    j -= 2
                    continue
                if is_particle(prev.text):
                    run.insert(0, prev.text)
                elif _name_token(prev):
                    run.insert(0, prev.text)
                else:
                    break
                j -= 1
            while run and is_particle(run[0]):
                run.pop(0)
            if not run:
                continue
            # one name, not two people side by side ("Kurti Vucic"): the words are in one
            # entity with the surname, or none of them is in an entity at all
            start = j + 1
            while start < tok.i and is_particle(doc[start].text) and doc[start].whitespace_:
                start += 1  # a leading particle is not a given name
            words = doc[start:tok.i + 1]
            if not len(words) or start == tok.i:
                continue
            first = doc[start]
            ents = {t.ent_type_ for t in words}
            same_entity = tok.ent_iob_ == "I" and all(t.ent_iob_ in ("B", "I") for t in words) and \
                words[0].ent_iob_ == "B" and len({t.ent_type_ for t in words}) == 1
            # two people side by side ("Kurti Vucic"): the surname opens a person entity of
            # its own while a word before it is in another one
            two_people = tok.ent_iob_ == "B" and tok.ent_type_ == "PERSON" and \
                any(t.ent_type_ == "PERSON" for t in words[:-1])
            if two_people or not (same_entity or ents <= {"", "PERSON"}) or first.ent_type_ not in ("PERSON", "ORG", ""):
                continue
            form = words.text
            found[form] += 1
            if person_only is not None and not any(t.ent_type_ == "PERSON" for t in words):
                found[form] -= 1
    if person_only is not None:
        return +found
    if not found:  # a given name used alone ("Mamata"): the person entity it opens
        for _seg, doc in article.docs:
            for ent in doc.ents:
                words = ent.text.split()
                if ent.label_ == "PERSON" and 2 <= len(words) <= 4 and words[0] == surname and \
                        all(_name_token(t) or is_particle(t.text) for t in ent):
                    found[ent.text] += 1
    return found


def fullest_person(article: Article, name: str, cache: dict) -> str:
    """The canonical form of a person's name: cut clean, then the fullest form written."""
    clean = canonical_person(name)
    words = clean.split()
    if len(words) == 1 and words[0][:1].isupper():
        if clean not in cache:
            forms = fuller_forms(article, clean)
            cache[clean] = max(forms, key=lambda f: (forms[f], len(f))) if forms else clean
        return cache[clean]
    return clean


def body_names(article: Article) -> list[str]:
    """Bodies the article names in full (ORG entities of two words or more), in text order."""
    out = []
    for _seg, doc in article.docs:
        for ent in doc.ents:
            if ent.label_ != "ORG":
                continue
            text = re.sub(r"^(the|The)\s+", "", ent.text.strip())
            text = re.sub(r"['\u2019]s$", "", text)
            text = re.sub(r"^(?:[\w.]+-based\s+)+", "", text)  # "US-based National Oceanic …"
            if len(text.split()) >= 2 and all(w[:1].isupper() or w.lower() in ("of", "and", "for", "the", "on")
                                               for w in text.split()):
                out.append(text)
    return out


def full_body(article: Article, name: str, cache: dict) -> str:
    """The full name of a body written short ("FTC", "the Fed") when the article gives
    exactly one such full name; else the name unchanged."""
    if name in cache:
        return cache[name]
    bodies = cache.setdefault("__bodies__", None) or body_names(article)
    cache["__bodies__"] = bodies
    fits = Counter(b for b in bodies if abbreviates(name, b))
    # "Federal Trade Commission (FTC)": the spelled-out name right before the short one
    for m in re.finditer(r"((?:[A-Z][\w'-]+\s+)(?:(?:of|and|for|the|on)\s+|[A-Z][\w'-]+\s+){1,6})\(" +
                         re.escape(name) + r"\)", article.text):
        fits[re.sub(r"^(?:(?:the|The)\s+)?(?:[\w.]+-based\s+)*", "", m.group(1).strip())] += 2
    full = name
    if fits:
        ranked = sorted(fits, key=lambda b: (-fits[b], -len(b)))
        # one body only: "the Commission" among two commissions stays as written
        distinct = {b for b in ranked if not any(b != o and abbreviates(b, o) for o in ranked)}
        if len(distinct) == 1:
            full = max((b for b in ranked if b in distinct or any(abbreviates(x, b) for x in distinct)), key=len)
    cache[name] = full
    return full


_SPOKES = re.compile(
    r"^(?:an?|the)?\s*(?:\w+\s+)?(?:spokesperson|spokesman|spokeswoman|spokespeople|representative|"
    r"officials?|statement|press office|press officer)\s+(?:for|of|from|at)\s+(?:the\s+)?"
    r"((?:[A-Z][\w.&'\u2019-]*\s*)+(?:(?:of|and|for|on)\s+(?:the\s+)?(?:[A-Z][\w.&'\u2019-]*\s*)+)*)$")


def spoken_for(description: str | None) -> str | None:
    """The named body an unnamed spokesperson or official speaks for, or None."""
    if not description:
        return None
    found = _SPOKES.match(description.strip().rstrip(",."))
    if not found:
        return None
    body = found.group(1).strip()
    if not body or title_word(body.split()[0]) and len(body.split()) == 1:
        return None
    return body


def people_names(article: Article, cache: dict) -> set[str]:
    """Texts the model tagged as persons anywhere in the article."""
    if "__people__" not in cache:
        cache["__people__"] = {ent.text for _, doc in article.docs for ent in doc.ents if ent.label_ == "PERSON"}
    return cache["__people__"]


def named_body(article: Article, name: str, cache: dict) -> str | None:
    """The body a name taken for a person stands for ("Federal Reserve" in an article that
    names the "US Federal Reserve" and never tags it as a person), or None."""
    heads = lexicon()["organization_heads"]
    if len(name.split()) < 2 or any(name in p for p in people_names(article, cache)) or \
            not any(w.lower().strip(".,") in heads for w in name.split()):
        return None  # only a name with a body's head word ("Reserve", "Commission") is a body
    bodies = cache.get("__bodies__") or body_names(article)
    cache["__bodies__"] = bodies
    # "Brenholt Mayor Ivo Kask" tagged ORG is a titled person, not a body named "… Ivo Kask"
    fits = [b for b in bodies if abbreviates(name, b) and
            not any(title_word(w) for w in b.split()[:len(b.split()) - len(name.split())])]  # never the same text: "Nicola Willis" tagged ORG stays a person
    return max(fits, key=len) if fits else None
