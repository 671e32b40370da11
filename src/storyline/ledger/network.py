"""Discourse networks: actor × issue × position, as DNA users take them to network tools.

- `edges(conn, issues)`: one row per statement on an issue (actor, issue, position, date,
  statement id, outlet, how the position was decided), the CSV edge list.
- `bipartite(rows)`: actor–issue graph, one edge per actor, issue and position, weighted
  by statements (a statement several outlets carried counts once; `reports` counts each),
  with their ids and first and last dates.
- `congruence(rows)`: actor–actor graph over the issues; two actors who take the same
  side (support or oppose) on an issue are tied by congruence, opposite sides by conflict
  (weight = issues shared that way). Neutral positions tie no one.
- `write_csv` / `write_graphml`: either graph (or the raw edge list) to a text stream.
"""

from __future__ import annotations

import csv
import sqlite3
from collections import defaultdict
from itertools import combinations
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from storyline.ledger import issues as issues_module

EDGE_FIELDS = ["actor", "actor_id", "issue", "position", "date", "statement_id", "cluster_id", "article_id", "outlet",
               "method", "corrected"]
KINDS = ("bipartite", "congruence")
FORMATS = ("csv", "graphml")


def edges(conn: sqlite3.Connection, issue_names: list[str], since: str | None = None,
          until: str | None = None, anonymous: bool = False) -> list[dict]:
    """One row per statement on the issues. Statements without a named speaker (unknown or
    anonymous sources) are not actors of a network and are left out unless `anonymous`."""
    rows = []
    for name in issue_names:
        issue = issues_module.get_issue(conn, name)
        for item in issues_module.issue_positions(conn, issue["name"], since, until):
            if not anonymous and (not item["speaker"] or item["speaker_type"] in ("anonymous", "unknown")):
                continue
            rows.append({"actor": item["actor"], "actor_id": item["actor_id"], "issue": issue["name"],
                         "position": item["position"], "date": item["day"], "statement_id": item["id"],
                         "cluster_id": issues_module.utterance(item),
                         "article_id": item["article_id"], "outlet": item["outlet"],
                         "method": item["suggestion"]["method"], "corrected": item["correction"] is not None})
    return rows


def bipartite(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Nodes (actors and issues) and edges (actor, issue, position) with weights."""
    nodes: dict[str, dict] = {}
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        nodes.setdefault("actor:" + r["actor"], {"id": "actor:" + r["actor"], "label": r["actor"], "kind": "actor"})
        nodes.setdefault("issue:" + r["issue"], {"id": "issue:" + r["issue"], "label": r["issue"], "kind": "issue"})
        grouped[("actor:" + r["actor"], "issue:" + r["issue"], r["position"])].append(r)
    out = []
    for (source, target, position), rs in sorted(grouped.items()):
        dates = sorted(r["date"] for r in rs if r["date"])
        out.append({"source": source, "target": target, "position": position,
                    "weight": len({r["cluster_id"] for r in rs}), "reports": len(rs),
                    "first": dates[0] if dates else "", "last": dates[-1] if dates else "",
                    "statements": " ".join(r["statement_id"] for r in rs)})
    return sorted(nodes.values(), key=lambda n: n["id"]), out


def congruence(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Actor nodes and actor–actor edges: `congruence` (same side) and `conflict` (opposite)."""
    sides: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))  # issue -> actor -> {positions}
    statements: dict[tuple, list[str]] = defaultdict(list)
    for r in rows:
        if r["position"] in ("support", "oppose"):
            sides[r["issue"]][r["actor"]].add(r["position"])
            statements[(r["issue"], r["actor"])].append(r["statement_id"])
    nodes = {a: {"id": "actor:" + a, "label": a, "kind": "actor"} for r in rows for a in [r["actor"]]}
    ties: dict[tuple, dict] = {}
    for issue, actors in sides.items():
        for a, b in combinations(sorted(actors), 2):
            for kind, hit in (("congruence", bool(actors[a] & actors[b])),
                              ("conflict", ("support" in actors[a] and "oppose" in actors[b])
                               or ("oppose" in actors[a] and "support" in actors[b]))):
                if not hit:
                    continue
                tie = ties.setdefault((a, b, kind), {"source": "actor:" + a, "target": "actor:" + b, "type": kind,
                                                     "weight": 0, "issues": [], "statements": []})
                tie["weight"] += 1
                tie["issues"].append(issue)
                tie["statements"] += statements[(issue, a)] + statements[(issue, b)]
    out = []
    for key in sorted(ties):
        tie = ties[key]
        out.append(dict(tie, issues=" ".join(tie["issues"]), statements=" ".join(dict.fromkeys(tie["statements"]))))
    return sorted(nodes.values(), key=lambda n: n["id"]), out


def write_csv(out: TextIO, rows: list[dict], kind: str | None) -> int:
    """The edge list (kind None: one row per statement) or a graph's edges, as CSV."""
    if kind is None:
        fields, data = EDGE_FIELDS, rows
    else:
        _, data = bipartite(rows) if kind == "bipartite" else congruence(rows)
        fields = (["source", "target", "position", "weight", "reports", "first", "last", "statements"]
                  if kind == "bipartite"
                  else ["source", "target", "type", "weight", "issues", "statements"])
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in data:
        writer.writerow(row)
    return len(data)


def write_graphml(out: TextIO, rows: list[dict], kind: str) -> int:
    """The bipartite or congruence graph as GraphML (yEd, Gephi, visone, igraph, networkx)."""
    nodes, data = bipartite(rows) if kind == "bipartite" else congruence(rows)
    edge_keys = (["position", "weight", "reports", "first", "last", "statements"] if kind == "bipartite"
                 else ["type", "weight", "issues", "statements"])
    types = {"weight": "int", "reports": "int"}
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
              'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
              'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
              'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    out.writelines(f'  <key id="{key}" for="node" attr.name="{key}" attr.type="string"/>\n' for key in ("label", "kind"))
    out.writelines(f'  <key id="{key}" for="edge" attr.name="{key}" attr.type="{types.get(key, "string")}"/>\n' for key in edge_keys)
    directed = "directed" if kind == "bipartite" else "undirected"
    out.write(f'  <graph id="{kind}" edgedefault="{directed}">\n')
    out.writelines(f'    <node id={quoteattr(n["id"])}><data key="label">{escape(n["label"])}</data>'
                  f'<data key="kind">{n["kind"]}</data></node>\n' for n in nodes)
    for i, e in enumerate(data):
        out.write(f'    <edge id="e{i}" source={quoteattr(e["source"])} target={quoteattr(e["target"])}>')
        out.writelines(f'<data key="{key}">{escape(str(e[key]))}</data>' for key in edge_keys)
        out.write("</edge>\n")
    out.write("  </graph>\n</graphml>\n")
    return len(data)
