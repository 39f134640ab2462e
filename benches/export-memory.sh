#!/usr/bin/env bash
# Peak memory of every export, import, backup and restore against corpus size.
# Usage: benches/export-memory.sh [BIN] [SIZES...]   (default: target/debug/plangraph 500 3000)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/plangraph}
shift || true
sizes=${*:-500 3000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo bench -q --bench write_corpus --no-run 2>/dev/null
write_corpus() { cargo bench -q --bench write_corpus -- "$@"; }
rss() { # command... → peak RSS in MiB
  /usr/bin/time -v "$@" 2> "$work/time" > /dev/null || { cat "$work/time" >&2; exit 1; }
  awk -F: '/Maximum resident/ {printf "%.0f", $2/1024}' "$work/time"
}
printf "| documents | nodes | edges | jsonl MiB | step | peak RSS MiB |\n|---|---|---|---|---|---|\n"
for n in $sizes; do
  write_corpus "$work/c$n" "$n" 7 2>/dev/null
  d="$work/d$n"
  "$bin" --data "$d" ingest "$work/c$n" > /dev/null 2>&1
  stats=$("$bin" --data "$d" stats --json)
  nodes=$(python3 -c "import json,sys; print(sum(json.load(sys.stdin)['nodes'].values()))" <<< "$stats")
  edges=$(python3 -c "import json,sys; print(sum(json.load(sys.stdin)['edges'].values()))" <<< "$stats")
  "$bin" --data "$d" export --out "$work/g$n.jsonl" 2> /dev/null
  size=$(du -m "$work/g$n.jsonl" | cut -f1)
  row() { printf "| %s | %s | %s | %s | %s | %s |\n" "$n" "$nodes" "$edges" "$size" "$1" "$2"; }
  row "stats (baseline: open the store)" "$(rss "$bin" --data "$d" stats)"
  for f in jsonl graphml turtle; do
    row "export $f" "$(rss "$bin" --data "$d" export --format $f --out "$work/x.$f")"
  done
  row "export neo4j" "$(rss "$bin" --data "$d" export --format neo4j --out "$work/neo$n")"
  row "backup" "$(rss "$bin" --data "$d" backup "$work/b$n")"
  row "import" "$(rss "$bin" --data "$work/i$n" import "$work/g$n.jsonl")"
  row "restore" "$(rss "$bin" --data "$work/r$n" restore "$work/b$n")"
  rm -rf "$work/neo$n" "$work/x."* "$work/i$n" "$work/r$n" "$work/b$n"
done
