"""Issue 15's web defects, each with a regression test built from inputs made here.

- 2: server-side request forgery through POST /api/v1/ingest urls= (and the CLI flag);
- 3: request bodies read before the token / read-only check, server paths in errors;
- 7: integers above 2^63 answered with HTTP 500;
- 11: DNS rebinding (no Host header check).

Network tests talk to a listener on 127.0.0.1 that this file starts.
"""

from __future__ import annotations

import http.server
import socket
import threading

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.errors import FetchError
from storyline.readers import fetch as fetch_module
from storyline.settings import Options
from storyline.web import create_app
from web_fixtures import build_ledger

TOKEN = "s3cret-token"
BIG = str(2**64)
PAGE = "<html><head><title>Carrow harbour</title></head><body><article><p>" + \
       "The Quillwater delegation said on Tuesday that the harbour talks would resume in Carrow. " * 6 + \
       "</p></article></body></html>"


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).seen.append(self.path)
        if self.path.startswith("/hop"):
            target = self.path.split("to=", 1)[1]
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
            return
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def listener():
    """A page server on 127.0.0.1 (an internal address); its `seen` lists the paths asked for."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server.server_address[1], _Handler.seen
    server.shutdown()
    server.server_close()


@pytest.fixture()
def ledger(tmp_path):
    db = tmp_path / "ledger.db"
    build_ledger(db)
    return db


def _ingest(client, urls, **headers):
    return client.post("/api/v1/ingest", data={"urls": urls},
                       headers={"Authorization": f"Bearer {TOKEN}", **headers})


# --- 2: SSRF ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["loopback", "localhost", "decimal"])
def test_web_ingest_refuses_internal_addresses(ledger, listener, kind):
    base, port, seen = listener
    url = {"loopback": base + "/internal", "localhost": f"http://localhost:{port}/internal",
           "decimal": f"http://2130706433:{port}/internal"}[kind]
    before = len(seen)
    with TestClient(create_app(ledger, token=TOKEN)) as client:
        r = _ingest(client, url)
        assert r.status_code == 200, r.text
        report = r.json()
        assert report["stored"] == 0 and report["failed"] == 1
        assert report["errors"][0]["code"] == "URL_BLOCKED"
        # nothing fetched, nothing stored that anyone could read
        assert client.get("/api/v1/articles", params={"q": "Quillwater"}).json()["total"] == 0
    assert len(seen) == before


def test_web_ingest_checks_every_redirect(ledger, listener, monkeypatch):
    base, port, seen = listener
    real = fetch_module.checked_address
    checked = []

    def checked_address(host, port_, source=None):
        # "news.example" stands for a public site (it is the listener); the hop it
        # redirects to goes through the real check.
        checked.append(host)
        return "127.0.0.1" if host == "news.example" else real(host, port_, source)

    monkeypatch.setattr(fetch_module, "checked_address", checked_address)
    before = len(seen)
    with TestClient(create_app(ledger, token=TOKEN)) as client:
        report = _ingest(client, f"http://news.example:{port}/hop?to={base}/secret").json()
    assert report["failed"] == 1 and report["errors"][0]["code"] == "URL_BLOCKED"
    assert seen[before:] == ["/hop?to=" + base + "/secret"]  # the redirect target was never asked for
    assert checked == ["news.example", "127.0.0.1"]


def test_web_ingest_fetches_internal_addresses_when_the_operator_allows(ledger, listener):
    base, _, seen = listener
    with TestClient(create_app(ledger, token=TOKEN, allow_private_urls=True)) as client:
        report = _ingest(client, base + "/allowed").json()
    assert report["stored"] == 1 and report["failed"] == 0
    assert "/allowed" in seen


def test_fetch_blocks_private_addresses_only_when_asked(listener):
    base, _, _ = listener
    assert b"harbour talks" in fetch_module.fetch(base + "/cli", Options()).body
    with pytest.raises(FetchError) as err:
        fetch_module.fetch(base + "/cli", Options(block_private_urls=True))
    assert err.value.code == "URL_BLOCKED" and "127.0.0.1" in err.value.message


@pytest.mark.parametrize("address, refused", [
    ("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.10", "private"), ("169.254.169.254", "link-local"),
    ("224.0.0.251", "multicast"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"), ("fe80::1", "link-local"),
    ("0.0.0.0", "unspecified"), ("100.64.0.1", "non-public"), ("93.184.215.14", None), ("2606:4700::1111", None),
])
def test_address_refusal_covers_every_internal_range(address, refused):
    import ipaddress

    assert fetch_module.address_refusal(ipaddress.ip_address(address)) == refused


def test_cli_ingest_blocks_private_urls_behind_a_flag(tmp_path, listener):
    from storyline.cli.app import app

    base, _, seen = listener
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    before = len(seen)
    result = runner.invoke(app, ["ingest", base + "/flagged", "--db", db, "-q", "--block-private-urls"])
    assert result.exit_code == 1 and "URL_BLOCKED" in result.output
    assert len(seen) == before


# --- 3: bodies before authorisation ------------------------------------------------------


@pytest.fixture()
def served(tmp_path):
    """Serve a ledger with uvicorn on 127.0.0.1 (a real server: bodies arrive as they are sent)."""
    import time

    import uvicorn

    servers = []

    def serve(**kwargs):
        db = tmp_path / f"served-{len(servers)}.db"
        build_ledger(db)
        config = uvicorn.Config(create_app(db, **kwargs), host="127.0.0.1", port=0, log_level="error",
                                lifespan="off")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        servers.append((server, thread))
        return server.servers[0].sockets[0].getsockname()[1]

    yield serve
    for server, thread in servers:
        server.should_exit = True
        thread.join(5)


def _post_head(port: int, headers: dict, length: int | None) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    lines = ["POST /api/v1/ingest HTTP/1.1", f"Host: 127.0.0.1:{port}",
             "Content-Type: multipart/form-data; boundary=B"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    lines.append(f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked")
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return sock


def _status(sock: socket.socket) -> tuple[int, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1]), data


@pytest.mark.parametrize("token, headers, status, code", [
    (None, {}, 403, b"READ_ONLY"),
    (TOKEN, {}, 401, b"UNAUTHORIZED"),
    (TOKEN, {"Authorization": "Bearer wrong"}, 403, b"FORBIDDEN"),
    (TOKEN, {"Authorization": f"Bearer {TOKEN}"}, 413, b"TOO_LARGE"),
])
def test_upload_is_refused_before_its_body_is_sent(served, token, headers, status, code):
    # The head announces 1 GB and no byte of it is sent: the answer must come anyway.
    port = served(token=token)
    with _post_head(port, headers, 1024**3) as sock:
        got, data = _status(sock)
        sock.settimeout(5)
        while b"}" not in data.split(b"\r\n\r\n", 1)[1]:
            data += sock.recv(65536)
    assert got == status and code in data
    assert b"/tmp" not in data


def test_streamed_upload_is_cut_off_at_the_limit(served):
    port = served(token=TOKEN, max_upload_bytes=256 * 1024)
    sent = 0
    with _post_head(port, {"Authorization": f"Bearer {TOKEN}"}, None) as sock:
        part = b'--B\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n\r\n'
        chunk = part + b"x" * (64 * 1024 - len(part))
        sock.settimeout(0.05)
        status = None
        while sent < 64 * 1024 * 1024 and status is None:
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                chunk = b"x" * (64 * 1024)
                data = sock.recv(65536)
                if data:
                    status = int(data.split(b" ", 2)[1])
            except TimeoutError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                break
        if status is None:
            sock.settimeout(5)
            status, _ = _status(sock)
    assert status == 413
    assert sent < 16 * 1024 * 1024  # cut off near the 256 KB limit, not after the whole 64 MB


def test_upload_over_the_limit_is_refused_by_content_length(ledger):
    with TestClient(create_app(ledger, token=TOKEN, max_upload_bytes=1000)) as client:
        r = client.post("/api/v1/ingest", content=b"x" * 5000,
                        headers={"Content-Type": "multipart/form-data; boundary=B",
                                 "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "TOO_LARGE"


def test_ingest_errors_never_show_server_paths(ledger, tmp_path):
    import tempfile

    with TestClient(create_app(ledger, token=TOKEN)) as client:
        r = client.post("/api/v1/ingest", files={"files": ("empty.txt", b"", "text/plain")},
                        headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200
    report = r.json()
    assert report["failed"] == 1 and report["errors"][0]["code"] == "EMPTY"
    assert tempfile.gettempdir() not in r.text and "storyline-upload" not in r.text
    assert report["errors"][0]["source"].startswith("upload:") and report["errors"][0]["source"].endswith("/empty.txt")
    # nor in what the ledger shows anyone afterwards
    with TestClient(create_app(ledger)) as reader:
        errors = reader.get("/api/v1/errors").text
        assert "upload:" in errors and tempfile.gettempdir() not in errors
        assert "storyline-upload" not in reader.get("/errors").text


def test_uploaded_articles_are_named_without_server_paths(ledger):
    import tempfile

    text = b"Quillwater officials said on Monday that the Carrow ferry would sail again in April."
    with TestClient(create_app(ledger, token=TOKEN)) as client:
        for _ in range(2):  # the second upload is recognised, not added again
            r = client.post("/api/v1/ingest", files={"files": ("ferry.txt", text, "text/plain")},
                            headers={"Authorization": f"Bearer {TOKEN}"})
            assert r.status_code == 200
        found = client.get("/api/v1/articles", params={"q": "Quillwater"}).json()["items"]
        assert len(found) == 1
        article = client.get(f"/api/v1/articles/{found[0]['id']}").json()
    assert article["source"].startswith("upload:") and article["source"].endswith("/ferry.txt")
    assert [s["source"] for s in article["sources"]] == [article["source"]]
    assert tempfile.gettempdir() not in str(article)


# --- 7: integers above 2^63 ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/statements", "/api/v1/articles", "/api/v1/actors", "/api/v1/events",
                                  "/api/v1/errors"])
def test_huge_offsets_are_422_not_500(ledger, path):
    with TestClient(create_app(ledger), raise_server_exceptions=False) as client:
        r = client.get(path, params={"offset": BIG})
        assert r.status_code == 422, r.text
        assert client.get(path).status_code == 200  # the connection still works


@pytest.mark.parametrize("path", [f"/api/v1/actors/{BIG}", f"/actors/{BIG}", f"/api/v1/actors/{'9' * 40}"])
def test_huge_actor_ids_are_404_or_422_not_500(ledger, path):
    with TestClient(create_app(ledger), raise_server_exceptions=False) as client:
        assert client.get(path).status_code in (404, 422)


def test_huge_actor_filter_is_a_bad_option(ledger):
    with TestClient(create_app(ledger), raise_server_exceptions=False) as client:
        r = client.get("/api/v1/statements", params={"actor": BIG})
    assert r.status_code == 400 and r.json()["error"]["code"] == "BAD_OPTION"


# --- 11: DNS rebinding ----------------------------------------------------------------------


def test_host_header_is_checked_when_hosts_are_configured(ledger):
    app = create_app(ledger, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        assert client.get("/api/v1/statements").status_code == 200
        assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200
        r = client.get("/api/v1/statements", headers={"Host": "attacker.example"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "BAD_HOST"
        assert client.get("/", headers={"Host": "attacker.example:8000"}).status_code == 400


def test_serve_checks_host_on_loopback_by_default():
    from storyline.cli.web import allowed_hosts_for

    assert set(allowed_hosts_for("127.0.0.1", [])) >= {"127.0.0.1", "localhost"}
    assert "ledger.lan" in allowed_hosts_for("127.0.0.1", ["ledger.lan"])
    assert allowed_hosts_for("127.0.0.1", ["*"]) is None
    assert allowed_hosts_for("0.0.0.0", []) is None  # bound for others: names are theirs to choose


def test_listener_is_local_only(listener):
    base, port, _ = listener
    assert base.startswith("http://127.0.0.1:")
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
