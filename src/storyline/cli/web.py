"""`storyline serve`: the web UI and JSON API over a ledger."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Optional

import typer

from storyline.cli.app import DbOption, app, db_default, err_console, handle_errors

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts_for(host: str, extra: list[str]) -> list[str] | None:
    """Host names the server answers to: bound to loopback, only its own names (and
    `extra`) so a DNS-rebinding page cannot reach it; `extra` = ["*"] or a non-loopback
    bind: no check (None)."""
    if "*" in extra or not _is_loopback(host):
        return None
    return sorted({host.strip("[]"), *LOOPBACK_NAMES, *extra})


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None, *,
          allow_private_urls: bool = False, allowed_hosts: list[str] | None = None) -> None:
    """Run the web app with uvicorn until interrupted (the plain function behind the command)."""
    import uvicorn

    from storyline.web import create_app

    application = create_app(db, token=token, allow_private_urls=allow_private_urls,
                             allowed_hosts=allowed_hosts_for(host, allowed_hosts or []))
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
    allow_private_urls: Annotated[bool, typer.Option(
        "--allow-private-urls", help="Let URLs sent to POST /api/v1/ingest reach loopback, private, link-local "
                                     "and multicast addresses (refused by default).")] = False,
    allowed_host: Annotated[Optional[list[str]], typer.Option(
        "--allowed-host", help="Bound to loopback, also answer to this Host name (repeatable; '*' turns the "
                               "Host check off).")] = None,
) -> None:
    """Serve the ledger as web pages and a JSON API (read-only unless --token is given)."""
    serve(db, host=host, port=port, token=token, allow_private_urls=allow_private_urls,
          allowed_hosts=list(allowed_host or []))
