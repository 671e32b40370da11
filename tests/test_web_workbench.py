"""The workbench pages and API over the fixture ledger (fictional people only)."""

from __future__ import annotations

import json

import pytest

from web_fixtures import XSS_QUOTE, build_ledger

TOKEN = "ana:s3cret"


@pytest.fixture
def ledger(tmp_path):
    db = tmp_path / "ledger.db"
    return db, build_ledger(db)


def _client(db, token=None):
    from fastapi.testclient import TestClient

    from storyline.web import create_app

    return TestClient(create_app(db, token=token))


def _export(client) -> dict:
    lines = client.get("/api/v1/statements/export", params={"format": "jsonl"}).text.splitlines()
    return {row["id"]: row for row in map(json.loads, lines)}


def test_workbench_statement_page_shows_context_cluster_and_confidence(ledger):
    db, ids = ledger
    page = _client(db).get(f"/statements/{ids['quote']}")
    assert page.status_code == 200
    body = page.text
    assert '<mark class="hl">The harbour formula remains on the table</mark>' in body
    assert "told reporters after the talks" in body  # the words around it
    assert "Foreign Minister" in body  # role at that date
    assert "confidence 0.90" in body
    assert f"/statements/{ids['quote_copy']}" in body  # the same statement in another outlet
    assert "read-only" in body and 'name="token"' not in body  # no forms without a token


