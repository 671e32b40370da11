"""What a web page says about itself: site name, headline, authors and local dates.

Used by the HTML reader (`readers/html.py`). Every choice is cross-checked between the
page's own signals, never keyed to a site:

- **site names**: `og:site_name`, JSON-LD `publisher.name` (and the `Organization` /
  `WebSite` objects of its graph), `application-name`, and the `<title>` segment that
  spells the page's domain ("Jamaica Gleaner" on jamaica-gleaner.com, "South China
  Morning Post" on scmp.com by its initials); schema.org microdata `publisher`, the
  logo's alt text and the copyright line ("© 2026 Sarn Courier") are read in
  `readers/sitenames.py`; a place or tagline after the name is dropped.
- **headline**: an `<h1>` that agrees with the JSON-LD `headline` or the `<title>` /
  `og:title` (most of the shorter one's words in the other), else JSON-LD `headline`,
  else `<title>`, else `og:title`, each without its site-name and section segments.
- **authors**: JSON-LD `author` (with `@id` references resolved), author `<meta>` tags,
  the page's byline elements (`rel=author`, `itemprop=author`, classes named byline or
  author, never inside comments), then trafilatura's guess; each name decoded, "By"
  dropped, several split, outlet names, job titles, organisations and placeholders
  removed (see `clean_authors`).
- **local time**: a UTC timestamp is moved to the offset the page itself uses most for its
  other timestamps, so an evening story keeps the day its outlet printed.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

# ---- JSON-LD --------------------------------------------------------------------------------


def ld_objects(tree) -> list[dict]:
    """Every JSON-LD object of the page (lists and @graph flattened), in page order."""
    import json

    found: list[dict] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            try:
                data = json.loads(script.text.strip().rstrip(";"), strict=False)
            except ValueError:
                continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                for key in ("@graph", "mainEntity"):
                    if isinstance(item.get(key), (list, dict)):
                        stack.append(item[key])
    return found


def ld_types(item: dict) -> set[str]:
    """The object's schema.org types; a plain "type" key counts when "@type" is missing
    (pages that write `{"@context": "http://schema.org", "type": "Article"}`)."""
    types = item.get("@type") if "@type" in item else item.get("type")
    return {t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}


def resolve(value: Any, objects: list[dict]) -> Any:
    """A JSON-LD `{"@id": …}` reference replaced by the object it names (when on the page)."""
    if isinstance(value, list):
        return [resolve(v, objects) for v in value]
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id"):
        for item in objects:
            if item.get("@id") == value["@id"] and len(item) > len(value):
                return item
    return value


ORG_TYPES = {"Organization", "NewsMediaOrganization", "Corporation", "WebSite", "OnlineBusiness", "LocalBusiness"}


# ---- names of the site ---------------------------------------------------------------------

SEPARATORS = re.compile(r"\s+[|–—»·•:~/-]\s+|\s*\|\s*|\s+[–—]\s*|\s*[–—]\s+")
DATE_ONLY = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")


def compact(text: str) -> str:
    """Letters and digits only, lower-cased, a leading "the" dropped: "The Times of Israel" → "timesofisrael"."""
    text = re.sub(r"[^\w]+", "", html_lib.unescape(text).casefold().replace("_", ""))
    return text[3:] if text.startswith("the") and len(text) > 6 else text


def domain_label(host: str | None) -> str | None:
    """The name part of a host: edition.cnn.com → "cnn", jamaica-gleaner.com → "jamaicagleaner"."""
    if not host:
        return None
    parts = [p for p in host.lower().split(".") if p and p != "www"]
    if len(parts) >= 3 and parts[-2] in ("co", "com", "org", "net", "ac", "gov", "edu") and len(parts[-1]) == 2:
        parts = parts[:-2]
    elif len(parts) >= 2:
        parts = parts[:-1]
    if len(parts) >= 2 and parts[-1] in ("blogspot", "wordpress", "substack", "medium", "github", "tumblr"):
        return parts[-2].replace("-", "")
    return parts[-1].replace("-", "") if parts else None


def spells_domain(name: str, label: str | None) -> bool:
    """True when a name spells the site's domain: whole, most of it, or by its initials."""
    if not label or not name:
        return False
    c = compact(name)
    if len(c) < 2:
        return False
    if c == label or (len(c) >= 4 and c in label and len(c) >= 0.5 * len(label)):
        return True
    # the domain inside a longer name ("WSVN 7News", "Toptal Engineering Blog"); a short domain only
    # in a short name, so that a headline beginning "Time to …" does not spell time.com
    if len(label) >= 4 and label in c and (len(label) > 5 or len(c) <= len(label) + 12):
        return True
    words = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in ("the", "of", "and")]
    initials = "".join(w[0] for w in words).lower()
    return len(initials) >= 2 and initials == label


