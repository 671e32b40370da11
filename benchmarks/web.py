"""Web benchmark: latency of filtered statement searches over a 100,000-statement ledger.

Builds a synthetic ledger (fictional speakers and outlets) straight into the schema with
executemany (the FTS5 index fills through its triggers), then times requests with varied
filters and full-text terms through the app (FastAPI TestClient in process, or with
--live a real uvicorn server on 127.0.0.1 over HTTP):

- the JSON API (/api/v1/statements, with facets on half of them),
- the statements page (/statements: count, facets, one page of rows, HTML),
- the article page a statement links to.

Prints p50 / p95 / max per kind; the target is p95 < 200 ms.

    .venv/bin/python benchmarks/web.py --statements 100000 --requests 200 [--live]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from storyline.ledger.store import Store, now  # noqa: E402

FIRST = ["Ilse", "Tomas", "Mara", "Jonas", "Petra", "Anton", "Lena", "Viktor", "Sofia", "Emil", "Nadia", "Oskar",
         "Greta", "Pavel", "Irena", "Lukas", "Dana", "Milan", "Vera", "Karel"]
LAST = ["Varga", "Reiner", "Holm", "Kessler", "Dorn", "Novak", "Lind", "Falk", "Brandt", "Sorel", "Moravec",
        "Quist", "Halden", "Strand", "Vogel"]
OUTLETS = [f"{a} {b}" for a in ("Harbour", "Carrow", "Northline", "Daily", "Ostmark", "Velorian", "Evening")
           for b in ("Times", "Courier", "Lantern", "Post", "Wire")][:30]
WORDS = ("border talks ceasefire harbour formula prisoners exchange ferry sanctions summit delegation minister "
         "agreement deadline envoy treaty grain corridor customs tariffs pipeline election parliament coalition "
         "budget reform strike protest court ruling inquiry report drones patrol fishing quota bridge railway "
         "reservoir drought flood aid convoy hostages mediator observers referendum").split()
# News text is Zipfian: a few words are everywhere, most are rare. 3,000 pseudo-words
# (fictional place and family names, jargon) make the long tail.
_SYL = ["ka", "ro", "vel", "ost", "mar", "lin", "dor", "sa", "ne", "tu", "bri", "gan", "fel", "qui", "zan"]
RARE = sorted({a + b + c for a in _SYL for b in _SYL for c in _SYL})[:3000]
KINDS = ["direct", "indirect", "mixed"]
EVENT_TYPES = ["CONSULT", "AGREE", "REQUEST", "ACCUSE", "THREATEN", "SANCTION", "MOVE", "SUPPORT"]


def build(db: Path, n_statements: int, per_article: int = 20, seed: int = 7) -> dict:
    rng = random.Random(seed)
    speakers = [f"{first} {last}" for first in FIRST for last in LAST]  # 300 people
    n_articles = n_statements // per_article
    start_day = date(2025, 1, 1)
    store = Store(db)
    conn = store.conn
    stamp = now()
    with store.transaction():
        conn.executemany(
            "INSERT INTO actors(id, name, type, created_at) VALUES (?, ?, 'person', ?)",
            [(i + 1, name, stamp) for i, name in enumerate(speakers)])
        conn.executemany(
            "INSERT INTO actor_aliases(norm, alias, actor_id) VALUES (?, ?, ?)",
            [(name.split()[1].lower() + f" {i}", name.split()[1] + f" {i}", i + 1) for i, name in enumerate(speakers)]
            + [(name.lower(), name, i + 1) for i, name in enumerate(speakers)])
        articles, statements, events = [], [], []
        for a in range(n_articles):
            aid = f"{a:016x}"
            day = start_day + timedelta(days=rng.randrange(700))
            outlet = rng.choice(OUTLETS)
            sentences, pos, rows = [], 0, []
            for _ in range(per_article):
                words = " ".join(rng.choice(WORDS) if rng.random() < 0.7 else rng.choice(RARE)
                                 for _ in range(rng.randint(6, 18)))
                who = rng.randrange(len(speakers))
                sentence = f"{speakers[who]} said that the {words}.\n\n"
                q_start = pos + len(speakers[who]) + len(" said that ")
                q_end = q_start + len("the " + words)
                sd = (day - timedelta(days=rng.randrange(3))).isoformat() if rng.random() > 0.05 else None
                rows.append((f"{aid}:{q_start}-{q_end}", aid, q_start, q_end, "the " + words, rng.choice(KINDS),
                             speakers[who], "person", who + 1, int(rng.random() < 0.15), sd,
                             "explicit" if sd else "none", "bench.v1"))
                sentences.append(sentence)
                pos += len(sentence)
            text = "".join(sentences)
            articles.append((aid, f"bench-{a}.txt", f"/bench/{a}.txt", outlet, f"Report {a} on the {rng.choice(WORDS)}",
                             day.isoformat() + "T09:00:00", text, len(text), stamp))
            statements.extend(rows)
            for e in range(2):
                r = rows[e]
                events.append((f"{aid}:{r[2]}-{r[3]}:{EVENT_TYPES[(a + e) % 8]}", aid, r[2], r[3], r[4],
                               EVENT_TYPES[(a + e) % 8], json.dumps([r[6]]), r[10], "bench.v1",
                               f"c{(a * 2 + e) // 3}"))
        conn.executemany(
            "INSERT INTO articles(id, doc, source, outlet, title, published, text, length, ingested_at) "
            "VALUES (?,?,?,?,?,?,?,?,?)", articles)
        conn.executemany(
            'INSERT INTO statements(id, article_id, start, "end", text, kind, speaker, speaker_type, actor_id, hedged, '
            "date, date_basis, extractor) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", statements)
        conn.executemany(
            'INSERT INTO events(id, article_id, start, "end", text, event_type, actors, date, extractor, cluster_id) '
            "VALUES (?,?,?,?,?,?,?,?,?,?)", events)
    store.close()  # no ANALYZE: ingest never runs it, so the planner works without statistics
    return {"articles": n_articles, "statements": len(statements), "events": len(events), "speakers": speakers}


def requests_for(n: int, speakers: list[str], seed: int = 11) -> list[tuple[str, str, dict]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        params: dict = {}
        choice = i % 8
        if choice == 0:
            params["q"] = " ".join(rng.sample(WORDS, rng.choice((1, 1, 2))))  # common words: ~20% of statements
        if choice == 4:
            params["q"] = rng.choice(RARE) + rng.choice(("", "", " " + rng.choice(WORDS)))
        if choice in (1, 5):
            params["speaker"] = rng.choice(speakers)
        if choice in (2, 6):
            params["outlet"] = rng.choice(OUTLETS)
        if choice in (3, 7):
            y = rng.choice(("2025", "2026"))
            m = rng.randint(1, 12)
            params["since"], params["until"] = f"{y}-{m:02d}-01", f"{y}-{m:02d}-28"
        if rng.random() < 0.3:
            params["kind"] = rng.choice(KINDS)
        if rng.random() < 0.2:
            params["hedged"] = rng.choice(("0", "1"))
        if rng.random() < 0.25 and "q" not in params:
            params["q"] = rng.choice(WORDS + RARE)[:4] + "*"
        if rng.random() < 0.2:
            params["page" if i % 2 else "offset"] = rng.randint(1, 5) * (1 if i % 2 else 50)
        q = params.get("q", "")
        search = ("no search" if not q else "prefix search" if q.endswith("*")
                  else "common-word search" if choice == 0 else "rare-word search")
        if i % 2 == 0:
            params.setdefault("limit", 50)
            if rng.random() < 0.5:
                params["facets"] = "true"
            out.append(("api", "/api/v1/statements", params, search))
        else:
            out.append(("page", "/statements", params, search))
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def _client(app, live: bool):
    """(client with .get(url, params=...), stop function)."""
    if not live:
        from fastapi.testclient import TestClient

        return TestClient(app), lambda: None
    import socket
    import threading

    import httpx
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)

    def stop() -> None:
        client.close()
        server.should_exit = True
        thread.join(timeout=10)

    return client, stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--db", type=Path, help="keep the ledger here (default: a temp dir, removed)")
    parser.add_argument("--live", action="store_true",
                        help="time a real uvicorn server on 127.0.0.1 over HTTP instead of the in-process client")
    args = parser.parse_args()

    from storyline.web import create_app

    with tempfile.TemporaryDirectory(prefix="storyline-web-bench-") as tmp:
        db = args.db or Path(tmp) / "web.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        started = time.perf_counter()
        info = build(db, args.statements)
        print(f"ledger: {info['articles']:,} articles, {info['statements']:,} statements, {info['events']:,} events "
              f"built in {time.perf_counter() - started:.1f}s")
        client, stop = _client(create_app(db), args.live)
        print("client:", "live uvicorn server over HTTP (127.0.0.1)" if args.live else "in-process TestClient")
        client.get("/statements")  # warm up templates and caches
        timings: dict[str, list[float]] = {"api": [], "page": [], "article": []}
        slowest: list[tuple[float, str, dict]] = []
        rng = random.Random(3)
        by_search: dict[str, list[float]] = {}
        for kind, url, params, search in requests_for(args.requests, info["speakers"]):
            t = time.perf_counter()
            r = client.get(url, params=params)
            ms = (time.perf_counter() - t) * 1000
            assert r.status_code == 200, (url, params, r.status_code, r.text[:300])
            timings[kind].append(ms)
            by_search.setdefault(search, []).append(ms)
            slowest.append((ms, url, params))
        for _ in range(max(20, args.requests // 10)):
            aid = f"{rng.randrange(info['articles']):016x}"
            t = time.perf_counter()
            r = client.get(f"/articles/{aid}", params={"highlight": "s-30-60"})
            timings["article"].append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200
        print(f"{'requests':<28}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
        labels = {"api": "API /api/v1/statements", "page": "page /statements", "article": "page /articles/{id}"}
        for kind, values in timings.items():
            print(f"{labels[kind]:<28}{len(values):>5}{statistics.median(values):>10.1f}{percentile(values, 95):>10.1f}"
                  f"{max(values):>10.1f}")
        everything = timings["api"] + timings["page"]
        print(f"{'all searches':<28}{len(everything):>5}{statistics.median(everything):>10.1f}"
              f"{percentile(everything, 95):>10.1f}{max(everything):>10.1f}")
        for search, values in sorted(by_search.items()):
            print(f"{'  ' + search:<28}{len(values):>5}{statistics.median(values):>10.1f}"
                  f"{percentile(values, 95):>10.1f}{max(values):>10.1f}")
        print("slowest:")
        for ms, url, params in sorted(slowest, key=lambda x: -x[0])[:5]:
            print(f"  {ms:7.1f} ms  {url} {params}")
        ok = percentile(everything, 95) < 200
        print("target p95 < 200 ms over all searches:", "met" if ok else "NOT met")
        stop()


if __name__ == "__main__":
    main()
