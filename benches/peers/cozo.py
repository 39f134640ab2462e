"""CozoDB (cozo-embedded, in-memory engine): plangraph's export as two stored relations
(an index on edges by target for walking back), queried in CozoScript. Search is
str_includes over the goal's title, content and benchmark (exact substring totals; ranked
title matches first, then shorter goals): Cozo's FTS tokenizers do not count Chinese
substrings exactly."""

import os
import time

from cozo_embedded import CozoDbPy

import common

export, questions, out, rounds, repeat = common.args()
nodes, edges = common.load_export(export)
t0 = time.perf_counter()
db = CozoDbPy("mem", "", "{}")


def run(script, params=None, immutable=True):
    import json
    r = db.run_script(script, params or {}, immutable)
    if isinstance(r, str):
        r = json.loads(r)
    if not r.get("ok", True):
        raise RuntimeError(r.get("display") or r.get("message") or str(r))
    return r["rows"]


run(":create node {id: String => kind: String, name: String, content: String, benchmark: String, "
    "unit: String, year: Int, cat: Int, category: String, num: Int, number: String, props: String}", immutable=False)
run(":create edge {source: String, label: String, target: String => walk: Bool, props: String}", immutable=False)
ncols = ["id", "kind", "name", "content", "benchmark", "unit", "year", "cat", "category", "num", "number", "props"]
ecols = ["source", "label", "target", "walk", "props"]
db.import_relations({
    "node": {"headers": ncols, "rows": [[n[c] for c in ncols] for n in nodes]},
    "edge": {"headers": ecols, "rows": [[e[c] for c in ecols] for e in edges]},
})
run("::index create edge:back {target, label, source}", immutable=False)
load_s = time.perf_counter() - t0

MATCHES = ("*node{id, kind: 'goal', name, content, benchmark}, "
           "(str_includes(name, $q) || str_includes(content, $q) || str_includes(benchmark, $q))")


def search(q):
    total = run(f"?[count(id)] := {MATCHES}", {"q": q})[0][0]
    hits = run(f"?[t, len, id, name] := {MATCHES}, t = if(str_includes(name, $q), 0, 1), len = length(content) "
               ":order t, len, id :limit 10", {"q": q})
    return {"total": total, "ids": [h[2] for h in hits]}


REACH = """
reach[n] := *edge{source: n, target: $id, walk: true}
reach[n] := reach[m], *edge{source: n, target: m, walk: true}
goals[id, unit, year, cat, category, num, number, name] :=
    reach[id], *node{id, kind: 'goal', name, unit, year, cat, category, num, number}
"""


def trace(entity):
    total = run(REACH + "?[count(id)] := goals[id, _, _, _, _, _, _, _]", {"id": entity})
    page = run(REACH + "?[unit, year, cat, category, num, number, id, name] := "
               "goals[id, unit, year, cat, category, num, number, name] "
               ":order unit, year, cat, category, num, number, id :limit 20", {"id": entity})
    return {"total": total[0][0] if total else 0, "ids": [p[6] for p in page]}


def hop2(center):
    ring = [r[0] for r in run("?[n] := *edge{source: $id, target: n}, n != $id\n"
                              "?[n] := *edge{target: $id, source: n}, n != $id", {"id": center})]
    ids = [center] + ring[:499]
    room = 500 - len(ids)
    if room > 0:
        ids += [r[0] for r in run(
            "h1[n] := n = $id\nh1[n] := *edge{source: $id, target: n}\nh1[n] := *edge{target: $id, source: n}\n"
            "h2[n] := h1[m], *edge{source: m, target: n}\nh2[n] := h1[m], *edge{target: m, source: n}\n"
            "?[n] := h2[n], not h1[n] :limit $room", {"id": center, "room": room})]
    got = run("?[id, kind, name, props] := id in $ids, *node{id, kind, name, props}", {"ids": ids})
    assert len(got) == len(ids)
    es = run("?[s, l, t, p] := s in $ids, *edge{source: s, label: l, target: t, props: p}, is_in(t, $ids)",
             {"ids": ids})
    return common.hop2_digest(center, ids, [(e[0], e[2]) for e in es])


result = common.time_engine(
    "CozoDB", questions, {"search": search, "trace": trace, "hop2": hop2}, rounds, repeat,
    load_s, {"version": "0.7.6 (mem)"})
common.write(out, result)
