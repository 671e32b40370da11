"""storyline: an evidence-linked ledger of who said what, when, and according to whom."""

__version__ = "0.1.0"
