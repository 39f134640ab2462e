#!/usr/bin/env bash
# Peak memory of every export, import, backup and restore against corpus size.
# Usage: benches/export-memory.sh [BIN] [SIZES...]   (default: target/release/plangraph 1000 10000)
#   A size N generates N documents (benches/write_corpus, seed 7) and ingests them; a size
#   N:DIR measures the data folder DIR, already holding N ingested documents.
#   With BEFORE=OTHER_BIN in the environment, every step also runs with OTHER_BIN (an
#   earlier build; the same store format) on the same data, for a before/after table.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/plangraph}
shift || true
sizes=${*:-1000 10000}
work=$(mktemp -d "${TMPDIR:-/tmp}/export-memory.XXXXXX")
trap 'rm -rf "$work"' EXIT
cargo bench -q --bench write_corpus --no-run 2>/dev/null
write_corpus() { cargo bench -q --bench write_corpus -- "$@"; }
rss() { # command... → "peak RSS in MiB, seconds"
  /usr/bin/time -v "$@" 2> "$work/time" > /dev/null || { cat "$work/time" >&2; exit 1; }
  awk -F': ' '/Maximum resident/ {m=$2} /Elapsed/ {split($2,t,":"); s=(length(t)==3)?t[1]*3600+t[2]*60+t[3]:t[1]*60+t[2]}
    END {printf "%.0f | %.0f", m/1024, s}' "$work/time"
}
printf "| documents | nodes | edges | jsonl MiB | build | step | peak RSS MiB | seconds |\n|---|---|---|---|---|---|---|---|\n"
for size in $sizes; do
  n=${size%%:*}
  if [[ $size == *:* ]]; then
    d=${size#*:}
  else
    write_corpus "$work/c$n" "$n" 7 > /dev/null 2>&1
    d="$work/d$n"
    "$bin" --data "$d" ingest "$work/c$n" > /dev/null 2>&1
    rm -rf "$work/c$n"
  fi
  stats=$("$bin" --data "$d" stats --json)
  nodes=$(python3 -c "import json,sys; print(sum(json.load(sys.stdin)['nodes'].values()))" <<< "$stats")
  edges=$(python3 -c "import json,sys; print(sum(json.load(sys.stdin)['edges'].values()))" <<< "$stats")
  "$bin" --data "$d" export --out "$work/g$n.jsonl" 2> /dev/null
  size_mib=$(du -m "$work/g$n.jsonl" | cut -f1)
  for b in ${BEFORE:+"$BEFORE"} "$bin"; do
    which=after; [[ -n ${BEFORE:-} && $b == "$BEFORE" ]] && which=before
    row() { printf "| %s | %s | %s | %s | %s | %s | %s |\n" "$n" "$nodes" "$edges" "$size_mib" "$which" "$1" "$2"; }
    row "stats (baseline: open the store)" "$(rss "$b" --data "$d" stats)"
    for f in jsonl graphml turtle; do
      row "export $f" "$(rss "$b" --data "$d" export --format $f --out "$work/x.$f")"
      rm -f "$work/x.$f"
    done
    row "export jsonl --out -" "$(rss "$b" --data "$d" export --out -)"
    row "export neo4j" "$(rss "$b" --data "$d" export --format neo4j --out "$work/neo$n")"
    rm -rf "$work/neo$n"
    row "backup" "$(rss "$b" --data "$d" backup "$work/b$n")"
    row "import" "$(rss "$b" --data "$work/i$n" import "$work/g$n.jsonl")"
    rm -rf "$work/i$n"
    row "restore" "$(rss "$b" --data "$work/r$n" restore "$work/b$n")"
    rm -rf "$work/r$n" "$work/b$n"
  done
  rm -f "$work/g$n.jsonl"
done
