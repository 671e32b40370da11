"""Web pages and API for outlets, left-out statements, issues and the network export."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from fastapi.testclient import TestClient
from outlets_fixtures import build_outlets_ledger
from web_fixtures import XSS_IMG

from storyline.ledger import issues
from storyline.ledger.store import Store
from storyline.web import create_app

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("outlets-web") / "ledger.db"
    ids = build_outlets_ledger(path)
    with Store(path) as store:
        issues.add_issue(store, "ceasefire", "ceasefire OR truce", "the truce of March")
    return path, ids


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db[0]), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def writer(tmp_path):
    path = tmp_path / "ledger.db"
    build_outlets_ledger(path)
    with TestClient(create_app(path, token=TOKEN), raise_server_exceptions=False) as c:
        yield c


def _links(page: str, pattern: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', page) if re.search(pattern, unescape(h))]


def test_web_outlets_page_lists_outlets_and_escapes_names(client):
    r = client.get("/outlets")
    assert r.status_code == 200
    assert "Daily Beacon" in r.text and "/outlets/Daily%20Beacon" in r.text
    assert XSS_IMG not in r.text  # the fixture's hostile outlet name is escaped


def test_web_outlet_page_figures_link_to_their_statements(client, db):
    r = client.get("/outlets/Daily Beacon")
    assert r.status_code == 200
    page = r.text
    hedged = re.search(r'id="stat-hedged" href="([^"]+)"', page).group(1)
    listed = client.get(unescape(hedged))
    assert listed.status_code == 200
    assert listed.text.count('class="quote-link"') == 1 and "would never accept the truce" in listed.text
    # a cue figure needs a filter the main statements page lacks: it opens the figure page
    cue_links = _links(page, r"^/outlets/statements\?.*cue=reject")
    assert cue_links
    shown = client.get(cue_links[0])
    assert re.search(r'id="total">1<', shown.text) and "the ceasefire as a trap" in shown.text
    # an actor figure opens the main statements page
    assert _links(page, r"^/statements\?.*actor=2")


def test_web_outlet_page_shows_what_it_left_out_with_the_reason(client, db):
    page = client.get("/outlets/Daily Beacon").text
    table = page[page.index('id="left-out-table"'):]
    assert "The harbour formula remains on the table" in table and "same actor: Ilse Varga" in table
    assert "Harbour Times, Northline" in table


def test_web_compare_links_to_the_outlets_that_left_it_out(client, db):
    _, ids = db
    compare = client.get("/compare", params={"statement": ids["quote"]}).text
    link = _links(compare, r"^/left-out\?")[0]
    page = client.get(link)
    assert page.status_code == 200 and "Daily Beacon" in page.text


def test_web_issue_page_heat_strip_statements_and_evidence(client):
    r = client.get("/issues/ceasefire")
    assert r.status_code == 200
    page = r.text
    assert page.count('<rect class="cell"') >= 3  # Varga 3 Mar, Varga 4 Mar, Reiner 3 Mar, anonymous 3 Mar
    cell = _links(page, r"^/issues/ceasefire\?actor=Tomas")[0]
    only = client.get(cell).text
    assert only.count('<tr class="pos-oppose">') == 2 and 'class="pos-support"' not in only
    assert '<mark class="ev ev-negator"' in only  # "never" shown as the evidence
    for fmt in ("format=csv", "format=graphml&graph=congruence"):
        assert any(fmt in h for h in _links(page, r"/network\?"))


def test_web_issue_position_filter_and_bad_values(client):
    assert client.get("/issues/ceasefire", params={"position": "support"}).text.count('<tr class="pos-') == 1
    assert client.get("/issues/ceasefire", params={"position": "maybe"}).status_code == 400
    assert client.get("/issues/nothing").status_code == 404
    assert client.get("/outlets/Daily Beacon", params={"since": "yesterday"}).status_code == 400
    assert client.get("/outlets/statements", params={"actor": "one"}).status_code == 400


def test_api_outlets_profile_left_out_and_issue(client, db):
    _, ids = db
    assert {o["outlet"] for o in client.get("/api/v1/outlets").json()["outlets"]} >= {"Daily Beacon"}
    p = client.get("/api/v1/outlets/daily beacon").json()
    assert p["outlet"] == "Daily Beacon" and p["statements"] == 4
    missing = client.get("/api/v1/left-out", params={"cluster": ids["quote"]}).json()["left_out"]
    assert [m["outlet"] for m in missing] == ["Daily Beacon"]
    issue = client.get("/api/v1/issues/ceasefire").json()
    assert {s["position"] for s in issue["statements"]} == {"support", "oppose", "neutral"}
    err = client.get("/api/v1/outlets/Nowhere")
    assert err.status_code == 404 and err.json()["error"]["code"] == "NOT_FOUND_ID"


def test_api_issue_network_downloads(client):
    r = client.get("/api/v1/issues/ceasefire/network", params={"format": "graphml", "graph": "bipartite"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert ET.fromstring(r.text).tag.endswith("graphml")
    r = client.get("/api/v1/issues/ceasefire/network", params={"format": "csv"})
    assert r.text.splitlines()[0].startswith("actor,actor_id,issue,position")
    assert client.get("/api/v1/issues/ceasefire/network", params={"format": "graphml",
                                                                  "graph": "statements"}).status_code == 400


def test_web_issue_form_is_refused_without_a_token_server(client):
    r = client.post("/issues", data={"name": "levy", "query": "levy"})
    assert r.status_code == 403 and "read-only" in r.text
    assert client.post("/api/v1/issues", json={"name": "levy", "query": "levy"}).status_code == 403


def test_web_issue_form_adds_an_issue_with_the_token(writer):
    wrong = writer.post("/issues", data={"name": "truce", "query": "truce", "token": "nope"})
    assert wrong.status_code == 400 and "does not match" in wrong.text
    bad = writer.post("/issues", data={"name": "truce", "query": '"open', "token": TOKEN})
    assert bad.status_code == 400 and "BAD_OPTION" in bad.text
    ok = writer.post("/issues", data={"name": "truce", "query": "truce", "token": TOKEN}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/issues/truce"
    assert "he would never accept the truce" in writer.get("/issues/truce").text
    api = writer.post("/api/v1/issues", json={"name": "formula", "query": '"harbour formula"'},
                      headers={"Authorization": f"Bearer {TOKEN}"})
    assert api.status_code == 201 and api.json()["name"] == "formula"
    gone = writer.delete("/api/v1/issues/formula", headers={"X-Storyline-Token": TOKEN})
    assert gone.status_code == 200 and writer.get("/api/v1/issues/formula").status_code == 404


def test_web_outlet_pages_escape_hostile_names_and_take_slashes(client):
    from storyline.web.outlets import outlet_href

    r = client.get(outlet_href(f"Evil{XSS_IMG}Outlet"))
    assert r.status_code == 200 and XSS_IMG not in r.text and "Evil&lt;img" in r.text
    assert client.get(outlet_href("Wire/World")).status_code == 404  # a name with a slash is routed, not mangled
    assert client.get("/api/v1/outlets/" + "Wire%2FWorld").json()["error"]["code"] == "NOT_FOUND_ID"
