"""The questions of benches/peers.sh, from a running server and the export:

    make_questions.py HOST:PORT EXPORT VOCABULARY OUT

- search: 12 words of the corpus vocabulary, three each of 2, 3, 4 and 5+ characters
  (every k-th of each length, so the choice is fixed for a vocabulary);
- trace: the 10 most depended-on platforms (GET /api/rank?kind=institution&limit=10);
- hop2: 10 goals, evenly spaced in id order (EXPORT `-`: the first goal of 10 documents
  evenly spaced in the server's document list).
"""

import http.client
import json
import sys
import urllib.parse

addr, export, vocabulary, out = sys.argv[1:5]
words = [w.strip() for w in open(vocabulary, encoding="utf-8") if w.strip()]
search = []
for test in (lambda n: n == 2, lambda n: n == 3, lambda n: n == 4, lambda n: n >= 5):
    of_len = sorted({w for w in words if test(len(w))})
    step = max(1, len(of_len) // 3)
    search += of_len[::step][:3]

host, port = addr.rsplit(":", 1)
conn = http.client.HTTPConnection(host, int(port))
conn.request("GET", "/api/rank?kind=institution&limit=10")
r = conn.getresponse()
rank = json.loads(r.read())
trace = [e["id"] for e in rank["entities"]]

if export == "-":
    # No export (a large store): the first goal of 10 documents evenly spaced in the
    # server's document list.
    conn.request("GET", "/api/documents?limit=1")
    count = json.loads(conn.getresponse().read())["total"]
    hop2 = []
    for i in range(10):
        conn.request("GET", f"/api/documents?offset={i * count // 10}&limit=1")
        doc = json.loads(conn.getresponse().read())["documents"][0]["id"]
        conn.request("GET", "/api/documents/" + urllib.parse.quote(doc, safe=""))
        hop2.append(json.loads(conn.getresponse().read())["goals"][0]["id"])
else:
    goals = []
    with open(export, encoding="utf-8") as f:
        for line in f:
            if '"kind":"goal"' in line:
                o = json.loads(line)
                if o.get("type") == "node" and o.get("kind") == "goal":
                    goals.append(o["id"])
    goals.sort()
    hop2 = [goals[i * len(goals) // 10] for i in range(10)]
with open(out, "w", encoding="utf-8") as f:
    json.dump({"search": search, "trace": trace, "hop2": hop2,
               "trace_goals": {e["id"]: e.get("goals") for e in rank["entities"]},
               "trace_names": {e["id"]: e.get("name") for e in rank["entities"]}},
              f, ensure_ascii=False, indent=1)
