"""The command line: `app` and one module per command group (articles, statements, time, web)."""

from storyline.cli.app import app, main

__all__ = ["app", "main"]
