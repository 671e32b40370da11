"""Checks made before a request reaches the app: the Host header, and for ingests the
token, the read-only mode and the body's size, all before one byte of the body is read.

`Guard` is plain ASGI middleware (it has to stand between the server and the body):

- `allowed_hosts` (a list of names, or None for no check): a request whose `Host` is
  not one of them is refused (400 BAD_HOST), so a DNS-rebinding page cannot read a
  server bound to 127.0.0.1 through a name it controls.
- a write to the API (a route under /api/ taking a method other than GET, HEAD and
  OPTIONS, such as POST /api/v1/ingest): refused with 403 READ_ONLY, 401 or 403 from its
  headers alone, before its body is read (a method no route takes stays a 405);
- any request with a body: 413 TOO_LARGE when Content-Length says more than `max_body`
  bytes; a body without a length is counted as it streams in and cut off with 413 at
  `max_body`.
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.routing import Match

INGEST_PATH = "/api/v1/ingest"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # reads: never have their body checked or read


def token_problem(expected: str | None, headers) -> tuple[int, str, str] | None:
    """(status, code, message) when a write request may not go on; None when it may."""
    if not expected:
        return (403, "READ_ONLY", "This server is read-only. Start it with `storyline serve --token TOKEN` "
                                  "to accept ingests.")
    given = headers.get("x-storyline-token")
    auth = headers.get("authorization", "")
    if given is None and auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    if not given:
        return (401, "UNAUTHORIZED", "This endpoint needs the server's token: send "
                                     "`Authorization: Bearer TOKEN` or `X-Storyline-Token: TOKEN`.")
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        return (403, "FORBIDDEN", "The token sent does not match the server's token.")
    return None


def too_large(limit: int) -> tuple[int, str, str]:
    return (413, "TOO_LARGE", f"The request body is over the server's limit of {limit} bytes; "
                              "send fewer or smaller files per request.")


def host_name(host_header: str) -> str:
    """The name in a Host header, without its port ("[::1]:8000" → "::1")."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    def __init__(self, app, *, token: str | None, max_body: int, allowed_hosts: list[str] | None = None,
                 secure=None, router=None):
        self.app = app
        self.router = router  # the app's router: which API routes take writes
        self.token = token
        self.max_body = max_body
        self.allowed = None if allowed_hosts is None else {host_name(h) for h in allowed_hosts}
        self.secure = secure or (lambda response: response)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        if self.allowed is not None and host_name(headers.get("host", "")) not in self.allowed:
            return await self._refuse(scope, receive, send, (
                400, "BAD_HOST", "This server answers only to its own host names "
                                 "(`storyline serve --allowed-host NAME` adds one)."))
        if scope["method"] not in SAFE_METHODS:
            problem = token_problem(self.token, headers) if self._is_api_write(scope) else None
            length = headers.get("content-length")
            if problem is None and length is not None and (not length.isdigit() or int(length) > self.max_body):
                problem = too_large(self.max_body)
            if problem is not None:
                return await self._refuse(scope, receive, send, problem)
            receive = self._capped(receive)
        await self.app(scope, receive, send)

    def _is_api_write(self, scope) -> bool:
        if not scope["path"].startswith("/api/") or self.router is None:
            return False
        return any(route.matches(scope)[0] == Match.FULL for route in self.router.routes)

    def _capped(self, receive):
        seen = 0
        limit = self.max_body

        async def capped():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    status, code, text = too_large(limit)
                    raise HTTPException(status_code=status, detail={"code": code, "message": text})
            return message

        return capped

    async def _refuse(self, scope, receive, send, problem: tuple[int, str, str]) -> None:
        status, code, message = problem
        body = {"error": {"code": code, "message": message, "status": status}}
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        # Connection: close — the body we did not read must not be taken for the next request.
        response = self.secure(JSONResponse(body, status_code=status, headers=headers))
        response.headers["Connection"] = "close"
        await response(scope, receive, send)
