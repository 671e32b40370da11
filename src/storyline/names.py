"""Name keys and name parts, pure functions used by the actor registry and by speaker
resolution alike (no database, no spaCy).

- `normalize_name`: casefold, no accents, dots or apostrophes, hyphens as spaces, no
  leading "the" ("J.D. Vance" = "JD Vance").
- `variant_key`: a transliteration-blind key (y/i/iy/ii endings, ks/x, c/k, z/s, doubled
  letters, a small table of first-name variants from data/names.yaml).
- `name_parts`: title, first and surname of a person's name, with nameparser; surname
  particles ("de Blasio", "bin Saleh al-Sada") stay with the surname.
- `canonical_person`: a person's name without title, honorific, role or apposition
  ("Dr. Ted Long, the Director of Tracing" -> "Ted Long").
- `initials` / `abbreviates`: whether a short form ("FTC", "NOAA", "the Fed") names a
  body written out in full ("Federal Trade Commission", "Federal Reserve").
- `similar_names`: spelling variants of one name (rapidfuzz), for a surname misspelt once.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from storyline.lexicon import load_yaml


def lexicon() -> dict:
    """data/names.yaml, parsed once."""
    return load_yaml("names.yaml")


@lru_cache(maxsize=1)
def _first_names() -> dict[str, str]:
    table = {}
    for group in lexicon()["first_name_variants"]:
        for name in group:
            table[fold(name)] = fold(group[0])
    return table


def fold(text: str) -> str:
    """Casefold with accents stripped."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Casefold, strip accents, dots and apostrophes, hyphens as spaces, no leading "the"."""
    text = fold(name)
    text = re.sub(r"[.\u2019'`]", "", text)
    text = re.sub(r"[-\u2010-\u2015_/,]", " ", text)
    text = " ".join(text.split())
    if text.startswith("the "):
        text = text[4:]
    return text


def _variant_token(token: str) -> str:
    token = _first_names().get(token, token)
    token = token.replace("ks", "x").replace("z", "s").replace("ck", "k")
    token = re.sub(r"c(?![eiy])", "k", token)  # Marenco / Marenko, Nicolai / Nikolai
    token = re.sub(r"(iy|ii|yy|yi|ij|y)$", "i", token)
    token = token.replace("y", "i")
    token = re.sub(r"(.)\1+", r"\1", token)
    return token


@lru_cache(maxsize=65536)
def variant_key(name: str) -> str:
    """A key equal for transliteration variants of one name (Yury/Yuri/Yuriy, Sergey/Sergei)."""
    return " ".join(_variant_token(t) for t in normalize_name(name).split())


def token_jaccard(a: str, b: str) -> float:
    ta = set(re.findall(r"\w+", a.casefold()))
    tb = set(re.findall(r"\w+", b.casefold()))
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


# --- parts of a person's name -------------------------------------------------------------

@lru_cache(maxsize=1)
def particles() -> frozenset[str]:
    """Lower-case surname particles: de, van, von, bin, al, …"""
    return frozenset(lexicon()["surname_particles"])




def is_particle(word: str, capitalised: bool = False) -> bool:
    """A surname particle; `capitalised`: also "De", "Van" (a sentence may start with it)."""
    low = word.lower()
    if word[:1].isupper():
        return capitalised and low in lexicon()["capital_particles"]
    joined = re.match(r"^([a-z]+)[-\u2010]", low)
    return low in particles() or (joined is not None and joined.group(1) in joined_particles())


def surname_start(words: list[str]) -> int:
    """Index where the surname begins: the last word, with the particles written before it
    ("Bill de Blasio" -> 1, "Mohammed bin Saleh al-Sada" -> 1)."""
    if not words:
        return 0
    i = len(words) - 1
    while i > 0:
        if is_particle(words[i - 1], capitalised=i == 1):
            i -= 1
        elif i > 1 and _joined(words[i]) and is_particle(words[i - 2]) and words[i - 1][:1].isupper():
            i -= 2  # "bin Saleh al-Sada": a particle's name before a joined particle stays in the surname
        else:
            break
        if i > 1 and words[i - 1][:1].isupper() and is_particle(words[i - 2]) and _joined(words[i]):
            i -= 2
    return i


def _joined(word: str) -> bool:
    found = re.match(r"^([a-z]+)[-\u2010][A-Z]", word)
    return found is not None and found.group(1) in joined_particles()


def joined_particles() -> list[str]:
    """Particles joined to a surname by a hyphen: "al-Sada", "el-Rufai"."""
    return lexicon()["joined_particles"]


