"""The JSON API: filters, pagination, streamed exports, one error shape, ingest with a token."""

from __future__ import annotations

import csv
import io
import json
import re
import threading

import pytest
from fastapi.testclient import TestClient

from storyline.web import create_app
from storyline.web import overview as O
from storyline.web import queries as Q
from web_fixtures import add_bulk_statements, build_ledger


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    db = tmp_path_factory.mktemp("api") / "ledger.db"
    return db, build_ledger(db)


@pytest.fixture(scope="module")
def client(ledger):
    db, _ = ledger
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def ids(ledger):
    return ledger[1]


def items(client, url, **params):
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def texts(body):
    return sorted(s["text"] for s in body["items"])


# --- statements ------------------------------------------------------------------


def test_statements_list_is_paginated_with_total_and_next_offset(client):
    first = items(client, "/api/v1/statements", limit=4)
    assert first["total"] == 11 and len(first["items"]) == 4 and first["next_offset"] == 4
    last = items(client, "/api/v1/statements", limit=4, offset=8)
    assert len(last["items"]) == 3 and last["next_offset"] is None
    seen = {s["id"] for s in first["items"]} | {s["id"] for s in last["items"]}
    assert len(seen) == 7


def test_statements_speaker_filter_matches_registry_aliases(client):
    by_alias = items(client, "/api/v1/statements", speaker="varga")
    assert by_alias["total"] == 4
    assert {s["speaker"] for s in by_alias["items"]} == {"Ilse Varga"}
    assert items(client, "/api/v1/statements", speaker="Ostmark officials")["total"] == 1


def test_statements_actor_filter_includes_merged_actors(client):
    body = items(client, "/api/v1/statements", actor="2")
    assert body["total"] == 3
    assert {s["actor_id"] for s in body["items"]} == {2, 3}


def test_statements_outlet_date_kind_and_hedge_filters(client):
    assert items(client, "/api/v1/statements", outlet="northline")["total"] == 2
    assert items(client, "/api/v1/statements", since="2026-03-04", until="2026-03-05")["total"] == 3
    assert items(client, "/api/v1/statements", until="2026-03")["total"] == 10  # month covers all its days
    assert items(client, "/api/v1/statements", since="2026-03-06")["total"] == 2
    assert items(client, "/api/v1/statements", kind="mixed")["total"] == 1
    hedged = items(client, "/api/v1/statements", hedged="1")
    assert texts(hedged) == ["the deal could still collapse"]
    assert items(client, "/api/v1/statements", hedged="0")["total"] == 10


def test_statements_undated_statement_takes_no_date_filter_match(client):
    # the undated article's statement has neither a date nor a published date
    assert "the border would stay open" not in texts(items(client, "/api/v1/statements", since="2000", limit=100))


def test_statements_full_text_search_and_phrases(client):
    assert texts(items(client, "/api/v1/statements", q="harbour formula")) == [
        "The harbour formula remains on the table"] * 2
    assert items(client, "/api/v1/statements", q='"formula harbour"')["total"] == 0
    assert items(client, "/api/v1/statements", q="prison*")["total"] == 2
    # the speaker column is searched too
    assert items(client, "/api/v1/statements", q="Reiner")["total"] == 3


# FTS5 syntax is taken as plain words: "AND", "OR" and "NEAR(a" must occur as words, so
# only '^harbour' (the word "harbour", in the two copies of Varga's quote) finds anything.
@pytest.mark.parametrize("query, total", [('harbour AND (', 0), ('"', 0), ('NEAR(a b', 0), ('*', 0),
                                          ('text:harbour', 0), ('-', 0), ('^harbour', 2), ("harbour OR", 0),
                                          ('""""', 0), ("'", 0)])
def test_statements_search_with_fts_syntax_never_errors(client, query, total):
    r = client.get("/api/v1/statements", params={"q": query})
    assert r.status_code == 200, r.text
    assert r.json()["total"] == total


def test_fts_query_quotes_every_term():
    assert Q.fts_query('harbour AND "the table" pri*') == '"harbour" "AND" "the table" "pri"*'
    assert Q.fts_query('say "hi') == '"say" """hi"'
    assert Q.fts_query("-- ;") is None


def test_statements_article_and_cluster_filters(client, ids):
    assert items(client, "/api/v1/statements", article=ids["live"])["total"] == 3
    cluster = items(client, "/api/v1/statements", cluster=ids["quote"])
    assert {s["outlet"] for s in cluster["items"]} == {"Harbour Times", "Northline"}


