"""Answers right after a write, over HTTP: each document of FILES is uploaded to a running
server (POST /api/documents), then, PAUSE seconds after the upload's answer, `rank`, a
trace of the most depended-on platform and a search are asked once (the first answer after
the write: the view and its ranking follow the write) and REPEAT times more (warm); the
warm medians are the baseline in the same run. PAUSE 0 asks at once (a script); 0.5 is a
person clicking on.

    python3 benches/after_write.py HOST:PORT REPEAT PAUSE FILE...

The server's data folder gets the documents: run it on a copy made for benchmarking.
Prints one table of medians and spreads (ms).
"""

import http.client
import json
import statistics
import sys
import time
import urllib.parse

addr, repeat, pause, files = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
host, port = addr.rsplit(":", 1)
conn = http.client.HTTPConnection(host, int(port), timeout=600)


def call(method, path, body=None, headers=None):
    t = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    ms = (time.perf_counter() - t) * 1000
    if r.status >= 300:
        raise RuntimeError(f"{method} {path}: {r.status} {data[:300]!r}")
    return ms, json.loads(data)


top = call("GET", "/api/rank?limit=1")[1]["entities"][0]["id"]
questions = {
    "rank (top 20)": "/api/rank?limit=20",
    "trace (most depended-on, first 20)": f"/api/trace?name={urllib.parse.quote(top)}&limit=20",
    "search (科技, goals)": f"/api/search?q={urllib.parse.quote('科技')}&kind=goal&limit=10",
}
first = {q: [] for q in questions}
warm = {q: [] for q in questions}
writes = []
for f in files:
    name = f.rsplit("/", 1)[-1]
    with open(f, "rb") as fh:
        body = fh.read()
    ms, outcome = call("POST", f"/api/documents?filename={urllib.parse.quote(name)}", body,
                       {"content-type": "application/octet-stream"})
    writes.append(ms)
    time.sleep(pause)
    for q, path in questions.items():
        first[q].append(call("GET", path)[0])
        warm[q].extend(call("GET", path)[0] for _ in range(repeat))


def cell(xs):
    return f"{statistics.median(xs):.2f} ({min(xs):.2f}–{max(xs):.2f})"


print(f"{len(files)} uploads, upload itself {cell(writes)} ms; questions asked {pause} s after each")
print()
print("| question | first answer after a write, median (min–max) ms | warm, median (min–max) ms | ratio of medians |")
print("|---|---|---|---|")
for q in questions:
    ratio = statistics.median(first[q]) / statistics.median(warm[q])
    print(f"| {q} | {cell(first[q])} | {cell(warm[q])} | {ratio:.1f} |")
