"""The `language` stage: py3langid over the article's analysed text.

Sets `language` and `language_score` (a calibrated probability). Articles in a language
outside `Options.analyse_languages` are stored but not analysed (`analysed = False`,
with a reason). A short or uncertain text is never marked as another language: the
model is not sure enough to keep an article away from analysis.
"""

from __future__ import annotations

from functools import lru_cache

from storyline.model import Article
from storyline.pipeline import stage

# Below these, a detection is too uncertain to exclude an article from analysis.
MIN_WORDS = 12
MIN_SCORE = 0.75
SAMPLE_CHARS = 3000  # enough to decide; keeps long articles fast


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def analysed_text(article: Article) -> str:
    """The prose that analysis reads: segments that are not boilerplate or headings."""
    if not article.segments:
        return article.text
    parts = [article.text[s.start:s.end] for s in article.analysed_segments()]
    return "\n".join(parts) or article.text


def detect(text: str) -> tuple[str, float]:
    lang, score = _identifier().classify(text[:SAMPLE_CHARS])
    return lang, round(float(score), 4)


def set_language(article: Article, languages: tuple[str, ...]) -> None:
    text = analysed_text(article)
    lang, score = detect(text)
    article.language, article.language_score = lang, score
    confident = len(text.split()) >= MIN_WORDS and score >= MIN_SCORE
    if lang not in languages and confident:
        article.analysed = False
        article.not_analysed_reason = f"language {lang} not analysed (only {', '.join(languages)})"
    elif lang not in languages:
        article.meta["language_uncertain"] = True  # kept for analysis; the detection is too weak
    else:
        article.analysed = True
        article.not_analysed_reason = None


@stage("language", requires=("text",), assigns=("language",))
def language_stage(articles: list[Article], ctx) -> None:
    for article in articles:
        set_language(article, tuple(ctx.options.analyse_languages))