def title_segments(title: str) -> list[str]:
    return [s.strip() for s in SEPARATORS.split(title) if s and s.strip()]


def is_site_segment(segment: str, names: list[str], label: str | None) -> bool:
    c = compact(segment)
    if not c:
        return True
    if DATE_ONLY.match(segment.strip()) or re.fullmatch(r"[\w.-]+\.[a-z]{2,6}", segment.strip().lower()):
        return True
    keys = [compact(n) for n in names]
    return any(c == k or (len(k) >= 4 and (c.startswith(k) or c.endswith(k)) and len(k) >= 0.5 * len(c))
               for k in keys) or spells_domain(segment, label)


def strip_title(title: str | None, names: list[str], label: str | None) -> str | None:
    """A <title> without its site name and the section or tagline segments beside it.

    "Headline | Section | Site": the first segment; "Site » Section » Headline": the last.
    A title with no recognisable site segment is returned whole."""
    if not title:
        return None
    title = " ".join(html_lib.unescape(title).split())
    segments = title_segments(title)
    if len(segments) < 2:
        return title.strip(" |-–—") or None
    flags = [is_site_segment(s, names, label) for s in segments]
    if not any(flags):  # "Headline | Place | Section - Place": three or more parts, the first is the headline
        return segments[0] if len(segments) >= 3 and len(segments[0].split()) >= 4 else title
    if flags[0] and flags[-1] and len(segments) > 1:  # both ends name the site: the closer spelling is the name
        extra = [len(compact(segments[i])) - len(label or "") for i in (0, -1)]
        flags[0 if extra[0] > extra[1] else -1] = False
    if not flags[0]:  # headline first: what comes before the first site segment
        kept = segments[: flags.index(True)]
        # sections between headline and site name ("Headline | News | Site") are short
        while len(kept) > 1 and len(kept[-1].split()) <= 3 and len(kept[0].split()) > 3:
            kept.pop()
        start = title.find(kept[0])
        end = title.find(kept[-1], start) + len(kept[-1])
        return title[start:end].strip()
    rest = [s for s, f in zip(segments, flags) if not f]
    return rest[-1] if rest else title


def site_name_from_title(title: str | None, label: str | None) -> str | None:
    """The <title> segment (first or last) that spells the domain."""
    if not title:
        return None
    segments = title_segments(" ".join(html_lib.unescape(title).split()))
    if len(segments) < 2:
        return None
    for segment in (segments[-1], segments[0], *segments[1:-1]):
        if spells_domain(segment, label) and not re.fullmatch(r"[\w.-]+\.[a-z]{2,6}", segment.lower()):
            return segment
    return None


# ---- headline --------------------------------------------------------------------------------

STOP = {"the", "a", "an", "of", "in", "on", "to", "and", "for", "is", "are", "with", "at", "by", "as", "from"}


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold()) if w not in STOP}


def agreement(a: str, b: str) -> float:
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def fold_in(part: str, whole: str) -> bool:
    """True when `part` appears in `whole` as whole words, case and punctuation aside."""
    a = " ".join(re.findall(r"\w+", part.casefold()))
    b = " ".join(re.findall(r"\w+", whole.casefold()))
    return bool(a) and f" {a} " in f" {b} "


def visible_h1s(tree) -> list[tuple[str, list[str]]]:
    """Each h1's text with the texts of the elements inside it (a fly-title, a subtitle)."""
    found = []
    for el in tree.iter("h1"):
        text = " ".join("".join(el.itertext()).split())
        if text and len(text.split()) <= 40:
            parts = [" ".join("".join(child.itertext()).split()) for child in el.iterdescendants()]
            found.append((text, [p for p in parts if p and p != text]))
    return found


def _inner_headline(h1: str, parts: list[str], declared: list[str]) -> str | None:
    """The headline inside an h1 that also holds a fly-title or subtitle element."""
    for part in parts:
        if any(compact(part) == compact(d) for d in declared):
            return part
    for part in parts:
        for rest in (h1[len(part):], h1[: len(h1) - len(part)]) if h1.startswith(part) or h1.endswith(part) else ():
            rest = rest.strip(" |:–—-")
            if any(compact(rest) == compact(d) for d in declared):
                return rest
    return None


