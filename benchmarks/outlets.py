"""Outlet-profile, left-out, issue and network-export timings on a synthetic ledger.

Builds the web benchmark's ledger (benchmarks/web.py: fictional speakers and outlets,
100,000 statements by default), gives its statements cues (a tenth of them loaded verbs),
`via` on one in twenty, and statement clusters of three reports in different outlets on
one statement in ten; then times, in process:

- `profiles.profile` for several outlets (every figure, left-out included),
- `coverage.left_out` for the whole ledger,
- `issues.add_issue` (search + position suggestions stored) and `issues.issue_positions`,
- `network.edges` + GraphML congruence for one issue.

    .venv/bin/python benchmarks/outlets.py --statements 100000
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from web import OUTLETS, build

from storyline.ledger import coverage, issues, network, profiles
from storyline.ledger.store import Store

CUES = ["say"] * 12 + ["tell"] * 3 + ["add", "according to", "claim", "insist", "admit", "warn", "welcome", "reject"]


def decorate(db: Path, seed: int = 5) -> int:
    """Cues, via and statement clusters on the built ledger. Returns the clustered count."""
    rng = random.Random(seed)
    with Store(db) as store, store.transaction() as conn:
        rows = conn.execute("SELECT s.id, s.start, a.outlet FROM statements s JOIN articles a ON a.id = s.article_id "
                            "ORDER BY s.rowid").fetchall()
        updates = []
        for r in rows:
            cue = rng.choice(CUES)
            via = '["Veloria Wire"]' if rng.random() < 0.05 else "[]"
            # the cue word is "said" just before the content ("X said that the …")
            updates.append((cue, r["start"] - 10, r["start"] - 6, via, r["id"]))
        conn.executemany("UPDATE statements SET cue = ?, cue_start = ?, cue_end = ?, via = ? WHERE id = ?", updates)
        clustered = 0
        by_outlet: dict[str, list[str]] = {}
        for r in rows:
            by_outlet.setdefault(r["outlet"], []).append(r["id"])
        outlets = sorted(by_outlet)
        for _ in range(len(rows) // 30):
            picks = rng.sample(outlets, 3)
            ids = [rng.choice(by_outlet[o]) for o in picks]
            conn.executemany("UPDATE statements SET cluster_id = ? WHERE id = ?", [(ids[0], i) for i in ids])
            clustered += 3
    return clustered


def timed(label: str, func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    print(f"{label:58s} {1000 * (time.perf_counter() - start):9.0f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        info = build(db, args.statements)
        clustered = decorate(db)
        print(f"ledger: {info['statements']} statements, {info['articles']} articles, {clustered} clustered "
              f"({time.perf_counter() - t0:.0f} s to build)")
        with Store(db) as store:
            conn = store.conn
            for outlet in OUTLETS[:3]:
                p = timed(f"profile {outlet!r} (all time)", profiles.profile, conn, outlet)
            print(f"  last profile: {p['statements']} statements, {len(p['left_out'])} left out")
            timed(f"profile {OUTLETS[0]!r}, one month", profiles.profile, conn, OUTLETS[0], "2025-03-01", "2025-03-31")
            rows = timed("left_out, whole ledger", coverage.left_out, conn)
            print(f"  {len(rows)} findings")
            timed("issues add ceasefire (search + suggestions stored)", issues.add_issue, store, "ceasefire",
                  "ceasefire OR truce")
            items = timed("issue_positions ceasefire", issues.issue_positions, conn, "ceasefire")
            print(f"  {len(items)} statements on the issue")
            edges = timed("network.edges ceasefire", network.edges, conn, ["ceasefire"])
            timed("GraphML congruence", network.write_graphml, io.StringIO(), edges, "congruence")


if __name__ == "__main__":
    main()
