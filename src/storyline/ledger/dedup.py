"""Near-duplicates: MinHash over word 5-shingles, an LSH index for candidates, and
clusters as connected components of near-duplicate pairs.

Syndicated copies of a wire story (another outlet's header and footer, a sentence
rewritten) share most of their 5-word shingles; two different articles about the same
story share few. A pair is a near-duplicate when the estimated Jaccard similarity of
their shingle sets reaches `Options.near_duplicate_threshold`.

A cluster is the connected component of near-duplicate pairs and is named after its
smallest article id, so the clusters do not depend on the order articles arrived in.
`articles.cluster_id` is NULL for an article with no near-duplicate;
`articles.cluster_similarity` is the highest similarity to another member.

Signatures are stored in the `minhashes` table; `NearDuplicates` rebuilds the LSH
index (a TEMP table, so memory stays flat) from them at the start of an ingest and
updates it as articles are added.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash, MinHashLSH

from storyline.model import Article, Segment
from storyline.settings import Options

SHINGLE_WORDS = 5
SEED = 1  # fixed, so signatures are the same on every run and every machine
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are uint32
_DTYPE = np.dtype("<u4")
_WORD = re.compile(r"\w+")


def dedup_text(article: Article) -> str:
    """The text compared: every segment but boilerplate (the whole text before segmentation)."""
    if not article.segments:
        return article.text
    return "\n".join(article.text[s.start:s.end] for s in article.segments if not s.boilerplate)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Lower-cased word n-grams; a text shorter than `size` words is one shingle."""
    words = _WORD.findall(text.lower())
    if not words:
        return set()
    if len(words) < size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str, num_perm: int) -> np.ndarray | None:
    """The MinHash signature of a text (None when it has no words)."""
    grams = shingles(text)
    if not grams:
        return None
    mh = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME)
    mh.update_batch(grams)
    return np.asarray(mh.hashvalues, dtype=_DTYPE)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def band_hashes(sig: np.ndarray, bands: int, rows: int) -> list[int]:
    """One 64-bit hash per LSH band of a signature (signed, to fit an SQLite INTEGER)."""
    raw = sig.tobytes()
    width = rows * _DTYPE.itemsize
    return [
        int.from_bytes(hashlib.blake2b(raw[i * width:(i + 1) * width], digest_size=8).digest(), "little", signed=True)
        for i in range(bands)
    ]


@dataclass
class Link:
    """An article joined a cluster: its near-duplicates and their similarities."""

    article_id: str
    cluster_id: str
    neighbours: dict[str, float] = field(default_factory=dict)

    @property
    def similarity(self) -> float:
        return max(self.neighbours.values())


