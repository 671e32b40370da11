"""The event evaluation against hand-annotated event mentions (shared/annotation/EVENTS.md).

`score(gold, pred)` is a pure function over two lists of records, each with `doc` (the
article's url, or its file name), `sentence`, `trigger`, `event_type`, `mode`, `actors`,
`recipients`, `location`, `date`, `negated`, `hypothetical` and `future`.

Matching, within one doc: a predicted report and a gold mention are a candidate pair when
the token F1 of their sentences (lower-cased, punctuation dropped) is at least 0.7. Pairs
are assigned greedily and one-to-one, best sentence overlap first; among equal overlaps a
pair whose triggers overlap wins. Detection counts these matches. Typed matching is the
same with the extra condition that the event types are equal. Over typed matches it
reports actor and recipient accuracy (the same set of names, case-blind, a leading "the"
and a possessive "'s" dropped), location (same, null = null), date (exact string), flags
(negated, hypothetical and future all equal) and mode; and the figures per gold type.

`evaluate(gold_path, corpus_path)` ingests the corpus (an articles.jsonl, or any input
`storyline ingest` reads) into a temporary ledger and reads the events back, so what is
scored is what users get.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.evaluation.counts import MatchCounts
from storyline.errors import E, StorylineError
from storyline.evaluation.statements import token_f1, tokens
from storyline.settings import Options

THRESHOLD = 0.7
FIELDS = ("actors", "recipients", "location", "date", "flags", "mode")
FLAG_NAMES = ("negated", "hypothetical", "future")


def _name_key(name: str) -> str:
    key = " ".join(name.casefold().replace("’", "'").split())
    key = re.sub(r"^the\s+", "", key)
    return re.sub(r"'s$", "", key)


def names_equal(gold: list[str] | None, pred: list[str] | None) -> bool:
    return {_name_key(n) for n in gold or []} == {_name_key(n) for n in pred or []}


def field_ok(name: str, g: dict, p: dict) -> bool:
    if name in ("actors", "recipients"):
        return names_equal(g.get(name), p.get(name))
    if name == "location":
        a, b = g.get("location"), p.get("location")
        return (a is None and b is None) or (a is not None and b is not None and _name_key(a) == _name_key(b))
    if name == "flags":
        return all(bool(g.get(f)) == bool(p.get(f)) for f in FLAG_NAMES)
    return g.get(name) == p.get(name)


@dataclass
class Counts(MatchCounts):
    correct: dict[str, int] = field(default_factory=lambda: {f: 0 for f in FIELDS})

    def figures(self, fields: bool = True) -> dict[str, float | int]:
        out: dict[str, float | int] = {
            "gold": self.gold, "predicted": self.pred, "matched": self.matched,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
        }
        if fields:
            for f in FIELDS:
                out[f"{f}_accuracy"] = round(self.accuracy(f), 4)
        return out


@dataclass
class Report:
    detection: Counts
    typed: Counts
    per_type: dict[str, Counts]
    misses: list[dict]  # gold mentions no prediction matched (detection)
    false_positives: list[dict]  # predictions that matched no gold mention (detection)
    wrong_type: list[dict]  # detection matches with another type
    wrong: dict[str, list[dict]]  # field -> typed matches where it differs
    failed: list[dict] = field(default_factory=list)  # inputs the ingest could not read or analyse

    def to_dict(self, show_errors: int | None = None) -> dict[str, Any]:
        cut = (lambda xs: xs[:show_errors]) if show_errors is not None else (lambda xs: xs)
        return {
            "detection": self.detection.figures(fields=False),
            "typed": self.typed.figures(),
            "per_type": {t: c.figures() for t, c in sorted(self.per_type.items())},
            "misses": cut(self.misses),
            "false_positives": cut(self.false_positives),
            "wrong_type": cut(self.wrong_type),
            "wrong": {f: cut(v) for f, v in self.wrong.items()},
            "failed": self.failed,
        }


def _trigger_overlap(g: dict, p: dict) -> bool:
    return bool(set(tokens(g.get("trigger"))) & set(tokens(p.get("trigger"))))


def match_doc(gold: list[dict], pred: list[dict], typed: bool) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of the gold and predicted mentions of one doc."""
    f1s: dict[tuple[str, str], float] = {}
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if typed and g.get("event_type") != p.get("event_type"):
                continue
            key = (g.get("sentence") or "", p.get("sentence") or "")
            if key not in f1s:
                f1s[key] = token_f1(*key)
            f1 = f1s[key]
            if f1 >= THRESHOLD:
                same_type = g.get("event_type") == p.get("event_type")
                pairs.append((-round(f1, 6), not _trigger_overlap(g, p), not same_type, gi, pi))
    pairs.sort()
    used_g, used_p, out = set(), set(), []
    for *_, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


def _brief(r: dict) -> dict:
    keep = ("doc", "sentence", "trigger", "event_type", "mode", "actors", "recipients", "location", "date", "date_basis",
            *FLAG_NAMES)
    return {k: r.get(k) for k in keep}


