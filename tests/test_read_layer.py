"""The read layer (ledger/queries.py): one statement filter for the CLI, exports and the API.

The same filter run through `storyline statements`, `storyline export statements`,
`find_statements` and `GET /api/v1/statements` gives the same rows.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli.app import app as cli
from storyline.ledger.queries import BadFilter, StatementFilter, find_statements, parse_statement_filter
from storyline.ledger.store import connect
from storyline.web import create_app
from web_fixtures import build_ledger

runner = CliRunner()


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    db = tmp_path_factory.mktemp("read-layer") / "ledger.db"
    build_ledger(db)
    conn = connect(db)
    with conn:
        # Only full names in the registry: a surname must still find its actor.
        conn.execute("DELETE FROM actor_aliases WHERE norm IN ('varga', 'reiner')")
        # Confidences spread out so that min_confidence has something to cut.
        conn.execute("UPDATE statements SET confidence = 0.4 WHERE kind = 'indirect'")
        conn.execute("UPDATE statements SET confidence = 0.95 WHERE kind = 'mixed'")
    conn.close()
    return str(db)


@pytest.fixture(scope="module")
def client(ledger):
    with TestClient(create_app(ledger), raise_server_exceptions=False) as c:
        yield c


def cli_ids(ledger: str, *args: str) -> list[str]:
    result = runner.invoke(cli, ["statements", "--db", ledger, "--json", "--limit", "0", *args])
    assert result.exit_code == 0, result.output
    return sorted(json.loads(line)["id"] for line in result.output.splitlines() if line.strip())


def export_ids(ledger: str, *args: str) -> list[str]:
    result = runner.invoke(cli, ["export", "statements", "--db", ledger, "--format", "jsonl", *args])
    assert result.exit_code == 0, result.output
    return sorted(json.loads(line)["id"] for line in result.output.splitlines() if line.strip())


def api_ids(client, **params) -> list[str]:
    r = client.get("/api/v1/statements", params={"format": "jsonl", **params})
    assert r.status_code == 200, r.text
    return sorted(json.loads(line)["id"] for line in r.text.splitlines() if line.strip())


CASES = [
    {"speaker": "Varga"},              # surname only: no alias "varga" in the registry
    {"speaker": "VARGA"},
    {"speaker": "ilse  varga"},
    {"speaker": "T. Reiner"},          # merged into Tomas Reiner: the whole family
    {"speaker": "reiner"},
    {"speaker": "ostmark OFFICIALS"},  # no actor: the stored speaker string, case-blind
    {"outlet": "harbour times"},
    {"since": "2026-03-04", "until": "2026-03"},
    {"until": "2026-03-03"},
    {"search": "harbour formula"},
    {"kind": "indirect"},
    {"min_confidence": "0.9"},
    {"speaker": "Varga", "min_confidence": "0.5", "outlet": "Northline"},
]


def _cli_args(case: dict) -> list[str]:
    return [arg for key, value in case.items() for arg in (f"--{key.replace('_', '-')}", value)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_cli_export_library_and_api_return_the_same_rows(ledger, client, case):
    api_params = {("q" if k == "search" else k): v for k, v in case.items()}
    via_api = api_ids(client, **api_params)
    via_cli = cli_ids(ledger, *_cli_args(case))
    conn = connect(ledger, readonly=True)
    via_library = sorted(r["id"] for r in find_statements(conn, parse_statement_filter(case)))
    conn.close()
    assert via_api == via_cli == via_library
    if "kind" not in case and "search" not in case:
        assert via_cli == export_ids(ledger, *_cli_args(case))


def test_speaker_filter_finds_surname_any_case_and_follows_merges(ledger):
    conn = connect(ledger, readonly=True)
    by_surname = list(find_statements(conn, StatementFilter(speaker="varga")))
    assert by_surname and {r["speaker"] for r in by_surname} == {"Ilse Varga"}
    family = {r["actor_id"] for r in find_statements(conn, StatementFilter(speaker="T. Reiner"))}
    assert family == {2, 3}
    # a surname is a whole word at the end: no match inside a word or on a first name
    assert list(find_statements(conn, StatementFilter(speaker="arga"))) == []
    assert list(find_statements(conn, StatementFilter(speaker="Ilse"))) == []
    conn.close()


def test_min_confidence_keeps_only_confident_statements(ledger):
    conn = connect(ledger, readonly=True)
    rows = list(find_statements(conn, StatementFilter(min_confidence=0.9)))
    assert rows and all(r["confidence"] >= 0.9 for r in rows)
    every = list(find_statements(conn, StatementFilter()))
    assert len(rows) == sum(1 for r in every if r["confidence"] is not None and r["confidence"] >= 0.9) < len(every)
    conn.close()


@pytest.mark.parametrize("params, option", [
    ({"min_confidence": "high"}, "min_confidence"), ({"min_confidence": "1.5"}, "min_confidence"),
    ({"since": "March"}, "since"), ({"kind": "rumour"}, "kind"), ({"actor": "9" * 30}, "actor"),
    ({"colour": "red"}, "colour"),
])
def test_bad_filter_values_are_bad_filter_errors(params, option):
    with pytest.raises(BadFilter) as err:
        parse_statement_filter(params)
    assert option in err.value.message


def test_bad_min_confidence_is_a_clear_error_in_cli_and_api(ledger, client):
    result = runner.invoke(cli, ["statements", "--db", ledger, "--min-confidence", "2"])
    assert result.exit_code == 2 and "BAD_OPTION" in result.output
    r = client.get("/api/v1/statements", params={"min_confidence": "2"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "BAD_OPTION"


def test_web_statements_page_has_a_min_confidence_filter(client):
    page = client.get("/statements", params={"min_confidence": "0.9"})
    assert page.status_code == 200
    assert 'name="min_confidence" value="0.9"' in page.text
    every = client.get("/statements").text
    assert 0 < page.text.count("<tr>") - 1 < every.count("<tr>") - 1  # rows, less the header row