class NearDuplicates:
    """The LSH index over a ledger's stored signatures; writes through the store's connection.

    The index is a TEMP table of the store's connection (one row per article and LSH
    band), rebuilt from the stored signatures when an ingest starts, so memory stays
    flat however large the ledger grows. The number of bands and rows per band are
    datasketch's optimum for the threshold. Call `add` inside the transaction that
    saved the article: its signature, its index rows, its cluster and the merged
    clusters of its neighbours commit (or roll back) with it.
    """

    def __init__(self, store, options: Options):
        self.store = store
        self.num_perm = options.minhash_permutations
        self.threshold = options.near_duplicate_threshold
        params = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        self.bands, self.rows = params.b, params.r
        self._band_query = "SELECT DISTINCT article_id FROM temp.lsh_bands WHERE " + " OR ".join(
            ["(band=? AND hash=?)"] * self.bands)
        self._rebuild()

    @classmethod
    def for_store(cls, store, options: Options) -> "NearDuplicates":
        """The index of an open store, built once and kept while the store is open (the
        web app ingests uploads through one long-lived writer). `Store.transaction`
        drops it when another connection has written or a transaction rolled back, so
        call this inside the transaction that uses it."""
        key = (options.minhash_permutations, options.near_duplicate_threshold)
        cached = getattr(store, "_near_duplicates", None)
        if cached is None or cached[0] != key:
            cached = (key, cls(store, options))
            store._near_duplicates = cached
        return cached[1]

    def _rebuild(self) -> None:
        if self.store.conn.in_transaction:
            self._fill()
        else:
            with self.store.transaction():
                self._fill()

    def _fill(self) -> None:
        conn = self.store.conn
        stale: list[str] = []
        self.indexed = 0  # signatures in the index
        conn.execute("DROP TABLE IF EXISTS temp.lsh_bands")
        conn.execute("CREATE TEMP TABLE lsh_bands (band INTEGER NOT NULL, hash INTEGER NOT NULL, "
                     "article_id TEXT NOT NULL)")
        chunk: list[tuple[int, int, str]] = []
        for row in conn.execute("SELECT article_id, signature FROM minhashes"):
            sig = np.frombuffer(row["signature"], dtype=_DTYPE)
            if len(sig) != self.num_perm:
                stale.append(row["article_id"])  # made with another --minhash-permutations
                continue
            chunk.extend((i, h, row["article_id"]) for i, h in enumerate(band_hashes(sig, self.bands, self.rows)))
            self.indexed += 1
            if len(chunk) >= 10_000:
                conn.executemany("INSERT INTO temp.lsh_bands VALUES (?, ?, ?)", chunk)
                chunk.clear()
        conn.executemany("INSERT INTO temp.lsh_bands VALUES (?, ?, ?)", chunk)
        conn.execute("CREATE INDEX temp.lsh_bands_key ON lsh_bands(band, hash)")
        for article_id in stale:
            self._resign(article_id)

    def _index(self, article_id: str, sig: np.ndarray) -> None:
        self.indexed += 1
        self.store.conn.executemany(
            "INSERT INTO temp.lsh_bands VALUES (?, ?, ?)",
            [(i, h, article_id) for i, h in enumerate(band_hashes(sig, self.bands, self.rows))],
        )

    def _resign(self, article_id: str) -> None:
        """Recompute a stored signature from the stored text and segments."""
        conn = self.store.conn
        text = conn.execute("SELECT text FROM articles WHERE id=?", (article_id,)).fetchone()["text"]
        article = Article(id=article_id, text=text, source="", doc="")
        article.segments = [
            Segment(r["start"], r["end"], r["kind"], bool(r["boilerplate"]))
            for r in conn.execute(
                'SELECT start, "end", kind, boilerplate FROM segments WHERE article_id=? ORDER BY idx',
                (article_id,),
            )
        ]
        sig = signature(dedup_text(article), self.num_perm)
        if sig is None:
            conn.execute("DELETE FROM minhashes WHERE article_id=?", (article_id,))
            return
        conn.execute("UPDATE minhashes SET signature=? WHERE article_id=?", (sig.tobytes(), article_id))
        self._index(article_id, sig)

    def _stored_signature(self, article_id: str) -> np.ndarray | None:
        row = self.store.conn.execute("SELECT signature FROM minhashes WHERE article_id=?", (article_id,)).fetchone()
        return None if row is None else np.frombuffer(row["signature"], dtype=_DTYPE)

    def candidates(self, sig: np.ndarray) -> set[str]:
        """Stored articles sharing at least one LSH band with the signature."""
        params = [x for i, h in enumerate(band_hashes(sig, self.bands, self.rows)) for x in (i, h)]
        return {row[0] for row in self.store.conn.execute(self._band_query, params)}

    def add(self, article: Article) -> Link | None:
        """Index a just-saved article and link it to its near-duplicates (None when it has none)."""
        sig = signature(dedup_text(article), self.num_perm)
        if sig is None:
            return None
        conn = self.store.conn
        conn.execute(
            "INSERT OR REPLACE INTO minhashes(article_id, signature) VALUES (?, ?)", (article.id, sig.tobytes())
        )
        found = self.candidates(sig)
        neighbours: dict[str, float] = {}
        for candidate in sorted(found - {article.id}):
            other = self._stored_signature(candidate)
            if other is None or len(other) != len(sig):
                continue
            score = similarity(sig, other)
            if score >= self.threshold:
                neighbours[candidate] = score
        if article.id not in found:
            self._index(article.id, sig)
        if not neighbours:
            return None
        return self._merge(article.id, neighbours)

    def _merge(self, article_id: str, neighbours: dict[str, float]) -> Link:
        """Join the article and its neighbours' clusters under the smallest member id."""
        conn = self.store.conn
        marks = ",".join("?" * len(neighbours))
        rows = conn.execute(
            f"SELECT id, cluster_id, cluster_similarity FROM articles WHERE id IN ({marks})", list(neighbours)
        ).fetchall()
        old_clusters = sorted({row["cluster_id"] or row["id"] for row in rows})
        cluster_id = min([*old_clusters, article_id])
        cmarks = ",".join("?" * len(old_clusters))
        conn.execute(
            f"UPDATE articles SET cluster_id=? WHERE cluster_id IN ({cmarks}) OR id IN ({cmarks})",
            [cluster_id, *old_clusters, *old_clusters],
        )
        for row in rows:
            best = max(row["cluster_similarity"] or 0.0, neighbours[row["id"]])
            conn.execute("UPDATE articles SET cluster_id=?, cluster_similarity=? WHERE id=?",
                         (cluster_id, best, row["id"]))
        conn.execute(
            "UPDATE articles SET cluster_id=?, cluster_similarity=? WHERE id=?",
            (cluster_id, max(neighbours.values()), article_id),
        )
        return Link(article_id, cluster_id, neighbours)



def cluster_members(conn, cluster_id: str) -> list:
    """The articles of one cluster, smallest id first."""
    return conn.execute(
        "SELECT id, outlet, doc, title, cluster_similarity FROM articles WHERE cluster_id=? ORDER BY id",
        (cluster_id,),
    ).fetchall()
