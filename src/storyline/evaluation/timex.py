"""Evaluation of time: TIMEX3 extraction against TimeML files, and statement dates.

`evaluate_tml(dir)` reads TempEval-3 style TimeML files (the DCT in `<DCT><TIMEX3 …
functionInDocument="CREATION_TIME">`, the text in `<TEXT>` with gold `<TIMEX3>` tags),
strips the tags keeping the gold offsets, runs `find_timexes` anchored at the DCT, and
reports the TempEval-3 figures: extraction precision/recall/F1, relaxed (any overlap)
and strict (exact span), and value accuracy over the relaxed matches.

`evaluate_dates(corpus_dir)` measures the `dates` stage alone: it places the gold
statements of a corpus (shared/annotation/GUIDE.md format) in their articles, with
their gold speakers, runs the dates stage and compares `date` with the gold `date`.
(`storyline eval statements` measures the same field end to end, after extraction.)
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.errors import E, StorylineError
from storyline.stages.timex import find_timexes


@dataclass
class GoldTimex:
    start: int
    end: int
    text: str
    value: str | None
    type: str | None


@dataclass
class TmlDoc:
    name: str
    text: str
    dct: str | None
    timexes: list[GoldTimex] = field(default_factory=list)


def read_tml(path: str | Path) -> TmlDoc:
    """One TimeML file: plain text of <TEXT> plus its gold TIMEX3 with offsets into it."""
    path = Path(path)
    try:
        root = ET.fromstring(path.read_text(encoding="utf-8"))
    except (ET.ParseError, UnicodeDecodeError) as exc:
        raise StorylineError(E.BAD_OPTION, option="--tml", detail=f"{path.name} is not valid TimeML ({exc})") from None
    dct = None
    for t in root.iter("TIMEX3"):
        if t.get("functionInDocument") == "CREATION_TIME":
            dct = t.get("value")
            break
    body = root.find("TEXT")
    if body is None:
        raise StorylineError(E.BAD_OPTION, option="--tml", detail=f"{path.name} has no <TEXT> element")
    parts: list[str] = []
    gold: list[GoldTimex] = []
    pos = 0

    def walk(node: ET.Element) -> None:
        nonlocal pos
        if node.tag == "TIMEX3" and node is not body:
            start = pos
            inner = "".join(node.itertext())
            parts.append(inner)
            pos += len(inner)
            gold.append(GoldTimex(start, pos, inner, node.get("value"), node.get("type")))
        else:
            if node.text:
                parts.append(node.text)
                pos += len(node.text)
            for child in node:
                walk(child)
                if child.tail:
                    parts.append(child.tail)
                    pos += len(child.tail)

    walk(body)
    return TmlDoc(path.name, "".join(parts), dct, gold)


def _prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> dict[str, float]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score_tml(docs: list[TmlDoc], nlp=None) -> dict[str, Any]:
    """TempEval-3 figures. With `nlp`, each text is parsed first, as in the pipeline
    (the parse decides the tense of weekdays and bare months)."""
    n_gold = n_pred = strict = relaxed_g = relaxed_p = value_ok = value_n = 0
    misses: list[dict] = []
    for doc in docs:
        pred = find_timexes(doc.text, doc.dct, doc=nlp(doc.text) if nlp is not None else None)
        n_gold += len(doc.timexes)
        n_pred += len(pred)
        used: set[int] = set()
        for g in doc.timexes:
            overlapping = [i for i, p in enumerate(pred) if p.start < g.end and g.start < p.end]
            if any(pred[i].start == g.start and pred[i].end == g.end for i in overlapping):
                strict += 1
            if not overlapping:
                misses.append({"doc": doc.name, "gold": g.text, "value": g.value, "pred": None})
                continue
            relaxed_g += 1
            best = min(overlapping, key=lambda i: (i in used, abs(pred[i].start - g.start)))
            used.add(best)
            value_n += 1
            if pred[best].value == g.value:
                value_ok += 1
            else:
                misses.append({"doc": doc.name, "gold": g.text, "value": g.value,
                               "pred": pred[best].text, "pred_value": pred[best].value})
        relaxed_p += sum(1 for p in pred if any(p.start < g.end and g.start < p.end for g in doc.timexes))
        for p in pred:
            if not any(p.start < g.end and g.start < p.end for g in doc.timexes):
                misses.append({"doc": doc.name, "gold": None, "pred": p.text, "pred_value": p.value})
    return {
        "documents": len(docs),
        "gold": n_gold,
        "predicted": n_pred,
        "strict": _prf(strict, n_pred, strict, n_gold),
        "relaxed": _prf(relaxed_p, n_pred, relaxed_g, n_gold),
        "value_accuracy": round(value_ok / value_n, 4) if value_n else 0.0,
        "errors": misses,
    }


def evaluate_tml(directory: str | Path, parse: bool = True) -> dict[str, Any]:
    directory = Path(directory)
    if not directory.is_dir():
        raise StorylineError(E.NOT_FOUND, source=str(directory))
    files = sorted(directory.glob("*.tml"))
    if not files:
        raise StorylineError(E.BAD_OPTION, option="--tml", detail=f"no .tml files in {directory}")
    nlp = None
    if parse:
        from storyline.nlp import load

        nlp = load(None)
    return score_tml([read_tml(f) for f in files], nlp)


# --- statement dates on a gold corpus --------------------------------------------------------

def _locate(text: str, needle: str, after: int) -> tuple[int, int] | None:
    for start_from in (after, 0):
        i = text.find(needle, start_from)
        if i >= 0:
            return i, i + len(needle)
    head, tail = needle[:30], needle[-30:]
    for start_from in (after, 0):
        i = text.find(head, start_from)
        if i >= 0:
            j = text.find(tail, i)
            if j >= 0 and j - i < len(needle) + 400:
                return i, j + len(tail)
    return None


def _cue_span(article, start: int, end: int, lemma: str | None):
    """The cue word nearest the statement, found by its lemma in the parse."""
    from storyline.stages.dates import doc_at
    from storyline.model import Mention

    if not lemma:
        return None
    first = lemma.split()[0]
    base, doc = doc_at(article, start)
    if doc is None:
        return None
    best = None
    for tok in doc:
        pos = base + tok.idx
        if start <= pos < end:
            continue
        if tok.lemma_.lower() == first or tok.lower_ == first:
            dist = min(abs(pos - start), abs(pos - end))
            if dist < 300 and (best is None or dist < best[0]):
                best = (dist, tok)
    if best is None:
        return None
    tok = best[1]
    return Mention(base + tok.idx, base + tok.idx + len(tok), tok.text)


def prepare_article(path: Path, options=None):
    """An Article run through the stages before statements (segment, metadata, parse)."""
    from storyline.model import Article, RawDocument
    from storyline.nlp import load
    from storyline.pipeline import REGISTRY, Context, available_stages
    from storyline.settings import Options

    available_stages()  # the stages register themselves on import
    options = options or Options()
    ctx = Context(options)
    text = path.read_text(encoding="utf-8")
    article = Article.from_raw(RawDocument(source=str(path), doc=path.name, text=text))
    for name in ("segment", "metadata", "language"):
        if name in REGISTRY:
            REGISTRY[name].func([article], ctx)
    segs = article.analysed_segments() or []
    nlp = load(options.model)
    article.docs = list(zip(segs, nlp.pipe(article.text[s.start:s.end] for s in segs)))
    return article


def evaluate_dates(corpus_dir: str | Path, gold_path: str | Path | None = None) -> dict[str, Any]:
    from storyline.stages.dates import date_statements
    from storyline.model import Statement

    corpus_dir = Path(corpus_dir)
    gold_path = Path(gold_path) if gold_path else corpus_dir / "gold" / "statements.jsonl"
    if not gold_path.exists():
        raise StorylineError(E.NOT_FOUND, source=str(gold_path))
    by_doc: dict[str, list[dict]] = {}
    with open(gold_path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                by_doc.setdefault(rec["doc"], []).append(rec)
    total = correct = unplaced = 0
    by_basis: dict[str, list[int]] = {}
    errors = []
    for doc_name, records in sorted(by_doc.items()):
        article = prepare_article(corpus_dir / doc_name)
        placed = []
        after = 0
        for rec in records:
            span = _locate(article.text, rec["text"], after)
            if span is None:
                unplaced += 1
                continue
            after = span[0]
            st = Statement(span[0], span[1], article.text[span[0]:span[1]], rec.get("kind") or "indirect",
                           speaker=rec.get("speaker"))
            st.cue_span = _cue_span(article, span[0], span[1], rec.get("cue"))
            placed.append((rec, st))
        article.statements = [st for _, st in placed]
        date_statements(article)
        for rec, st in placed:
            total += 1
            ok = st.date == rec.get("date")
            correct += ok
            stats = by_basis.setdefault(rec.get("date_basis") or "none", [0, 0])
            stats[0] += ok
            stats[1] += 1
            if not ok:
                errors.append({"doc": doc_name, "text": rec["text"][:80], "gold": rec.get("date"),
                               "gold_basis": rec.get("date_basis"), "pred": st.date, "pred_basis": st.date_basis,
                               "evidence": st.date_evidence.text if st.date_evidence else None})
    return {
        "statements": total,
        "unplaced": unplaced,
        "date_accuracy": round(correct / total, 4) if total else 0.0,
        "by_gold_basis": {k: {"correct": v[0], "total": v[1]} for k, v in sorted(by_basis.items())},
        "errors": errors,
    }
