"""The web UI and JSON API over the ledger (`storyline serve`)."""

from storyline.web.app import create_app

__all__ = ["create_app"]
