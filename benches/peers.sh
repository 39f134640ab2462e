#!/usr/bin/env bash
# plangraph against embedded peers on the same graph and the same questions.
#
#   benches/peers.sh                        # PEERS_SIZES="1000 5000" ROUNDS=3 REPEAT=5 PORT=17980
#
# For each corpus size N: writes the generated corpus (benches/write_corpus.rs, seed 2021),
# ingests it with the release binary (time, peak RSS), measures the data folder, exports the
# graph as JSONL, starts `plangraph serve` (ready time), draws the questions
# (benches/peers/make_questions.py), times plangraph over HTTP with one keep-alive
# connection and the /health floor (benches/peers/plangraph_http.py), then plangraph's
# facade in process (benches/facade.rs) and each peer, one process each, loading the export
# (benches/peers/{sqlite_fts5,cypher,cozo}.py). The tables (benches/peers/report.py) go to
# stdout and to target/peers/report-N.md; the raw results stay in target/peers/N/.
# Python packages come from PyPI, pinned in benches/peers/requirements.txt, into
# target/peers-venv.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${PEERS_SIZES:-1000 5000}
export ROUNDS=${ROUNDS:-3} REPEAT=${REPEAT:-5}
PORT=${PORT:-17980}
TARGET=${CARGO_TARGET_DIR:-target}
WORK="$TARGET/peers"
VENV="$TARGET/peers-venv"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null || true' EXIT

cargo build --release --bin plangraph >&2
cargo bench --bench write_corpus --no-run >&2
cargo bench --bench facade --no-run >&2
# Private copies: a target folder shared with other checkouts may be rebuilt meanwhile.
cp "$TARGET/release/plangraph" "$WORK/plangraph"
BIN="$WORK/plangraph"
write_corpus() { cargo bench -q --bench write_corpus -- "$@"; }

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
VENV=$(cd "$VENV" && pwd) # absolute: the Python steps run from benches/peers
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r benches/peers/requirements.txt >&2
PY="$VENV/bin/python"
write_corpus --vocabulary >"$WORK/vocabulary.txt"

load() { cut -d' ' -f1-3 /proc/loadavg; }

