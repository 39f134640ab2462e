#!/usr/bin/env bash
# Load with writes: the release binary ingests the generated corpus, serves it, and wrk
# runs search and trace (the most depended-on platforms, from /api/overview) for 60 s at
# 64 connections in all (32 each, two wrk processes side by side) while a loop uploads
# documents through POST /api/documents. Then every uploaded document must be searchable.
#
#   benches/load.sh                 # needs wrk (apt-get install -y wrk)
#
# Reports requests, errors, 5xx, latency p50/p99 per route, upload outcomes, the server's
# RSS before and after (and its peak), and exits 1 when a request failed, answered 5xx, an
# upload was refused, or an uploaded document is not found by search afterwards.
# Environment: LOAD_DOCS (1000 corpus documents), LOAD_DURATION (60s), LOAD_CONNECTIONS
# (64), LOAD_THREADS (2), LOAD_UPLOADS (at most this many uploads, 2000), PORT (17989).
set -euo pipefail
cd "$(dirname "$0")/.."

DOCS=${LOAD_DOCS:-1000}
DURATION=${LOAD_DURATION:-60s}
CONNECTIONS=${LOAD_CONNECTIONS:-64}
THREADS=${LOAD_THREADS:-2}
MAX_UPLOADS=${LOAD_UPLOADS:-2000}
PORT=${PORT:-17989}
URL="http://127.0.0.1:$PORT"
TARGET=${CARGO_TARGET_DIR:-target}
WORK=$(mktemp -d)
PID=
trap 'if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 2; }
cargo build --release --bin plangraph >&2
# A private copy: a target folder shared with other checkouts may be rebuilt meanwhile.
cp "$TARGET/release/plangraph" "$WORK/plangraph"
BIN="$WORK/plangraph"
DATA="$WORK/data"

# ---- the corpus, ingested ----
cargo bench --bench write_corpus -- "$WORK/corpus" "$DOCS" >&2
t0=$(date +%s%3N)
"$BIN" --data "$DATA" ingest "$WORK/corpus" >/dev/null
ingest_ms=$(($(date +%s%3N) - t0))

# ---- the uploads: the seed under units of its own, and what a clean ingest finds ----
SEED=seeds/qingdao-kejiju-2021-business-goals.txt
mkdir -p "$WORK/uploads"
for i in $(seq 0 $((MAX_UPLOADS - 1))); do
  sed "s/市科技局/市上传第${i}局/g" "$SEED" >"$WORK/uploads/up$i.txt"
done
"$BIN" --data "$WORK/reference" ingest "$WORK/uploads/up0.txt" >/dev/null
PROBE=科技
expected=$("$BIN" --data "$WORK/reference" search "$PROBE" --unit 市上传第0局 --kind goal --limit 1 --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
[ "$expected" -gt 0 ] || { echo "the reference search finds nothing" >&2; exit 1; }

# ---- serve ----
RUST_LOG=plangraph=info,tower_http=warn "$BIN" --data "$DATA" serve --addr "127.0.0.1:$PORT" \
  >"$WORK/out" 2>"$WORK/log" &
PID=$!
until curl -sf "$URL/health" >/dev/null 2>&1; do
  kill -0 "$PID" 2>/dev/null || { echo "the server stopped:" >&2; cat "$WORK/log" >&2; exit 1; }
  sleep 0.05
done
until grep -q "graph view ready" "$WORK/log"; do sleep 0.05; done
rss() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$PID/status"; }

curl -sf "$URL/api/overview?limit=20" >"$WORK/overview.json"
python3 - "$WORK" <<'EOF'
import json, sys, urllib.parse
work = sys.argv[1]
q = urllib.parse.quote
platforms = [e["id"] for e in json.load(open(f"{work}/overview.json"))["platforms"]]
assert platforms, "no platforms in /api/overview"
words = ["海洋", "新能源", "人工智能", "技术创新中心", "高新区", "重点实验室", "生物医药",
         "集成电路", "孵化器", "产业基金", "智能制造", "创新平台建设", "行动方案", "青岛",
         "轨道交通", "大数据", "氢能", "示范基地", "研究院", "工业互联网"]
counting = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) s5xx = 0; other = 0 end
function response(status, headers, body)
  if status >= 500 then s5xx = s5xx + 1 elseif status >= 300 then other = other + 1 end
end
function done(summary, latency, requests)
  local a, b = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("s5xx"); b = b + t:get("other") end
  io.write(string.format("COUNT 5xx %d non2xx_other %d\\n", a, b))