def choose_headline(h1s: list[tuple[str, list[str]]], ld_headline: str | None, title: str | None, og_title: str | None,
                    names: list[str], label: str | None) -> tuple[str | None, str]:
    """(headline, method): an h1 cross-checked against the declared titles, else the best declared one."""
    declared = [t for t in (ld_headline, strip_title(title, names, label), strip_title(og_title, names, label)) if t]
    best, best_parts, best_score = None, [], 0.0
    for h1, parts in h1s:
        if any(compact(h1) == compact(n) for n in names) or (label and compact(h1) == label):
            continue  # the site's logo as h1
        score = max((agreement(h1, d) for d in declared), default=0.0)
        if score > best_score:
            best, best_parts, best_score = h1, parts, score
    if best and best_score >= 0.5:
        raw = [t for t in (ld_headline, title, og_title) if t]
        return _inner_headline(best, best_parts, declared + raw) or best, "h1"
    if ld_headline:
        return " ".join(html_lib.unescape(ld_headline).split()), "json-ld"
    for value, method in ((title, "title"), (og_title, "og:title")):
        stripped = strip_title(value, names, label)
        if stripped:
            return stripped, method
    if len(h1s) == 1:
        return h1s[0][0], "h1"
    return None, "none"


# ---- authors ---------------------------------------------------------------------------------

PLACEHOLDERS = re.compile(
    r"^(?:no author|unknown|anonymous|admin(?:istrator)?|staff(?: writer| reporter)?s?|editor(?:s|ial)?|"
    r"web ?desk|news ?desk|desk|team|our team|guest(?: author| contributor)?s?|contributors?|authors?|writers|columnists|by|article by|"
    r"letters? to the editor|the editors|editorial (?:board|staff|team)|press release|sponsored|"
    r"reporter|correspondent|wire|wire service|agencies|news service|newsroom)$", re.I)
ORG_WORDS = re.compile(
    r"\b(?:news|times|post|daily|media|press|agency|network|magazine|journal|gazette|tribune|herald|"
    r"group|team|inc|ltd|llc|corp|company|foundation|institute|university|association|council|"
    r"ministry|department|office|bureau|radio|tv|television|channel|online|staff|desk|kitchens?|"
    r"wire|services?|agencies|reuters|bloomberg|afp)\b|\.(?:com|org|net|co|uk)\b|www\.", re.I)
JOB_TAIL = re.compile(
    r"(?:^|\s*(?:[,|–—-]\s*|\s+))(?:(?:senior|chief|staff|political|deputy|associate|contributing|special|"
    r"managing|executive|news|sports|business|health|science|legal|education|foreign|white house|"
    r"assistant|adjunct|visiting|vice)\s+)*"
    r"(?:writer|reporter|editor|correspondent|columnist|contributor|producer|director|attorney|counsel|"
    r"analyst|fellow|intern|photographer|staff|ceo|cfo|cto|coo|founder|co-founder|president|chair(?:man|woman)?|"
    r"manager|publisher|professor|anchor|host)s?\b.*$", re.I)
BY_PREFIX = re.compile(r"^(?:(?i:written |posted |published |words )?(?i:by|von|par)(?:\s*[:\-]?\s+|(?=[A-Z]))|"
                       r"(?i:authors?|byline)\s*[:\-]?\s+|(?i:words|text|story|reporting|contributors?|writers?|reporters?)\s*:\s*)")
MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
         r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?(?=\s*\d)")
TAIL = re.compile(r"\s+(?=(?:\d|\+|[-–—]\s|(?i:" + MONTH + r"|follow\b|updated\b|published\b|posted\b|at\b|on\b|"
                  r"read\b|email\b|contact\b|date\b)|(?:in|of)\s+(?:the\s+)?[A-Z]))")  # "… in Port Alder", "… of the Courier"
SPLIT = re.compile(r"\s*(?:,|;|\||&|•|\s·\s|\s/\s|(?-i:(?<=[a-z])/(?=[A-Z]))|\band\b|\bund\b|\bwith\b)\s*", re.I)
# degrees and honours after a name ("Ana Petrov, PhD"): not a second person
DEGREE = re.compile(r"^(?:ph\.?\s?d|m\.?d|mba|mph|msc|bsc|ma|ba|rn|jd|esq|cpa|obe|mbe|cbe|frs)\.?$", re.I)
# what follows a name in a byline box: a social link, a bio sentence
SOCIAL_TAIL = re.compile(r"\s+(?:(?i:twitter|facebook|instagram|linkedin|rss|bio|profile|more from|see all|view all)\b|"
                         r"(?:is|was)\s+(?:a|an|the)\s).*$")


PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "dos", "das", "del", "della", "la", "le", "bin", "binti",
             "ibn", "al", "el", "ter", "ten", "y", "e", "zu", "st."}


def _person_like(name: str) -> bool:
    tokens = name.split()
    if not 1 <= len(tokens) <= 5 or len(name) > 60:
        return False
    if re.search(r"[@/\\:=<>{}]|https?|\d{3,}", name) or not all(t[0].isalpha() for t in tokens):
        return False
    if len(tokens) == 1 and re.search(r"team|staff|desk|admin|editor|news", name, re.I):
        return False
    if len(tokens) > 1 and any(t.islower() and t not in PARTICLES for t in tokens):
        return False  # "Sunrise the talks had resumed": a sentence after "By", not a name
    return bool(re.search(r"[^\W\d_]", name))


def _starts_with_outlet(part: str, outlets: list[str]) -> bool:
    """True when a byline part begins with an outlet's name as whole words and goes on ("CNN Business")."""
    words = part.split()  # a one-word outlet only in capitals ("CNN"): a site named "Jana" is no prefix of "Jana Volk"
    return any(compact(" ".join(words[:i])) == compact(name) and len(compact(name)) > 2 and (" " in name.strip() or name.isupper())
               for name in outlets for i in range(1, len(words)))


def clean_author(raw: str, outlets: list[str], label: str | None) -> list[str]:
    """One author string → the people it names (possibly none)."""
    text = " ".join(html_lib.unescape(html_lib.unescape(str(raw))).split())
    text = re.sub(r"(?<=[A-Za-z.])(?=(?:Published|Updated|Posted|Follow|Read|Share|Date)\b)", " ", text)  # "CascioliPublished"
    text = re.sub(r"\s*\([^)]*\)", "", text)  # "Julia Hitz (eg)", "(www.dw.com)"
    text = re.sub(r"(?:(?<=\s)|^)[\w.+-]+@[\w-]+\.[\w.]+", " ", text)  # "jv@sarncourier.com"
    text = " ".join(re.sub(r"@\w+", " ", text).split())  # "@janavolk", "Jon Porter@JonPorty"
    text = BY_PREFIX.sub("", text.strip(" -–—:|/"))
    inner = re.search(r"\s(?i:by)\s+(?=[A-Z])", text)
    if inner:  # "Oct 30 2020 by Emily Co"
        text = text[inner.end():]
    text = re.sub(r"\s+(?i:for|at|from)\s+(?:(?i:the)\s+)?[A-Z][\w' ]+$", "", text)  # "… For The Mail On Sunday"
    text = re.sub(r"\s+says:?$|\s+updated:?.*$|\s+published:?.*$", "", text, flags=re.I)
    people = []
    for part in SPLIT.split(text):
        part = BY_PREFIX.sub("", part.strip(" -–—:|/").lstrip("."))
        if PLACEHOLDERS.match(part) or re.match(r"(?i:" + MONTH + r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)", part):
            continue  # a placeholder, or the date that follows the names
        part = SOCIAL_TAIL.sub("", TAIL.split(part, maxsplit=1)[0])
        if DEGREE.match(part.strip(" .")) or _starts_with_outlet(part, outlets):
            continue  # "PhD"; "CNN Business", "Sarn Courier Editorial Board": the outlet or its section
        part = JOB_TAIL.sub("", part).strip(" ,-–—:|/")
        part = part.lstrip(".")
        if part.endswith(".") and not re.search(r"(?:\b[A-Z]|\b(?:Jr|Sr|St))\.$", part):
            part = part[:-1]  # a sentence's full stop, not an initial's ("Joe S.", "Perry Bacon Jr.")
        for name in outlets:  # "Ana Petrov Sarn Courier" → "Ana Petrov"
            c = compact(name)
            words = part.split()
            for cut in range(len(words) - 1, 0, -1) if compact(part) != c else ():
                if len(c) > 2 and compact(" ".join(words[cut:])) == c:
                    part = " ".join(words[:cut])
                    break
        if not part or PLACEHOLDERS.match(part) or not _person_like(part):
            continue
        if re.fullmatch(r"[A-Z]{2,5}", part):  # "by IWB", "AP": a site's or agency's initials, not a person
            continue
        if any(compact(part) == compact(n) for n in outlets) or ORG_WORDS.search(part):
            continue
        if part.isupper() and len(part) > 3:
            part = " ".join(w.capitalize() for w in part.split())
        people.append(part)
    return list(dict.fromkeys(people))


