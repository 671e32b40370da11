"""The `parse` stage: run the spaCy model once over every analysed segment.

Segments of a whole batch of articles go through one `nlp.pipe` call, so the model
sees large batches (the throughput target is measured against bare `nlp.pipe`).
"""

from __future__ import annotations

from storyline.model import Article
from storyline.pipeline import Context, stage


# The code recorded in `Article.meta["segments_not_analysed"]` for a segment longer
# than the model accepts (spaCy's nlp.max_length, 1,000,000 characters).
SEGMENT_TOO_LONG = "SEGMENT_TOO_LONG"


@stage("parse", requires=("segments", "language"), assigns=("docs",), analysed_only=True)
def parse(articles: list[Article], ctx: Context) -> None:
    limit = ctx.nlp.max_length
    pairs = []
    for article in articles:
        article.docs = []
        for seg in article.analysed_segments():
            if seg.end - seg.start > limit:  # the model refuses it: store the article, skip the segment, say so
                article.meta.setdefault("segments_not_analysed", []).append(
                    {"start": seg.start, "end": seg.end, "code": SEGMENT_TOO_LONG,
                     "reason": f"segment of {seg.end - seg.start} characters, over the model's limit of {limit}"})
                continue
            pairs.append((article, seg))
    texts = (article.text[seg.start:seg.end] for article, seg in pairs)
    for (article, seg), doc in zip(pairs, ctx.nlp.pipe(texts, batch_size=ctx.options.batch_size)):
        article.docs.append((seg, doc))