end
"""
def lua(paths, name):
    with open(f"{work}/{name}.lua", "w", encoding="utf-8") as f:
        f.write("local paths = {\n" + "".join(f'  "{p}",\n' for p in paths) + "}\n")
        f.write("local i = 0\nrequest = function()\n  i = i + 1\n"
                "  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n" + counting)
lua([f"/api/search?q={q(w)}&limit=20" for w in words], "search")
lua([f"/api/trace?name={q(p)}&limit=100" for p in platforms], "trace")
print(len(platforms), file=open(f"{work}/platforms", "w"))
EOF
curl -sf -o /dev/null "$URL/api/search?q=%E6%B5%B7%E6%B4%8B"
rss_before=$(rss VmRSS)

# ---- load: two wrk side by side, the upload loop until they finish ----
half=$((CONNECTIONS / 2))
for route in search trace; do
  wrk -t"$THREADS" -c"$half" -d"$DURATION" --timeout 10s --latency -s "$WORK/$route.lua" "$URL" \
    >"$WORK/$route.txt" 2>&1 &
  echo $! >"$WORK/$route.pid"
done
running() { kill -0 "$(cat "$WORK/search.pid")" 2>/dev/null || kill -0 "$(cat "$WORK/trace.pid")" 2>/dev/null; }
uploaded=0
refused=0
upload_5xx=0
: >"$WORK/uploaded"
: >"$WORK/upload-times"
while running && [ "$uploaded" -lt "$MAX_UPLOADS" ]; do
  f="$WORK/uploads/up$uploaded.txt"
  code=$(curl -s -o "$WORK/upload.json" -w '%{http_code} %{time_total}' \
    --data-binary "@$f" -H 'Content-Type: application/octet-stream' \
    "$URL/api/documents?filename=up$uploaded.txt" || echo "000 0")
  echo "${code#* }" >>"$WORK/upload-times"
  code=${code%% *}
  if [ "$code" = 200 ]; then
    echo "$uploaded" >>"$WORK/uploaded"
  else
    refused=$((refused + 1))
    [ "${code:0:1}" = 5 ] && upload_5xx=$((upload_5xx + 1))
    echo "upload $uploaded: $code $(cat "$WORK/upload.json")" >&2
  fi
  uploaded=$((uploaded + 1))
done
wait "$(cat "$WORK/search.pid")" "$(cat "$WORK/trace.pid")" || true
rss_after=$(rss VmRSS)
rss_peak=$(rss VmHWM)

# ---- afterwards: every uploaded document is searchable, with what a clean ingest finds ----
unsearchable=0
while read -r i; do
  unit=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "市上传第${i}局")
  got=$(curl -sf "$URL/api/search?q=%E7%A7%91%E6%8A%80&kind=goal&limit=1&unit=$unit" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])' || echo -1)
  if [ "$got" != "$expected" ]; then
    unsearchable=$((unsearchable + 1))
    echo "upload $i: search within its unit finds $got goals, a clean ingest $expected" >&2
  fi
done <"$WORK/uploaded"
stored=$(curl -sf "$URL/api/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
ok_uploads=$(wc -l <"$WORK/uploaded")
kill -INT "$PID"
wait "$PID" || true
PID=

# ---- report ----
status=0
echo "### Load with uploads: $DOCS-document corpus (\`benches/load.sh\`, release build, loopback)"
echo
echo "- corpus ingested in $ingest_ms ms; $(cat "$WORK/platforms") most depended-on platforms traced (\`/api/overview\`); search over 20 words"
echo "- wrk: $DURATION, $CONNECTIONS connections in all ($half search + $half trace), $THREADS threads each, timeout 10 s"
echo
echo "| route | requests | requests/s | p50 | p99 | socket errors | 5xx | other non-2xx |"
echo "|---|---|---|---|---|---|---|---|"
for route in search trace; do
  f="$WORK/$route.txt"
  reqs=$(awk '/requests in/ {print $1}' "$f")
  rps=$(awk '/^Requests\/sec/ {print $2}' "$f")
  p50=$(awk '/^ +50%/ {print $2}' "$f")
  p99=$(awk '/^ +99%/ {print $2}' "$f")
  sockerr=$(grep -o 'Socket errors:.*' "$f" | sed 's/Socket errors: //' || true)
  s5xx=$(awk '/^COUNT/ {print $3}' "$f")
  other=$(awk '/^COUNT/ {print $5}' "$f")
  echo "| $route | $reqs | $rps | $p50 | $p99 | ${sockerr:-0} | $s5xx | $other |"
  if [ -n "$sockerr" ] || [ "$s5xx" != 0 ] || [ "$other" != 0 ]; then status=1; fi
done
up_p50=$(sort -n "$WORK/upload-times" | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]*1000}')
up_p99=$(sort -n "$WORK/upload-times" | awk '{a[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; printf "%.0f", a[i]*1000}')
echo
echo "- uploads during the load: $uploaded sent one after another, $ok_uploads stored (200), $refused refused ($upload_5xx with 5xx); upload latency p50 $up_p50 ms, p99 $up_p99 ms"
echo "- afterwards: $stored documents in the store ($DOCS + $ok_uploads expected); every uploaded document searched within its unit: $unsearchable not found with the $expected goals a clean ingest finds"
echo "- server RSS: $((rss_before / 1024)) MiB before the load, $((rss_after / 1024)) MiB after, peak $((rss_peak / 1024)) MiB"
[ "$refused" = 0 ] && [ "$unsearchable" = 0 ] && [ "$stored" = $((DOCS + ok_uploads)) ] || status=1
exit $status
