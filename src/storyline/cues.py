"""Tables for statement extraction: reporting verbs, hedges, channels, media outlets.

Plain Python data (no file to parse at import time). Each table is general English
news usage, never keyed to one article. `statements.py` reads them.
"""

from __future__ import annotations

import re

# Reporting verbs whose content is a clause: "X said (that) …", "…, X said".
# A direct object of these verbs is not the content ("told reporters", "said nothing").
CLAUSE_CUES = frozenset("""
say tell add note state stress emphasize emphasise underline underscore highlight explain claim
allege argue insist maintain warn caution announce confirm reaffirm reiterate remark report
write post tweet suggest hope admit acknowledge concede assert declare predict mention observe
respond reply answer retort counter complain boast estimate forecast reveal disclose indicate
hint signal clarify conclude contend assure reassure promise pledge vow threaten testify specify
recount lament deny repeat urge ask wonder demand insist propose recommend caption quip joke stipulate
acknowledge affirm contend inform notify write
""".split())

# Verbs whose direct object (with its complements) is the content:
# "welcomed the talks", "described the summit as …", "accused Y of …", "called X Y".
OBJECT_CUES = frozenset("""
welcome praise hail thank blame condemn denounce decry slam accuse urge describe call dismiss
reject question list compare express voice propose float deny underscore emphasize emphasise
stress reaffirm demand promise pledge recommend label brand term dub characterize characterise
commend applaud laud declare note threaten
""".split())

# Verbs whose to-infinitive is the content: "promised to keep …", "urged X to …".
XCOMP_CUES = frozenset("promise pledge vow threaten urge call offer".split())

ALL_VERB_CUES = CLAUSE_CUES | OBJECT_CUES | XCOMP_CUES

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


# Phrasal cues: (lemma, particle) → cue.
PHRASAL_CUES = {("point", "out"): "point out", ("rule", "out"): "rule out", ("make", "clear"): "make clear"}

# Nouns after "express"/"voice" that carry the content: "expressed hope that …".
HOPE_NOUNS = frozenset("hope confidence belief conviction".split())

# Nouns naming a claim whose that-clause is the content: "repeated his allegations that …".
CLAIM_NOUNS = frozenset("""
allegation claim assertion warning view position stance belief argument accusation insistence
assurance conviction hope
""".split())

# Participial cues hung on a statement: "…, adding that …", "…, calling X …".
# Inflected forms → lemma for headlines, where the tagger is unreliable (Title Case).
_IRREGULAR = {"said": "say", "says": "say", "told": "tell", "tells": "tell", "wrote": "write",
              "writes": "write", "denies": "deny", "denied": "deny", "replies": "reply",
              "replied": "reply", "urges": "urge", "urged": "urge", "accuses": "accuse",
              "accused": "accuse", "vows": "vow", "vowed": "vow"}
HEADLINE_VERBS = frozenset("""
say tell warn confirm deny claim insist urge accuse announce admit reject vow pledge promise
blame condemn slam praise welcome hail threaten call demand stress predict suggest argue reveal
dismiss reaffirm signal declare assure caution
""".split())


