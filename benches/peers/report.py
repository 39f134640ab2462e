"""The tables of benches/peers.sh from the engines' result files:

    report.py QUESTIONS plangraph_http.json facade.json PEER.json... > report.md

Figures per question class: the median of the rounds' medians (range of the round
medians) and the p99 of every sample; ratio = peer median ÷ plangraph HTTP median (above 1:
plangraph is faster). Answers are compared with plangraph's (HTTP): search totals and the
top 10 (overlap: peers rank differently), trace totals and the page of 20 (ids in order),
2-hop node counts, the first ring and, below the 500-node cap, the whole node set.
"""

import json
import statistics
import sys


def load(p):
    with open(p, encoding="utf-8") as f:
        return json.load(f)


questions = load(sys.argv[1])
http, facade, peers = load(sys.argv[2]), load(sys.argv[3]), [load(p) for p in sys.argv[4:]]
engines = [http, facade] + peers
LABEL = {"search": "goal search, top 10 + exact total", "trace": "trace of the 10 most depended-on platforms, first 20 + total",
         "hop2": "2-hop neighbourhood of a goal (≤ 500 nodes), ids",
         "hop2_full": "the same 2-hop with whole nodes and evidence (plangraph only)", "health": "`GET /health` (the floor)"}


def fig(e, cls):
    rounds = e["classes"].get(cls)
    if not rounds:
        return None
    med = [statistics.median(r) for r in rounds]
    every = sorted(x for r in rounds for x in r)
    p99 = every[min(len(every) - 1, round(0.99 * (len(every) - 1)))]
    return statistics.median(med), min(med), max(med), p99, len(every)


def ms(x):
    return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 100 else f"{x:.0f}"


def agree(e, cls):
    ref, got = http["answers"].get(cls, {}), e["answers"].get(cls, {})
    n = len(ref)
    if e is http or not got:
        return ""
    if cls == "search":
        totals = sum(ref[q]["total"] == got[q]["total"] for q in ref)
        overlap = statistics.median(len(set(ref[q]["ids"]) & set(got[q]["ids"])) for q in ref)
        same = sum(ref[q]["ids"] == got[q]["ids"] for q in ref)
        return f"totals {totals}/{n}; top 10 identical {same}/{n}, median overlap {overlap:g}/10"
    if cls == "trace":
        totals = sum(ref[q]["total"] == got[q]["total"] for q in ref)
        pages = sum(ref[q]["ids"] == got[q]["ids"] for q in ref)
        return f"totals {totals}/{n}; pages identical {pages}/{n}"
    if cls == "hop2":
        counts = sum(ref[q]["count"] == got[q]["count"] for q in ref)
        rings = sum(ref[q]["ring"] == got[q]["ring"] for q in ref)
        small = [q for q in ref if ref[q]["ids"] is not None]
        sets = sum(ref[q]["ids"] == got[q]["ids"] for q in small)
        return (f"node counts {counts}/{n}; first rings {rings}/{n}"
                + (f"; whole sets {sets}/{len(small)} (below the cap)" if small else ""))
    return ""


print("| question | " + " | ".join(e["engine"] + (f" {e['version']}" if e.get("version") else "") for e in engines) + " |")
print("|---|" + "---|" * len(engines))
floor = fig(http, "health")
for cls in ("search", "trace", "hop2", "hop2_full", "health"):
    cells = []
    base = fig(http, cls)
    for e in engines:
        f = fig(e, cls)
        if f is None:
            cells.append("—")
            continue
        cell = f"{ms(f[0])} ({ms(f[1])}–{ms(f[2])}), p99 {ms(f[3])}"
        if e is not http and base and cls != "health":
            cell += f", **×{f[0] / base[0]:.2f}**"
        cells.append(cell)
    print(f"| {LABEL[cls]} | " + " | ".join(cells) + " |")
samples = {e["engine"]: fig(e, "search")[4] for e in engines if fig(e, "search")}
print()
print("Samples a cell: " + ", ".join(f"{k} {v}" for k, v in samples.items())
      + ". Ratio: the engine's median ÷ plangraph's over HTTP (above 1: plangraph over HTTP is faster).")
print()
print("Load (load into the engine, s): " + ", ".join(
    f"{e['engine']} {e['load_s']:.1f}" for e in engines if e.get("load_s") is not None))
print()
print("Answers against plangraph's (HTTP):")
print()
for e in engines[1:]:
    parts = [f"{c}: {agree(e, c)}" for c in ("search", "trace", "hop2") if agree(e, c)]
    print(f"- {e['engine']}: " + "; ".join(parts))
print()
below = []
for cls in ("search", "trace", "hop2"):
    fast = [(e["engine"], fig(e, cls)[0]) for e in peers if fig(e, cls) and fig(e, cls)[0] < fig(http, cls)[0]]
    if fast:
        fac = fig(facade, cls)[0]
        below.append(f"{cls}: faster than plangraph over HTTP: "
                     + ", ".join(f"{n} {ms(m)} ms" for n, m in fast)
                     + f"; the HTTP floor is {ms(floor[0])} ms; plangraph in process {ms(fac)} ms "
                     + "(" + ", ".join(f"{'faster' if fac < m else 'slower'} than {n} ×{m / fac:.2f}" for n, m in fast) + ")")
if below:
    print("Rows where a peer in process beats plangraph over HTTP:")
    print()
    for b in below:
        print(f"- {b}")
