"""Discourse-network export: CSV edge list, GraphML bipartite and congruence/conflict."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from outlets_fixtures import build_outlets_ledger
from typer.testing import CliRunner

from storyline.cli.app import app
from storyline.ledger import issues, network
from storyline.ledger.store import Store

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "ledger.db"
    build_outlets_ledger(path)
    with Store(path) as store:
        issues.add_issue(store, "ceasefire", "ceasefire OR truce")
        issues.add_issue(store, "harbour formula", '"harbour formula"')
    return path


def _rows(db, names):
    with Store(db) as store:
        return network.edges(store.conn, names)


def test_network_edges_leave_out_anonymous_sources_and_keep_statement_ids(db):
    rows = _rows(db, ["ceasefire"])
    assert {r["actor"] for r in rows} == {"Ilse Varga", "Tomas Reiner"}
    assert all(r["statement_id"] and r["date"] for r in rows)
    with Store(db) as store:
        with_anonymous = network.edges(store.conn, ["ceasefire"], anonymous=True)
    assert "anonymous" in {r["actor"] for r in with_anonymous}


def test_network_bipartite_weights_one_edge_per_actor_issue_position(db):
    nodes, edges = network.bipartite(_rows(db, ["ceasefire", "harbour formula"]))
    assert {n["id"] for n in nodes if n["kind"] == "issue"} == {"issue:ceasefire", "issue:harbour formula"}
    reiner = [e for e in edges if e["source"] == "actor:Tomas Reiner" and e["target"] == "issue:ceasefire"]
    assert len(reiner) == 1 and reiner[0]["position"] == "oppose" and reiner[0]["weight"] == 2
    assert len(reiner[0]["statements"].split()) == 2


def test_network_congruence_and_conflict_between_actors(db):
    rows = _rows(db, ["ceasefire"])
    _, edges = network.congruence(rows)
    assert [(e["source"], e["target"], e["type"], e["weight"]) for e in edges] == [
        ("actor:Ilse Varga", "actor:Tomas Reiner", "conflict", 1)]
    # two actors on the same side are congruent
    same = [dict(r, actor="Mira Tan") for r in rows if r["actor"] == "Tomas Reiner"] + rows
    _, edges = network.congruence(same)
    assert ("actor:Mira Tan", "actor:Tomas Reiner", "congruence") in {(e["source"], e["target"], e["type"]) for e in edges}


def test_network_graphml_parses_and_carries_the_attributes(db):
    out = io.StringIO()
    n = network.write_graphml(out, _rows(db, ["ceasefire"]), "bipartite")
    root = ET.fromstring(out.getvalue())
    graph = root.find("g:graph", NS)
    assert graph.get("edgedefault") == "directed"
    edges = graph.findall("g:edge", NS)
    assert len(edges) == n > 0
    keys = {k.get("id"): k.get("attr.name") for k in root.findall("g:key", NS)}
    assert {"position", "weight", "statements"} <= set(keys.values())


def test_cli_export_network_csv_and_graphml(db, tmp_path):
    run = CliRunner().invoke
    result = run(app, ["export", "network", "--db", str(db), "--issue", "ceasefire", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and set(network.EDGE_FIELDS) == set(rows[0])
    out = tmp_path / "net.graphml"
    result = run(app, ["export", "network", "--db", str(db), "--format", "graphml", "--graph", "congruence",
                       "--since", "2026-03-01", "--until", "2026-03-31", "-o", str(out)])
    assert result.exit_code == 0 and "edge(s) written" in result.output
    assert ET.parse(out).getroot().find("g:graph", NS).get("edgedefault") == "undirected"
    bad = run(app, ["export", "network", "--db", str(db), "--format", "graphml", "--graph", "statements"])
    assert bad.exit_code == 2 and "--graph" in bad.output
    assert run(app, ["export", "network", "--db", str(db), "--format", "dot"]).exit_code == 2


def test_network_a_statement_carried_by_two_outlets_weighs_once(db):
    rows = _rows(db, ["harbour formula"])
    varga = [r for r in rows if r["actor"] == "Ilse Varga"]
    assert len(varga) == 2 and len({r["cluster_id"] for r in varga}) == 1  # Harbour Times and Northline
    _, edges = network.bipartite(rows)
    edge = next(e for e in edges if e["source"] == "actor:Ilse Varga")
    assert (edge["weight"], edge["reports"]) == (1, 2)
