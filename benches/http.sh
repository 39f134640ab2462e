#!/usr/bin/env bash
# HTTP benchmark: `serve` start-up on the existing 20,000-document store, then throughput
# and latency with wrk on loopback for search and trace.
#
#   benches/http.sh                       # needs wrk (apt-get install -y wrk)
#
# The store is the one `cargo bench --bench graph` writes (it is run first when missing),
# named in $CARGO_TARGET_DIR/tmp/bench-graph-store.txt. The trace requests rotate
# through the entities that benchmark sampled (bench-graph-samples.txt), once for a page of
# 100 goals (as the web UI asks) and once for every goal; the search requests through a
# fixed list of words. wrk's timeout is raised to 10 s so slow answers count as latency. Environment: PLANGRAPH_BENCH_DOCS (20000),
# WRK_DURATION (10s), WRK_THREADS (2), WRK_CONNECTIONS (16), STARTS (5), PORT (17979).
set -euo pipefail
cd "$(dirname "$0")/.."

DOCS=${PLANGRAPH_BENCH_DOCS:-20000}
TARGET=${CARGO_TARGET_DIR:-target}
POINTER="$TARGET/tmp/bench-graph-store.txt"
SAMPLES="$TARGET/tmp/bench-graph-samples.txt"
DURATION=${WRK_DURATION:-10s}
THREADS=${WRK_THREADS:-2}
CONNECTIONS=${WRK_CONNECTIONS:-16}
STARTS=${STARTS:-5}
PORT=${PORT:-17979}
URL="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true' EXIT

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }
DATA=$(cat "$POINTER" 2>/dev/null || true)
if [ -z "$DATA" ] || [ ! -f "$DATA/complete" ] || [ ! -f "$SAMPLES" ] || [[ "$DATA" != *"-$DOCS" ]]; then
  PLANGRAPH_BENCH_DOCS=$DOCS cargo bench --bench graph >&2
  DATA=$(cat "$POINTER")
fi
cargo build --release --bin plangraph >&2
# A private copy: a target folder shared with other checkouts may be rebuilt meanwhile.
cp "$TARGET/release/plangraph" "$WORK/plangraph"
BIN="$WORK/plangraph"
"$BIN" serve --help >/dev/null

now_ms() { date +%s%3N; }

start_server() {
  RUST_LOG=plangraph=info,tower_http=warn "$BIN" --data "$DATA" serve --addr "127.0.0.1:$PORT" \
    >"$WORK/out" 2>"$WORK/log" &
  PID=$!
}

wait_until() {
  until eval "$1"; do
    kill -0 "$PID" 2>/dev/null || { echo "the server stopped:" >&2; cat "$WORK/log" >&2; exit 1; }
    sleep 0.01
  done
}

stop_server() {
  kill -INT "$PID"
  wait "$PID" || true
  PID=
}

# ---- start-up: from exec to the first /health answer; graph view ready (from the log) ----
listen=()
ready=()
for _ in $(seq "$STARTS"); do
  t0=$(now_ms)
  start_server
  wait_until 'curl -sf "$URL/health" >/dev/null 2>&1'
  t1=$(now_ms)
  wait_until 'grep -q "graph view ready" "$WORK/log"'
  listen+=($((t1 - t0)))
  ready+=("$(grep -o 'ms=[0-9]*' "$WORK/log" | tail -1 | cut -d= -f2)")
  stop_server
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
range() { printf '%s\n' "$@" | sort -n | awk 'NR==1{lo=$1} {hi=$1} END {print lo "–" hi}'; }

# ---- throughput ----
start_server
wait_until 'curl -sf "$URL/health" >/dev/null 2>&1'
wait_until 'grep -q "graph view ready" "$WORK/log"'

python3 - "$SAMPLES" "$WORK" <<'EOF'
import sys, urllib.parse
samples, work = sys.argv[1], sys.argv[2]
ids = [l.strip() for l in open(samples, encoding="utf-8") if l.strip()]
words = ["海洋", "新能源", "人工智能", "技术创新中心", "高新区", "重点实验室", "生物医药",
         "集成电路", "孵化器", "产业基金", "智能制造", "创新平台建设", "行动方案", "青岛",
         "轨道交通", "大数据", "氢能", "示范基地", "研究院", "工业互联网"]
def lua(paths, name):
    with open(f"{work}/{name}.lua", "w", encoding="utf-8") as f:
        f.write("local paths = {\n")
        for p in paths:
            f.write(f'  "{p}",\n')
        f.write("}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
                "  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n")
q = urllib.parse.quote
lua([f"/api/trace?name={q(i)}&limit=100" for i in ids], "trace-page")
lua([f"/api/trace?name={q(i)}" for i in ids], "trace-all")
lua([f"/api/search?q={q(w)}&limit=20" for w in words], "search")
EOF

# Warm up each route once, then measure.
curl -sf -o /dev/null "$URL/api/search?q=%E6%B5%B7%E6%B4%8B"
echo "### HTTP: $DOCS documents (\`benches/http.sh\`, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, loopback, release build)"
echo
echo "- \`serve\` start-up on the existing store, $STARTS starts: listening and answering /health after median $(median "${listen[@]}") ms (range $(range "${listen[@]}") ms, process start included); graph view built in the background, ready after median $(median "${ready[@]}") ms (range $(range "${ready[@]}") ms)"
echo
echo "| route | requests/s | latency median | p99 | non-2xx | socket errors | transfer/s |"
echo "|---|---|---|---|---|---|---|"
for route in search trace-page trace-all; do
  case $route in
    search) shown="GET /api/search?q=WORD&limit=20" ;;
    trace-page) shown="GET /api/trace?name=ID&limit=100 (a page)" ;;
    trace-all) shown="GET /api/trace?name=ID (every goal)" ;;
  esac
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency -s "$WORK/$route.lua" "$URL" >"$WORK/$route.txt"
  rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/$route.txt")
  p50=$(awk '/^ +50%/ {print $2}' "$WORK/$route.txt")
  p99=$(awk '/^ +99%/ {print $2}' "$WORK/$route.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/$route.txt")
  sockerr=$(grep -o 'Socket errors:.*' "$WORK/$route.txt" || true)
  transfer=$(awk '/^Transfer\/sec/ {print $2}' "$WORK/$route.txt")
  echo "| $shown | $rps | $p50 | $p99 | ${non2xx:-0} | ${sockerr:-0} | $transfer |"
done
stop_server