def score(gold: list[dict], pred: list[dict]) -> Report:
    """Score predicted event reports against gold mentions (both carry `doc`)."""
    by_doc_g: dict[str, list[dict]] = defaultdict(list)
    by_doc_p: dict[str, list[dict]] = defaultdict(list)
    for r in gold:
        by_doc_g[r["doc"]].append(r)
    for r in pred:
        by_doc_p[r["doc"]].append(r)
    detection, typed = Counts(len(gold), len(pred)), Counts(len(gold), len(pred))
    per_type: dict[str, Counts] = defaultdict(Counts)
    for r in gold:
        per_type[r["event_type"]].gold += 1
    for r in pred:
        per_type[r["event_type"]].pred += 1
    misses, fps, wrong_type = [], [], []
    wrong: dict[str, list[dict]] = {f: [] for f in FIELDS}
    for doc in sorted(set(by_doc_g) | set(by_doc_p)):
        g_doc, p_doc = by_doc_g.get(doc, []), by_doc_p.get(doc, [])
        found = match_doc(g_doc, p_doc, typed=False)
        detection.matched += len(found)
        for gi, pi in found:
            if g_doc[gi]["event_type"] != p_doc[pi]["event_type"]:
                wrong_type.append({"gold": _brief(g_doc[gi]), "pred": _brief(p_doc[pi])})
        matched_g = {gi for gi, _ in found}
        matched_p = {pi for _, pi in found}
        misses += [_brief(g) for i, g in enumerate(g_doc) if i not in matched_g]
        fps += [_brief(p) for i, p in enumerate(p_doc) if i not in matched_p]
        for gi, pi in match_doc(g_doc, p_doc, typed=True):
            g, p = g_doc[gi], p_doc[pi]
            typed.matched += 1
            bucket = per_type[g["event_type"]]
            bucket.matched += 1
            for name in FIELDS:
                if field_ok(name, g, p):
                    typed.correct[name] += 1
                    bucket.correct[name] += 1
                else:
                    wrong[name].append({"gold": _brief(g), "pred": _brief(p)})
    return Report(detection, typed, dict(per_type), misses, fps, wrong_type, wrong)


# --- the runner -------------------------------------------------------------------------

def load_jsonl(path: str | Path, required: tuple[str, ...]) -> list[dict]:
    path = Path(path)
    if not path.exists():
        raise StorylineError(E.NOT_FOUND, source=str(path))
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise StorylineError(E.BAD_JSON, source=f"{path}#L{n}", detail=str(exc)) from exc
        if not isinstance(record, dict) or any(k not in record for k in required):
            raise StorylineError(E.BAD_JSON, source=f"{path}#L{n}", detail=f"each record needs {', '.join(required)}")
        out.append(record)
    return out


def load_gold(path: str | Path) -> list[dict]:
    """Gold event mentions, keyed by `url` when they have one (else by `doc`)."""
    gold = load_jsonl(path, ("sentence", "event_type"))
    for r in gold:
        r["doc"] = r.get("url") or r.get("doc")
    return gold


def predicted_records(db: Path) -> list[dict]:
    """The events stored in a ledger, one record per report, keyed by the article's url
    (else its input file name), with the trigger and the flags beside the sentence."""
    from storyline.ledger.store import connect

    conn = connect(db, readonly=True)
    try:
        rows = conn.execute(
            """SELECT e.*, a.url AS url, a.doc AS article_doc FROM events e JOIN articles a ON a.id = e.article_id
               ORDER BY e.article_id, e.start, e.trigger_start"""
        ).fetchall()
        out = []
        for r in rows:
            out.append({
                "doc": r["url"] or r["article_doc"], "id": r["id"], "sentence": r["text"],
                "trigger": r["trigger_text"], "trigger_start": r["trigger_start"], "trigger_end": r["trigger_end"],
                "event_type": r["event_type"], "mode": r["mode"], "actors": json.loads(r["actors"] or "[]"),
                "recipients": json.loads(r["recipients"] or "[]"), "location": r["location"], "date": r["date"],
                "date_basis": r["date_basis"], "negated": bool(r["negated"]),
                "hypothetical": bool(r["hypothetical"]), "future": bool(r["future"]),
            })
        return out
    finally:
        conn.close()


def evaluate(gold_path: str | Path, corpus_path: str | Path, options: Options | None = None) -> Report:
    """Ingest `corpus_path` into a temporary ledger and score its events against the gold."""
    from storyline.ingest import ingest

    options = options or Options()
    gold = load_gold(gold_path)
    corpus = Path(corpus_path)
    if not corpus.exists():
        raise StorylineError(E.NOT_FOUND, source=str(corpus))
    with tempfile.TemporaryDirectory(prefix="storyline-eval-events-") as tmp:
        db = Path(tmp) / "eval.db"
        run = ingest([str(corpus)], options.with_(db=str(db)))
        pred = predicted_records(db)
    docs = {r["doc"] for r in gold}
    report = score(gold, [p for p in pred if p["doc"] in docs])
    report.failed = [dict(f.__dict__) for f in run.errors]  # scored as missing: say so
    return report


