"""The ledger: the SQLite store and what is built on it (registry, clusters, queries, exports).

Importing the package loads the actor registry, whose save hook links each saved
statement to its actor, so every `Store` saves articles the same way whoever opened it.
"""

from storyline.ledger import actors as _actors  # noqa: F401
