#!/usr/bin/env bash
# Builds the why401 worker bundle (./build.sh worker and worker-dev call this).
#
#   worker/build.sh [OUT]      build into OUT (default worker/build)
#   worker/build.sh --serve    build into worker/build, then serve it with workerd
#
# OUT gets: app.wasm (the Go program), why401.mjs (the entry module, our glue
# from worker/glue.mjs), runtime.mjs + wasm_exec.js (from syumai/workers'
# workers-assets-gen v0.32.0; its worker.mjs is left there unused), public/
# (the page: index.html and web/, served as static assets) and workerd.capnp
# (local config from worker/workerd.capnp.in). Fails when the modules are
# over WORKER_GZIP_LIMIT bytes gzipped (default 2120000: the project's own budget, under
# Cloudflare's 3 MB compressed limit for a free-plan worker; 2000000 for a few hours of
# 2026-12-07 once gjson's pretty went (1,972,508), until that night's knowledge rounds
# (issues 28 and 30: new API files, proxy providers, review fixes) took it to 2,001,469).
# 2100000 since 2026-12-08: that night's merges (11 API files, the scope rule, lazy catalogs,
# the fourth review's fixes) took it to 2,052,505. The page dropped fmt that night; the
# worker's own api.go and its other imports still use it (not tried). The next night's
# merges took it to 2,105,644; the page's slim knowledge files (below) brought it back under,
# and that night's second round (fetch pastes, gateway pages, rate numbers) to 2,108,603:
# 2120000 since.
#
# Environment: WORKER_ADDR (default 127.0.0.1:8787), WHY401_MAX_BYTES,
# WHY401_CORS_ORIGINS, WHY401_SHED_BYTES (larger captures are taken one at a
# time, the others get 503; default 1048576, 0: never), WHY401_SLOT_READ_MS (how
# long a large capture still arriving holds that slot; default 5000, 0: no
# bound), WHY401_DEBUG_MEMORY (1:
# every API answer carries X-Why401-Wasm-Memory, for the memory tests) —
# written into workerd.capnp as text bindings.
set -euo pipefail
cd "$(dirname "$0")/.."

serve=0
if [ "${1:-}" = "--serve" ]; then
  serve=1
  shift
fi
out="${1:-worker/build}"
[ -f web/app.js ] || { echo "worker/build.sh: run from a why401 checkout (web/app.js missing)" >&2; exit 1; }

go tool workers-assets-gen -mode=go -o "$out" >/dev/null # removes $out first
# The knowledge files without "sources", "notes" and indentation, as the page
# builds them (internal/cmd/slimknowledge; build.sh test checks the reports
# are the same under this overlay): ~10 KB less gzip.
slim="$(mktemp -d)"
trap 'rm -rf "$slim"' EXIT
go run ./internal/cmd/slimknowledge "$slim" 2>/dev/null
GOOS=js GOARCH=wasm go build -overlay "$slim/overlay.json" -trimpath -ldflags="-s -w" -o "$out/app.wasm" ./worker
# One data segment instead of ~60,000 (same memory image, less gzip), and a
# memory maximum (WORKER_MAX_MEMORY_MIB, default 128): a runaway request
# dies of "out of memory" in Go at that size, logged as one line, and the next
# request gets a fresh instance; without it Go grows to wasm32's 4 GB first.
go run ./internal/cmd/wasmpack -max-memory "${WORKER_MAX_MEMORY_MIB:-128}" "$out/app.wasm" >/dev/null
cp worker/glue.mjs "$out/why401.mjs"
mkdir -p "$out/public"
cp index.html "$out/public/index.html"
cp -R web "$out/public/web"
[ -f "$out/public/web/analyzer.wasm" ] || echo "worker/build.sh: note: web/analyzer.wasm is missing (run ./build.sh); the page will not load its analyzer" >&2

for v in "${WORKER_ADDR:-}" "${WHY401_MAX_BYTES:-}" "${WHY401_CORS_ORIGINS:-}" "${WHY401_DEBUG_MEMORY:-}" "${WHY401_SHED_BYTES:-}" "${WHY401_SLOT_READ_MS:-}"; do
  case "$v" in *'"'*|*'|'*|*'\'*) echo "worker/build.sh: unexpected character in $v" >&2; exit 2 ;; esac
done
public="$(cd "$out/public" && pwd)"
sed -e "s|@ADDR@|${WORKER_ADDR:-127.0.0.1:8787}|" -e "s|@PUBLIC@|$public|" \
  -e "s|@MAX_BYTES@|${WHY401_MAX_BYTES:-}|" -e "s|@CORS_ORIGINS@|${WHY401_CORS_ORIGINS:-}|" \
  -e "s|@DEBUG_MEMORY@|${WHY401_DEBUG_MEMORY:-}|" -e "s|@SHED_BYTES@|${WHY401_SHED_BYTES:-}|" \
  -e "s|@SLOT_READ_MS@|${WHY401_SLOT_READ_MS:-}|" \
  worker/workerd.capnp.in > "$out/workerd.capnp"

raw=$(cat "$out"/why401.mjs "$out"/runtime.mjs "$out"/wasm_exec.js "$out"/app.wasm | wc -c)
gz=$(cat "$out"/why401.mjs "$out"/runtime.mjs "$out"/wasm_exec.js "$out"/app.wasm | gzip -9 | wc -c)
limit="${WORKER_GZIP_LIMIT:-2120000}"
echo "worker bundle ($out): app.wasm $(wc -c < "$out/app.wasm") bytes; modules $raw bytes, $gz gzip (limit $limit)"
if [ "$gz" -gt "$limit" ]; then
  echo "worker/build.sh: the worker bundle is $gz bytes gzipped, over the $limit limit" >&2
  exit 1
fi

if [ "$serve" = 1 ]; then
  workerd=node_modules/@cloudflare/workerd-linux-64/bin/workerd
  [ -x "$workerd" ] || { echo "worker/build.sh: $workerd is missing: run npm ci (it installs workerd@$(node -p 'require("./package.json").devDependencies.workerd' 2>/dev/null || echo '?'))" >&2; exit 1; }
  echo "why401 worker on http://${WORKER_ADDR:-127.0.0.1:8787}/ (workerd $("$workerd" --version | awk '{print $2}'); Ctrl-C to stop)"
  echo "  try: curl --data-binary @analyzer/testdata/cases/core/expired-jwt-bearer.http http://${WORKER_ADDR:-127.0.0.1:8787}/analyze"
  exec "$workerd" serve "$out/workerd.capnp"
fi
