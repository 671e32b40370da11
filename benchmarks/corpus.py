"""Generate a large synthetic corpus from the fictional examples/ corpus, for benchmarks.

Each generated article takes an outlet header, a headline and 6–12 body paragraphs
sampled from the pool of every example paragraph, shuffles them, and substitutes the
names, places, numbers and dates, so ids differ and most articles are not
near-duplicates of each other. A few are deliberate syndicated copies (another header
and footer, one sentence changed) and exact copies under another file name, as in a
real crawl.

    .venv/bin/python benchmarks/corpus.py --n 10000 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from storyline.readers import InputFailure, iter_inputs  # noqa: E402
from storyline.settings import Options  # noqa: E402

# Invented names only (the example corpus is fictional; so is everything generated).
FIRST = ["Ilse", "Anton", "Mira", "Teodor", "Lena", "Oskar", "Hanne", "Piet", "Runa", "Sander", "Elin", "Jorik",
         "Dana", "Tomas", "Nadia", "Bertil", "Jonas", "Viktor", "Greta", "Lucia", "Ines", "Ruth", "Arvid", "Idris",
         "Saga", "Edvin", "Maren", "Kasimir", "Liv", "Aurel", "Brita", "Cosmin", "Dagny", "Emil", "Frida"]
LAST = ["Varga", "Kesh", "Solberg", "Brask", "Quist", "Vell", "Dorr", "Alvar", "Keld", "Moy", "Tarr", "Faal",
        "Korvel", "Rell", "Feld", "Hask", "Meer", "Sall", "Ilves", "Marenko", "Harrow", "Ambele", "Tolle",
        "Holm", "Lindqvar", "Ostberg", "Pallin", "Renko", "Saari", "Torvik", "Ulmar", "Vesk", "Wennholm"]
PLACES = ["Port Alder", "Sarn", "Hallen", "Eskby", "Tarn Hollow", "Velmark", "Quayside", "Brisk Harbour",
          "Lowmere", "Castra", "Northgate", "Sundby", "Ravenholt", "Kellmouth", "Amberley Sound", "Ostvik"]
OUTLETS = ["Veloria Wire", "The Harbour Times", "Northline", "Carrow Valley Courier", "The Daily Lantern",
           "ORB News", "Sundby Evening Post", "Kellmouth Gazette", "Northern Seas Review", "Ostvik Today"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

_NAME = re.compile(r"\b(?:" + "|".join(FIRST + LAST) + r")\b")
_PLACE = re.compile(r"\b(?:" + "|".join(map(re.escape, PLACES)) + r")\b")
_NUMBER = re.compile(r"\b\d{1,4}\b")
_MONTH = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\b")
_DAY = re.compile(r"\b(?:" + "|".join(DAYS) + r")\b")


@dataclass
class Pool:
    paragraphs: list[str]
    headlines: list[str]


def load_pool(examples: Path = REPO / "examples") -> Pool:
    """Every English body paragraph (12+ words) and headline of the example corpus."""
    paragraphs, headlines = [], []
    for item in iter_inputs([str(examples)], Options()):
        if isinstance(item, InputFailure):
            continue
        if item.title:
            headlines.append(item.title)
        for line in item.text.split("\n"):
            words = line.split()
            if len(words) >= 12 and not re.search(r"\b(?:der|die|und|das)\b", line):  # skip the German one
                paragraphs.append(" ".join(words))
            elif 5 <= len(words) < 12 and line[:1].isupper() and not line.rstrip().endswith((".", ":")):
                headlines.append(line.strip())
    if not paragraphs:
        raise SystemExit(f"no example paragraphs found in {examples}")
    return Pool(paragraphs, headlines or ["Talks continue"])


def _vary(text: str, rng: random.Random) -> str:
    """Substitute names, places, numbers, months and weekdays (one mapping per article)."""
    names: dict[str, str] = {}
    places: dict[str, str] = {}
    text = _NAME.sub(lambda m: names.setdefault(m.group(0), rng.choice(FIRST + LAST)), text)
    text = _PLACE.sub(lambda m: places.setdefault(m.group(0), rng.choice(PLACES)), text)
    text = _NUMBER.sub(lambda m: str(rng.randint(2, 60) if len(m.group(0)) <= 2 else rng.randint(1990, 2030)), text)
    text = _MONTH.sub(lambda m: rng.choice(MONTHS), text)
    return _DAY.sub(lambda m: rng.choice(DAYS), text)


def _header(outlet: str, rng: random.Random) -> str:
    nav = "  ".join(rng.sample(["News", "World", "Politics", "Business", "Sport", "Opinion", "Culture", "Local"], 5))
    return f"{outlet}\n{nav}  |  Subscribe  Sign in\n"


def _footer(outlet: str, rng: random.Random) -> str:
    return f"Tags: {' '.join(rng.sample(PLACES, 3))}\nShare:  Email  Copy link\n© {outlet}\n"


def generate(n: int, pool: Pool, seed: int = 7, near_dup_rate: float = 0.05, exact_dup_rate: float = 0.01,
             window_days: int | None = None):
    """Yield (name, record) for n articles; record has text, title, outlet, published.
    `window_days`: every article is published within that many days from 2026-03-02
    (one story, the hard case for cross-article steps); by default any day of 2026."""
    import datetime

    rng = random.Random(seed)
    start = datetime.date(2026, 3, 2)
    recent: list[dict] = []  # a few earlier articles, to syndicate (bounded, not the corpus)
    for i in range(n):
        roll = rng.random()
        if recent and roll < exact_dup_rate:
            yield f"copy-{i:06d}", dict(rng.choice(recent))
            continue
        if recent and roll < exact_dup_rate + near_dup_rate:
            original = rng.choice(recent)
            outlet = rng.choice([o for o in OUTLETS if o != original["outlet"]])
            body = original["body"].split("\n\n")
            k = rng.randrange(len(body))
            body[k] = _vary(body[k], rng)
            record = _record(outlet, original["title"], original["published"], "\n\n".join(body), rng)
        else:
            outlet = rng.choice(OUTLETS)
            paragraphs = [_vary(p, rng) for p in rng.sample(pool.paragraphs, min(len(pool.paragraphs), rng.randint(6, 12)))]
            title = _vary(rng.choice(pool.headlines), rng)
            if window_days:
                published = (start + datetime.timedelta(days=rng.randrange(window_days))).isoformat()
            else:
                published = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            record = _record(outlet, title, published, "\n\n".join(paragraphs), rng)
        recent.append(record)
        if len(recent) > 50:
            recent.pop(0)
        yield f"article-{i:06d}", record


def _record(outlet: str, title: str, published: str, body: str, rng: random.Random) -> dict:
    text = f"{_header(outlet, rng)}\n{title}\n\nPublished {published}\n\n{body}\n\n{_footer(outlet, rng)}"
    return {"text": text, "title": title, "outlet": outlet, "published": published, "body": body}


def write_corpus(out: Path, n: int, fmt: str = "txt", seed: int = 7, window_days: int | None = None) -> tuple[int, int]:
    """Write n articles under `out` (text files in folders of 1,000, or one JSONL). Returns (files, words)."""
    out.mkdir(parents=True, exist_ok=True)
    pool = load_pool()
    words = 0
    if fmt == "jsonl":
        with open(out / "corpus.jsonl", "w", encoding="utf-8") as fh:
            for name, record in generate(n, pool, seed, window_days=window_days):
                words += len(record["text"].split())
                fh.write(json.dumps({k: v for k, v in record.items() if k != "body"} | {"id": name},
                                    ensure_ascii=False) + "\n")
        return 1, words
    for i, (name, record) in enumerate(generate(n, pool, seed, window_days=window_days)):
        folder = out / f"{i // 1000:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"{name}.txt").write_text(record["text"], encoding="utf-8")
        words += len(record["text"].split())
    return n, words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="number of articles (default 10,000)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--format", choices=("txt", "jsonl"), default="txt")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    files, words = write_corpus(args.out, args.n, args.format, args.seed)
    print(f"corpus: {args.n} articles ({words:,} words) in {files} file(s) under {args.out} "
          f"in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
