"""Gold sets of every shape, scored in one call (shared/annotation/GUIDE.md).

Three shapes of gold set are recognised from a folder:

- `files`: `gold/statements.jsonl` beside the articles (`../shared/corpus/anchorage`);
  gold `doc` is the article's file name.
- `jsonl`: `articles.jsonl` and `gold.jsonl` (`../shared/corpus/news`); the articles are
  ingested as JSON Lines and gold statements are matched to articles by `url`.
- `polnear`: `text/*.txt` and `gold.jsonl` whose records carry `source_spans`
  (`../shared/corpus/polnear_dev`). Besides precision, recall and F1 it reports speech-verb
  recall (recall over gold attributions whose cue is a speech verb or a colon) and mention
  accuracy (share of matched statements whose predicted `speaker_mention` overlaps a gold
  source span). Speakers there are surface mentions, so speaker accuracy and who-said-what
  are not reported for it.

Every set also gets per-confidence-band figures: how many statements fall in the band,
how often they matched a gold statement, how often the matched ones had the right speaker
(the right mention on PolNeAR-style gold) and how often both were right.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from storyline import lexicon
from storyline.errors import E, StorylineError
from storyline.evaluation.statements import (
    Aliases,
    Report,
    default_actors_file,
    ingest_into,
    load_gold,
    predicted_records,
    score,
)
from storyline.settings import Options

# Confidence bands, low edge inclusive, high edge exclusive (the last one includes 1.0).
BANDS: tuple[tuple[float, float], ...] = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.0))


@dataclass
class GoldSet:
    name: str
    shape: str  # files | jsonl | polnear
    gold: Path
    corpus: Path  # the folder of the articles, or the articles.jsonl file
    actors: Path | None = None


def detect(folder: str | Path, name: str | None = None) -> GoldSet:
    """The gold set in `folder`, its shape recognised from the files it holds."""
    root = Path(folder)
    if not root.is_dir():
        raise StorylineError(E.NOT_FOUND, source=str(root))
    label = name or root.resolve().name
    actors = default_actors_file(root)
    if (root / "gold" / "statements.jsonl").exists():
        return GoldSet(label, "files", root / "gold" / "statements.jsonl", root, actors)
    if (root / "articles.jsonl").exists() and (root / "gold.jsonl").exists():
        return GoldSet(label, "jsonl", root / "gold.jsonl", root / "articles.jsonl", actors)
    if (root / "text").is_dir() and (root / "gold.jsonl").exists():
        return GoldSet(label, "polnear", root / "gold.jsonl", root / "text", actors)
    raise StorylineError(E.NOT_FOUND, source=str(root),
                         detail="no gold/statements.jsonl, articles.jsonl + gold.jsonl, or text/ + gold.jsonl")


# --- speech cues (the GUIDE's definition of speech-verb recall) --------------------------

@lru_cache(maxsize=1)
def _speech_forms() -> frozenset[str]:
    data = lexicon.load_yaml("cues.yaml")
    lemmas = data["evaluation_speech_verbs"].split()
    forms: set[str] = set(data.get("evaluation_speech_irregular", "").split())
    for lemma in lemmas:
        forms.add(lemma)
        stem_e = lemma[:-1] if lemma.endswith("e") else lemma
        forms.update({lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing", stem_e + "ing"})
        if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
            forms.update({lemma[:-1] + "ies", lemma[:-1] + "ied"})
        if re.search(r"[^aeiou][aeiou][bdgmnprt]$", lemma):  # ad-mit → admitted
            forms.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})
    return frozenset(forms)


def is_speech_cue(cue: str | None) -> bool:
    """A gold cue as written ("has said", "according to", "said:", ":") is a speech verb or a colon."""
    if not cue:
        return False
    text = cue.strip().lower()
    if ":" in text or text.startswith("according"):
        return True
    return any(word in _speech_forms() for word in re.findall(r"[a-z]+", text))


# --- running one set ---------------------------------------------------------------------

def _overlaps(mention: dict | None, spans: list) -> bool:
    if not mention or mention.get("start") is None:
        return False
    return any(mention["start"] < int(e) and int(s) < mention["end"] for s, e in spans or [])


@dataclass
class SetResult:
    goldset: GoldSet
    report: Report
    extra: dict[str, Any] = field(default_factory=dict)  # speech recall, mention accuracy
    bands: list[dict[str, Any]] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.report.overall.figures())
        if self.goldset.shape == "polnear":
            for key in ("speaker_accuracy", "speaker_type_accuracy", "via_accuracy", "date_accuracy",
                        "who_said_what_precision", "who_said_what_recall", "who_said_what_f1"):
                out.pop(key, None)
        out.update(self.extra)
        return out

    def to_dict(self, show_errors: int | None = None) -> dict[str, Any]:
        body = self.report.to_dict(show_errors)
        body["overall"] = self.figures()
        body["shape"] = self.goldset.shape
        body["confidence_bands"] = self.bands
        return body


def _speaker_right(goldset: GoldSet, g: dict, p: dict, aliases: Aliases) -> bool:
    if goldset.shape == "polnear":
        return _overlaps(p.get("speaker_mention"), g.get("source_spans") or [])
    return aliases.same(g.get("speaker"), p.get("speaker"))


def confidence_bands(goldset: GoldSet, report: Report, pred: list[dict], aliases: Aliases) -> list[dict]:
    """Per band: predicted statements, share matched, share of matched with the right speaker, both."""
    matched = {id(p): _speaker_right(goldset, g, p, aliases) for g, p, _ in report.pairs}
    rows = []
    for low, high in BANDS:
        last = high >= 1.0
        inside = [p for p in pred if p.get("confidence") is not None
                  and low <= p["confidence"] and (p["confidence"] < high or (last and p["confidence"] <= high))]
        n = len(inside)
        m = [p for p in inside if id(p) in matched]
        right = sum(1 for p in m if matched[id(p)])
        rows.append({
            "band": f"{low:.1f}-{high:.1f}", "statements": n, "matched": len(m), "speaker_right": right,
            "statement_precision": round(len(m) / n, 4) if n else None,
            "speaker_accuracy": round(right / len(m), 4) if m else None,
            "both_right": round(right / n, 4) if n else None,
        })
    return rows


def _jsonl_urls(path: Path) -> dict[int, str]:
    urls = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                urls[n] = json.loads(line).get("url")
            except json.JSONDecodeError:
                continue
    return urls


def run(goldset: GoldSet, options: Options | None = None, actors: str | Path | None = None) -> SetResult:
    """Ingest the set's articles into a temporary ledger and score what is read back."""
    options = options or Options()
    gold = load_gold(goldset.gold)
    aliases = Aliases.load(actors or goldset.actors)
    with tempfile.TemporaryDirectory(prefix="storyline-eval-") as tmp:
        db = Path(tmp) / "eval.db"
        if goldset.shape == "jsonl":
            for record in gold:
                if not record.get("url"):
                    raise StorylineError(E.BAD_JSON, source=str(goldset.gold), detail="news gold records need 'url'")
            ingest_into(db, [goldset.corpus], options)
            urls = set(_jsonl_urls(goldset.corpus).values())
            gold = [{**r, "doc": r["url"]} for r in gold]
            pred = [r for r in predicted_records(db) if r["doc"] in urls]
        else:
            wanted = sorted({r["doc"] for r in gold})
            files = [goldset.corpus / doc for doc in wanted]
            missing = [str(f) for f in files if not f.exists()]
            if missing:
                raise StorylineError(E.NOT_FOUND, source=", ".join(missing))
            ingest_into(db, files, options)
            pred = [r for r in predicted_records(db) if r["doc"] in set(wanted)]
    report = score(gold, pred, aliases)
    result = SetResult(goldset, report)
    if goldset.shape == "polnear":
        speech = [g for g in gold if is_speech_cue(g.get("cue"))]
        matched_gold = {id(g) for g, _, _ in report.pairs}
        found = sum(1 for g in speech if id(g) in matched_gold)
        right = sum(1 for g, p, _ in report.pairs if _overlaps(p.get("speaker_mention"), g.get("source_spans")))
        result.extra = {
            "speech_gold": len(speech), "speech_matched": found,
            "speech_recall": round(found / len(speech), 4) if speech else 0.0,
            "mention_accuracy": round(right / len(report.pairs), 4) if report.pairs else 0.0,
        }
    result.bands = confidence_bands(goldset, report, pred, aliases)
    return result


