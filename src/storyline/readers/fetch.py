"""Fetching a URL a user named: httpx, streamed, with a size cap and clear errors.

Only URLs the user asks for are fetched (and, with `follow_feed_links`, the links of
the entries of a feed they asked for). The body is streamed and the download stops at
`Options.max_bytes`.

With `Options.block_private_urls` (the web server's default; `storyline ingest
--block-private-urls` on the CLI) no connection is made to a loopback, private,
link-local, multicast, reserved or unspecified address: the check runs on the
addresses the host name resolves to, at connect time, so it holds for every redirect
hop and a name cannot resolve one way when checked and another when connected (the
connection goes to the address that was checked). Proxies from the environment are
not used then (they would connect on our behalf, unchecked).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import httpcore
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


def address_refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why a connection to `ip` is refused when private URLs are blocked (None: allowed)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if not ip.is_global:
        return "non-public"
    return None


def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address `host` resolves to (an IP literal, in any form `inet_aton` takes, too)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
    out = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if address not in out:
            out.append(address)
    return out


def checked_address(host: str, port: int, source: str | None = None) -> str:
    """The address to connect to for `host`, after checking every address it resolves to.

    Raises FetchError(E.URL_BLOCKED) when any of them is refused by `address_refusal`.
    """
    addresses = resolve(host, port)
    if not addresses:
        raise httpcore.ConnectError(f"{host} resolves to no address")
    for address in addresses:
        why = address_refusal(address)
        if why is not None:
            raise FetchError(E.URL_BLOCKED, source=source or host, host=host, address=str(address), kind=why)
    return str(addresses[0])


class _CheckedBackend(httpcore.SyncBackend):
    """Connects only to addresses `checked_address` allows, and to exactly that address."""

    def __init__(self, source: str):
        self.source = source

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        address = checked_address(host, port, self.source)
        return super().connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                   socket_options=socket_options)


def make_client(options: Options, source: str = "") -> httpx.Client:
    """The HTTP client every fetch uses: redirects followed, our timeout and User-Agent,
    and with `options.block_private_urls` the address check on every connection."""
    kwargs = dict(follow_redirects=True, timeout=options.http_timeout, headers={"User-Agent": USER_AGENT})
    if not options.block_private_urls:
        return httpx.Client(**kwargs)
    transport = httpx.HTTPTransport()
    # httpx has no public hook for the network backend; httpcore's pool takes one.
    transport._pool._network_backend = _CheckedBackend(source)
    return httpx.Client(transport=transport, trust_env=False, **kwargs)


def fetch(url: str, options: Options, client: httpx.Client | None = None) -> Fetched:
    """Download `url`; raises FetchError with E.HTTP_*, E.TOO_LARGE or E.URL_BLOCKED.

    A `client` given is used as it is (the caller answers for its transport); without
    one, `make_client(options)` builds it.
    """
    own = client is None
    client = client or make_client(options, url)
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
