#!/usr/bin/env bash
# Prints why401's performance figures as one Markdown table (docs/performance.md):
# why401 vs jq on a 100 MB Chrome-style HAR, native vs wasm under node, streaming
# memory on a 2 GB HAR, and batch throughput on 10,000 captures.
#   bench/run.sh            everything (needs ~3 GB free in $BENCH_DIR, default /tmp/why401-bench)
#   QUICK=1 bench/run.sh    skips the 2 GB file and uses 1,000 captures for the batch
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${BENCH_DIR:-/tmp/why401-bench}"
mkdir -p "$dir"
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
command -v jq >/dev/null || { echo "bench: needs jq (apt-get install jq)" >&2; exit 2; }

go build -trimpath -o "$dir/why401" ./cmd/why401
GOOS=js GOARCH=wasm go build -tags sanitizer -trimpath -ldflags="-s -w" -o "$dir/why401.wasm" ./cmd/why401
[ -f "$dir/100MB.har" ] || go run ./bench/genhar -size 100MB -o "$dir/100MB.har"
size_mb=$(( $(stat -c %s "$dir/100MB.har") / 1000000 ))

# measure LABEL CMD... -> "wall_s peak_MB" (best wall of 3 runs, its peak RSS)
measure() {
  local best="" mem=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" > /dev/null 2>"$dir/stderr.txt" || { cat "$dir/stderr.txt" >&2; return 1; }
    read -r w m < "$dir/time.txt"
    if [ -z "$best" ] || awk "BEGIN{exit !($w < $best)}"; then best=$w; mem=$m; fi
  done
  echo "$best $(( mem / 1024 ))"
}

row() { printf '| %s | %s s | %s MB | %s |\n' "$1" "$2" "$3" "$4"; }

echo "Machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3), $(date -u +%Y-%m-%d)"
echo
echo "| what | time | peak memory | note |"
echo "|---|---:|---:|---|"
read -r jq_t jq_m < <(measure jq -c '[.log.entries[] | select(.response.status >= 400) | {url: .request.url, status: .response.status}]' "$dir/100MB.har")
row "jq, failing entries of the ${size_mb} MB HAR" "$jq_t" "$jq_m" "jq -c '[.log.entries[] | select(.response.status >= 400) | …]'"
read -r w_t w_m < <(measure "$dir/why401" --format json --only-problems "$dir/100MB.har")
row "why401 --format json --only-problems, same file" "$w_t" "$w_m" "$(awk "BEGIN{printf \"%.1f× faster than jq\", $jq_t/$w_t}")"
read -r f_t f_m < <(measure "$dir/why401" --format json "$dir/100MB.har")
row "why401 --format json (every entry reported)" "$f_t" "$f_m" "$(awk "BEGIN{printf \"%.0f MB/s\", $size_mb/$f_t}")"
read -r s_t s_m < <(env GOMAXPROCS=1 "$dir/why401" --version >/dev/null; measure env GOMAXPROCS=1 "$dir/why401" --format json --only-problems "$dir/100MB.har")
row "why401 on one core (GOMAXPROCS=1)" "$s_t" "$s_m" "$(awk "BEGIN{printf \"%.0f MB/s\", $size_mb/$s_t}")"
wasm_exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec"
read -r n_t n_m < <(measure "$wasm_exec" "$dir/why401.wasm" --format json --only-problems "$dir/100MB.har")
row "same analyzer as wasm under node $(node --version)" "$n_t" "$n_m" "$(awk "BEGIN{printf \"%.0f MB/s\", $size_mb/$n_t}")"

if [ -z "${QUICK:-}" ]; then
  [ -f "$dir/2GB.har" ] || go run ./bench/genhar -size 2GB -o "$dir/2GB.har"
  read -r g_t g_m < <(measure "$dir/why401" --format json --only-problems "$dir/2GB.har")
  row "why401 streaming a 2 GB HAR" "$g_t" "$g_m" "$(awk "BEGIN{printf \"%.0f MB/s\", 2048/$g_t}")"
fi

n=${BATCH:-10000}
[ -n "${QUICK:-}" ] && n=1000
batch="$dir/batch-$n"
if [ ! -d "$batch" ]; then
  mkdir -p "$batch"
  files=(analyzer/testdata/cases/*/*.http analyzer/testdata/cases/*/*.txt)
  for ((i = 0; i < n; i++)); do cp "${files[i % ${#files[@]}]}" "$batch/c$i.http"; done
fi
read -r b_t b_m < <(measure "$dir/why401" --format json "$batch")
row "why401 --format json over $n captures (all cores)" "$b_t" "$b_m" "$(awk "BEGIN{printf \"%.0f captures/s\", $n/$b_t}")"

if command -v chromium >/dev/null 2>&1 && [ -z "${NO_BROWSER:-}" ]; then
  echo
  echo "The page in headless Chromium (bench/page.sh):"
  echo
  bench/page.sh "${PAGE_MB:-100}" | sed 's/^/    /'
fi
