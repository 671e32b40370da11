"""Seeded generator of hostile and messy inputs for the ingest fuzz run (issue 15).

`write_inputs(folder, n, seed)` writes n input files of these kinds, in turn: random
bytes, garbled UTF-8, odd file names, JSON Lines with edge values, feeds with entity
payloads, quote floods, deep HTML, and plain fictional articles. It returns, per file,
how many records it holds (JSON Lines: its non-blank lines; feeds: at least one outcome).
Everything is invented (Veloria, Port Alder); nothing is read from a corpus.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

# STORYLINE_FUZZ_LARGE=1 (`make reliability`): also the sizes that find quadratic
# analysis (2,000 attributed sentences in one paragraph: issue 15 defect 5).
LARGE = os.environ.get("STORYLINE_FUZZ_LARGE") == "1"

NAMES = ["Ilse Varga", "Anton Kesh", "Mira Solberg", "Teodor Brask", "Lena Quist", "Oskar Vell"]
PLACES = ["Port Alder", "Sarn", "Hallen", "Eskby", "Velmark"]
WORDS = ["harbour", "ferry", "talks", "treaty", "council", "bridge", "budget", "envoy", "quay", "monitors"]


def _sentence(rng: random.Random) -> str:
    return (f"{rng.choice(NAMES)} said in {rng.choice(PLACES)} on Monday that the "
            f"{rng.choice(WORDS)} and the {rng.choice(WORDS)} would {rng.choice(['wait', 'resume', 'close'])}.")


def _article(rng: random.Random, paragraphs: int = 3) -> str:
    body = "\n\n".join(" ".join(_sentence(rng) for _ in range(3)) for _ in range(paragraphs))
    return f"{rng.choice(WORDS).title()} {rng.choice(['deal', 'vote', 'row'])} in {rng.choice(PLACES)}\n\n{body}\n"


def _random_bytes(rng):
    return rng.randbytes(rng.randint(0, 4000)), ".txt"


def _garbled(rng):
    data = bytearray(_article(rng).encode("utf-8"))
    for _ in range(rng.randint(1, 40)):
        data[rng.randrange(len(data))] = rng.choice([0x80, 0xBF, 0xC0, 0xC3, 0xED, 0xF4, 0xFE, 0xFF, 0x00, 0x1B])
    extra = rng.choice([b"", b"\xed\xa0\x80", b"\xc0\xaf", b"\xef\xbb\xbf", b"\xff\xfe"])
    return bytes(extra + data), rng.choice([".txt", ".md", ".TXT", ".html"])


def _json_edges(rng):
    lines = []
    edges = ['1e20', 'NaN', 'Infinity', '-Infinity', '1e400', '-0', '12345678901234567890', '"33658-01-01"',
             'null', '[]', '{}', 'true', '"\\ud800"', '"\\u0000"', '1' * 5000]
    for _i in range(rng.randint(2, 8)):
        roll = rng.random()
        text = json.dumps(_article(rng, 1))
        if roll < 0.3:
            lines.append('{"text": ' + text + ', "published": ' + rng.choice(edges) + '}')
        elif roll < 0.45:
            lines.append('{"text": ' + rng.choice(edges) + '}')
        elif roll < 0.55:
            depth = rng.choice([50, 5000, 100_000])
            lines.append('{"text": ' + text + ', "x": ' + "[" * depth + "]" * depth + '}')
        elif roll < 0.65:
            lines.append(rng.choice(edges))
        elif roll < 0.72:
            lines.append('{"text": "' + "\\ud83d" * rng.randint(1, 30) + ' Varga said so."}')
        elif roll < 0.8:
            lines.append('{"text": ' + text + ', "title": ' + rng.choice(edges) + ', "outlet": ' +
                         rng.choice(edges) + ', "authors": ' + rng.choice(edges) + '}')
        elif roll < 0.85:
            lines.append('{"text": ' + text[:-1] + '\x00"}')
        else:
            lines.append(json.dumps({"text": _article(rng, 1), "published": "2026-03-0" + str(rng.randint(1, 9))}))
    return ("\n".join(lines) + "\n").encode("utf-8"), rng.choice([".jsonl", ".JSONL", ".ndjson"])


def _feed(rng):
    payload = rng.choice([
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
        '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>',
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>',
        '',
    ])
    ref = rng.choice(["&f;", "&xxe;", "", "&undefined;"]) if payload else ""
    items = "".join(f"<item><title>{rng.choice(WORDS)} {i} {ref}</title><link>http://example.invalid/{i}</link>"
                    f"<description>{_sentence(rng)} {ref}</description></item>" for i in range(rng.randint(0, 4)))
    return f'<?xml version="1.0"?>{payload}<rss version="2.0"><channel><title>Veloria Wire</title>{items}' \
           f'</channel></rss>'.encode("utf-8"), rng.choice([".xml", ".rss", ".XML"])


def _quote_flood(rng):
    n = rng.choice([20, 100, 250])
    quotes = " ".join(f"“The {rng.choice(WORDS)} is {i},” {rng.choice(NAMES)} said." for i in range(n))
    return f"Quotes from {rng.choice(PLACES)}\n\n{quotes}\n".encode("utf-8"), ".txt"


def _deep_html(rng):
    depth = rng.choice([200, 2000, 6000])
    tag = rng.choice(["div", "span", "b"])
    inner = f"<p>{_sentence(rng)}</p>"
    if rng.random() < 0.5:
        page = "<html><body>" + f"<{tag}>" * depth + inner + f"</{tag}>" * depth + "</body></html>"
    else:
        count = 2000 if LARGE and rng.random() < 0.05 else rng.choice([30, 150])
        page = "<html><body><article>" + "".join(f"<{tag}>{_sentence(rng)}</{tag}>"
                                                  for _ in range(count)) + "</article></body></html>"
    return page.encode("utf-8"), rng.choice([".html", ".htm", ".HTML"])


def _plain(rng):
    return _article(rng).encode("utf-8"), ".txt"


KINDS = [_random_bytes, _garbled, _json_edges, _feed, _quote_flood, _deep_html, _plain]


def _odd_name(rng: random.Random, i: int) -> bytes:
    stem = rng.choice([b"bad\xff", b"\xfe\xfe", b"caf\xc3\xa9", b" space ", b"-dash", b"[glob]*?", b"new\nline",
                       "Варга".encode(), b"x" * 180, b"tab\tname", b"\xed\xa0\x80surrogate"])
    return b"%05d-" % i + stem


def write_inputs(folder: Path, n: int, seed: int = 15) -> dict[bytes, str]:
    """Write n inputs under `folder`; returns {file path (bytes): kind name}."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[bytes, str] = {}
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        data, suffix = kind(rng)
        name = _odd_name(rng, i) if rng.random() < 0.2 else b"%05d-input" % i
        path = os.path.join(os.fsencode(folder), name + suffix.encode())
        with open(path, "wb") as fh:
            fh.write(data)
        written[path] = kind.__name__.lstrip("_")
    return written
