#!/usr/bin/env bash
# Prints why401's performance figures (docs/performance.md): CPU (user + sys),
# wall time and peak memory as min / median / max over runs taken in turn
# with the command compared (go run ./bench/pairtime), on both HAR shapes of
# bench/genhar (compact, and chrome: what DevTools' "Save all as HAR with
# content" writes), with the load average before and after each figure.
#   bench/run.sh            everything (needs jq and ~3 GB free in $BENCH_DIR, default /tmp/why401-bench)
#   QUICK=1 bench/run.sh    3 runs instead of 5, no 2 GB file, 1,000 captures for the batch
#   SIZE=100MB              size of the two HARs compared with jq
#   BASE=<commit>           also time this build against that commit's, on both shapes
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${BENCH_DIR:-/tmp/why401-bench}"
size="${SIZE:-100MB}"
runs=5
[ -n "${QUICK:-}" ] && runs=3
mkdir -p "$dir"
command -v jq >/dev/null || { echo "bench: needs jq (apt-get install jq)" >&2; exit 2; }

go build -trimpath -o "$dir/why401" ./cmd/why401
go build -o "$dir/pairtime" ./bench/pairtime
go build -o "$dir/gjsonwalk" ./bench/gjsonwalk
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "$dir/why401.wasm" ./cmd/why401
if [ -n "${BASE:-}" ]; then
  rm -rf "$dir/base-src"
  git worktree add -f --detach "$dir/base-src" "$BASE" >/dev/null
  (cd "$dir/base-src" && go build -trimpath -o "$dir/why401-base" ./cmd/why401)
  git worktree remove --force "$dir/base-src"
fi
for shape in compact chrome; do
  [ -f "$dir/$shape-$size.har" ] || go run ./bench/genhar -shape $shape -size "$size" -o "$dir/$shape-$size.har"
done
pt() { "$dir/pairtime" -n "$runs" "$@"; echo; }
jqf='[.log.entries[]|select(.response.status>=400)|{url:.request.url,status:.response.status}]'

echo "Machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3), jq $(jq --version), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "Each figure: min / median / max of $runs runs; A and B run in turn; B/A is taken pair by pair."
echo
for shape in compact chrome; do
  har="$dir/$shape-$size.har"
  echo "## $shape HAR, $(( $(stat -L -c %s "$har") / 1000000 )) MB, $(jq '.log.entries|length' "$har") entries"
  echo
  pt -label "full report vs jq" -a "$dir/why401 --format json $har" -b "jq -c $jqf $har"
  pt -label "full report vs a plain gjson walk of the file (bench/gjsonwalk)" -a "$dir/why401 --format json $har" -b "$dir/gjsonwalk $har"
  pt -label "--only-problems vs jq" -a "$dir/why401 --format json --only-problems $har" -b "jq -c $jqf $har"
  pt -label "full report, two cores (A) vs one (B)" -a "$dir/why401 --format json $har" -b "env GOMAXPROCS=1 $dir/why401 --format json $har"
  if [ -n "${BASE:-}" ]; then
    pt -label "full report, this build (A) vs $BASE (B)" -a "$dir/why401 --format json $har" -b "$dir/why401-base --format json $har"
  fi
done

wasm_exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec"
pt -label "wasm under node $(node --version) (A) vs native (B), compact HAR" -a "$wasm_exec $dir/why401.wasm --format json --only-problems $dir/compact-$size.har" -b "$dir/why401 --format json --only-problems $dir/compact-$size.har"

if [ -z "${QUICK:-}" ]; then
  [ -f "$dir/compact-2GB.har" ] || go run ./bench/genhar -size 2GB -o "$dir/compact-2GB.har"
  "$dir/pairtime" -n 1 -warmup 0 -label "streaming a 2 GB HAR, --only-problems" -a "$dir/why401 --format json --only-problems $dir/compact-2GB.har"
  echo
fi

n=${BATCH:-10000}
[ -n "${QUICK:-}" ] && n=1000
batch="$dir/batch-$n"
if [ ! -d "$batch" ]; then
  mkdir -p "$batch"
  files=(analyzer/testdata/cases/*/*.http)
  for ((i = 0; i < n; i++)); do cp "${files[i % ${#files[@]}]}" "$batch/c$i.http"; done
fi
pt -label "$n captures in a folder" -a "$dir/why401 --format json $batch"

if command -v chromium >/dev/null 2>&1 && [ -z "${NO_BROWSER:-}" ]; then
  echo "The page in headless Chromium (bench/page.sh):"
  echo
  bench/page.sh "${PAGE_MB:-100}" | sed 's/^/    /'
fi