def clean_authors(raws: list[str], outlets: list[str], label: str | None) -> list[str]:
    people: list[str] = []
    for raw in raws:
        people.extend(p for p in clean_author(raw, outlets, label) if p not in people)
    # "Adam" beside "Adam Aaronson": the same person, named in full once
    return [p for p in people if not any(q != p and q.split()[: len(p.split())] == p.split() for q in people)]


BYLINE_XPATH = ("//*[@rel='author' or @itemprop='author' or contains(@class,'byline') or "
                "contains(@class,'author') or contains(@id,'byline') or "
                "(self::a and (contains(@href,'/author/') or contains(@href,'/authors/')))]")
# a byline inside these is someone else's: a commenter, a photographer, a related story's writer
NOT_BYLINE_AROUND = re.compile(r"comment|repl(?:y|ies)|(?:^|\s)(?:caption|credits?|related|footer|bio|sidebar|recommended)"
                               r"(?:$|[\s_-])|[_-](?:caption|credits?|related|footer|bio|sidebar|recommended)(?:$|\s)", re.I)
NOT_BYLINE_SELF = re.compile(r"photo|image|img|caption|credit|avatar|picture|thumb", re.I)



def _is_byline(el) -> bool:
    names = " ".join(filter(None, (el.get("class"), el.get("id")))).lower()
    return (el.get("rel") == "author" or "author" in (el.get("itemprop") or "").lower()
            or "byline" in names or "author" in names)


def _author_links(el) -> list[str]:
    """The texts of the author-page links beside `el` ("By <a>A</a> and <a>B</a>")."""
    parent = el.getparent()
    if parent is None:
        return []
    links = [" ".join("".join(a.itertext()).split()) for a in parent.iter("a")
             if re.search(r"/authors?/", a.get("href") or "")]
    return [t for t in links if t]


def _peer_names(el) -> list[str]:
    """The texts of `el` and the elements beside it marked the same way (rel=author, itemprop=author)."""
    parent = el.getparent()
    if parent is None:
        return []
    rel, prop = el.get("rel"), el.get("itemprop")
    peers = [p for p in parent.iter() if isinstance(p.tag, str) and ((rel and p.get("rel") == rel) or (prop and p.get("itemprop") == prop))
             and not any(NOT_BYLINE_AROUND.search(" ".join(filter(None, (a.get("class"), a.get("id")))))
                         for a in p.iterancestors() if a is not parent and parent in a.iterancestors())]
    return [t for t in (" ".join("".join(p.itertext()).split()) for p in peers) if t]


def byline_texts(tree, after=None) -> list[str]:
    """The text of the page's first byline (the outermost element of it), outside comments,
    captions and author bios; `after` an element (the headline) it must follow when given."""
    try:
        elements = tree.xpath(BYLINE_XPATH)
    except Exception:
        return []
    order = {el: i for i, el in enumerate(tree.iter())} if after is not None else {}
    first = None
    for el in elements:
        if el.tag in ("meta", "link", "img", "script", "style", "body", "html", "article", "main"):
            continue
        if NOT_BYLINE_SELF.search(" ".join(filter(None, (el.get("class"), el.get("id"))))):
            continue
        if any(NOT_BYLINE_AROUND.search(" ".join(filter(None, (a.get("class"), a.get("id"))))) for a in [el, *el.iterancestors()]
               if a.tag not in ("body", "html")):
            continue
        for parent in el.iterancestors():  # the whole byline: "By A, B" around the author links
            if parent.tag in ("body", "article", "main", "header") or not _is_byline(parent):
                break
            el = parent
        text = " ".join("".join(el.itertext()).split())
        if el.tag == "a" and not _is_byline(el):  # an author-page link: it and its siblings
            text = ", ".join(dict.fromkeys(_author_links(el))) or text
        elif el.get("rel") == "author" or "author" in (el.get("itemprop") or "").lower():
            peers = ", ".join(dict.fromkeys(_peer_names(el)))  # "By <a rel=author>A</a> and <a rel=author>B</a>"
            text = peers if peers and len(peers) <= 120 else text
        if not text or len(text) > 120:
            continue
        if after is None or order.get(el, 0) > order.get(after, 0):
            return [text]
        first = first or text  # before the headline: kept in case none follows it
    return [first] if first else []


