#!/usr/bin/env bash
# schemathesis (PyPI, pinned) against /api/openapi.json of a server holding the seed, with
# every check and every phase (examples, coverage, fuzzing, stateful): no server error, no
# response outside the document, and no request the document allows refused (apart from
# the two content-dependent refusals benches/schemathesis.toml lists with their reasons).
#
#   benches/schemathesis.sh            # installs schemathesis into target/schemathesis-venv
#
# Environment: ST_EXAMPLES (examples per operation and phase, 100), ST_SEED (1), PORT
# (17990), PLANGRAPH_BIN (default: the release build). Exits with schemathesis's status;
# its JUnit report is left in target/schemathesis/junit.xml.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=4.32.5
TARGET=${CARGO_TARGET_DIR:-target}
VENV="$TARGET/schemathesis-venv"
PORT=${PORT:-17990}
URL="http://127.0.0.1:$PORT"
EXAMPLES=${ST_EXAMPLES:-100}
SEED=${ST_SEED:-1}
WORK=$(mktemp -d)
PID=
trap 'if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT

if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==$VERSION"
fi
if [ -z "${PLANGRAPH_BIN:-}" ]; then
  cargo build --release --bin plangraph >&2
  PLANGRAPH_BIN="$TARGET/release/plangraph"
fi
cp "$PLANGRAPH_BIN" "$WORK/plangraph"
"$WORK/plangraph" --data "$WORK/data" ingest seeds >/dev/null
RUST_LOG=plangraph=warn,tower_http=warn "$WORK/plangraph" --data "$WORK/data" serve \
  --addr "127.0.0.1:$PORT" >"$WORK/out" 2>"$WORK/log" &
PID=$!
until curl -sf "$URL/health" >/dev/null 2>&1; do
  kill -0 "$PID" 2>/dev/null || { echo "the server stopped:" >&2; cat "$WORK/log" >&2; exit 1; }
  sleep 0.05
done

mkdir -p "$TARGET/schemathesis"
started=$(date +%s)
set +e
"$VENV/bin/schemathesis" --config-file benches/schemathesis.toml run "$URL/api/openapi.json" --url "$URL" \
  --checks all --phases examples,coverage,fuzzing,stateful \
  --max-examples "$EXAMPLES" --seed "$SEED" --continue-on-failure --no-color \
  --report junit --report-junit-path "$TARGET/schemathesis/junit.xml"
code=$?
set -e
echo "schemathesis $VERSION: exit $code after $(($(date +%s) - started)) s (seed $SEED, $EXAMPLES examples)"
if grep -qi "panicked\|internal error" "$WORK/log"; then
  echo "the server logged a fault:" >&2
  grep -i "panicked\|internal error" "$WORK/log" | head -20 >&2
  code=1
fi
exit $code
