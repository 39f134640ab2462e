#!/usr/bin/env bash
# Latency over HTTP on an existing (large) data folder: serve start-up, then the questions of
# benches/peers.sh (search, trace of the 10 most depended-on platforms, 2-hop) and the
# /health floor, over one keep-alive connection. No export is needed: the 2-hop centres come
# from the server's document list.
#
#   benches/scale.sh DATA [BIN]      # ROUNDS=3 REPEAT=5 PORT=17981 VOCABULARY=file
#
# DATA is a folder written by `plangraph ingest` (e.g. of a corpus from benches/write_corpus.rs);
# BIN defaults to target/release/plangraph. Prints one table of medians (ms) to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=$1
BIN=${2:-target/release/plangraph}
export ROUNDS=${ROUNDS:-3} REPEAT=${REPEAT:-5}
PORT=${PORT:-17981}
WORK=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
VOCABULARY=${VOCABULARY:-}
if [ -z "$VOCABULARY" ]; then
  cargo bench -q --bench write_corpus -- --vocabulary >"$WORK/vocabulary.txt"
  VOCABULARY=$WORK/vocabulary.txt
fi
T0=$(date +%s%3N)
RUST_LOG=plangraph=info,tower_http=warn "$BIN" --data "$DATA" serve --addr "127.0.0.1:$PORT" >/dev/null 2>"$WORK/serve.log" &
PID=$!
until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; do
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
  sleep 0.01
done
T1=$(date +%s%3N)
until grep -q "graph view ready" "$WORK/serve.log"; do sleep 0.01; done
T2=$(date +%s%3N)
python3 benches/peers/make_questions.py "127.0.0.1:$PORT" - "$VOCABULARY" "$WORK/questions.json"
(cd benches/peers && python3 plangraph_http.py "127.0.0.1:$PORT" "$WORK/questions.json" "$WORK/http.json" "$ROUNDS" "$REPEAT")
RSS=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
STATS=$("$BIN" --data "$DATA" stats --json 2>/dev/null || curl -s "http://127.0.0.1:$PORT/api/stats")
echo "Data folder $DATA: $(du -sh "$DATA" | cut -f1); $(python3 -c 'import json,sys; s=json.load(sys.stdin); print("{:,} documents, {:,} nodes, {:,} edges".format(s["documents"], sum(s["nodes"].values()), sum(s["edges"].values())))' <<<"$STATS")."
echo "Serve: /health answers $((T1 - T0)) ms after exec, graph view ready after $((T2 - T0)) ms; server peak RSS $((RSS / 1024)) MiB; load $(cut -d' ' -f1-3 /proc/loadavg)."
echo
python3 - "$WORK/http.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))
print("| question | median of rounds (ms) | spread of round medians | p99 of all samples |")
print("|---|---|---|---|")
for cls, rounds in r["classes"].items():
    m = [statistics.median(x) for x in rounds]
    allv = sorted(v for x in rounds for v in x)
    p99 = allv[min(len(allv) - 1, int(0.99 * len(allv)))]
    print(f"| {cls} | {statistics.median(m):.3f} | {min(m):.3f}–{max(m):.3f} | {p99:.3f} |")
PY
