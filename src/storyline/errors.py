"""Messages in one place, with stable codes, each saying how to fix the problem.

Raise `StorylineError(E.CODE, **details)`; the CLI prints `[CODE] message` and the API
returns the same code in its JSON error body. A failed input is stored as a row in the
`errors` table with its code and message, never just logged.
"""

from __future__ import annotations

from enum import Enum


class E(str, Enum):
    # Inputs
    EMPTY = "Input is empty ({source}). Nothing to ingest; check the file or URL."
    BINARY = "Input looks binary, not text ({source}: {detail}). Give a text, HTML, feed or JSON file."
    DECODE = "Could not decode {source} as text ({detail}). Convert it to UTF-8, or check it is a text file."
    TOO_LARGE = ("Input {source} is {size} bytes, over the limit of {limit} bytes. "
                 "Raise it with --max-bytes if you really mean to ingest it.")
    NO_BODY = "No article text found in {source} ({detail}). Is it an article page, not an index or login page?"
    BAD_JSON = "Malformed JSON in {source}: {detail}. Fix that record; the others were read."
    JSON_NO_TEXT = ("JSON record {source} has no text field (tried {fields}). "
                    "Map your field with --json-field yourname=text.")
    NOT_ARTICLES = ("{source} was skipped: its records look like annotations, not articles ({detail}). "
                    "If they are articles, ingest the file by name, or map its fields with --json-field.")
    BAD_FEED = "Could not parse feed {source}: {detail}."
    UNREADABLE = "Cannot read {source}: {detail}. Check that it exists and you have permission."
    UNSUPPORTED = "Unsupported input type {source} ({detail}). Supported: .txt .html .htm .xml .rss .atom .json .jsonl, URLs, directories, '-' for stdin."
    NOT_FOUND = "No such file or directory: {source}."
    SHORT_BODY = ("Stored, but its body has only {chars} characters (under min_body_chars={minimum}). "
                  "Check that it is an article and that its text was found; a warning, not a failure.")
    ANALYSIS_FAILED = ("Analysing {source} failed ({detail}). The other articles were stored; "
                       "re-run to retry it, and report the error if it persists.")
    # Network
    HTTP_STATUS = "Fetching {source} failed with HTTP {status}. Check the URL."
    HTTP_TIMEOUT = "Fetching {source} timed out after {timeout}s. Try again later or raise --timeout."
    HTTP_UNREACHABLE = "Could not connect to {source} ({detail}). Check the address and your network."
    HTTP_CONTENT_TYPE = "{source} returned content type {ctype}, which is not an article, feed or JSON."
    URL_BLOCKED = ("Refused to fetch {source}: {host} resolves to {address}, a {kind} address, and private "
                   "addresses are blocked here (`storyline serve --allow-private-urls` allows them).")
    # Store and setup
    NO_FTS5 = "This Python's SQLite build has no FTS5 full-text search ({detail}). Install a Python whose sqlite3 includes FTS5."
    SCHEMA_NEWER = "The database {db} has schema version {found}, newer than this storyline ({known}). Upgrade storyline."
    NO_DB = "No ledger at {db}. Create one with `storyline ingest SOURCES --db {db}`."
    DB_BUSY = ("The ledger {db} is busy ({detail}): another storyline process is writing to it. "
               "Wait for it to finish, or ingest into another --db.")
    DB_UNUSABLE = "Cannot open or write the ledger {db} ({detail}). Check the path, its folder and your permissions."
    MODEL_MISSING = "spaCy model {model} is not installed. Install it (pip install {model}) or name another with --model."
    PIPELINE_ORDER = "Stage {stage} needs {missing}, which no earlier stage assigns. Reorder the pipeline."
    LEXICON_VERSION = ("The data file storyline/data/{name} carries no version ({detail}). Every data file "
                       "has one; restore the file from your storyline installation.")
    NOT_FOUND_ID = "No {what} with id {id}. List them with `storyline {what}s`."
    BAD_OPTION = "Invalid value for {option}: {detail}."

    @property
    def code(self) -> str:
        return self.name


class StorylineError(Exception):
    """An error with a stable code and a message that says how to fix it."""

    def __init__(self, error: E, **details):
        self.error = error
        self.code = error.code
        self.details = details
        try:
            message = error.value.format(**details)
        except (KeyError, IndexError):
            message = error.value
        super().__init__(message)

    @property
    def message(self) -> str:
        return str(self)


class InputError(StorylineError):
    """One input failed; the batch goes on and the failure is stored as a row."""


class FetchError(InputError):
    """A URL or feed could not be fetched."""


class SetupError(StorylineError):
    """The environment or database cannot be used (no FTS5, newer schema, missing model)."""


class NotFoundError(StorylineError):
    """An id asked for does not exist."""
