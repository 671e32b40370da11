"""`storyline serve`: the web UI and JSON API over a ledger."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from storyline.cli.app import DbOption, app, db_default, err_console, handle_errors


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Run the web app with uvicorn until interrupted (the plain function behind the command)."""
    import uvicorn

    from storyline.web import create_app

    application = create_app(db, token=token)
    mode = "ingest and corrections enabled (token required)" if token else "read-only"
    err_console.print(f"storyline: serving {db} ({mode}) on http://{host}:{port}/", highlight=False)
    uvicorn.run(application, host=host, port=port, log_level="warning", workers=1)


@app.command("serve")
@handle_errors
def serve_command(
    db: DbOption = db_default(),
    host: Annotated[str, typer.Option("--host", help="Address to bind. Default 127.0.0.1 (this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    token: Annotated[
        Optional[str],
        typer.Option("--token", envvar="STORYLINE_TOKEN",
                     help="Enable POST /api/v1/ingest and corrections for requests carrying this token (opens the ledger for writing); NAME:SECRET names the user."),
    ] = None,
) -> None:
    """Serve the ledger as web pages and a JSON API (read-only unless --token is given)."""
    serve(db, host=host, port=port, token=token)
