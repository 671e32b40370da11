"""How a web page names its own site, beyond its declared metadata: the host its links
point to, the domain spelled in its text, its copyright lines, schema.org microdata, and
the site name stripped of a place or tagline. Used by `_outlet` in `readers/html.py`;
every name found here is cross-checked there against the page's domain and other names.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from storyline.readers.pagemeta import compact, spells_domain


def own_host(tree) -> str | None:
    """The host most of the page's own links point to (a saved page without a URL still
    links to its site): its <a>, <link> and <form> targets first, since scripts and images
    often come from a CDN; those too when the links name no host three times. Used only
    to check the names the page prints."""
    links: Counter = Counter()
    assets: Counter = Counter()
    for el in tree.iter("a", "link", "script", "img", "form"):
        for attr in ("href", "src", "action"):
            value = el.get(attr) or ""
            if value.startswith(("http://", "https://", "//")):
                host = urlsplit(value if not value.startswith("//") else "http:" + value).hostname
                if host:
                    counter = assets if el.tag in ("script", "img") else links
                    counter[".".join(host.lower().split(".")[-3:]).removeprefix("www.")] += 1
    for counts in (links, links + assets):
        if counts:
            host, n = counts.most_common(1)[0]
            if n >= 3:
                return host
    return None


def name_in_text(text: str, label: str | None) -> str | None:
    """The domain spelled as words in the page's text: "bahamaslocal" → "Bahamas Local"."""
    if not label or len(label) < 3 or not text:
        return None
    pattern = re.compile(r"(?<![\w.@/])" + r"[\s-]?".join(map(re.escape, label)) + r"(?![\w.@/])", re.I)
    found = Counter(m.group(0) for m in pattern.finditer(text) if m.group(0)[0].isupper())
    if not found:
        return None
    best = max(found, key=lambda v: (found[v] > 0 and (" " in v), not v.isupper() or len(v) <= 4, found[v]))
    if best.isupper() and len(best) > 4:
        best = " ".join(w.capitalize() for w in best.split())
    return best


COPYRIGHT_AFTER = re.compile(r"(?:©|&copy;|\(c\)|(?i:copyright))\s*(?:©\s*)?(?:(?:19|20)\d\d\s*(?:[-–]\s*(?:(?:19|20)\d\d)?\s*)?)?,?\s*"
                             r"((?:[A-Z][\w&'.-]*\s*){1,6})")
COPYRIGHT_BEFORE = re.compile(r"((?:[A-Z][\w&'.-]*\s+){1,6})(?:©|&copy;|\(c\))\s*(?:19|20)\d\d")


def copyright_names(text: str, label: str | None) -> list[str]:
    """Names in the page's copyright lines ("© 2022 Bahamas Local", "Sarn Courier © 2021")
    that spell its domain: the run of words next to the sign whose letters come closest to
    the domain's, so a menu before it or "All rights reserved" after it is left out."""
    if not label or not text:
        return []
    found = []
    for pattern, anchored_end in ((COPYRIGHT_AFTER, False), (COPYRIGHT_BEFORE, True)):
        for m in pattern.finditer(text):
            tokens = re.split(r"\.\s", m.group(1) + " ")[0 if not anchored_end else -1].split()  # one sentence
            runs = [tokens[i:] for i in range(len(tokens))] if anchored_end else [tokens[:i] for i in range(1, len(tokens) + 1)]
            runs = [" ".join(r).strip(" .,") for r in runs if label.startswith(compact(r[0])[:3])]
            runs = [r for r in runs if r and spells_domain(r, label) and not re.fullmatch(r"[\w.-]+\.[a-z]{2,6}", r.lower())]
            if runs:
                found.append(min(runs, key=lambda r: (abs(len(compact(r)) - len(label)), -len(r))))
    return list(dict.fromkeys(found))


def microdata_publishers(tree) -> list[str]:
    """The `publisher` names the page declares in schema.org microdata (itemprop="publisher"
    with its own itemprop="name"), read with extruct, in page order."""
    try:
        from extruct.w3cmicrodata import MicrodataExtractor

        items = list(MicrodataExtractor().extract_items(tree, None))
    except Exception:  # noqa: BLE001 - broken microdata is no declaration
        return []
    found: list[str] = []
    stack = list(items)
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        if not isinstance(item, dict):
            continue
        props = item.get("properties") or {}
        for publisher in props.get("publisher") if isinstance(props.get("publisher"), list) else [props.get("publisher")]:
            name = publisher.get("properties", {}).get("name") if isinstance(publisher, dict) else None
            name = name[0] if isinstance(name, list) and name else name
            if isinstance(name, str) and name.strip() and " ".join(name.split()) not in found:
                found.append(" ".join(name.split()))
        stack.extend(v for v in props.values() if isinstance(v, (dict, list)))
    return found


PUBLICATION_NOUNS = re.compile(r"(?i)\b(?:blog|magazine|journal|review|news|times|post|daily|weekly|gazette|herald|"
                               r"tribune|chronicle|digest|quarterly|monthly|observer|courier)$")


def site_of_publisher(site: str, publisher: str) -> bool:
    """True when a site name is its publisher's name plus words ending in a kind of
    publication ("Sarn Courier" → "Sarn Courier Engineering Blog"), not an edition or a
    section ("Sarn Courier Living UK")."""
    s, p = compact(site), compact(publisher)
    return len(p) >= 2 and s != p and s.startswith(p) and bool(PUBLICATION_NOUNS.search(site.strip()))


def without_descriptor(name: str, label: str | None) -> str:
    """A site name without the place or tagline after a dash, colon or comma, when the part
    before it spells the domain: "Sarn Courier – Port Alder" → "Sarn Courier"."""
    m = re.match(r"^(.+?)(?:\s+[-–—]\s+|:\s+|,\s+)(.+)$", name)
    return m[1].strip() if m and spells_domain(m[1], label) else name