BYLINE_START = re.compile(r"^\s*(?i:(?:posted |written |words |story )?by|author|(?:posted|published) on\b)\b")
TEXT_BYLINE = re.compile(r"^(?i:(?:posted |written |words |story )?by|author|(?:posted|published) on\s.{4,30}?\sby)\s*:?\s+[A-Z]")


def text_byline(tree, after=None) -> list[str]:
    """A short printed line "By Ana Petrov", "Posted by A. B. Marek at 9:12", "Author: …"
    outside comments and captions (for pages without byline markup): the first after the
    headline when given, else the last one before it (a byline printed above the headline)."""
    started, before = after is None, None
    for el in tree.iter():
        if el is after:
            started = True
            continue
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "head", "title", "meta", "option"):
            continue
        if not BYLINE_START.match(next((t for t in el.itertext() if t.strip()), "")):
            continue  # cheap: the element's first words
        text = " ".join("".join(el.itertext()).split())
        if not text or len(text) > 100 or not TEXT_BYLINE.match(text):
            continue
        if NOT_BYLINE_SELF.search(" ".join(filter(None, (el.get("class"), el.get("id"))))):
            continue
        if any(NOT_BYLINE_AROUND.search(" ".join(filter(None, (a.get("class"), a.get("id")))))
               for a in el.iterancestors() if a.tag not in ("body", "html")):
            continue
        if started:
            return [text]
        before = text
    return [before] if before else []


def extends(longer: list[str], shorter: list[str]) -> bool:
    """True when every name of `shorter` starts a name of `longer` ("Todd" → "Todd Bates")."""
    return bool(longer) and all(any(q.split()[: len(p.split())] == p.split() for q in longer) for p in shorter)


# ---- dates in the outlet's local time ------------------------------------------------------

STAMP = re.compile(r"\b(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?([+-]\d{2}:?\d{2}|Z)?\b")


def _offset_minutes(text: str) -> int | None:
    if text in ("Z", "+00:00", "+0000", "-00:00"):
        return 0
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", text)
    if not m:
        return None
    return (1 if m[1] == "+" else -1) * (int(m[2]) * 60 + int(m[3]))


def page_offset(raw_html: str) -> int | None:
    """The UTC offset (minutes) the page uses most for its own timestamps, when not UTC."""
    counts = Counter()
    for m in STAMP.finditer(raw_html):
        if m[3]:
            minutes = _offset_minutes(m[3])
            if minutes:
                counts[minutes] += 1
    if not counts:
        return None
    offset, n = counts.most_common(1)[0]
    return offset if n >= 2 else None  # one stray stamp (an ad, a widget) is not the page's zone


def to_local(value: str | None, offset: int | None) -> str | None:
    """A UTC timestamp shown at the page's own offset ("2022-04-22T04:11:44+00:00" → "…21T22:11:44-06:00")."""
    if not value or offset is None or "T" not in value:
        return value
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None or moment.utcoffset() != timedelta(0):
        return value
    return moment.astimezone(timezone(timedelta(minutes=offset))).isoformat()


def later(updated: str | None, published: str | None) -> bool:
    """True when `updated` is a later moment (or later day) than `published`."""
    if not updated:
        return False
    if not published:
        return True
    try:
        a = datetime.fromisoformat(updated.replace("Z", "+00:00"))
        b = datetime.fromisoformat(published.replace("Z", "+00:00"))
        if (a.tzinfo is None) != (b.tzinfo is None):
            return updated[:10] > published[:10]
        return a > b
    except ValueError:
        return updated[:10] > published[:10]


def host_of(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None


BIO = re.compile(r"^([A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|da|di|del|la|le|bin|al)){1,3})\s+(?:is|was)\s+(?:a|an|the)\s+\S")


def closing_bio(tree, body: str) -> list[str]:
    """The writer named by the italic note that closes a column or op-ed ("<p><em>Jana Volk
    is a columnist …</em></p>"): one of the last three paragraphs of the article's text,
    wholly in italics, that begins with a name and "is a/an/the". For pages with no byline at all."""
    lines = {" ".join(line.split())[:80] for line in body.splitlines()[-3:] if line.strip()}
    paragraphs = [p for p in tree.iter("p") if " ".join("".join(p.itertext()).split())[:80] in lines]
    for p in paragraphs[-3:]:
        text = " ".join("".join(p.itertext()).split())
        italic = " ".join(" ".join("".join(e.itertext()) for e in p.iter("em", "i")).split())
        m = BIO.match(text)
        if m and italic == text:
            return [m[1]]
    return []