# --- labelled sentences ----------------------------------------------------------------

def score_labelled(path: str, nlp=None, split: str | None = None) -> dict[str, Any]:
    """Event-type precision over hand-labelled sentences (tests/data/events_labelled.jsonl).

    `split`: "dev" (the sentences the lexicon was written against) or "heldout" (written
    after the rules were frozen); None scores both. Each sentence is coded alone; its first (most central) event is compared with the
    label. Precision = correct types / sentences with an event; coverage = sentences
    with an event / all. Mode and flag accuracy are over the sentences with the right type.
    """
    from storyline.nlp import load
    from storyline.stages.events.coding import code_sentence, flags

    nlp = nlp or load(None)
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    if split:
        rows = [r for r in rows if r.get("split", "dev") == split]
    coded = correct = mode_ok = flags_ok = 0
    misses = []
    for row, doc in zip(rows, nlp.pipe(r["text"] for r in rows)):
        sent = next(iter(doc.sents))
        out = code_sentence(doc[sent.start:doc[-1].i + 1] if len(list(doc.sents)) > 1 else sent)
        if not out:
            misses.append({"text": row["text"], "gold": row["event_type"], "pred": None})
            continue
        coded += 1
        trig, mode = out[0]
        if trig.event != row["event_type"]:
            misses.append({"text": row["text"], "gold": row["event_type"], "pred": trig.event, "trigger": trig.token.text})
            continue
        correct += 1
        mode_ok += mode == row.get("mode")
        f = flags(trig.token)
        flags_ok += f == (row["negated"], row["hypothetical"], row["future"])
        if mode != row.get("mode") or f != (row["negated"], row["hypothetical"], row["future"]):
            misses.append({"text": row["text"], "gold": row["event_type"], "pred": trig.event,
                           "gold_mode": row.get("mode"), "pred_mode": mode,
                           "gold_flags": [row["negated"], row["hypothetical"], row["future"]], "pred_flags": list(f)})
    return {
        "sentences": len(rows),
        "coded": coded,
        "type_precision": round(correct / coded, 4) if coded else 0.0,
        "coverage": round(coded / len(rows), 4) if rows else 0.0,
        "mode_accuracy": round(mode_ok / correct, 4) if correct else 0.0,
        "flag_accuracy": round(flags_ok / correct, 4) if correct else 0.0,
        "errors": misses,
    }


# --- printing ---------------------------------------------------------------------------

def _flags(r: dict) -> str:
    on = [f[:3] for f in FLAG_NAMES if r.get(f)]
    return "+".join(on) or "-"


def format_report(report: Report, show_errors: int = 0) -> str:
    d, t = report.detection, report.typed
    lines = [
        f"{d.gold} gold mentions, {d.pred} predicted reports"
        + (f" — {len(report.failed)} input(s) failed to ingest, their mentions count as missed" if report.failed else ""),
        f"detection  P {d.precision:.3f}  R {d.recall:.3f}  F1 {d.f1:.3f}  ({d.matched} matched)",
        f"typed      P {t.precision:.3f}  R {t.recall:.3f}  F1 {t.f1:.3f}  ({t.matched} matched)",
        "over typed matches: " + "  ".join(f"{f} {t.accuracy(f):.3f}" for f in FIELDS),
        "",
        f"{'type':10} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6} "
        + " ".join(f"{f[:5]:>6}" for f in FIELDS),
    ]
    for name, c in sorted(report.per_type.items()):
        lines.append(f"{name:10} {c.gold:5} {c.pred:5} {c.matched:5} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} "
                     + " ".join(f"{c.accuracy(f):6.3f}" for f in FIELDS))
    if show_errors:
        def sent(r: dict) -> str:
            return repr((r.get("sentence") or "")[:110])

        lines.append(f"\nMissed gold mentions ({len(report.misses)}):")
        for g in report.misses[:show_errors]:
            lines.append(f"  {g['event_type']:9} [{g.get('trigger')}] {sent(g)}")
        lines.append(f"\nFalse positives ({len(report.false_positives)}):")
        for p in report.false_positives[:show_errors]:
            lines.append(f"  {p['event_type']:9} [{p.get('trigger')}] {_flags(p)} {sent(p)}")
        lines.append(f"\nWrong type ({len(report.wrong_type)}):")
        for w in report.wrong_type[:show_errors]:
            lines.append(f"  gold {w['gold']['event_type']} [{w['gold'].get('trigger')}] · ours "
                         f"{w['pred']['event_type']} [{w['pred'].get('trigger')}] {sent(w['gold'])}")
        for name in FIELDS:
            if name == "mode":
                continue
            lines.append(f"\nWrong {name} ({len(report.wrong[name])}):")
            for w in report.wrong[name][:show_errors]:
                g, p = w["gold"], w["pred"]
                gv, pv = (_flags(g), _flags(p)) if name == "flags" else (g.get(name), p.get(name))
                lines.append(f"  {g['event_type']} [{g.get('trigger')}] gold={gv!r} ours={pv!r} {sent(g)}")
    return "\n".join(lines)
