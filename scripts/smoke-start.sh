#!/usr/bin/env bash
# Acceptance smoke test: `npm start` on a fresh data directory answers /healthz on all
# three ports within 30 seconds, with no database server involved (PGlite). A cold start
# is ~15 s on a quiet 2-core machine (TypeScript loaded through tsx, one PGlite initdb in
# WebAssembly and three clusters started from its files, every migration); CI runs this
# right after the test suite, when the machine is slower, and 20 s failed there once.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
log="$data/start.log"
MACHI_DATA_DIR="$data" npm start >"$log" 2>&1 &
pid=$!
cleanup() { kill -TERM -- "$pid" 2>/dev/null || true; pkill -TERM -f "src/cli/main.ts start" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
start=$(date +%s%3N)
for port in 3000 3001 3002; do
  until curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    if (( $(date +%s%3N) - start > 30000 )); then
      echo "npm start: port $port did not answer /healthz within 30 s" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.2
  done
done
echo "npm start: /healthz 200 on 3000, 3001, 3002 after $(( $(date +%s%3N) - start )) ms"
