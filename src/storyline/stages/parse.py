"""The `parse` stage: run the spaCy model once over every analysed segment.

Segments of a whole batch of articles go through one `nlp.pipe` call, so the model
sees large batches (the throughput target is measured against bare `nlp.pipe`).
"""

from __future__ import annotations

from storyline.model import Article
from storyline.pipeline import Context, stage


@stage("parse", requires=("segments", "language"), assigns=("docs",), analysed_only=True)
def parse(articles: list[Article], ctx: Context) -> None:
    pairs = [(article, seg) for article in articles for seg in article.analysed_segments()]
    texts = (article.text[seg.start:seg.end] for article, seg in pairs)
    for article in articles:
        article.docs = []
    for (article, seg), doc in zip(pairs, ctx.nlp.pipe(texts, batch_size=ctx.options.batch_size)):
        article.docs.append((seg, doc))