def test_statements_facets_count_speakers_outlets_and_kinds(client):
    body = items(client, "/api/v1/statements", facets="true", outlet="Harbour Times")
    facets = body["facets"]
    assert {f["value"]: f["count"] for f in facets["outlet"]} == {"Harbour Times": 4}
    assert {f["value"]: f["count"] for f in facets["kind"]} == {"direct": 1, "indirect": 3}
    assert sum(f["count"] for f in facets["speaker"]) == 4


def test_statement_compare_returns_every_outlets_wording(client, ids):
    body = items(client, f"/api/v1/statements/{ids['quote']}/compare")
    assert body["cluster_id"] == ids["quote"]
    assert sorted(i["outlet"] for i in body["items"]) == ["Harbour Times", "Northline"]
    single = items(client, f"/api/v1/statements/{ids['live']}:{ids['accuse'][0]}-{ids['accuse'][1]}/compare")
    assert single["cluster_id"] is None and len(single["items"]) == 1


# --- exports -----------------------------------------------------------------------


def test_statement_exports_stream_every_row_as_csv_and_jsonl(client):
    r = client.get("/api/v1/statements", params={"format": "csv", "outlet": "Carrow Courier"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 3 and rows[0].keys() >= {"id", "text", "speaker", "outlet", "start", "end"}
    r = client.get("/api/v1/statements/export", params={"format": "jsonl", "speaker": "Varga"})
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert len(lines) == 4 and all(line["speaker"] == "Ilse Varga" for line in lines)


def test_exports_have_no_row_cap(tmp_path):
    db = tmp_path / "big.db"
    build_ledger(db)
    add_bulk_statements(db, 2500)
    with TestClient(create_app(db)) as c:
        r = c.get("/api/v1/statements", params={"format": "jsonl"})
        assert len(r.text.splitlines()) == 2511
        r = c.get("/api/v1/statements/export", params={"format": "csv", "q": "bulk"})
        assert len(list(csv.DictReader(io.StringIO(r.text)))) == 2500


@pytest.mark.parametrize("name", ["articles", "actors", "events", "errors", "timeline"])
def test_every_list_downloads_as_csv_and_jsonl(client, name):
    js = client.get(f"/api/v1/{name}", params={"format": "jsonl"})
    assert js.status_code == 200
    rows = [json.loads(x) for x in js.text.splitlines()]
    assert rows
    cs = client.get(f"/api/v1/{name}", params={"format": "csv"})
    assert len(list(csv.DictReader(io.StringIO(cs.text)))) == len(rows)
    if name != "timeline":
        ex = client.get(f"/api/v1/{name}/export", params={"format": "csv"})
        assert ex.text == cs.text


def test_empty_export_still_has_a_csv_header(client):
    r = client.get("/api/v1/statements", params={"format": "csv", "speaker": "Nobody At All"})
    assert r.text.strip().split(",")[:3] == ["id", "article_id", "start"]


# --- articles, actors, events, timeline, errors --------------------------------------


def test_article_detail_carries_text_segments_statements_and_events(client, ids):
    a = items(client, f"/api/v1/articles/{ids['live']}")
    assert [s["kind"] for s in a["segments"]][:3] == ["title", "section", "item"]
    for s in a["statements"]:
        assert a["text"][s["start"]:s["end"]] == s["text"]
    assert {e["event_type"] for e in a["events"]} == {"MOVE", "ACCUSE"}


def test_articles_filter_by_outlet_date_and_search(client):
    assert items(client, "/api/v1/articles", outlet="harbour times")["total"] == 2
    assert items(client, "/api/v1/articles", since="2026-03-04")["total"] == 2
    body = items(client, "/api/v1/articles", q="thaw")
    assert sorted(a["outlet"] for a in body["items"]) == ["Harbour Times", "Northline"]
    assert body["items"][0]["statements"] >= 2


def test_actors_list_and_detail(client):
    body = items(client, "/api/v1/actors")
    assert [a["name"] for a in body["items"]][:2] == ["Ilse Varga", "Tomas Reiner"]
    assert "T. Reiner" not in [a["name"] for a in body["items"]]  # merged away
    assert items(client, "/api/v1/actors", q="reiner")["total"] == 1
    reiner = items(client, "/api/v1/actors/2")
    assert {a["alias"] for a in reiner["aliases"]} >= {"Reiner", "T. Reiner"}
    assert reiner["roles"][0]["role"] == "Prime Minister"
    assert reiner["statement_count"] == 3
    assert sum(p["count"] for p in reiner["statements_by_day"]) == 3
    assert {e["event_type"] for e in reiner["events"]} == {"CONSULT", "ACCUSE"}


def test_events_filters(client):
    assert items(client, "/api/v1/events", type="consult")["total"] == 2
    assert items(client, "/api/v1/events", actor="Varga")["total"] == 3  # via the alias
    assert items(client, "/api/v1/events", since="2026-03-05")["total"] == 1
    assert items(client, "/api/v1/events", outlet="Northline")["total"] == 1


def test_timeline_groups_clusters_and_keeps_undated_apart(client):
    t = items(client, "/api/v1/timeline")
    consult = [e for e in t["events"] if e["event_type"] == "CONSULT"]
    assert len(consult) == 1 and consult[0]["reports"] == 2 and consult[0]["outlets"] == 2
    assert {e["event_type"] for e in t["undated_events"]} >= {"MOVE"}
    assert t["undated_statements"] == 1
    assert sum(d["count"] for d in t["statements_by_day"]) == 10
    only = items(client, "/api/v1/timeline", actor="Tomas Reiner", type="ACCUSE")
    assert [e["event_type"] for e in only["events"]] == ["ACCUSE"]


def test_errors_list(client):
    body = items(client, "/api/v1/errors")
    assert body["total"] == 2 and {e["code"] for e in body["items"]} == {"NO_BODY", "EMPTY"}


def test_openapi_and_docs_list_every_endpoint(client):
    schema = items(client, "/openapi.json")
    for path in ("/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/statements", "/api/v1/actors",
                 "/api/v1/actors/{actor_id}", "/api/v1/events", "/api/v1/timeline", "/api/v1/errors",
                 "/api/v1/ingest"):
        assert path in schema["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/v1/statements/export" in docs.text


# --- one error shape ---------------------------------------------------------------


def assert_error(r, status: int, code: str | None = None):
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "status"}
    assert body["error"]["status"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code


@pytest.mark.parametrize("url,status,code", [
    ("/api/v1/articles/no-such-article", 404, "NOT_FOUND_ID"),
    ("/api/v1/actors/999", 404, "NOT_FOUND_ID"),
    ("/api/v1/statements/nope:1-2", 404, "NOT_FOUND_ID"),
    ("/api/v1/events/nope/compare", 404, "NOT_FOUND_ID"),
    ("/api/v1/no-such-endpoint", 404, "NOT_FOUND"),
    ("/api/v1/statements?limit=abc", 422, "INVALID_REQUEST"),
    ("/api/v1/statements?limit=0", 422, "INVALID_REQUEST"),
    ("/api/v1/statements?format=xml", 422, "INVALID_REQUEST"),
    ("/api/v1/actors/abc", 422, "INVALID_REQUEST"),
    ("/api/v1/statements?since=yesterday", 400, "BAD_OPTION"),
    ("/api/v1/statements?kind=shouted", 400, "BAD_OPTION"),
    ("/api/v1/statements?hedged=perhaps", 400, "BAD_OPTION"),
    ("/api/v1/statements?actor=x1", 400, "BAD_OPTION"),
    ("/api/v1/events?until=2026-13-99x", 400, "BAD_OPTION"),
    ("/api/v1/statements/export?format=csv&since=nope", 400, "BAD_OPTION"),
])
def test_every_api_error_has_one_json_shape(client, url, status, code):
    assert_error(client.get(url), status, code)


def test_method_not_allowed_has_the_error_shape(client):
    assert_error(client.delete("/api/v1/statements"), 405)


def test_server_error_has_the_error_shape(ledger, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(O, "overview", boom)
    monkeypatch.setattr(O, "count_errors", boom)
    db, _ = ledger
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        r = c.get("/api/v1/errors")
        assert_error(r, 500, "INTERNAL_ERROR")
        assert "simulated" not in r.text  # no internals leak
        assert r.headers["x-content-type-options"] == "nosniff" and "content-security-policy" in r.headers
        page = c.get("/")
        assert page.status_code == 500 and "text/html" in page.headers["content-type"]


def test_html_pages_render_errors_as_html(client):
    r = client.get("/articles/does-not-exist")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert "NOT_FOUND_ID" in r.text
    assert client.get("/statements?since=never").status_code == 400


@pytest.mark.parametrize("path", ["/", "/statements", "/articles", "/actors", "/actors/1", "/timeline", "/errors",
                                  "/docs", "/statements?q=harbour&kind=direct&hedged=0&page=1"])
def test_pages_render(client, path):
    r = client.get(path)
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]


# --- ingest with a token -----------------------------------------------------------


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    db = tmp_path_factory.mktemp("ingest") / "ledger.db"
    build_ledger(db)
    # allow_private_urls: the URL test below reads from a listener on 127.0.0.1.
    with TestClient(create_app(db, token="s3cret", allow_private_urls=True), raise_server_exceptions=False) as c:
        yield c


def test_ingest_refuses_missing_and_wrong_tokens(writable):
    files = {"files": ("a.txt", b"Velorian officials said the port would reopen.", "text/plain")}
    assert_error(writable.post("/api/v1/ingest", files=files), 401, "UNAUTHORIZED")
    assert_error(writable.post("/api/v1/ingest", files=files, headers={"Authorization": "Bearer wrong"}), 403,
                 "FORBIDDEN")
    assert items(writable, "/api/v1/articles")["total"] == 5


def test_ingest_rejects_non_http_urls(writable):
    r = writable.post("/api/v1/ingest", data={"urls": "file:///etc/passwd"}, headers={"X-Storyline-Token": "s3cret"})
    assert_error(r, 400, "BAD_OPTION")


def test_ingest_with_token_stores_uploaded_files_while_reads_go_on(writable):
    text = ("Velorian Foreign Minister Ilse Varga said on Monday that the ferry service to Ostmark "
            "would resume next week.\n\n\u201cWe are ready,\u201d Varga told reporters in Carrow.\n")
    reads: list[int] = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            reads.append(writable.get("/api/v1/statements", params={"limit": 1}).status_code)

    t = threading.Thread(target=reader)
    t.start()
    try:
        r = writable.post("/api/v1/ingest", headers={"Authorization": "Bearer s3cret"},
                          files=[("files", ("../../evil name.txt", text.encode(), "text/plain"))])
    finally:
        stop.set()
        t.join()
    assert r.status_code == 200, r.text
    assert r.json()["stored"] == 1
    assert reads and set(reads) == {200}
    body = items(writable, "/api/v1/articles", q="ferry")
    assert body["total"] == 1
    assert body["items"][0]["doc"] == "evil_name.txt"
    # the same file uploaded again is recognised, not stored twice or as a new source
    again = writable.post("/api/v1/ingest", headers={"Authorization": "Bearer s3cret"},
                          files=[("files", ("../../evil name.txt", text.encode(), "text/plain"))])
    assert again.status_code == 200 and again.json()["stored"] == 0
    article = items(writable, f"/api/v1/articles/{body['items'][0]['id']}")
    assert len(article["sources"]) == 1


def test_compare_page_marks_words_that_differ_from_the_first_report(client, ids):
    html = client.get("/compare", params={"event": ids["meeting"]}).text
    assert "Harbour Times" in html and "Northline" in html
    # the Northline wording is compared with the earlier Harbour Times one
    assert '<mark class="diff">held</mark>' in html
    assert '<mark class="diff">Carrow</mark>' not in html  # shared words stay plain


def test_article_page_marks_the_highlighted_range_server_side(client, ids):
    start, end = ids["accuse"]
    html = client.get(f"/articles/{ids['live']}", params={"highlight": f"s-{start}-{end}"}).text
    marked = re.findall(r'<span class="([^"]*)"[^>]*>([^<]*)</span>', html)
    highlighted = [(cls, text) for cls, text in marked if "hl" in cls.split()]
    assert [text for _, text in highlighted] == ["we have waited long enough"]
    assert "q-mixed" in highlighted[0][0].split() and "hl-ev" not in html
    event = client.get(f"/articles/{ids['live']}", params={"highlight": "e-0-5"}).text
    assert "hl hl-ev" in event


# --- the command ---------------------------------------------------------------------


def test_serve_binds_localhost_read_only_by_default(ledger, monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from storyline.cli.app import app

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: calls.append((application, kw)))
    result = CliRunner().invoke(app, ["serve", "--db", str(ledger[0])])
    assert result.exit_code == 0, result.output
    application, kw = calls[0]
    assert kw["host"] == "127.0.0.1" and kw["port"] == 8000
    assert application.state.token is None and not application.state.ledger.writable


def test_serve_refuses_a_missing_ledger(tmp_path):
    from typer.testing import CliRunner

    from storyline.cli.app import app

    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "NO_DB" in result.output + (result.stderr if hasattr(result, "stderr") else "")
    assert not (tmp_path / "none.db").exists()


def test_ingest_reads_urls_from_a_local_server_and_records_failures(writable):
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    page = ("<html><head><title>Ferry talks resume</title></head><body><article><h1>Ferry talks resume</h1>"
            "<p>Ostmark Prime Minister Tomas Reiner said on Tuesday that the ferry talks with Veloria would "
            "resume in Carrow next month.</p><p>\u201cWe will be there,\u201d Reiner told reporters.</p>"
            "</article></body></html>").encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path == "/story":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
            else:
                self.send_response(404)
                self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        r = writable.post("/api/v1/ingest", headers={"X-Storyline-Token": "s3cret"},
                          data={"urls": [f"{base}/story", f"{base}/missing"]})
    finally:
        httpd.shutdown()
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["stored"] == 1 and report["failed"] == 1
    assert items(writable, "/api/v1/articles", q="ferry talks resume")["total"] >= 1
    errors = items(writable, "/api/v1/errors")["items"]
    assert any(e["source"].endswith("/missing") and e["code"] == "HTTP_STATUS" for e in errors)


def test_statements_page_marks_the_search_words_in_each_result(client):
    html = client.get("/statements", params={"q": "harbour form*"}).text
    assert html.count('<mark class="term">harbour</mark>') == 2
    assert html.count('<mark class="term">formula</mark>') == 2


def test_short_article_ids_resolve_like_the_cli(client, ids):
    assert items(client, f"/api/v1/articles/{ids['live'][:8]}")["id"] == ids["live"]
    r = client.get(f"/articles/{ids['live'][:8]}", params={"highlight": "s-1-5"}, follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == f"/articles/{ids['live']}?highlight=s-1-5"
    assert_error(client.get("/api/v1/articles/abc"), 404, "NOT_FOUND_ID")  # too short to guess
    assert_error(client.get("/api/v1/articles/%25%25%25%25%25%25"), 404, "NOT_FOUND_ID")


def test_statements_page_says_which_actor_it_is_limited_to(client):
    html = client.get("/statements", params={"actor": "2"}).text
    assert "Tomas Reiner</a> (and actors merged into it)" in html


def test_speaker_filter_follows_merges_both_ways(client):
    # "T. Reiner" was merged into Tomas Reiner: asking for either finds all three statements
    assert items(client, "/api/v1/statements", speaker="T. Reiner")["total"] == 3
    assert items(client, "/api/v1/statements", speaker="Tomas Reiner")["total"] == 3


def test_article_rendering_marks_exactly_each_statements_words_under_random_overlaps():
    import html as htmlmod
    import random

    from storyline.web.render import render_article

    rng = random.Random(5)
    text = " ".join(f"w{i}" for i in range(300))
    statements = []
    for _ in range(60):
        a = rng.randrange(len(text) - 5)
        b = rng.randrange(a + 1, min(len(text), a + 80))
        statements.append({"start": a, "end": b, "text": text[a:b], "kind": rng.choice(["direct", "indirect"]),
                           "speaker": "Ilse Varga", "actor_id": None, "parts": []})
    html = str(render_article({"text": text, "segments": [], "events": [], "statements": statements}))
    pieces = re.findall(r'<span class="[^"]*" data-o="(\d+)" data-st="([^"]*)">([^<]*)</span>', html)
    for s in statements:
        anchor = f"s-{s['start']}-{s['end']}"
        marked = "".join(htmlmod.unescape(t) for _, st, t in pieces if anchor in st.split())
        assert marked == s["text"], anchor
    # the text itself survives intact
    plain = re.sub(r"<a [^>]*>[^<]*</a>|<[^>]+>", "", html)
    assert htmlmod.unescape(plain) == text


def test_cached_counts_follow_new_writes_to_the_ledger(tmp_path):
    db = tmp_path / "live.db"
    build_ledger(db)
    with TestClient(create_app(db)) as c:
        before = items(c, "/api/v1/statements", facets="true", speaker="Officials")
        overview = c.get("/").text
        assert before["total"] == 0
        add_bulk_statements(db, 3)  # another process ingesting meanwhile
        after = items(c, "/api/v1/statements", facets="true", speaker="Officials")
        assert after["total"] == 3 and after["facets"]["outlet"] == [{"value": "Bulk Wire", "count": 3}]
        assert c.get("/").text != overview