def headline_lemma(word: str) -> str | None:
    """Lemma of a Title-Case headline verb ("Confirms" → confirm), or None."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w] if _IRREGULAR[w] in HEADLINE_VERBS else None
    for suffix, repl in (("ies", "y"), ("es", "e"), ("es", ""), ("s", ""), ("ed", "e"), ("ed", "")):
        if w.endswith(suffix) and w[: -len(suffix)] + repl in HEADLINE_VERBS:
            return w[: -len(suffix)] + repl
    return None


# Words that mark a statement as hedged.
HEDGE_ADVERBS = frozenset("reportedly allegedly purportedly supposedly apparently".split())
# Adverbs that make a sentence an attributed claim of its own when no cue is present.
SOURCE_ADVERBS = frozenset("reportedly purportedly".split())
HEDGE_CUES = frozenset("claim allege".split())

# Nouns of unnamed sources: "a source familiar with …", "officials", "diplomats".
ANON_NOUNS = frozenset("""
source official diplomat insider person people aide officer analyst observer expert
""".split())
ANON_MODIFIERS = frozenset("unnamed anonymous unidentified several some two three four many".split())

# Social platforms and other channels a statement is made through.
PLATFORMS = {
    "x": "X", "twitter": "X", "telegram": "Telegram", "truth social": "Truth Social",
    "facebook": "Facebook", "instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube",
    "weibo": "Weibo", "vk": "VK", "vkontakte": "VK", "threads": "Threads", "bluesky": "Bluesky",
    "linkedin": "LinkedIn", "substack": "Substack", "rumble": "Rumble", "social media": "social media",
}
CHANNEL_NOUNS = {
    "interview": "interview", "press conference": "press conference",
    "news conference": "press conference", "briefing": "briefing", "press briefing": "briefing",
    "written statement": "written statement", "joint statement": "joint statement",
    "statement": "statement", "phone call": "phone call", "telephone call": "phone call",
    "speech": "speech", "address": "address", "video address": "video address", "letter": "letter",
    "op-ed": "op-ed", "podcast": "podcast", "broadcast": "broadcast", "post": "post",
    "video": "video", "press release": "press release", "televised address": "televised address",
}

# Media outlets and agencies (canonical spelling). Matched on whole words.
OUTLETS = """
Reuters|Associated Press|AP|AFP|Agence France-Presse|Bloomberg|CNN|BBC|Fox News|NBC News|NBC|
CBS News|CBS|ABC News|ABC|MSNBC|CNBC|NPR|PBS|Axios|Politico|New York Times|NYT|Washington Post|
Wall Street Journal|WSJ|Financial Times|FT|Guardian|Daily Telegraph|Telegraph|The Times|Times|
Economist|Independent|Daily Mail|Sky News|Bild|Der Spiegel|Spiegel|Die Welt|Le Monde|Le Figaro|
BFMTV|El Pais|Corriere della Sera|La Repubblica|ANSA|DPA|EFE|TASS|RIA Novosti|RIA|Interfax|
Izvestia|Kommersant|Vedomosti|RBC|RT|Sputnik|Xinhua|Global Times|CGTN|Al Jazeera|Al Arabiya|
Anadolu|Anadolu Agency|Yonhap|Kyodo|NHK|Haaretz|Times of Israel|Ukrainska Pravda|Kyiv Independent|
Ukrinform|Kyiv Post|Suspilne|Meduza|Novaya Gazeta|Newsweek|Time|The Atlantic|New Yorker|Vox|
Semafor|The Hill|Punchbowl News|Breitbart|Daily Beast|HuffPost|Business Insider|Insider|
Deutsche Welle|DW|France 24|Euronews|Radio Free Europe|RFE/RL|Voice of America|VOA|
Nikkei|South China Morning Post|SCMP|Times of India|Hindustan Times|NDTV|Dawn|Fakti|
""".replace("\n", "").strip("|").split("|")
OUTLET_ALIASES = {"NYT": "New York Times", "WSJ": "Wall Street Journal", "AP": "Associated Press",
                  "FT": "Financial Times", "DW": "Deutsche Welle", "VOA": "Voice of America",
                  "SCMP": "South China Morning Post", "The Times": "Times"}
# Nouns that make a noun phrase a media outlet: "the Interfax agency", "the BFMTV news outlet".
MEDIA_NOUNS = frozenset("""
agency outlet newspaper paper daily tabloid broadcaster channel network magazine podcast
website site radio television tv publication wire journal newsletter portal
""".split())
# "the agency", "the outlet" … refer back to the last outlet named in the article.
ANAPHORIC_MEDIA = frozenset(MEDIA_NOUNS | {"media outlet", "news outlet", "news agency", "news site"})

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
    text = _MEDIA_DESCRIPTORS.sub("", text)
    text = _MEDIA_TAIL.sub("", text)
    return text.strip() or phrase.strip()


def is_media_phrase(phrase: str, head_lemma: str) -> bool:
    """A noun phrase naming a media outlet: known name, or a proper name with a media noun."""
    if find_outlet(phrase):
        return True
    return head_lemma.lower() in MEDIA_NOUNS and any(c.isupper() for c in phrase[1:] + phrase[:1])
