"""Untrusted text is escaped everywhere, filters cannot inject SQL, the server is read-only
by default, and every response carries the security headers."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from storyline.web import create_app
from storyline.web.api import _safe_name
from storyline.web.render import parse_highlight, render_article, safe_url
from web_fixtures import SQL_INJECTIONS, XSS_IMG, XSS_JS_URL, XSS_PAYLOADS, XSS_QUOTE, XSS_SCRIPT, build_ledger


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    db = tmp_path_factory.mktemp("sec") / "ledger.db"
    return db, build_ledger(db)


@pytest.fixture(scope="module")
def client(ledger):
    with TestClient(create_app(ledger[0]), raise_server_exceptions=False) as c:
        yield c


def _pages(ids) -> list[str]:
    return [
        "/", "/statements", "/articles", "/actors", "/actors/4", "/timeline", "/errors",
        f"/articles/{ids['xss']}", f"/articles/{ids['copy']}",
        f"/articles/{ids['xss']}?" + urlencode({"highlight": XSS_QUOTE}),
        "/statements?" + urlencode({"q": XSS_SCRIPT, "speaker": XSS_QUOTE, "outlet": XSS_IMG}),
        "/timeline?" + urlencode({"actor": XSS_QUOTE}),
        "/actors?" + urlencode({"q": XSS_SCRIPT}),
        "/articles?" + urlencode({"q": XSS_QUOTE}),
        "/compare?" + urlencode({"statement": XSS_SCRIPT}),
        f"/articles/{XSS_QUOTE}",
    ]


def test_no_page_contains_a_raw_payload(client, ledger):
    _, ids = ledger
    for page in _pages(ids):
        html = client.get(page).text
        for payload in XSS_PAYLOADS:
            assert payload not in html, (page, payload)
        assert "<script>window" not in html
        assert not re.search(r"<svg[^>]*onload", html, re.IGNORECASE), page
        assert not re.search(r"<img[^>]*onerror", html, re.IGNORECASE), page
        assert not re.search(r"""href=["']?\s*javascript:""", html, re.IGNORECASE), page


def test_payloads_are_shown_escaped_as_text(client, ledger):
    _, ids = ledger
    html = client.get(f"/articles/{ids['xss']}").text
    assert "&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;" in html
    assert "&#34;&#39;&gt;&lt;svg onload=window.__xss=1&gt;" in html
    # the javascript: URL of an article is shown, never linked
    copy = client.get(f"/articles/{ids['copy']}").text
    assert "javascript:window.__xss=1" in copy and 'href="javascript' not in copy


def test_every_script_tag_is_external(client, ledger):
    _, ids = ledger
    for page in _pages(ids):
        html = client.get(page).text
        for tag in re.findall(r"<script[^>]*>(.*?)</script>", html, re.DOTALL):
            assert tag.strip() == "", page
        assert " on" not in re.sub(r'"[^"]*"', "", "".join(re.findall(r"<[a-z][^>]*>", html)))


def test_api_returns_payloads_as_plain_json_strings(client, ledger):
    _, ids = ledger
    a = client.get(f"/api/v1/articles/{ids['xss']}")
    assert a.headers["content-type"].startswith("application/json")
    assert XSS_SCRIPT in a.json()["title"]
    assert {s["speaker"] for s in a.json()["statements"]} == {XSS_QUOTE, f"{XSS_SCRIPT}Speaker"}


def test_render_article_escapes_text_and_labels():
    text = f"He wrote {XSS_SCRIPT} and \u201c{XSS_IMG}\u201d."
    start = text.index(XSS_IMG)
    article = {"text": text, "segments": [], "events": [],
               "statements": [{"start": start, "end": start + len(XSS_IMG), "text": XSS_IMG, "kind": "direct",
                               "speaker": XSS_QUOTE, "actor_id": None, "parts": [], "cue": XSS_QUOTE}]}
    html = str(render_article(article, ("s", start, start + len(XSS_IMG))))
    for payload in XSS_PAYLOADS:
        assert payload not in html
    assert 'class="q q-direct hl"' in html


def test_safe_url_only_links_http():
    assert safe_url(XSS_JS_URL) is None
    assert safe_url(" JavaScript:alert(1)") is None
    assert safe_url("data:text/html,<script>") is None
    assert safe_url("https://example.org/a") == "https://example.org/a"


def test_highlight_parameter_accepts_only_offsets():
    assert parse_highlight("s-10-20") == ("s", 10, 20)
    assert parse_highlight("e-1-2") == ("e", 1, 2)
    assert parse_highlight(XSS_QUOTE) is None
    assert parse_highlight("s-20-10") is None


def test_upload_names_cannot_escape_the_upload_folder():
    assert _safe_name("../../etc/passwd", 0) == "passwd"
    assert _safe_name("..\\..\\win.ini", 1) == "win.ini"
    assert "/" not in _safe_name("a/b/<script>.txt", 2)
    assert _safe_name("..", 3) == "upload-3.txt"


# --- SQL injection -----------------------------------------------------------------


def _fingerprint(db) -> tuple:
    conn = sqlite3.connect(db)
    try:
        counts = tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                       for t in ("articles", "statements", "events", "actors", "errors"))
        tables = tuple(r[0] for r in conn.execute("SELECT name FROM sqlite_master ORDER BY name"))
        digest = hashlib.sha256(repr(conn.execute("SELECT id, text FROM statements ORDER BY id").fetchall()).encode())
        return counts, tables, digest.hexdigest()
    finally:
        conn.close()


