#!/usr/bin/env bash
# Measures the why401 worker on local workerd: cold start, then per-request
# wall time for a small paste and for a 5 MB HAR, for two builds:
#   glue   — what ships: worker/glue.mjs keeps one Go instance per isolate
#   stock  — syumai/workers as documented: workers.Serve (-tags syumai) and
#            the worker.mjs that workers-assets-gen writes (a new Go runtime per request)
# Usage: bench/worker.sh [runs]   (default 20 small / 5 large per build)
# Environment: BENCH_BUILDS (default "glue stock": which builds to measure),
# BENCH_PORT (default 8791: another port when another bench runs).
# Output: a table on stdout; scratch files in bench/out/ (gitignored).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
big_runs=5
out=bench/out
mkdir -p "$out"
workerd=node_modules/@cloudflare/workerd-linux-64/bin/workerd
[ -x "$workerd" ] || { echo "bench/worker.sh: run npm ci first (workerd missing)" >&2; exit 1; }
small=analyzer/testdata/cases/core/expired-jwt-bearer.http

# A 5 MB HAR: 401s, 403 challenge pages and 200s with ~1.5 KB bodies.
har() { node -e '
const n = Number(process.argv[1]), entries = [];
for (let i = 0; i < n; i++) {
  const kind = i % 3;
  const status = [401, 403, 200][kind];
  const headers = [{name: "Date", value: "Wed, 15 Nov 2023 10:00:00 GMT"}, {name: "Content-Type", value: kind == 1 ? "text/html" : "application/json"}];
  if (kind == 0) headers.push({name: "WWW-Authenticate", value: "Bearer realm=\"api\", error=\"invalid_token\""});
  if (kind == 1) headers.push({name: "Server", value: "cloudflare"}, {name: "CF-RAY", value: "8c0f4e7a9b1d" + (1000 + i) + "-FRA"});
  const text = kind == 1 ? "<!DOCTYPE html><title>Just a moment...</title>" + "<p>challenge</p>".repeat(90) : JSON.stringify({error: "x".repeat(1400)});
  entries.push({startedDateTime: "2023-11-15T10:00:00.000Z", time: 12,
    request: {method: "GET", url: "https://api.example.com/v1/items/" + i, httpVersion: "HTTP/1.1", headers: [{name: "Host", value: "api.example.com"}, {name: "Accept", value: "*/*"}], queryString: [], cookies: [], headersSize: -1, bodySize: 0},
    response: {status, statusText: "", httpVersion: "HTTP/1.1", headers, cookies: [], content: {size: text.length, mimeType: "text/plain", text}, redirectURL: "", headersSize: -1, bodySize: text.length},
    cache: {}, timings: {send: 0, wait: 10, receive: 2}});
}
process.stdout.write(JSON.stringify({log: {version: "1.2", creator: {name: "bench", version: "1"}, entries}}));
' "$1"; }
har 2300 > "$out/5mb.har"
har 4600 > "$out/10mb.har"
echo "HARs: 5mb.har $(wc -c < "$out/5mb.har") bytes, 10mb.har $(wc -c < "$out/10mb.har") bytes (limit 10485760)"

port="${BENCH_PORT:-8791}"
build() { # name tags main-module
  local dir="$out/$1"
  # WHY401_DEBUG_MEMORY=1: the shipped glue reports the Go instance's linear
  # memory in X-Why401-Wasm-Memory (docs/worker.md).
  WORKER_ADDR="127.0.0.1:$port" WORKER_GZIP_LIMIT=99999999 WHY401_DEBUG_MEMORY=1 worker/build.sh "$dir" >/dev/null
  if [ "$1" = stock ]; then
    GOOS=js GOARCH=wasm go build -tags syumai -trimpath -ldflags="-s -w" -o "$dir/app.wasm" ./worker
    cp "$dir/worker.mjs" "$dir/why401.mjs" # the generated glue, under the name workerd.capnp loads
  fi
  echo "$1: app.wasm $(wc -c < "$dir/app.wasm") bytes, $(gzip -9 -c "$dir/app.wasm" | wc -c) gzip"
}

# CPU time of the workerd process (all threads), in ms; /proc ticks are 10 ms, so
# per-request figures are averaged over many requests.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15) * 1000 / hz}' "/proc/$1/stat"; }

ms() { awk '{printf "%.1f", $1 * 1000}'; }

stats() { # reads seconds, one per line; prints median / mean / min / max in ms
  sort -n | awk '{a[NR]=$1; s+=$1} END {printf "median %.1f  mean %.1f  min %.1f  max %.1f ms (n=%d)", a[int((NR+1)/2)]*1000, s/NR*1000, a[1]*1000, a[NR]*1000, NR}'
}

run_build() {
  local name="$1" dir="$out/$1" pid t0 t1 t2 c0 firstcpu=() up=() gostart=() cold=() first=() small_t big_t
  for i in 1 2 3 4 5; do
    t0=$(date +%s.%N)
    "$workerd" serve "$dir/workerd.capnp" >"$out/$name.log" 2>&1 &
    pid=$!
    # Up: workerd answers (GET /nope: JS only in the glue build; Go in the stock one).
    until curl -s -o /dev/null "http://127.0.0.1:$port/nope" 2>/dev/null; do sleep 0.005; done
    t1=$(date +%s.%N)
    up+=("$(echo "$t1 - $t0" | bc)")
    # Go start: GET /healthz is answered by Go without analysing anything.
    curl -s -o /dev/null "http://127.0.0.1:$port/healthz"
    t2=$(date +%s.%N)
    gostart+=("$(echo "$t2 - $t1" | bc)")
    # First report: the analyzer compiles its catalogs (vendors/*.json, apis/*.json) on first use.
    c0=$(cpu_ms "$pid")
    curl -s -o /dev/null --data-binary @"$small" "http://127.0.0.1:$port/analyze?name=$small"
    firstcpu+=("$(( $(cpu_ms "$pid") - c0 ))")
    first+=("$(echo "$(date +%s.%N) - $t2" | bc)")
    cold+=("$(echo "$(date +%s.%N) - $t0" | bc)")
    if [ "$i" -lt 5 ]; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  done
  echo "$name workerd start → listening and answering:  $(printf '%s\n' "${up[@]}" | stats)"
  echo "$name then GET /healthz (Go start-up):         $(printf '%s\n' "${gostart[@]}" | stats)"
  echo "$name then first report (catalogs + analysis): $(printf '%s\n' "${first[@]}" | stats)"
  echo "$name cold start, workerd start → first report: $(printf '%s\n' "${cold[@]}" | stats)"
  echo "$name first report, workerd CPU time (10 ms ticks): $(printf '%s ' "${firstcpu[@]}")ms"
  # Warm up, and let V8 finish compiling the wasm's optimised tier in the
  # background (that CPU would otherwise be counted against the requests below).
  for i in $(seq 30); do curl -s -o /dev/null --data-binary @"$small" "http://127.0.0.1:$port/analyze"; done
  curl -s -o /dev/null --data-binary @"$out/5mb.har" "http://127.0.0.1:$port/analyze"
  sleep 2
  c0=$(cpu_ms "$pid")
  small_t=$(for i in $(seq "$runs"); do curl -s -o /dev/null -w '%{time_total}\n' --data-binary @"$small" "http://127.0.0.1:$port/analyze"; done)
  echo "$name small paste ($(wc -c < "$small") bytes), warm: $(echo "$small_t" | stats)"
  echo "$name small paste, workerd CPU per request: $(awk -v a="$c0" -v b="$(cpu_ms "$pid")" -v n="$runs" 'BEGIN {printf "%.1f", (b - a) / n}') ms (mean of $runs)"
  c0=$(cpu_ms "$pid")
  big_t=$(for i in $(seq "$big_runs"); do curl -s -o "$out/$name-5mb.json" -w '%{time_total}\n' --data-binary @"$out/5mb.har" "http://127.0.0.1:$port/analyze"; done)
  echo "$name 5 MB HAR, workerd CPU per request: $(awk -v a="$c0" -v b="$(cpu_ms "$pid")" -v n="$big_runs" 'BEGIN {printf "%.0f", (b - a) / n}') ms (mean of $big_runs)"
  echo "$name 5 MB HAR, warm: $(echo "$big_t" | stats)  → report $(wc -c < "$out/$name-5mb.json") bytes, $(head -c 60 "$out/$name-5mb.json")…"
  # Concurrency: 50 small requests at once.
  local t1; t1=$(date +%s.%N)
  local pids=()
  for i in $(seq 50); do curl -s -o /dev/null --data-binary @"$small" "http://127.0.0.1:$port/analyze" & pids+=($!); done
  wait "${pids[@]}"
  echo "$name 50 concurrent small pastes: $(echo "$(date +%s.%N) - $t1" | bc | ms) ms wall for all"
  if [ "$name" = glue ]; then
    kill "$pid"; wait "$pid" 2>/dev/null || true
    "$workerd" serve "$dir/workerd.capnp" >"$out/$name.log" 2>&1 &
    pid=$!
    until curl -s -o /dev/null "http://127.0.0.1:$port/nope" 2>/dev/null; do sleep 0.005; done
    echo "$name Go linear memory after start-up (GET /healthz): $(curl -s -o /dev/null -D - "http://127.0.0.1:$port/healthz" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-why401-wasm-memory" {printf "%.0f MB", $2/1048576}')"
    for f in "$small" "$out/5mb.har" "$out/10mb.har"; do
      local m
      m=$(curl -s -o /dev/null -D - --data-binary @"$f" "http://127.0.0.1:$port/analyze" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-why401-wasm-memory" {printf "%.0f MB", $2/1048576}')
      echo "$name Go linear memory after $(basename "$f"): $m"
    done
    local t10; t10=$(curl -s -o /dev/null -w '%{time_total}\n' --data-binary @"$out/10mb.har" "http://127.0.0.1:$port/analyze")
    echo "$name 10 MB HAR once: $(echo "$t10" | ms) ms"
  fi
  echo "$name workerd RSS after the runs: $(ps -o rss= -p "$pid" | awk '{printf "%.0f MB", $1/1024}')"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

builds="${BENCH_BUILDS:-glue stock}"
for b in $builds; do build "$b"; done
for b in $builds; do run_build "$b"; done
