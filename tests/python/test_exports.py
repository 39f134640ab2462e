"""The exports load into the tools analysts use: networkx reads the GraphML, Kùzu loads the
Neo4j CSV files with COPY, rdflib parses the Turtle; counts and traces match plangraph's.

Run by .ci/run (PLANGRAPH_BIN names the binary; the seeds are ingested into a temporary
data folder)."""

import csv
import json
import os
import subprocess
from pathlib import Path

import kuzu
import networkx as nx
import pytest
import rdflib

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("PLANGRAPH_BIN", str(ROOT / "target" / "debug" / "plangraph"))

TRACE_LABELS = ["depends_on", "issues", "sets_target", "measures", "part_of", "mentions"]


def run(data, *args):
    out = subprocess.run(
        [BIN, "--data", str(data), *args], check=True, capture_output=True, cwd=ROOT
    )
    return out.stdout


@pytest.fixture(scope="session")
def graph(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("plangraph")
    data = tmp / "data"
    run(data, "ingest", str(ROOT / "seeds"))
    run(data, "export", "--format", "graphml", "--out", str(tmp / "g.graphml"))
    run(data, "export", "--format", "turtle", "--out", str(tmp / "g.ttl"))
    run(data, "export", "--format", "neo4j", "--out", str(tmp / "neo4j"))
    stats = json.loads(run(data, "stats", "--json"))
    ranked = json.loads(run(data, "rank", "--limit", "8", "--json"))["entities"]
    entities = [e["id"] for e in ranked]
    # One entity reached through its parts (part_of) as well.
    entities.append(json.loads(run(data, "show", "中科院", "--json"))["node"]["id"])
    traces = {
        e: {g["id"] for g in json.loads(run(data, "trace", e, "--json"))["goals"]}
        for e in entities
    }
    assert any(traces.values()), "the seed has traces"
    return {"dir": tmp, "stats": stats, "traces": traces}


def total(counts):
    return sum(counts.values())


def test_networkx_loads_the_graphml_with_the_same_counts_and_traces(graph):
    g = nx.read_graphml(graph["dir"] / "g.graphml", force_multigraph=True)
    stats = graph["stats"]
    assert g.number_of_nodes() == total(stats["nodes"])
    assert g.number_of_edges() == total(stats["edges"])
    kinds = {}
    for _, d in g.nodes(data=True):
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    assert kinds == stats["nodes"]
    years = {d["year"] for _, d in g.nodes(data=True) if d["kind"] == "goal"}
    assert years == {2021}  # typed: a long key reads back as an int
    assert any("北方基金" in json.loads(d["aliases"]) for _, d in g.nodes(data=True))

    def trace(start):
        # plangraph's trace: walk back along dependency labels, a target only to the goal
        # that sets it, stopping at goals.
        seen, goals, queue = {start}, set(), [start]
        while queue:
            n = queue.pop(0)
            kind = g.nodes[n]["kind"]
            if n != start and kind == "goal":
                goals.add(n)
                continue
            for src, _, d in g.in_edges(n, data=True):
                label = d["label"]
                ok = label == "sets_target" if kind == "target" else label in TRACE_LABELS
                if ok and kind != "goal" and src not in seen:
                    seen.add(src)
                    queue.append(src)
        return goals

    for entity, goals in graph["traces"].items():
        assert trace(entity) == goals, entity


KUZU_TYPES = {"string": "STRING", "long": "INT64", "double": "DOUBLE", "boolean": "BOOLEAN"}


def kuzu_columns(header, skip):
    cols = []
    for h in header[skip:]:
        if h in (":LABEL", ":TYPE"):
            cols.append("neo4j_" + h[1:].lower() + " STRING")
            continue
        name, _, ty = h.partition(":")
        cols.append(f"`{name}` {KUZU_TYPES.get(ty, 'STRING')}")
    return cols


def test_kuzu_loads_the_neo4j_csvs_and_traces_the_same_goals(graph, tmp_path):
    folder = graph["dir"] / "neo4j"
    db = kuzu.Database(str(tmp_path / "kuzu"))
    conn = kuzu.Connection(db)
    rels = {}
    for f in sorted(folder.glob("*.csv")):
        with open(f, newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        if f.name.startswith("nodes_"):
            kind = f.name[len("nodes_"):-len(".csv")]
            assert header[0] == "id:ID"
            cols = ["id STRING PRIMARY KEY"] + kuzu_columns(header, 1)
            conn.execute(f"CREATE NODE TABLE `{kind}`({', '.join(cols)})")
            conn.execute(f"COPY `{kind}` FROM '{f}' (header=true, parallel=false)")
        else:
            label, pair = f.name[len("relationships_"):-len(".csv")].split(".")
            src, dst = pair.split("-")
            assert header[:2] == [":START_ID", ":END_ID"]
            rels.setdefault(label, {"cols": kuzu_columns(header, 2), "files": []})
            rels[label]["files"].append((src, dst, f))
    for label, r in rels.items():
        pairs = ", ".join(f"FROM `{s}` TO `{d}`" for s, d, _ in r["files"])
        conn.execute(f"CREATE REL TABLE `{label}`({pairs}, {', '.join(r['cols'])})")
        for s, d, f in r["files"]:
            conn.execute(
                f"COPY `{label}` FROM '{f}' (from='{s}', to='{d}', header=true, parallel=false)"
            )
    stats = graph["stats"]
    for kind, n in stats["nodes"].items():
        got = conn.execute(f"MATCH (n:`{kind}`) RETURN count(*)").get_next()[0]
        assert got == n, kind
    for label, n in stats["edges"].items():
        got = conn.execute(f"MATCH ()-[r:`{label}`]->() RETURN count(*)").get_next()[0]
        assert got == n, label

    labels = "|".join(TRACE_LABELS)
    for entity, goals in graph["traces"].items():
        res = conn.execute(
            f"MATCH (g:goal)-[:{labels}*1..10]->(e) WHERE e.id = $id RETURN DISTINCT g.id",
            {"id": entity},
        )
        found = set()
        while res.has_next():
            found.add(res.get_next()[0])
        assert found == goals, entity


def test_rdflib_parses_the_turtle_and_sparql_traces_the_same_goals(graph):
    g = rdflib.Graph()
    g.parse(graph["dir"] / "g.ttl", format="turtle")
    pg = rdflib.Namespace("https://plangraph.invalid/vocab#")
    node = "https://plangraph.invalid/node/"
    stats = graph["stats"]
    goals = set(g.subjects(rdflib.RDF.type, pg.Goal))
    assert len(goals) == stats["nodes"]["goal"]
    assert len(set(g.subjects(rdflib.RDF.type, pg.SourceDocument))) == stats["documents"]
    # Every statement with evidence is derived from a sentence quoted from a source document.
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    derived = list(g.subject_objects(prov.wasDerivedFrom))
    assert derived
    for _, ev in derived:
        assert g.value(ev, pg.sentence) is not None
        assert (g.value(ev, prov.wasQuotedFrom), rdflib.RDF.type, pg.SourceDocument) in g
    path = "|".join(f"rel:{l}" for l in TRACE_LABELS)
    for entity, expected in graph["traces"].items():
        rows = g.query(
            f"SELECT DISTINCT ?g WHERE {{ ?g a pg:Goal ; ({path})+ <{node}{entity}> }}",
            initNs={"pg": pg, "rel": rdflib.Namespace("https://plangraph.invalid/relation#")},
        )
        found = {str(r[0])[len(node):] for r in rows}
        assert found == expected, entity