FILTERS = {
    "/api/v1/statements": ["speaker", "actor", "outlet", "since", "until", "kind", "hedged", "q", "article", "cluster"],
    "/api/v1/articles": ["outlet", "since", "until", "q", "language"],
    "/api/v1/events": ["actor", "type", "outlet", "since", "until", "article", "cluster"],
    "/api/v1/timeline": ["actor", "type", "outlet", "since", "until"],
    "/api/v1/actors": ["q"],
    "/statements": ["speaker", "actor", "outlet", "since", "until", "kind", "hedged", "q", "article", "cluster"],
    "/articles": ["outlet", "since", "until", "q"],
    "/timeline": ["actor", "type", "outlet", "since", "until"],
    "/actors": ["q"],
    "/compare": ["statement", "event"],
    "/articles/x": ["highlight"],
}


@pytest.mark.parametrize("injection", SQL_INJECTIONS)
def test_sql_injection_in_every_filter_returns_normal_results_and_leaves_the_db_intact(client, ledger, injection):
    db, _ = ledger
    before = _fingerprint(db)
    for path, names in FILTERS.items():
        for name in names:
            r = client.get(path, params={name: injection})
            # Text filters match nothing; typed filters (dates, kind, ids) are rejected as bad filters.
            assert r.status_code in (200, 400, 404), (path, name, r.status_code, r.text[:200])
            if r.status_code == 200 and path.startswith("/api/") and "total" in r.json():
                assert r.json()["total"] == 0, (path, name)
            if r.status_code != 200 and path.startswith("/api/"):
                assert r.json()["error"]["code"] in ("BAD_OPTION", "NOT_FOUND_ID")
    for fmt in ("csv", "jsonl"):
        r = client.get("/api/v1/statements", params={"speaker": injection, "q": injection, "format": fmt})
        assert r.status_code == 200
    assert client.get(f"/api/v1/articles/{injection}").status_code == 404
    assert client.get("/api/v1/statements/" + injection.replace("/", "%2F")).status_code in (404,)
    assert _fingerprint(db) == before


def test_actor_search_treats_like_wildcards_literally(client):
    assert client.get("/api/v1/actors", params={"q": "%"}).json()["total"] == 0
    assert client.get("/api/v1/actors", params={"q": "r_iner"}).json()["total"] == 0  # `_` would match `e`
    assert client.get("/api/v1/actors", params={"q": "reiner"}).json()["total"] == 1


# --- read-only by default ------------------------------------------------------------


def test_ingest_is_refused_without_a_server_token(client, ledger):
    db, _ = ledger
    before = _fingerprint(db)
    files = {"files": ("a.txt", b"Velorian officials said the port would reopen.", "text/plain")}
    for headers in ({}, {"Authorization": "Bearer anything"}, {"X-Storyline-Token": ""}):
        r = client.post("/api/v1/ingest", files=files, headers=headers)
        assert r.status_code == 403 and r.json()["error"]["code"] == "READ_ONLY"
    assert _fingerprint(db) == before


@pytest.mark.parametrize("method", ["put", "delete", "patch", "post"])
def test_no_other_write_methods_exist(client, method):
    r = getattr(client, method)("/api/v1/statements")
    assert r.status_code == 405 and r.json()["error"]["status"] == 405


def test_read_only_app_holds_no_writable_connection(ledger):
    db, _ = ledger
    app = create_app(db)
    with app.state.ledger.read() as conn:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("DELETE FROM statements")
    with pytest.raises(RuntimeError):
        app.state.ledger.write(lambda store: None)


# --- headers -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/statements", "/api/v1/statements", "/api/v1/nope", "/static/style.css",
                                  "/static/app.js", "/articles/nope", "/api/v1/statements?format=csv", "/docs",
                                  "/openapi.json"])
def test_security_headers_on_every_response(client, path):
    r = client.get(path)
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_pages_load_nothing_from_other_hosts(client, ledger):
    _, ids = ledger
    for page in ("/", "/statements", f"/articles/{ids['live']}", "/timeline", "/docs", "/actors/1"):
        html = client.get(page).text
        for src in re.findall(r'(?:src|href)="([^"]+)"', html):
            if src.startswith(("/", "#", "?")):
                continue
            # only the article's own http(s) source link may point elsewhere
            assert src.startswith("https://harbour-times.example/"), (page, src)
        assert "<link" not in html.replace('<link rel="stylesheet" href="/static/style.css">', "")


def test_compare_word_diff_escapes_both_texts():
    from storyline.web.render import diff_words

    html = str(diff_words(XSS_SCRIPT, f"{XSS_IMG} {XSS_QUOTE}"))
    for payload in XSS_PAYLOADS:
        assert payload not in html
    assert "&lt;img" in html


def test_highlight_of_an_interrupted_quote_leaves_its_cue_unmarked():
    text = "\u201cWe are ready,\u201d Varga said, \u201cand we will sign.\u201d"
    first, second = "We are ready,", "and we will sign."
    a, b = text.index(first), text.index(second)
    statement = {"start": a, "end": b + len(second), "text": f"{first} {second}", "kind": "direct",
                 "speaker": "Ilse Varga", "actor_id": None, "parts": [[a, a + len(first)], [b, b + len(second)]]}
    html = str(render_article({"text": text, "segments": [], "events": [], "statements": [statement]},
                              ("s", a, b + len(second))))
    marked = re.findall(r'<span class="[^"]*\bhl\b[^"]*"[^>]*>([^<]*)</span>', html)
    assert marked == [first, second]


def test_search_word_marks_escape_the_text_and_the_query():
    from storyline.web.render import mark_terms

    html = str(mark_terms(f"{XSS_SCRIPT} harbour", XSS_IMG + " harbour script"))
    for payload in XSS_PAYLOADS:
        assert payload not in html
    assert '<mark class="term">harbour</mark>' in html
