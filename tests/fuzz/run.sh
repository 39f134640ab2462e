#!/usr/bin/env bash
# Fuzz one target with libFuzzer: tests/fuzz/run.sh TARGET [SECONDS] (default 600).
# Targets: decode_layout, docx, extract. Needs `cargo install cargo-fuzz --locked`.
# cargo-fuzz passes nightly-only flags (-Zsanitizer=address): with a nightly toolchain
# installed it is used (`cargo +nightly`); otherwise the stable toolchain runs with
# RUSTC_BOOTSTRAP=1, which lets stable rustc accept those flags. FUZZ_TOOLCHAIN=stable
# forces the latter. Findings land in tests/fuzz/artifacts/TARGET/; each one becomes a
# regression test under tests/integration (see docs/reliability.md).
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
if [ "$target" = docx ]; then
  # The seed as a .docx (its tab-separated lines as table rows), so the corpus starts with
  # a real archive and not only text.
  python3 - seeds/qingdao-kejiju-2021-business-goals.txt "$corpus/seed.docx" <<'EOF_PY'
import html, sys, zipfile
w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
def para(text):
    return f'<w:p><w:r><w:t xml:space="preserve">{html.escape(text)}</w:t></w:r></w:p>'
body = []
for line in open(sys.argv[1], encoding="utf-8").read().splitlines():
    cells = line.split("\t")
    if len(cells) > 1:
        body.append("<w:tbl><w:tr>" + "".join(f"<w:tc>{para(c)}</w:tc>" for c in cells) + "</w:tr></w:tbl>")
    else:
        body.append(para(line))
xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>{"".join(body)}</w:body></w:document>'
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("word/document.xml", xml)
EOF_PY
fi
toolchain=${FUZZ_TOOLCHAIN:-}
if [ -z "$toolchain" ]; then
  if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then toolchain=nightly; else toolchain=stable; fi
fi
if [ "$toolchain" = nightly ]; then
  cargo=(cargo +nightly)
else
  export RUSTC_BOOTSTRAP=1
  cargo=(cargo)
fi
exec "${cargo[@]}" fuzz run --fuzz-dir tests/fuzz "$target" "$corpus" -- \
  -jobs=1 -workers=1 -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 -max_len=65536