# --- printing ----------------------------------------------------------------------------

def _f(value: Any) -> str:
    return "     -" if value is None else f"{value:6.3f}"


def format_summary(results: list[SetResult]) -> str:
    """One line per set: the headline figures side by side."""
    lines = [f"{'set':18} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'spkr':>6} {'wswF1':>6} "
             f"{'speechR':>7} {'mention':>7}"]
    for r in results:
        f = r.figures()
        lines.append(f"{r.goldset.name[:18]:18} {f['gold']:5} {f['predicted']:5} {_f(f['precision'])} "
                     f"{_f(f['recall'])} {_f(f['f1'])} {_f(f.get('speaker_accuracy'))} "
                     f"{_f(f.get('who_said_what_f1'))} {_f(f.get('speech_recall')):>7} "
                     f"{_f(f.get('mention_accuracy')):>7}")
    return "\n".join(lines)


def format_bands(result: SetResult) -> str:
    what = "mention" if result.goldset.shape == "polnear" else "speaker"
    lines = [f"confidence  {'n':>5} {'stmt ok':>8} {what + ' ok':>10} {'both ok':>8}"]
    for b in result.bands:
        lines.append(f"{b['band']:10}  {b['statements']:5} {_f(b['statement_precision']):>8} "
                     f"{_f(b['speaker_accuracy']):>10} {_f(b['both_right']):>8}")
    return "\n".join(lines)
