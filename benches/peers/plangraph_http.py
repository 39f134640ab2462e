"""plangraph over HTTP: one persistent keep-alive connection (http.client), the same
questions as the peers, and the floor: GET /health over the same connection.

    plangraph_http.py HOST:PORT QUESTIONS OUT [ROUNDS REPEAT]
"""

import http.client
import json
import sys
import urllib.parse

import common

addr = sys.argv.pop(1)
# The same arguments as the engines, with the server's address in place of the export.
sys.argv.insert(1, "-")
_, questions, out, rounds, repeat = common.args()
host, port = addr.rsplit(":", 1)
conn = http.client.HTTPConnection(host, int(port))


def get(path):
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        raise RuntimeError(f"{path}: {r.status} {body[:300]!r}")
    return json.loads(body)


q = urllib.parse.quote


def search(word):
    r = get(f"/api/search?q={q(word)}&kind=goal&limit=10")
    return {"total": r["total"], "ids": [h["id"] for h in r["hits"]]}


def trace(entity):
    r = get(f"/api/trace?name={q(entity)}&limit=20")
    return {"total": r["total"], "ids": [g["id"] for g in r["goals"]]}


def hop2(center):
    # the shape (node ids, edge identities): what the peers answer
    r = get(f"/api/nodes/{q(center, safe='')}/neighbors?depth=2&limit=500&fields=ids")
    return common.hop2_digest(center, [n["id"] for n in r["nodes"]],
                              [(e["source"], e["target"]) for e in r["edges"]])


def hop2_full(center):
    # whole nodes and every edge's evidence sentence: what the page shows
    r = get(f"/api/nodes/{q(center, safe='')}/neighbors?depth=2&limit=500")
    return common.hop2_digest(center, [n["id"] for n in r["nodes"]],
                              [(e["source"], e["target"]) for e in r["edges"]])


def health(_):
    return get("/health")


questions = dict(questions)
questions["health"] = ["/health"] * max(len(v) for v in questions.values())
questions["hop2_full"] = questions["hop2"]
result = common.time_engine("plangraph (HTTP)", questions,
                            {"search": search, "trace": trace, "hop2": hop2, "hop2_full": hop2_full,
                             "health": health},
                            rounds, repeat)
common.write(out, result)