def test_workbench_correction_form_needs_the_token_and_shows_everywhere(ledger):
    db, ids = ledger
    client = _client(db, TOKEN)
    sid = ids["quote"]
    form = {"field": "speaker", "value": "Tomas Reiner", "speaker_type": "person", "note": "misread cue"}
    assert client.post(f"/statements/{sid}/correct", data=form).status_code == 401
    assert client.post(f"/statements/{sid}/correct", data={**form, "token": "ana:wrong"}).status_code == 403
    done = client.post(f"/statements/{sid}/correct", data={**form, "token": TOKEN}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith(f"/statements/{sid}")
    row = _export(client)[sid]
    assert (row["speaker"], row["actor_id"], row["corrected"]) == ("Tomas Reiner", 2, ["speaker"])
    listed = client.get("/api/v1/statements", params={"speaker": "Reiner"}).json()["items"]
    assert sid in [s["id"] for s in listed]
    log = client.get("/api/v1/corrections").json()["items"]
    assert [(c["field"], c["created_by"], c["note"]) for c in log] == [("speaker", "ana", "misread cue")]
    page = client.get(f"/statements/{sid}").text
    assert "corrected: speaker" in page and "misread cue" in page
    # undo from the page's form
    undone = client.post(f"/corrections/{log[0]['id']}/undo", data={"token": TOKEN}, follow_redirects=False)
    assert undone.status_code == 303
    assert _export(client)[sid]["speaker"] == "Ilse Varga"


def test_workbench_read_only_server_refuses_corrections(ledger):
    db, ids = ledger
    client = _client(db)
    r = client.post(f"/statements/{ids['quote']}/correct", data={"field": "kind", "value": "mixed", "token": "x"})
    assert r.status_code == 403
    api = client.post(f"/api/v1/statements/{ids['quote']}/corrections", json={"field": "kind", "value": "mixed"})
    assert api.status_code == 403 and api.json()["error"]["code"] == "READ_ONLY"


def test_workbench_api_corrects_rejects_and_undoes(ledger):
    db, ids = ledger
    client = _client(db, TOKEN)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    sid = ids["quote_copy"]
    bad = client.post(f"/api/v1/statements/{sid}/corrections", json={"field": "kind", "value": "loud"}, headers=headers)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "BAD_OPTION"
    made = client.post(f"/api/v1/statements/{sid}/corrections", json={"field": "not_statement", "note": "a caption"},
                       headers=headers)
    assert made.status_code == 201 and made.json()["created_by"] == "ana"
    assert sid not in _export(client)
    assert client.get(f"/api/v1/statements/{sid}").status_code == 404
    page = client.get(f"/statements/{sid}")
    assert page.status_code == 200 and "Marked not a statement" in page.text and "a caption" in page.text
    assert client.post(f"/api/v1/corrections/{made.json()['id']}/undo", headers=headers).status_code == 200
    assert sid in _export(client)


def test_workbench_actor_prefix_suggestions_are_case_blind_and_escaped(ledger):
    db, _ = ledger
    client = _client(db)
    names = [a["name"] for a in client.get("/api/v1/actors", params={"prefix": "REI"}).json()["items"]]
    assert names == ["Tomas Reiner"]  # the merged "T. Reiner" folds into it
    assert [a["name"] for a in client.get("/api/v1/actors", params={"prefix": "ilse"}).json()["items"]] == ["Ilse Varga"]
    assert client.get("/api/v1/actors", params={"prefix": "%"}).json()["items"] == []
    page = client.get("/statements").text
    assert 'data-suggest="actors"' in page and '<svg class="chart"' in page


def test_workbench_actor_forms_merge_and_alias(ledger):
    db, _ = ledger
    client = _client(db, TOKEN)
    page = client.get("/actors/1").text
    assert 'id="actor-merge"' in page and 'id="actor-alias"' in page
    r = client.post("/actors/1/alias", data={"alias": "Minister Varga", "token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303
    assert "Minister Varga" in client.get("/actors/1").text
    r = client.post("/actors/2/merge", data={"other": XSS_QUOTE, "token": TOKEN}, follow_redirects=False)
    assert r.status_code == 303
    assert any(c["field"] == "merge" for c in client.get("/api/v1/corrections").json()["items"])
    assert "<svg onload" not in client.get("/actors/2").text


def test_workbench_datasette_finds_fts_and_views(ledger):
    """Datasette sees the FTS table (a search box that finds a word) and the SQL views."""
    pytest.importorskip("datasette")
    import asyncio

    from datasette.app import Datasette

    db, _ = ledger

    async def run():
        ds = Datasette([str(db)])
        page = await ds.client.get("/ledger/statements")
        found = await ds.client.get("/ledger/statements.json", params={"_search": "harbour", "_shape": "array"})
        view = await ds.client.get("/ledger/statements_view.json", params={"_shape": "array", "_size": "100"})
        return page, found, view

    page, found, view = asyncio.run(run())
    assert page.status_code == 200 and 'name="_search"' in page.text
    texts = [r["text"] for r in found.json()]
    assert texts and all("harbour" in t.lower() for t in texts)
    rows = view.json()
    assert {"statement", "speaker", "article_title", "outlet", "published", "url"} <= set(rows[0])
    assert "Varga and Reiner meet in Carrow" in {r["article_title"] for r in rows}


def test_workbench_facets_by_speaker_type_via_and_confidence(ledger):
    db, ids = ledger
    import sqlite3

    with sqlite3.connect(db) as conn:  # one statement reported through a (fictional) agency
        conn.execute("UPDATE statements SET via = '[\"Carrow Press Agency\"]', confidence = 0.95 WHERE id = ?",
                     (ids["quote"],))
    client = _client(db)
    page = client.get("/statements").text
    assert "Carrow Press Agency" in page and "at least 0.9" in page and "anonymous" in page
    only = client.get("/api/v1/statements", params={"via": "carrow press agency"}).json()
    assert [s["id"] for s in only["items"]] == [ids["quote"]]
    anonymous = client.get("/api/v1/statements", params={"speaker_type": "anonymous"}).json()["items"]
    assert anonymous and {s["speaker_type"] for s in anonymous} == {"anonymous"}
    assert client.get("/api/v1/statements", params={"speaker_type": "robot"}).status_code == 400
    high = client.get("/statements", params={"min_confidence": "0.9"}).text
    assert 'class="on">at least 0.9' in high
