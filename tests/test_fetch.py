"""URL inputs against a local http.server on 127.0.0.1: never the internet."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storyline.model import RawDocument
from storyline.readers import InputFailure, iter_inputs
from storyline.settings import Options

PARAGRAPH = ("Ostmark Foreign Minister Ilse Varga said the ceasefire in the Carrow Saltmarsh was holding "
             "and that Council monitors had reported no incidents overnight.")
PAGE = ("<html><head><title>Varga: ceasefire holds</title>"
        "<meta property='og:site_name' content='Northline'>"
        "<meta property='article:published_time' content='2026-03-07T09:00:00+00:00'></head>"
        "<body><article><h1>Varga: ceasefire holds</h1>"
        + "".join(f"<p>{PARAGRAPH} ({i})</p>" for i in range(4)) + "</article></body></html>")


def feed(base: str) -> str:
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Northline</title>"
            f"<item><title>Varga: ceasefire holds</title><link>{base}/page</link>"
            f"<description>Short teaser.</description></item>"
            f"<item><title>Gone</title><link>{base}/missing</link><description>Teaser.</description></item>"
            f"</channel></rss>")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def send(self, status: int, ctype: str, body: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path == "/page":
            self.send(200, "text/html; charset=utf-8", PAGE.encode())
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/page")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/plain":
            self.send(200, "text/plain; charset=utf-8", (PARAGRAPH + "\n").encode())
        elif self.path == "/feed-as-html":
            self.send(200, "text/html", feed(base).encode())
        elif self.path == "/feed":
            self.send(200, "application/rss+xml", feed(base).encode())
        elif self.path == "/image":
            self.send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        elif self.path == "/slow":
            time.sleep(1.5)
            self.send(200, "text/html", PAGE.encode())
        elif self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()  # no Content-Length: the size is only known by streaming
            try:
                for _ in range(64):
                    self.wfile.write(b"x" * 16384)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self.send(404, "text/html", b"<h1>Not found</h1>")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def read(url: str, **options):
    return list(iter_inputs([url], Options(http_timeout=options.pop("http_timeout", 5.0), **options)))


def test_url_page_is_fetched_and_read_as_html(server):
    [doc] = read(f"{server}/page")
    assert isinstance(doc, RawDocument) and doc.format == "html"
    assert doc.doc == f"{server}/page" and doc.source == f"{server}/page" and doc.url == f"{server}/page"
    assert PARAGRAPH in doc.text and doc.outlet == "Northline"
    assert doc.published == "2026-03-07T09:00:00+00:00"


def test_redirect_is_followed(server):
    [doc] = read(f"{server}/redirect")
    assert isinstance(doc, RawDocument) and PARAGRAPH in doc.text


def test_plain_text_url_is_read_as_text(server):
    [doc] = read(f"{server}/plain")
    assert doc.format == "text" and doc.text.strip() == PARAGRAPH


def test_404_fails_with_http_status(server):
    [failure] = read(f"{server}/nothing-here")
    assert isinstance(failure, InputFailure) and failure.error.code == "HTTP_STATUS"
    assert "404" in str(failure.error)


def test_slow_server_fails_with_http_timeout(server):
    [failure] = read(f"{server}/slow", http_timeout=0.2)
    assert isinstance(failure, InputFailure) and failure.error.code == "HTTP_TIMEOUT"


def test_wrong_content_type_fails(server):
    [failure] = read(f"{server}/image")
    assert failure.error.code == "HTTP_CONTENT_TYPE" and "image/png" in str(failure.error)


def test_streamed_body_over_max_bytes_is_cut_off(server):
    [failure] = read(f"{server}/big", max_bytes=100_000)
    assert failure.error.code == "TOO_LARGE" and "100000" in str(failure.error)


def test_unreachable_host_fails_with_http_unreachable():
    with socket.socket() as sock:  # a port that was free a moment ago: nobody listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    [failure] = read(f"http://127.0.0.1:{port}/page")
    assert isinstance(failure, InputFailure) and failure.error.code == "HTTP_UNREACHABLE"


def test_feed_url_gives_entries(server):
    docs = read(f"{server}/feed")
    assert [d.source for d in docs] == [f"{server}/feed#entry-1", f"{server}/feed#entry-2"]
    assert docs[0].text == "Varga: ceasefire holds\n\nShort teaser."


def test_follow_feed_links_fetches_each_entrys_page(server):
    page, missing = read(f"{server}/feed", follow_feed_links=True)
    assert isinstance(page, RawDocument) and PARAGRAPH in page.text
    assert page.source == f"{server}/feed#entry-1" and page.doc == f"{server}/page"
    assert isinstance(missing, InputFailure) and missing.error.code == "HTTP_STATUS"
    assert missing.source == f"{server}/feed#entry-2"


def test_feed_served_as_text_html_is_still_read_as_a_feed(server):
    docs = read(f"{server}/feed-as-html")
    assert [d.format for d in docs] == ["feed", "feed"]
