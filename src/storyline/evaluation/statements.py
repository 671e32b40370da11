"""The official statement evaluation (shared/annotation/GUIDE.md, "How the scorer matches").

`score(gold, pred, aliases)` is a pure function over two lists of records. Within one
`doc`, a predicted statement matches a gold statement when the token-level F1 of their
`text` fields (lower-cased, punctuation dropped) is at least 0.5; all candidate pairs are
sorted by that F1 (best first) and assigned greedily, so each gold statement matches at
most one prediction and vice versa. Among matched pairs it reports speaker accuracy
(canonical name or a listed alias), kind, `via` (as sorted lists of names, case-blind,
aliases mapped to their canonical name), date (exact string) and speaker type accuracy.

`evaluate(gold_path, corpus_dir, options)` ingests the corpus into a temporary ledger
and reads the statements back from it, so what is scored is what users get.
"""

from __future__ import annotations

import json
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.evaluation.counts import MatchCounts
from storyline.errors import E, StorylineError
from storyline.settings import Options

THRESHOLD = 0.5
FIELDS = ("speaker", "speaker_type", "kind", "via", "date")


# --- text and names ---------------------------------------------------------------------

def tokens(text: str | None) -> list[str]:
    """Lower-cased words with punctuation dropped (Unicode category P*)."""
    if not text:
        return []
    kept = "".join(ch for ch in text.lower() if not unicodedata.category(ch).startswith("P"))
    return kept.split()


def token_f1(a: str | None, b: str | None) -> float:
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    common = sum((Counter(ta) & Counter(tb)).values())
    if not common:
        return 0.0
    precision, recall = common / len(tb), common / len(ta)
    return 2 * precision * recall / (precision + recall)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


class Aliases:
    """Canonical names and their aliases (actors.jsonl: {"name": ..., "aliases": [...]})."""

    def __init__(self, groups: list[tuple[str, list[str]]] | None = None):
        self.canonical: dict[str, str] = {}
        for name, aliases in groups or []:
            for alias in [name, *aliases]:
                self.canonical.setdefault(_key(alias), _key(name))

    @classmethod
    def load(cls, path: str | Path | None) -> Aliases:
        if not path:
            return cls()
        groups = []
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise StorylineError(E.UNREADABLE, source=str(path), detail=str(exc)) from exc
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                groups.append((record["name"], list(record.get("aliases") or [])))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise StorylineError(E.BAD_JSON, source=f"{path}#L{n}", detail=str(exc)) from exc
        return cls(groups)

    def canon(self, name: str | None) -> str | None:
        if name is None:
            return None
        key = _key(name)
        return self.canonical.get(key, key)

    def same(self, a: str | None, b: str | None) -> bool:
        return self.canon(a) == self.canon(b)


# --- scoring ----------------------------------------------------------------------------

