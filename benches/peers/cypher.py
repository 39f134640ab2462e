"""Kùzu and LadybugDB (a fork of Kùzu; one engine a process, their Python modules cannot
share one): plangraph's export as one node table and one relationship table, loaded with
COPY from CSV. Search is CONTAINS over the goal's title, content and benchmark (exact
substring totals; ranked title matches first, then shorter goals), since Kùzu's FTS
extension splits on spaces and so cannot count Chinese substrings; LadybugDB would have to
download its FTS extension."""

import csv
import importlib
import os
import sys
import tempfile
import time

import common

module = sys.argv.pop(1)  # kuzu | ladybug
K = importlib.import_module(module)
export, questions, out, rounds, repeat = common.args()
nodes, edges = common.load_export(export)
folder = tempfile.mkdtemp(dir=os.environ.get("PEERS_WORK"))
ncsv, ecsv = os.path.join(folder, "nodes.csv"), os.path.join(folder, "edges.csv")
ncols = ["id", "kind", "name", "content", "benchmark", "unit", "year", "cat", "category", "num", "number", "props"]
with open(ncsv, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(ncols)
    for n in nodes:
        w.writerow([n[c] for c in ncols])
with open(ecsv, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["from", "to", "label", "walk", "props"])
    for e in edges:
        w.writerow([e["source"], e["target"], e["label"], "true" if e["walk"] else "false", e["props"]])

t0 = time.perf_counter()
db = K.Database(os.path.join(folder, "db"))
conn = K.Connection(db)
conn.execute("CREATE NODE TABLE N(id STRING PRIMARY KEY, kind STRING, name STRING, content STRING, "
             "benchmark STRING, unit STRING, year INT64, cat INT64, category STRING, num INT64, "
             "number STRING, props STRING)")
conn.execute("CREATE REL TABLE E(FROM N TO N, label STRING, walk BOOLEAN, props STRING)")
conn.execute(f"""COPY N FROM '{ncsv}' (HEADER=true, PARALLEL=false, QUOTE='"', ESCAPE='"')""")
conn.execute(f"""COPY E FROM '{ecsv}' (HEADER=true, PARALLEL=false, QUOTE='"', ESCAPE='"')""")
load_s = time.perf_counter() - t0


def rows(q, params=None):
    r = conn.execute(q, params or {})
    out_ = []
    while r.has_next():
        out_.append(r.get_next())
    return out_


MATCHES = "g.kind = 'goal' AND (g.name CONTAINS $q OR g.content CONTAINS $q OR g.benchmark CONTAINS $q)"


def search(q):
    total = rows(f"MATCH (g:N) WHERE {MATCHES} RETURN count(*)", {"q": q})[0][0]
    hits = rows(f"MATCH (g:N) WHERE {MATCHES} "
                "RETURN g.id, g.name, g.content ORDER BY CASE WHEN g.name CONTAINS $q THEN 0 ELSE 1 END, "
                "size(g.content), g.id LIMIT 10", {"q": q})
    return {"total": total, "ids": [h[0] for h in hits]}


REACH = "MATCH (g:N)-[:E*1..4 (r, _ | WHERE r.walk)]->(x:N {id: $id}) WHERE g.kind = 'goal' WITH DISTINCT g "


def trace(entity):
    total = rows(REACH + "RETURN count(*)", {"id": entity})[0][0]
    page = rows(REACH + "RETURN g.id, g.name, g.unit, g.year, g.category, g.number "
                "ORDER BY g.unit, g.year, g.cat, g.category, g.num, g.number, g.id LIMIT 20", {"id": entity})
    return {"total": total, "ids": [p[0] for p in page]}


def hop2(center):
    ring = [r[0] for r in rows("MATCH (c:N {id: $id})-[:E]-(a:N) WHERE a.id <> $id RETURN DISTINCT a.id",
                               {"id": center})]
    ids = [center] + ring[:499]
    room = 500 - len(ids)
    if room > 0:
        ids += [r[0] for r in rows(
            "MATCH (c:N {id: $id})-[:E]-(a:N)-[:E]-(b:N) WHERE b.id <> $id AND NOT b.id IN $ring "
            "RETURN DISTINCT b.id LIMIT $room", {"id": center, "ring": ring, "room": room})]
    got = rows("MATCH (n:N) WHERE n.id IN $ids RETURN n.id, n.kind, n.name, n.props", {"ids": ids})
    assert len(got) == len(ids)
    es = rows("MATCH (a:N)-[e:E]->(b:N) WHERE a.id IN $ids AND b.id IN $ids "
              "RETURN a.id, e.label, b.id, e.props", {"ids": ids})
    return common.hop2_digest(center, ids, [(e[0], e[2]) for e in es])


names = {"kuzu": "Kùzu", "ladybug": "LadybugDB"}
result = common.time_engine(
    names[module], questions, {"search": search, "trace": trace, "hop2": hop2}, rounds, repeat,
    load_s, {"version": K.__version__})
common.write(out, result)
