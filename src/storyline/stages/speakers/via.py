"""`via` carry-over (GUIDE.md): once named, the channel carries over to the same speaker's
later statements in the same report until another channel is named for that speaker."""

from __future__ import annotations

from storyline.model import Article, Statement
from storyline.stages.speakers.cast import CONTINUING_CUES, segment_index
from storyline.stages.speakers.mentions import (
    name_lexicon,
)


def carry_via(statements: list[Statement], article: Article | None = None, max_gap: int | None = None) -> None:
    """Once named, `via` carries over to the same speaker's other statements in the same
    report (GUIDE.md) until another channel is named for that speaker.

    Live blogs and round-ups hold many reports in one article, so a report is taken to be
    a run of consecutive statements by one speaker: a statement by anyone else ends it.
    Within a run, a channel also covers the statements before it that name none
    ("“…,” Kesh said. … Kesh told the Herald"). `max_gap` (paragraphs) optionally ends a
    run at a long stretch without the speaker.
    """
    def segment(s: Statement) -> int:
        return segment_index(article, s.start) if article is not None else 0

    live = article is not None and any(seg.kind == "item" for seg in article.segments)

    def new_item(s: Statement, last: Statement) -> bool:
        """In a live blog, a paragraph that names its speaker afresh starts another report."""
        if not live or segment(s) == segment(last):
            return False
        seg = article.segments[segment(s)]
        opening = article.text[seg.start:seg.end].lstrip()[:1]
        mention = (s.speaker_mention.text.strip().lower() if s.speaker_mention else "")
        continuing = not mention or mention in name_lexicon()["pronouns"] or opening in "\"“‘'«" or \
            (s.cue or "").lower() in CONTINUING_CUES
        return not continuing

    if article is not None and not live and max_gap is None:
        carry_per_speaker(statements, segment)
        return
    runs: list[list[Statement]] = []
    for s in statements:
        named = s.speaker and s.speaker != "anonymous"
        if runs and named and runs[-1][-1].speaker == s.speaker and not new_item(s, runs[-1][-1]) and \
                (max_gap is None or segment(s) - segment(runs[-1][-1]) <= max_gap):
            runs[-1].append(s)
        else:
            runs.append([s])
    for run in runs:
        if not run[0].speaker or run[0].speaker == "anonymous":
            continue
        explicit = [bool(s.via) for s in run]
        carried: list[str] | None = None
        for s in run:
            if s.via:
                carried = list(s.via)
            elif s.channel:
                carried = None
            elif carried:
                s.via = list(carried)
        for i, s in enumerate(run):
            if not explicit[i]:
                continue
            for j in range(i - 1, -1, -1):
                t = run[j]
                if explicit[j] or t.channel:
                    break
                if not t.via:
                    t.via = list(s.via)


def carry_per_speaker(statements: list[Statement], segment) -> None:
    """One report per article: each speaker's channel carries forward through the article,
    and back to that speaker's earlier statements of the same paragraph."""
    explicit = [bool(s.via) for s in statements]
    carried: dict[str, list[str]] = {}
    for s in statements:
        if not s.speaker or s.speaker == "anonymous":
            continue
        if s.via:
            carried[s.speaker] = list(s.via)
        elif s.channel:
            carried.pop(s.speaker, None)
        elif s.speaker in carried:
            s.via = list(carried[s.speaker])
    for i, s in enumerate(statements):
        if not explicit[i] or not s.speaker:
            continue
        for t in statements[:i][::-1]:
            if segment(t) != segment(s):
                break
            if t.speaker != s.speaker:
                continue
            if t.channel or explicit[statements.index(t)]:
                break
            if not t.via:
                t.via = list(s.via)
