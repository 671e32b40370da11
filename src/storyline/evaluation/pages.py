"""Evaluation of web pages: body text, headline, outlet, authors and dates.

`evaluate_pages(pages_dir, evaldata, metadata)` reads each saved page the way a folder
ingest reads it (no URL given: the page's own canonical link is all it has), runs the
`segment` and `metadata` stages, and scores:

- **body**, as trafilatura scores itself (tests/comparison.py): for each page of the
  `evaldata.json` gold, a `with` snippet found in the body is a true positive, a missing
  one a false negative; a `without` snippet found is a false positive. Precision, recall
  and F1 are summed over all pages. The body is the stored text minus the segments marked
  boilerplate; whitespace runs count as one space on both sides (segments are joined by
  line breaks, snippets may span two paragraphs). A page the reader rejects has an empty body.
- **metadata**, against `gold_metadata.jsonl` on the pages marked `is_article`: headline,
  outlet and the author list are right when equal after case, quote and punctuation
  folding (authors as a set, order ignored; no author is right when gold has none);
  published and updated are right when they fall on the gold day (updated: both absent
  also counts). The published accuracy counts only the pages whose gold shows a date.
- **halves**: the same figures on two halves of the set split by a hash of the file name
  (`half_of`), so a rule that only fits some pages shows as a spread between them.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.errors import E, StorylineError

FIELDS = ("title", "outlet", "authors", "published", "updated")


def fold(value: str | None) -> str:
    """Case, quotes, dashes, accents-as-written and punctuation folded away; spaces collapsed."""
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", value).casefold()
    value = re.sub(r"[\W_]+", " ", value)
    return " ".join(value.split())


def body_of(article) -> str:
    """The analysed text of an article: its stored text minus boilerplate segments."""
    if not article.segments:
        return article.text
    return "\n".join(article.text[s.start:s.end] for s in article.segments if not s.boilerplate)


def score_body(body: str, gold: dict[str, Any]) -> dict[str, Any]:
    text = " ".join(body.split())
    missing = [s for s in gold.get("with") or [] if " ".join(s.split()) not in text]
    leaked = [s for s in gold.get("without") or [] if " ".join(s.split()) in text]
    return {"tp": len(gold.get("with") or []) - len(missing), "fn": len(missing), "fp": len(leaked),
            "missing": missing, "leaked": leaked}


def _same_day(pred: str | None, gold: str | None) -> bool:
    if not gold:
        return not pred
    return bool(pred) and pred[:10] == gold[:10]


def score_metadata(article, gold: dict[str, Any]) -> dict[str, bool]:
    pred_authors = {fold(a) for a in (article.authors if article else [])} - {""}
    return {
        "title": bool(article) and fold(article.title) == fold(gold.get("title")),
        "outlet": bool(article) and fold(article.outlet) == fold(gold.get("outlet")),
        "authors": pred_authors == {fold(a) for a in gold.get("authors") or []},
        "published": _same_day(article.published if article else None, gold.get("published")),
        "updated": _same_day(article.updated if article else None, gold.get("updated")),
    }


@dataclass
class PageResult:
    file: str
    article: Any = None  # the Article, None when the reader rejected the page
    error: str | None = None
    body: dict[str, Any] | None = None
    gold: dict[str, Any] | None = None
    right: dict[str, bool] = field(default_factory=dict)

    def predicted(self) -> dict[str, Any]:
        a = self.article
        if a is None:
            return {k: None for k in FIELDS}
        return {"title": a.title, "outlet": a.outlet, "authors": a.authors, "published": a.published,
                "updated": a.updated}


def read_page(path: Path, options=None):
    """One saved page through the reader, `segment` and `metadata`: (Article | None, error)."""
    from storyline.model import Article
    from storyline.pipeline import Pipeline
    from storyline.readers import InputFailure, iter_inputs
    from storyline.settings import Options

    options = options or Options()
    for item in iter_inputs([str(path)], options):
        if isinstance(item, InputFailure):
            return None, f"{item.error.code}: {item.error.message}"
        article = Article.from_raw(item)
        Pipeline(["segment", "metadata"], options)([article])
        return article, None
    return None, "no document"


def _load(path: str | Path, what: str) -> Path:
    path = Path(path)
    if not path.exists():
        raise StorylineError(E.NOT_FOUND, source=str(path))
    return path


def evaluate_pages(pages: str | Path, evaldata: str | Path, metadata: str | Path | None = None,
                   options=None) -> dict[str, Any]:
    """Body P/R/F1 and metadata accuracy on a folder of saved pages (see the module doc)."""
    pages = _load(pages, "--pages")
    try:
        body_gold = {v["file"]: v for v in json.loads(_load(evaldata, "--evaldata").read_text(encoding="utf-8")).values()}
    except (ValueError, KeyError, AttributeError, TypeError) as exc:
        raise StorylineError(E.BAD_OPTION, option="--evaldata", detail=f"not trafilatura evaldata JSON ({exc})") from None
    meta_gold: dict[str, dict] = {}
    if metadata:
        for number, line in enumerate(_load(metadata, "--metadata").read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    record = json.loads(line)
                    meta_gold[record["file"]] = record
                except (ValueError, KeyError, TypeError) as exc:
                    raise StorylineError(E.BAD_OPTION, option="--metadata", detail=f"line {number}: {exc}") from None
    files = sorted(set(body_gold) | set(meta_gold))
    results = []
    for name in files:
        path = pages / name
        if not path.is_file():
            raise StorylineError(E.NOT_FOUND, source=str(path))
        article, error = read_page(path, options)
        result = PageResult(name, article, error)
        if name in body_gold:
            result.body = score_body(body_of(article) if article else "", body_gold[name])
        gold = meta_gold.get(name)
        if gold and gold.get("is_article", True):
            result.gold = gold
            result.right = score_metadata(article, gold)
        results.append(result)
    return summarise(results)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def half_of(name: str) -> str:
    """"a" or "b": a stable split of a page set by its file names (the parity of the first
    byte of the name's SHA-256), to see how figures spread between two halves."""
    return "ab"[hashlib.sha256(name.encode("utf-8")).digest()[0] % 2]


def figures(results: list[PageResult]) -> dict[str, Any]:
    """Body P/R/F1 and per-field metadata accuracy of some scored pages."""
    scored = [r for r in results if r.body is not None]
    tp, fp, fn = (sum(r.body[k] for r in scored) for k in ("tp", "fp", "fn"))
    report: dict[str, Any] = {"pages": len(results), "body_pages": len(scored), "rejected": sum(r.article is None for r in results),
                              "body": {**_prf(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn}}
    with_meta = [r for r in results if r.gold is not None]
    accuracy: dict[str, Any] = {}
    for name in FIELDS:
        pool = [r for r in with_meta if name != "published" or r.gold.get("published")]
        right = sum(r.right[name] for r in pool)
        accuracy[name] = {"right": right, "total": len(pool), "accuracy": round(right / len(pool), 4) if pool else 0.0}
    report["metadata_pages"] = len(with_meta)
    report["metadata"] = accuracy
    return report


def summarise(results: list[PageResult]) -> dict[str, Any]:
    report = figures(results)
    report["halves"] = {h: figures([r for r in results if half_of(r.file) == h]) for h in "ab"}
    errors = []
    for r in results:
        entry: dict[str, Any] = {"file": r.file}
        if r.error:
            entry["rejected"] = r.error
        if r.body and (r.body["missing"] or r.body["leaked"]):
            entry["body_missing"], entry["body_leaked"] = r.body["missing"], r.body["leaked"]
        predicted = r.predicted()
        wrong = {k: {"gold": r.gold.get(k), "ours": predicted[k]} for k in FIELDS if r.gold and not r.right[k]}
        if wrong:
            entry["wrong"] = wrong
        if len(entry) > 1:
            errors.append(entry)
    report["errors"] = errors
    return report
