"""Shared by every engine of benches/peers.sh: reading plangraph's JSONL export, the sort
keys of a trace, the timing protocol and the answer digests compared across engines."""

import json
import statistics
import sys
import time

# Edges a trace walks back along (src/graph.rs: TRACE_LABELS, walks_back).
TRACE_LABELS = {"depends_on", "issues", "sets_target", "measures", "part_of", "mentions"}


def chinese_number(s):
    """一 → 1, 十二 → 12, 12 → 12 (src/graph.rs: chinese_number)."""
    if not s:
        return None
    if s.isascii() and s.isdigit():
        return int(s)
    total, current = 0, 0
    for c in s:
        if c == "十":
            total += max(current, 1) * 10
            current = 0
        elif c == "百":
            total += max(current, 1) * 100
            current = 0
        elif c in "零一二三四五六七八九":
            current = "零一二三四五六七八九".index(c)
        else:
            return None
    return total + current


def category_order(category):
    """重点 before 创优, outline sections by numeral, the rest after (src/graph.rs)."""
    c = category.strip()
    if c.startswith("重点"):
        return 0
    if c.startswith("创优"):
        return 1
    head = ""
    for ch in c.lstrip("(（"):
        if ch in "零一二三四五六七八九十百" or (ch.isascii() and ch.isdigit()):
            head += ch
        else:
            break
    n = chinese_number(head)
    return 10 + n if n is not None else 2**31


def number_order(number):
    try:
        return int(number.strip())
    except ValueError:
        return 2**62


def load_export(path):
    """Nodes and edges of a JSONL export, with the columns every engine stores: the
    searchable text, the trace's sort keys (unit, year, category order, number order) and
    whether a trace walks back along an edge."""
    nodes, edges = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            props = o.get("props") or {}
            if o["type"] == "node":
                year = props.get("year")
                year = int(year) if isinstance(year, int) or (isinstance(year, str) and year.strip().isdigit()) else 65535
                category = str(props.get("category", "") or "")
                number = str(props.get("number", "") or "")
                nodes.append({
                    "id": o["id"], "kind": o["kind"], "name": o.get("name", ""),
                    "content": str(props.get("content", "") or ""),
                    "benchmark": str(props.get("benchmark", "") or ""),
                    "unit": str(props.get("unit", "") or ""), "year": year,
                    "cat": category_order(category), "category": category,
                    "num": number_order(number), "number": number,
                    "props": json.dumps(props, ensure_ascii=False),
                })
            elif o.get("type") == "edge":
                edges.append({"source": o["source"], "label": o["label"], "target": o["target"],
                              "props": json.dumps(props, ensure_ascii=False)})
    kind = {n["id"]: n["kind"] for n in nodes}
    for e in edges:
        tk = kind.get(e["target"])
        e["walk"] = (e["label"] in TRACE_LABELS and tk != "goal"
                     and (tk != "target" or e["label"] == "sets_target"))
    return nodes, edges


def trace_key(g):
    return (g["unit"], g["year"], g["cat"], g["category"], g["num"], g["number"], g["id"])


def hop2_digest(center, node_ids, edges):
    """What is compared of a 2-hop answer: the node count, the nodes joined to the center
    by a returned edge (the first ring, complete unless the cap cut it) and, when the cap
    did not bite, the whole set."""
    ids = set(node_ids)
    ring = sorted({t for s, t in edges if s == center and t in ids}
                  | {s for s, t in edges if t == center and s in ids})
    return {"count": len(node_ids), "ring": ring,
            "ids": sorted(ids) if len(node_ids) < 500 else None, "edges": len(edges)}


def time_engine(name, questions, ask, rounds, repeat, load_s=None, extra=None):
    """Time `ask[cls](question)` for every class: one untimed call a question (its answer
    is kept for the comparison), then `rounds` rounds of `repeat` calls a question.
    Returns per class the samples (ms) of each round."""
    out = {"engine": name, "load_s": load_s, "classes": {}, "answers": {}}
    if extra:
        out.update(extra)
    for cls, qs in questions.items():
        if cls not in ask:
            continue
        out["answers"][cls] = {q: ask[cls](q) for q in qs}
        per_round = []
        for _ in range(rounds):
            samples = []
            for q in qs:
                for _ in range(repeat):
                    t = time.perf_counter()
                    ask[cls](q)
                    samples.append((time.perf_counter() - t) * 1000)
            per_round.append(samples)
        out["classes"][cls] = per_round
        m = [statistics.median(r) for r in per_round]
        print(f"{name} {cls}: median of rounds {statistics.median(m):.3f} ms "
              f"({min(m):.3f}–{max(m):.3f})", file=sys.stderr)
    return out


def args():
    """engine.py EXPORT QUESTIONS OUT [ROUNDS REPEAT]"""
    a = sys.argv[1:]
    rounds = int(a[3]) if len(a) > 3 else 3
    repeat = int(a[4]) if len(a) > 4 else 5
    with open(a[1], encoding="utf-8") as f:
        questions = json.load(f)
    return a[0], questions, a[2], rounds, repeat


def write(path, result):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False)
