"""SQLite (Python's sqlite3) with FTS5: plangraph's export in tables, goal text in an FTS5
table with the trigram tokenizer (substring matches, BM25 ranking; queries shorter than
three characters fall back to LIKE over the same table, which scans it)."""

import os
import sqlite3
import tempfile
import time

import common

export, questions, out, rounds, repeat = common.args()
nodes, edges = common.load_export(export)
folder = tempfile.mkdtemp(dir=os.environ.get("PEERS_WORK"))
t0 = time.perf_counter()
db = sqlite3.connect(os.path.join(folder, "peers.sqlite"))
db.execute("PRAGMA cache_size = -1048576")
db.executescript("""
CREATE TABLE nodes(id TEXT PRIMARY KEY, kind TEXT, name TEXT, content TEXT, benchmark TEXT,
  unit TEXT, year INTEGER, cat INTEGER, category TEXT, num INTEGER, number TEXT, props TEXT);
CREATE TABLE edges(source TEXT, label TEXT, target TEXT, walk INTEGER, props TEXT,
  PRIMARY KEY (source, label, target)) WITHOUT ROWID;
CREATE INDEX edges_back ON edges(target, label, source);
CREATE VIRTUAL TABLE fts USING fts5(name, content, benchmark, tokenize = 'trigram');
""")
cols = ["id", "kind", "name", "content", "benchmark", "unit", "year", "cat", "category", "num", "number", "props"]
db.executemany(f"INSERT INTO nodes VALUES ({','.join('?' * len(cols))})",
               ([n[c] for c in cols] for n in nodes))
db.executemany("INSERT OR IGNORE INTO edges VALUES (?,?,?,?,?)",
               ((e["source"], e["label"], e["target"], int(e["walk"]), e["props"]) for e in edges))
db.execute("INSERT INTO fts(rowid, name, content, benchmark) "
           "SELECT rowid, name, content, benchmark FROM nodes WHERE kind = 'goal'")
db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
db.commit()
db.execute("ANALYZE")
load_s = time.perf_counter() - t0


def search(q):
    if len(q) >= 3:
        m = '"' + q.replace('"', '""') + '"'
        total = db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (m,)).fetchone()[0]
        rows = db.execute(
            "SELECT n.id, n.name, snippet(fts, -1, '[', ']', '…', 16) FROM fts "
            "JOIN nodes n ON n.rowid = fts.rowid WHERE fts MATCH ? "
            "ORDER BY bm25(fts, 3.0, 1.0, 1.0) LIMIT 10", (m,)).fetchall()
    else:
        like = "%" + q + "%"
        where = "fts.name LIKE ?1 OR fts.content LIKE ?1 OR fts.benchmark LIKE ?1"
        total = db.execute(f"SELECT count(*) FROM fts WHERE {where}", (like,)).fetchone()[0]
        rows = db.execute(
            f"SELECT n.id, n.name, substr(n.content, 1, 60) FROM fts JOIN nodes n ON n.rowid = fts.rowid "
            f"WHERE {where} ORDER BY (fts.name LIKE ?1) DESC, length(n.content), n.id LIMIT 10",
            (like,)).fetchall()
    return {"total": total, "ids": [r[0] for r in rows]}


TRACE = """
WITH RECURSIVE r(n) AS (
  SELECT ?1
  UNION
  SELECT e.source FROM r CROSS JOIN edges e ON e.target = r.n WHERE e.walk = 1
)
SELECT g.id, g.name, g.unit, g.year, g.category, g.number, count(*) OVER () FROM r
CROSS JOIN nodes g ON g.id = r.n WHERE g.kind = 'goal' AND g.id <> ?1
ORDER BY g.unit, g.year, g.cat, g.category, g.num, g.number, g.id LIMIT 20
"""


def trace(entity):
    rows = db.execute(TRACE, (entity,)).fetchall()
    return {"total": rows[0][6] if rows else 0, "ids": [r[0] for r in rows]}


HOP = """
WITH h1(n) AS (
  SELECT target FROM edges WHERE source = ?1 UNION SELECT source FROM edges WHERE target = ?1
), h2(n) AS (
  SELECT e.target FROM h1 CROSS JOIN edges e ON e.source = h1.n
  UNION SELECT e.source FROM h1 CROSS JOIN edges e ON e.target = h1.n
), ordered(n, d) AS (
  SELECT ?1, 0
  UNION ALL SELECT n, 1 FROM h1 WHERE n <> ?1
  UNION ALL SELECT n, 2 FROM (SELECT n FROM h2 EXCEPT SELECT n FROM h1 EXCEPT SELECT ?1)
)
SELECT x.id, x.kind, x.name, x.props FROM (SELECT n, d FROM ordered LIMIT 500) o
CROSS JOIN nodes x ON x.id = o.n ORDER BY o.d
"""
EDGES_AMONG = """
SELECT e.source, e.label, e.target, e.props FROM json_each(?1) a
CROSS JOIN edges e ON e.source = a.value WHERE e.target IN (SELECT value FROM json_each(?1))
"""


def hop2(center):
    import json
    nodes_ = db.execute(HOP, (center,)).fetchall()
    ids = [r[0] for r in nodes_]
    es = db.execute(EDGES_AMONG, (json.dumps(ids),)).fetchall()
    return common.hop2_digest(center, ids, [(e[0], e[2]) for e in es])


result = common.time_engine(
    "SQLite FTS5", questions, {"search": search, "trace": trace, "hop2": hop2}, rounds, repeat,
    load_s, {"version": sqlite3.sqlite_version})
common.write(out, result)