@dataclass
class Counts(MatchCounts):
    correct: dict[str, int] = field(default_factory=lambda: {f: 0 for f in FIELDS})

    # who-said-what: found (text F1 >= 0.5) *and* the speaker right (GUIDE, "Figures that matter")
    @property
    def wsw_precision(self) -> float:
        return self.correct["speaker"] / self.pred if self.pred else 0.0

    @property
    def wsw_recall(self) -> float:
        return self.correct["speaker"] / self.gold if self.gold else 0.0

    @property
    def wsw_f1(self) -> float:
        p, r = self.wsw_precision, self.wsw_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.pred += other.pred
        self.matched += other.matched
        for f in FIELDS:
            self.correct[f] += other.correct[f]

    def figures(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {
            "gold": self.gold, "predicted": self.pred, "matched": self.matched,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
        }
        for f in FIELDS:
            out[f"{f}_accuracy"] = round(self.accuracy(f), 4)
        out["who_said_what_precision"] = round(self.wsw_precision, 4)
        out["who_said_what_recall"] = round(self.wsw_recall, 4)
        out["who_said_what_f1"] = round(self.wsw_f1, 4)
        return out


@dataclass
class Report:
    overall: Counts
    per_doc: dict[str, Counts]
    misses: list[dict]  # gold records no prediction matched
    false_positives: list[dict]  # predictions that matched no gold record
    wrong: dict[str, list[dict]]  # field -> [{"gold": ..., "pred": ..., "f1": ...}]
    pairs: list[tuple[dict, dict, float]] = field(default_factory=list)  # every matched (gold, pred, f1)

    def to_dict(self, show_errors: int | None = None) -> dict[str, Any]:
        cut = (lambda xs: xs[:show_errors]) if show_errors is not None else (lambda xs: xs)
        return {
            "overall": self.overall.figures(),
            "per_doc": {doc: c.figures() for doc, c in sorted(self.per_doc.items())},
            "misses": cut(self.misses),
            "false_positives": cut(self.false_positives),
            "wrong": {f: cut(v) for f, v in self.wrong.items()},
        }


def _via(values, aliases: Aliases) -> list[str]:
    return sorted(aliases.canon(v) or "" for v in (values or []))


def _field_ok(name: str, g: dict, p: dict, aliases: Aliases) -> bool:
    if name == "speaker":
        return aliases.same(g.get("speaker"), p.get("speaker"))
    if name == "via":
        return _via(g.get("via"), aliases) == _via(p.get("via"), aliases)
    if name == "speaker_type":
        return (g.get("speaker_type") or "unknown") == (p.get("speaker_type") or "unknown")
    return g.get(name) == p.get(name)


def match_doc(gold: list[dict], pred: list[dict]) -> list[tuple[int, int, float]]:
    """Greedy one-to-one matching: every pair with F1 >= 0.5, best overlap first."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            f1 = token_f1(g.get("text"), p.get("text"))
            if f1 >= THRESHOLD:
                pairs.append((-f1, gi, pi))
    pairs.sort()
    used_g, used_p, out = set(), set(), []
    for neg, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi, -neg))
    return out


def score(gold: list[dict], pred: list[dict], aliases: Aliases | None = None) -> Report:
    """Score predicted statement records against gold records (both carry `doc`)."""
    aliases = aliases or Aliases()
    docs = sorted({r["doc"] for r in gold} | {r["doc"] for r in pred})
    overall, per_doc = Counts(), {}
    misses, fps, wrong, pairs = [], [], {f: [] for f in FIELDS}, []
    gold_by_doc: dict[str, list[dict]] = {}
    pred_by_doc: dict[str, list[dict]] = {}
    for r in gold:
        gold_by_doc.setdefault(r["doc"], []).append(r)
    for r in pred:
        pred_by_doc.setdefault(r["doc"], []).append(r)
    for doc in docs:
        g_doc = gold_by_doc.get(doc, [])
        p_doc = pred_by_doc.get(doc, [])
        counts = Counts(gold=len(g_doc), pred=len(p_doc))
        matches = match_doc(g_doc, p_doc)
        counts.matched = len(matches)
        for gi, pi, f1 in matches:
            pairs.append((g_doc[gi], p_doc[pi], f1))
            for name in FIELDS:
                if _field_ok(name, g_doc[gi], p_doc[pi], aliases):
                    counts.correct[name] += 1
                else:
                    wrong[name].append({"gold": g_doc[gi], "pred": p_doc[pi], "f1": round(f1, 3)})
        matched_g = {gi for gi, _, _ in matches}
        matched_p = {pi for _, pi, _ in matches}
        misses += [g for i, g in enumerate(g_doc) if i not in matched_g]
        fps += [p for i, p in enumerate(p_doc) if i not in matched_p]
        per_doc[doc] = counts
        overall.add(counts)
    return Report(overall, per_doc, misses, fps, wrong, pairs)


# --- the runner -------------------------------------------------------------------------

def load_gold(path: str | Path) -> list[dict]:
    path = Path(path)
    if not path.exists():
        raise StorylineError(E.NOT_FOUND, source=str(path))
    records = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise StorylineError(E.BAD_JSON, source=f"{path}#L{n}", detail=str(exc)) from exc
        if not isinstance(record, dict) or "doc" not in record or "text" not in record:
            raise StorylineError(E.BAD_JSON, source=f"{path}#L{n}", detail="each record needs 'doc' and 'text'")
        records.append(record)
    return records


def default_actors_file(corpus_dir: str | Path) -> Path | None:
    """actors.jsonl in ../../annotation relative to the corpus folder, when present."""
    candidate = Path(corpus_dir).resolve().parent.parent / "annotation" / "actors.jsonl"
    return candidate if candidate.exists() else None


def ingest_into(db: Path, files: list[Path], options: Options) -> None:
    """Ingest `files` into the ledger `db` exactly as `storyline ingest` does."""
    from storyline.ingest import ingest

    ingest([str(f) for f in files], options.with_(db=str(db)))


def predicted_records(db: Path) -> list[dict]:
    """The statements stored in a ledger, each with `doc` = the input file's name."""
    from storyline.ledger.queries import find_statements
    from storyline.ledger.store import connect

    conn = connect(db, readonly=True)
    try:
        names: dict[str, set[str]] = {}
        for row in conn.execute("SELECT article_id, source, doc FROM article_sources"):
            names.setdefault(row["article_id"], set()).update({row["doc"], Path(row["source"]).name})
        for row in conn.execute("SELECT id, doc, source FROM articles"):
            names.setdefault(row["id"], set()).update({row["doc"], Path(row["source"]).name})
        records = []
        for row in find_statements(conn):
            for doc in sorted(names.get(row["article_id"], {row["doc"]})):
                records.append({**row, "doc": doc})
        return records
    finally:
        conn.close()


def evaluate(gold_path: str | Path, corpus_dir: str | Path, options: Options | None = None,
             actors: str | Path | None = None) -> Report:
    """Ingest the gold's documents from `corpus_dir` into a temporary ledger and score them."""
    options = options or Options()
    gold = load_gold(gold_path)
    corpus = Path(corpus_dir)
    if not corpus.is_dir():
        raise StorylineError(E.NOT_FOUND, source=str(corpus))
    wanted = sorted({r["doc"] for r in gold})
    files = [corpus / doc for doc in wanted]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        raise StorylineError(E.NOT_FOUND, source=", ".join(missing))
    aliases = Aliases.load(actors or default_actors_file(corpus))
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
        db = Path(tmp) / "eval.db"
        ingest_into(db, files, options)
        pred = [r for r in predicted_records(db) if r["doc"] in set(wanted)]
    return score(gold, pred, aliases)


# --- printing ---------------------------------------------------------------------------

def format_report(report: Report, show_errors: int = 20, per_doc: bool = True, speakers: bool = True) -> str:
    """The report as text; `speakers=False` for gold whose speakers are surface mentions
    (PolNeAR-style): no who-said-what line and no list of wrong speaker names."""
    lines = []
    header = f"{'':34} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6} {'spkr':>6} {'type':>6} {'kind':>6} {'via':>6} {'date':>6}"
    lines.append(header)

    def row(name: str, c: Counts) -> str:
        return (f"{name[:34]:34} {c.gold:5} {c.pred:5} {c.matched:5} {c.precision:6.3f} {c.recall:6.3f} "
                f"{c.f1:6.3f} {c.accuracy('speaker'):6.3f} {c.accuracy('speaker_type'):6.3f} "
                f"{c.accuracy('kind'):6.3f} {c.accuracy('via'):6.3f} {c.accuracy('date'):6.3f}")

    for doc, c in sorted(report.per_doc.items()) if per_doc else []:
        lines.append(row(doc[-34:], c))
    lines.append(row("OVERALL", report.overall))
    c = report.overall
    if speakers:
        lines.append(f"who-said-what: P {c.wsw_precision:.3f} R {c.wsw_recall:.3f} F1 {c.wsw_f1:.3f}")
    if show_errors:
        lines.append(f"\nMisses ({len(report.misses)}):")
        for g in report.misses[:show_errors]:
            lines.append(f"  {g['doc']}  [{g.get('speaker')}] {g['text'][:110]!r}")
        lines.append(f"\nFalse positives ({len(report.false_positives)}):")
        for p in report.false_positives[:show_errors]:
            lines.append(f"  {p['doc']}  [{p.get('speaker')}] {p['text'][:110]!r}")
        lines.append(f"\nWrong speakers ({len(report.wrong['speaker'])}):" if speakers else "")
        for w in report.wrong["speaker"][:show_errors] if speakers else []:
            mention = (w["pred"].get("speaker_mention") or {}).get("text")
            lines.append(f"  {w['gold']['doc']}  gold={w['gold'].get('speaker')!r} pred={w['pred'].get('speaker')!r} "
                         f"mention={mention!r}  {w['gold']['text'][:70]!r}")
    return "\n".join(lines)