def name_parts(name: str) -> tuple[str | None, str]:
    """(first name or None, surname) of a person's name; particles kept with the surname."""
    words = name.split()
    if not words:
        return None, ""
    cut = surname_start(words)
    return (words[0] if cut > 0 else None), " ".join(words[cut:])


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    lex = lexicon()
    return frozenset({*lex["role_words"], *lex["honorifics"], *lex["person_titles"]})


def title_word(word: str) -> bool:
    """A word of a title or role ("Dr.", "Minister", "Chief", "Whip")."""
    from nameparser.config import CONSTANTS

    low = word.lower().rstrip(".,")
    return low in _title_words() or (low in CONSTANTS.titles and low not in lexicon()["not_titles"])


def name_word(word: str) -> bool:
    """A word that can be part of a written name: capitalised, a particle, or a particle
    joined to a capitalised name ("el-Rufai", "al-Sada", "d'Estaing")."""
    return word[:1].isupper() or is_particle(word) or re.match(r"^[a-z]{1,3}[-'\u2019\u2010][A-Z]", word) is not None


def canonical_person(name: str) -> str:
    """A person's name with title, honorific, role and apposition split off: "Dr. Ted
    Long, the Director of Tracing" -> "Ted Long"; "Chief Minister Mamata Banerjee in the
    Assembly" -> "Mamata Banerjee". The name itself is never changed, only cut."""
    text = name.split(",")[0].strip()
    text = re.sub(r"\s*\([^)]*\)", "", text)
    words = text.split()
    # a prepositional tail ("in the Assembly", "of Marsh County", "at the University")
    for i, w in enumerate(words):
        if i > 0 and w in ("in", "of", "at", "from", "for", "on", "with", "during"):
            words = words[:i]
            break
    # an owner or an acronym before the name: "RT's Egor Piskunov", "NATO Ivo Daalder"
    for i in range(len(words) - 2, -1, -1):
        if re.search(r"['\u2019]s$", words[i]) and i + 1 < len(words):
            words = words[i + 1:]
            break
    while len(words) > 2 and len(words[0]) > 1 and words[0].isupper():
        words = words[1:]
    # leading titles and roles, kept only when nothing of the name would be left
    while len(words) > 1 and (title_word(words[0]) or words[0][:1].islower() and not is_particle(words[0])):
        if len(words) == 2 and words[0].lower() in lexicon()["name_titles"] and words[0][:1].isupper():
            break  # "Patriarch Kirill", "King Harald": the title is part of a one-word name
        words = words[1:]
    # "Supervisor Ivo Kask": a role word inside the capitalised run cuts what comes before it
    for i in range(len(words) - 2, 0, -1):
        if title_word(words[i]) and not is_particle(words[i]):
            words = words[i + 1:]
            break
    return " ".join(words) if words else name


# --- short forms of bodies -----------------------------------------------------------------

def initials(name: str) -> str:
    """Initials of a body's capitalised words: "Federal Trade Commission" -> "FTC"."""
    return "".join(w[0].upper() for w in re.split(r"[\s-]+", name) if w and w.lower() not in lexicon()["initials_skip"] and w[0].isalpha())


def is_acronym(word: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z&]{1,7}s?", word))


def abbreviates(short: str, full: str) -> bool:
    """`short` is an abbreviation or short name of the body `full`: its initials ("FTC",
    "NOAA", with or without the country in front), or the body's first word cut short
    ("the Fed", "the Met"), or its distinctive last words ("the Federal Reserve" of "the US
    Federal Reserve")."""
    short = re.sub(r"^(the|The)\s+", "", short.strip())
    full = re.sub(r"^(the|The)\s+", "", full.strip())
    if not short or not full or normalize_name(short) == normalize_name(full):
        return False
    words = full.split()
    if len(words) < 2:
        return False
    if is_acronym(short.rstrip("s")):
        letters = short.rstrip("s") if not short.isupper() else short
        init = initials(full)
        return letters in (init, init[1:] if len(init) > 2 else None)
    if " " not in short and len(short) >= 3 and short[:1].isupper():
        if short == words[-1]:
            return True  # "the Commission" of "the Federal Trade Commission"
        # a capitalised word of the name cut short ("the Fed" of "US Federal Reserve")
        return any(w[:1].isupper() and w.startswith(short) and len(short) < len(w) for w in words)
    tail = short.split()
    return len(tail) < len(words) and [w.lower() for w in words[-len(tail):]] == [w.lower() for w in tail]


def similar_names(a: str, b: str, threshold: float = 85.0) -> bool:
    """Two spellings of one name ("Mahithir" / "Mahathir"): same initial, rapidfuzz ratio."""
    from rapidfuzz import fuzz

    fa, fb = fold(a), fold(b)
    if not fa or not fb or fa[0] != fb[0] or min(len(fa), len(fb)) < 5:
        return False
    return fuzz.ratio(fa, fb) >= threshold
