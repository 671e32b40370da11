"""Which capitalised names an article uses as places, not people.

The small spaCy model tags invented or rare country and town names PERSON ("Ostmark
insisted …", "the Veloria–Ostmark border"), so an entity label alone cannot tell a
country speaking from a person. The article's own usage can: "in Ostmark", "residents of
Tarn Hollow", "Ostmark's coastguard", "Ostmark Prime Minister Bertil Hask", "Velorian"
beside "Veloria", or another article of the same batch using the name so. A name the
article also writes as a person (the surname of a full name, "Mr Kesh") stays a person.
Lexicons: data/names.yaml (place_nouns, place_of_nouns, state_titles, person_titles).
"""

from __future__ import annotations

import re
from collections import Counter

from storyline.model import Article
from storyline.names import variant_key
from storyline.stages.speakers.mentions import (
    clean_name,
    name_lexicon,
    org_name,
    place_of,
)


def dash_joined(text: str) -> bool:
    """Capitalised words joined by a hyphen or dash without spaces ("Veloria–Ostmark")."""
    return bool(re.fullmatch(r"[A-Z][\w'\u2019]*(?:[-\u2010\u2011\u2013\u2014][A-Z][\w'\u2019]*)+", text.strip()))


class Places:
    """Place evidence for one article."""

    def __init__(self, text: str = "", known_places: set[str] | None = None) -> None:
        self.text = text
        self.labels: dict[str, Counter] = {}  # entity text -> how often the model gave each label
        self.full_names: set[str] = set()  # names of two or more words the model tagged PERSON
        self.known_places: set[str] = set(known_places or ())  # names other articles use as places
        self._cache: dict[str, bool] = {}

    @classmethod
    def of(cls, article: Article, known_places: set[str] | None = None) -> Places:
        places = cls(article.text, known_places)
        lex = name_lexicon()
        for _seg, doc in article.docs:
            for ent in doc.ents:
                places.labels.setdefault(ent.text, Counter())[ent.label_] += 1
                if ent.label_ == "PERSON" and not dash_joined(ent.text):
                    words = [w for w in clean_name(ent.text.split()) if w.lower() not in lex["role_words"]]
                    if len(words) >= 2 and all(w[:1].isupper() for w in words):
                        places.full_names.add(" ".join(words))
        return places

    def place_like(self, name: str) -> bool:
        """A name the article uses as a place ("Veloria said …" after "in Veloria", "the
        Velorian navy", "Ostmark's coastguard", "residents of Tarn Hollow"), which the model
        may still have tagged PERSON everywhere. A name the article also gives a person
        (the surname of a full name, "Mr Kesh", "President Korvel") stays a person."""
        if name not in self._cache:
            self._cache[name] = self._evidence(name)
        return self._cache[name]

    def _evidence(self, name: str) -> bool:
        name = " ".join(name.split())
        if not name or not name[:1].isupper():
            return False
        if self.person_evidence(name):
            return False
        if place_of(name) or name in self.known_places:
            return True
        votes = self.labels.get(name, Counter())
        places = votes["GPE"] + votes["LOC"] + votes["FAC"] + votes["NORP"]
        # "in Ostmark" is a vote, not proof ("faith in Kesh"): it counts against PERSON tags.
        places += len(re.findall(rf"(?<![\w-])(?i:in|across|inside|throughout|into|near|outside)\s+"
                                 rf"{re.escape(name)}\b(?![-'\u2019]|\s+[A-Z])", self.text))
        return places > votes["PERSON"] or self.usage(name)

    def usage(self, name: str) -> bool:
        """The article writes the name as only a place is written (the evidence that other
        articles of a batch may rely on, unlike entity labels)."""
        lex = name_lexicon()
        text = self.text
        escaped = re.escape(name)
        if re.search(rf"\bthe\s+{escaped}\s+side\b", text):
            return True
        if re.search(rf"\b(?i:{'|'.join(lex['place_of_nouns'])})\s+of\s+{escaped}\b(?!['\u2019])", text):
            return True
        nouns = "|".join(lex["place_nouns"])
        if re.search(rf"\b{escaped}(?:['\u2019]s\s+(?:[a-z]+\s+)?|\s+)(?:{nouns})\b", text):
            return True
        titles = "|".join(t.capitalize() for t in lex["state_titles"])
        if re.search(rf"\b{escaped}\s+(?:{titles})\b", text) or re.search(rf"\b{escaped}-based\b", text):
            return True
        if " " not in name and len(name) > 3:
            # "Veloria" beside "Velorian", as "Russia" beside "Russian", "Italy" beside "Italian"
            # (not "Trump" beside "Trumpian").
            forms = [name + "ese"]
            if name[-1] in "aeo":
                forms.append(name + "n")
            if name[-1] == "y":
                forms.append(name[:-1] + "ian")
            return any(re.search(rf"\b{re.escape(f)}\b", text) for f in forms)
        return False

    def person_evidence(self, name: str) -> bool:
        """The article writes `name` as a person: as the surname of a full name, or after a
        personal title ("Mr Kesh", "President Korvel")."""
        titles = "|".join(t.capitalize() for t in name_lexicon()["person_titles"])
        if re.search(rf"\b(?:{titles})\.?\s+{re.escape(name)}\b", self.text):
            return True
        if " " in name:
            return False
        key = variant_key(name)
        for full in self.full_names:
            words = full.split()
            if len(words) >= 2 and variant_key(words[-1]) == key and \
                    not any(place_of(w) or self.labels.get(w, Counter())["GPE"] for w in words[:-1]):
                return True
        return False


def _names(places: Places) -> set[str]:
    names = set()
    for text in places.labels:
        for part in re.split(r"[-\u2010\u2011\u2013\u2014]", org_name(text)):
            words = part.split()
            if 1 <= len(words) <= 2 and all(w[:1].isupper() for w in words):
                names.add(" ".join(words))
    return names


def place_names(article: Article) -> set[str]:
    """Names of one or two words that the article writes as only places are written
    ("Ostmark's coastguard", "residents of Tarn Hollow"), so other articles of the batch
    read them as places too. Entity labels alone are no such evidence."""
    places = Places.of(article)
    return {n for n in _names(places) if not places.person_evidence(n) and places.usage(n)}


def batch_places(articles: list[Article]) -> set[str]:
    """Names some article of the batch writes as a place and none writes as a person."""
    found, people = set(), set()
    for article in articles:
        places = Places.of(article)
        names = _names(places)
        found |= {n for n in names if not places.person_evidence(n) and places.usage(n)}
        people |= {n for n in names if places.person_evidence(n)}
    return found - people
