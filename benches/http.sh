#!/usr/bin/env bash
# HTTP benchmark: `serve` start-up on the existing 20,000-document store, then throughput
# and latency with wrk on loopback for search and trace.
#
#   benches/http.sh                       # needs wrk (apt-get install -y wrk)
#
# The store is the one `cargo bench --bench graph` writes (it is run first when missing),
# named in $CARGO_TARGET_DIR/tmp/bench-graph-store.txt. The trace requests rotate
# through the entities that benchmark sampled (bench-graph-samples.txt); the search
# requests through a fixed list of words. Environment: PLANGRAPH_BENCH_DOCS (20000),
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
BIN="$TARGET/release/plangraph"

now_ms() { date +%s%3N; }

start_server() {
  RUST_LOG=plangraph=info,tower_http=warn "$BIN" --data "$DATA" serve --addr "127.0.0.1:$PORT" \
    >"$WORK/out" 2>"$WORK/log" &
  PID=$!
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
  until curl -sf "$URL/health" >/dev/null 2>&1; do sleep 0.01; done
  t1=$(now_ms)
  until grep -q "graph view ready" "$WORK/log"; do sleep 0.01; done
  listen+=($((t1 - t0)))
  ready+=("$(grep -o 'ms=[0-9]*' "$WORK/log" | tail -1 | cut -d= -f2)")
  stop_server
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
range() { printf '%s\n' "$@" | sort -n | awk 'NR==1{lo=$1} {hi=$1} END {print lo "–" hi}'; }

# ---- throughput ----
start_server
until curl -sf "$URL/health" >/dev/null 2>&1; do sleep 0.01; done
until grep -q "graph view ready" "$WORK/log"; do sleep 0.01; done

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
lua([f"/api/trace?name={q(i)}" for i in ids], "trace")
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
for route in search trace; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/$route.lua" "$URL" >"$WORK/$route.txt"
  rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/$route.txt")
  p50=$(awk '/^ +50%/ {print $2}' "$WORK/$route.txt")
  p99=$(awk '/^ +99%/ {print $2}' "$WORK/$route.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/$route.txt")
  sockerr=$(grep -o 'Socket errors:.*' "$WORK/$route.txt" || true)
  transfer=$(awk '/^Transfer\/sec/ {print $2}' "$WORK/$route.txt")
  echo "| GET /api/$route | $rps | $p50 | $p99 | ${non2xx:-0} | ${sockerr:-0} | $transfer |"
done
stop_server