for N in $SIZES; do
  OUT="$WORK/$N"
  rm -rf "$OUT"
  mkdir -p "$OUT"
  CORPUS="$WORK/corpus-$N"
  [ -d "$CORPUS" ] || write_corpus "$CORPUS" "$N" 2021 >&2
  DATA="$OUT/data"
  echo "== $N documents: ingest (load $(load))" >&2
  /usr/bin/time -f '%e %M' -o "$OUT/ingest.time" "$BIN" --data "$DATA" ingest "$CORPUS" >"$OUT/ingest.out" 2>"$OUT/ingest.err"
  read -r INGEST_S INGEST_KB <"$OUT/ingest.time"
  TEXT_B=$(du -sb "$CORPUS" | cut -f1)
  STORE_B=$(du -sb "$DATA/graph" | cut -f1)
  INDEX_B=$(du -sb "$DATA/text" | cut -f1)
  DATA_B=$(du -sb "$DATA" | cut -f1)
  /usr/bin/time -f '%e %M' -o "$OUT/export.time" "$BIN" --data "$DATA" export --format jsonl --out "$OUT/export.jsonl" 2>/dev/null
  read -r EXPORT_S _ <"$OUT/export.time"
  EXPORT_B=$(stat -c %s "$OUT/export.jsonl")
  STATS=$("$BIN" --data "$DATA" stats --json)

  echo "== $N documents: serve (load $(load))" >&2
  T0=$(date +%s%3N)
  RUST_LOG=plangraph=info,tower_http=warn "$BIN" --data "$DATA" serve --addr "127.0.0.1:$PORT" >"$OUT/serve.out" 2>"$OUT/serve.log" &
  PID=$!
  until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; do
    kill -0 "$PID" 2>/dev/null || { cat "$OUT/serve.log" >&2; exit 1; }
    sleep 0.01
  done
  T1=$(date +%s%3N)
  until grep -q "graph view ready" "$OUT/serve.log"; do sleep 0.01; done
  T2=$(date +%s%3N)
  "$PY" benches/peers/make_questions.py "127.0.0.1:$PORT" "$OUT/export.jsonl" "$WORK/vocabulary.txt" "$OUT/questions.json"
  echo "plangraph (HTTP): load $(load)" >"$OUT/load.txt"
  (cd benches/peers && "$PY" plangraph_http.py "127.0.0.1:$PORT" "$OUT/questions.json" "$OUT/http.json" "$ROUNDS" "$REPEAT")
  SERVE_KB=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
  kill -INT "$PID"
  wait "$PID" || true
  PID=

  echo "plangraph (in process): load $(load)" >>"$OUT/load.txt"
  PLANGRAPH_PEERS_DATA="$DATA" PLANGRAPH_PEERS_QUESTIONS="$OUT/questions.json" PLANGRAPH_PEERS_OUT="$OUT/facade.json" \
    cargo bench --bench facade >&2
  for engine in sqlite_fts5 "cypher kuzu" "cypher ladybug" cozo; do
    set -- $engine
    echo "$engine: load $(load)" >>"$OUT/load.txt"
    name=${2:-$1}
    (cd benches/peers && PEERS_WORK="$OUT" /usr/bin/time -f "$name peak RSS %M kB" -a -o "$OUT/rss.txt" "$PY" "$1.py" ${2:+"$2"} "$OUT/export.jsonl" "$OUT/questions.json" "$OUT/$name.json" "$ROUNDS" "$REPEAT")
    rm -rf "$OUT"/tmp* || true
  done

  {
    echo "### $N documents (\`benches/peers.sh\`, PEERS_SIZES=$N ROUNDS=$ROUNDS REPEAT=$REPEAT)"
    echo
    echo "Corpus: $N documents, $(awk "BEGIN {printf \"%.1f\", $TEXT_B / 1e6}") MB of text; $(echo "$STATS" | "$PY" -c 'import json,sys; s=json.load(sys.stdin); n, e = s["nodes"], s["edges"]; print("{:,} nodes ({:,} goals), {:,} edges".format(sum(n.values()), n.get("goal", 0), sum(e.values())))')."
    echo "Ingest (release binary, \`plangraph ingest\`): $INGEST_S s, $(awk "BEGIN {printf \"%.2f\", $TEXT_B / 1e6 / $INGEST_S}") MB/s, $(awk "BEGIN {printf \"%.0f\", $N / $INGEST_S}") documents/s, peak RSS $((INGEST_KB / 1024)) MB."
    echo "Data folder: $((DATA_B / 1048576)) MiB (store $((STORE_B / 1048576)) MiB, text index $((INDEX_B / 1048576)) MiB; $(awk "BEGIN {printf \"%.0f\", $DATA_B / $TEXT_B}")× the text). Export: $((EXPORT_B / 1048576)) MiB JSONL in $EXPORT_S s."
    echo "Serve: answering /health $((T1 - T0)) ms after exec, graph view ready after $((T2 - T0)) ms; server peak RSS after the questions $((SERVE_KB / 1024)) MB."
    echo "Peak RSS of each peer's process (Python holding the parsed export included): $(sed 's/ peak RSS / /' "$OUT/rss.txt" | awk '{printf "%s%s %.0f MB", (NR>1?", ":""), $1, $2/1024}')."
    echo "Load average (1, 5, 15 min) at the start of each engine: $(paste -sd';' "$OUT/load.txt" | sed 's/;/; /g')."
    echo
    "$PY" benches/peers/report.py "$OUT/questions.json" "$OUT/http.json" "$OUT/facade.json" \
      "$OUT/sqlite_fts5.json" "$OUT/kuzu.json" "$OUT/ladybug.json" "$OUT/cozo.json"
  } | tee "$WORK/report-$N.md"
done
