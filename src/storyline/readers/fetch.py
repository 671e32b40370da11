"""Fetching a URL a user named: httpx, streamed, with a size cap and clear errors.

Only URLs the user asks for are fetched (and, with `follow_feed_links`, the links of
the entries of a feed they asked for). The body is streamed and the download stops at
`Options.max_bytes`.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from storyline import __version__
from storyline.errors import E, FetchError
from storyline.settings import Options

USER_AGENT = f"storyline/{__version__} (+https://github.com/storyline)"


@dataclass
class Fetched:
    url: str  # the final URL after redirects
    content_type: str  # "text/html", lower-case, without parameters
    charset: str | None
    body: bytes


def fetch(url: str, options: Options, client: httpx.Client | None = None) -> Fetched:
    """Download `url`; raises FetchError with E.HTTP_* or E.TOO_LARGE."""
    own = client is None
    client = client or httpx.Client(follow_redirects=True, timeout=options.http_timeout,
                                     headers={"User-Agent": USER_AGENT})
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(E.HTTP_STATUS, source=url, status=response.status_code)
            full_type = response.headers.get("content-type", "")
            ctype = full_type.split(";", 1)[0].strip().lower()
            if ctype and ctype not in options.http_content_types:
                raise FetchError(E.HTTP_CONTENT_TYPE, source=url, ctype=ctype)
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > options.max_bytes:
                raise FetchError(E.TOO_LARGE, source=url, size=int(declared), limit=options.max_bytes)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > options.max_bytes:
                    raise FetchError(E.TOO_LARGE, source=url, size=f"more than {options.max_bytes}",
                                     limit=options.max_bytes)
                chunks.append(chunk)
            charset = response.charset_encoding
            return Fetched(str(response.url), ctype, charset, b"".join(chunks))
    except httpx.TimeoutException:
        raise FetchError(E.HTTP_TIMEOUT, source=url, timeout=options.http_timeout) from None
    except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.UnsupportedProtocol,
            httpx.InvalidURL, httpx.TooManyRedirects) as exc:
        raise FetchError(E.HTTP_UNREACHABLE, source=url, detail=str(exc) or type(exc).__name__) from None
    except httpx.HTTPError as exc:
        raise FetchError(E.HTTP_UNREACHABLE, source=url, detail=str(exc) or type(exc).__name__) from None
    finally:
        if own:
            client.close()
