"""The web app: `create_app(db_path, token=None)` builds the FastAPI application.

- Reads and writes go through `web.ledger.Ledger`: a small pool of read-only SQLite
  connections, and with a token the single writer (POST /api/v1/ingest).
- Every error has one JSON shape under /api/ ({"error": {"code", "message", "status"}})
  and an HTML page elsewhere.
- Every response carries a strict Content-Security-Policy (scripts and styles from this
  server only, no inline script) and `X-Content-Type-Options: nosniff`.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline.errors import NotFoundError, SetupError, StorylineError
from storyline.web.ledger import Ledger
from storyline.web.queries import BadFilter

__all__ = ["Ledger", "create_app", "secure"]

HERE = Path(__file__).parent
log = logging.getLogger("storyline.web")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

UPLOAD_OVERHEAD = 1024 * 1024  # multipart headers and form fields around the files

# HTTP status names used as error codes when no storyline code applies.
STATUS_CODES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND",
                405: "METHOD_NOT_ALLOWED", 413: "TOO_LARGE", 422: "INVALID_REQUEST", 500: "INTERNAL_ERROR"}

SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


def secure(response):
    """Add the security headers every response carries."""
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    return response


class SecureHeaders:
    """ASGI middleware adding SECURITY_HEADERS to every response (plain ASGI, so the
    request body reaches the app unwrapped: see web/guard.py)."""

    def __init__(self, app):
        self.app = app
        self.raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_secured(message):
            if message["type"] == "http.response.start":
                names = {k for k, _ in self.raw}
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": headers + self.raw}
            await send(message)

        await self.app(scope, receive, send_secured)


def error_body(code: str, message: str, status: int) -> dict:
    return {"error": {"code": code, "message": message, "status": status}}


def _status_of(exc: StorylineError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, SetupError):
        return 500
    return 400


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def create_app(db_path: str | Path, token: str | None = None, *, allow_private_urls: bool = False,
               allowed_hosts: list[str] | None = None, max_upload_bytes: int | None = None) -> FastAPI:
    """The storyline web app over the ledger at `db_path`.

    Read-only unless `token` is given; then POST /api/v1/ingest accepts requests that
    carry it (`Authorization: Bearer TOKEN` or `X-Storyline-Token: TOKEN`), of at most
    `max_upload_bytes` (default: `Options.max_bytes` plus 1 MiB for the form around it);
    URLs sent to it may not reach loopback, private, link-local or multicast addresses
    unless `allow_private_urls`. With `allowed_hosts`, requests whose Host header names
    another host are refused (DNS rebinding).
    """
    from storyline.settings import Options
    from storyline.web import api, outlets, pages, workbench
    from storyline.web.guard import Guard

    ledger = Ledger(db_path, writable=bool(token))

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        ledger.close()

    app = FastAPI(
        lifespan=lifespan,
        title="storyline",
        version=_version(),
        description="Evidence-linked news ledger: articles, statements, actors, events. "
                    "Every list takes `format=csv|jsonl` to stream everything it matches.",
        docs_url=None, redoc_url=None, openapi_url="/openapi.json",
    )
    app.state.ledger = ledger
    app.state.token = token
    app.state.allow_private_urls = allow_private_urls

    app.add_middleware(SecureHeaders)

    def render_error(request: Request, status: int, code: str, message: str):
        # Headers set here too: a 500 answer bypasses the middleware above.
        if _wants_json(request):
            headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
            return secure(JSONResponse(error_body(code, message, status), status_code=status, headers=headers))
        return secure(pages.error_page(request, status, code, message))

    @app.exception_handler(StorylineError)
    async def storyline_error(request: Request, exc: StorylineError):
        return render_error(request, _status_of(exc), exc.code, exc.message)

    @app.exception_handler(BadFilter)
    async def bad_filter(request: Request, exc: BadFilter):
        return render_error(request, 400, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if isinstance(exc.detail, dict) and "code" in exc.detail:
            return render_error(request, exc.status_code, exc.detail["code"], exc.detail["message"])
        code = STATUS_CODES.get(exc.status_code, f"HTTP_{exc.status_code}")
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"Nothing at {request.url.path}."
        return render_error(request, exc.status_code, code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
            problems.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
        return render_error(request, 422, "INVALID_REQUEST", "Invalid request: " + "; ".join(problems))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return render_error(request, 500, "INTERNAL_ERROR",
                            "The server hit an unexpected error; the details are in its log.")

    # Outermost: Host and ingest checks run before any route, and before any body is read.
    limit = max_upload_bytes if max_upload_bytes is not None else Options().max_bytes + UPLOAD_OVERHEAD
    app.add_middleware(Guard, token=token, max_body=limit, allowed_hosts=allowed_hosts, secure=secure,
                       router=app.router)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(workbench.api_router)  # before api.router: /actors/suggest is not an actor id
    app.include_router(api.router)
    app.include_router(workbench.router)
    outlets.register(app)
    app.include_router(pages.router)
    return app


def _version() -> str:
    from storyline import __version__

    return __version__
