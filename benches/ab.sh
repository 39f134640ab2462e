#!/usr/bin/env bash
# Before/after: the same benches on two commits, interleaved, on this machine.
#
#   benches/ab.sh BASE [AFTER]      # AFTER defaults to HEAD
#   AB_BENCHES="ingest search graph" AB_ROUNDS=2 (defaults) and the benches' own
#   PLANGRAPH_BENCH_* settings (see each bench's header), passed through.
#
# Each commit is checked out as a worktree under target/ab/; both build into one target
# folder (target/ab/target) so the dependencies compile once. For each round and each
# bench, BASE runs, then AFTER; every output goes to target/ab/out/COMMIT-BENCH-ROUND.txt
# and the lines with figures are printed side by side at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: benches/ab.sh BASE [AFTER]}
after=${2:-HEAD}
benches=${AB_BENCHES:-ingest search graph}
rounds=${AB_ROUNDS:-2}
root=$PWD/target/ab
mkdir -p "$root/out"
export CARGO_TARGET_DIR=$root/target
trees=()
for rev in "$base" "$after"; do
  short=$(git rev-parse --short "$rev")
  tree=$root/src-$short
  [ -d "$tree" ] || git worktree add --detach "$tree" "$rev" >&2
  trees+=("$tree")
done
for tree in "${trees[@]}"; do
  for b in $benches; do (cd "$tree" && cargo bench --bench "$b" --no-run >&2); done
done
for round in $(seq 1 "$rounds"); do
  for b in $benches; do
    for tree in "${trees[@]}"; do
      short=$(git -C "$tree" rev-parse --short HEAD)
      echo "== round $round: $b at $short (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
      (cd "$tree" && cargo bench -q --bench "$b") >"$root/out/$short-$b-$round.txt" 2>&1 || {
        echo "bench $b failed at $short; see $root/out/$short-$b-$round.txt" >&2
        exit 1
      }
    done
  done
done
for b in $benches; do
  for tree in "${trees[@]}"; do
    short=$(git -C "$tree" rev-parse --short HEAD)
    for round in $(seq 1 "$rounds"); do
      echo "### $b at $short, round $round"
      grep -E '[0-9]' "$root/out/$short-$b-$round.txt" | grep -vE '^(running|test |\s*Finished|\s*Running)' || true
    done
  done
done
