"""The command line: thin commands over library functions.

Each command parses its arguments, calls a plain function that also works from Python,
and turns a `StorylineError` into `[CODE] message` on stderr and exit code 2. Commands
live in `storyline/cli/*.py` modules by area and register on the apps defined here.
"""

from __future__ import annotations

import functools
import sys
from typing import Annotated, Optional

import typer
from rich.console import Console

from storyline.errors import StorylineError
from storyline import settings
from storyline.settings import default_db

app = typer.Typer(
    name="storyline",
    help="Turn news articles into an evidence-linked ledger: who said what, when, and according to whom.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
export_app = typer.Typer(help="Export the ledger (streamed, no row cap).", no_args_is_help=True)
eval_app = typer.Typer(help="Measure extraction quality against gold files.", no_args_is_help=True)
actors_app = typer.Typer(help="The actor registry: list, show, merge, split, alias.", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(eval_app, name="eval")
app.add_typer(actors_app, name="actors")

console = Console()
err_console = Console(stderr=True)

# The ledger every command opens when --db and $STORYLINE_DB are not given (typer
# reads $STORYLINE_DB itself through the option's envvar).
DEFAULT_DB = settings.DEFAULT_DB

# Shared option types, so every command spells them the same way.
DbOption = Annotated[
    str,
    typer.Option("--db", envvar="STORYLINE_DB", help="Ledger file (SQLite). Default ./storyline.db or $STORYLINE_DB."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ModelOption = Annotated[
    Optional[str], typer.Option("--model", help="spaCy model package or path (default: en_core_web_sm).")
]


def db_default() -> str:
    return default_db()


def handle_errors(func):
    """Turn library errors into a clear message and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except StorylineError as exc:
            err_console.print(f"[bold red][{exc.code}][/] {exc.message}", highlight=False)
            raise typer.Exit(2) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper


def _print_version(value: bool) -> None:
    if value:
        from storyline import __version__

        console.print(f"storyline {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.", is_eager=True,
                                          callback=_print_version)] = False,
) -> None:
    del version  # handled eagerly by _print_version; the app's own help stays its help


def _register_commands() -> None:
    import importlib

    for module in ("articles", "statements", "time", "web", "outlets", "reanalyse", "corrections", "pages"):
        try:
            importlib.import_module(f"storyline.cli.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"storyline.cli.{module}":
                raise


_register_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
