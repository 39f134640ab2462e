#!/usr/bin/env bash
# Fuzz one target with libFuzzer: tests/fuzz/run.sh TARGET [SECONDS] (default 600).
# Targets: decode_layout, docx, extract. Needs the nightly toolchain and
# `cargo install cargo-fuzz`. Findings land in tests/fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${1:?usage: tests/fuzz/run.sh decode_layout|docx|extract [SECONDS]}
secs=${2:-600}
corpus=tests/fuzz/corpus/$target
mkdir -p "$corpus"
# Start from the bundled documents (their text lines for the extractor).
cp seeds/*.txt tests/fixtures/ingest/*.txt "$corpus"/
if [ "$target" = extract ]; then
  grep -h -v '^\s*$' seeds/*.txt | head -200 | split -l 3 - "$corpus/line-"
fi
exec cargo +nightly fuzz run --fuzz-dir tests/fuzz "$target" "$corpus" -- \
  -jobs=1 -workers=1 -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 -max_len=65536
