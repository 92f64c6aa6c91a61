#!/usr/bin/env bash
# Throughput of why401 stream (issue 32, docs/performance.md): lines per
# second and CPU per line on small exchanges, against one why401 process per
# capture, and through the Python package.
#   bench/stream.sh          N=20000 lines (a quarter each: a structured 429, a structured
#                            Bearer 401, the Cloudflare challenge capture, a structured 200)
#   N=5000 bench/stream.sh   fewer
# Needs farm-bench (side by side) and /usr/bin/python3 (the Python figures).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${BENCH_DIR:-/tmp/why401-bench}"
n="${N:-20000}"
mkdir -p "$dir"
go build -trimpath -o "$dir/why401" ./cmd/why401
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(go version | cut -d' ' -f3)"

/usr/bin/python3 - "$dir" "$n" <<'PY'
import json, sys
d, n = sys.argv[1], int(sys.argv[2])
ch = open("httpcheck/testdata/challenge.http").read()
kinds = [
    {"request": {"method": "GET", "url": "https://api.example.com/v1/search?q=%d", "headers": [["Accept", "application/json"]]},
     "response": {"status": 429, "headers": [["Retry-After", "30"], ["Content-Type", "application/json"]], "body": "{\"error\":\"rate_limited\"}"}},
    {"request": {"method": "GET", "url": "https://api.example.com/v1/me", "headers": [["Authorization", "Bearer at_9f8e7d6c5b4a39281706f5e4d3c2b1a0"]]},
     "response": {"status": 401, "headers": [["WWW-Authenticate", "Bearer realm=\"api\", error=\"invalid_token\""]], "body": "{}"}},
    {"capture": ch},
    {"request": {"method": "GET", "url": "https://shop.example/p/%d", "headers": []},
     "response": {"status": 200, "headers": [["Content-Type", "text/html"]], "body": "<html><title>ok</title></html>"}},
]
with open(d + "/lines.jsonl", "w") as f:
    for i in range(n):
        f.write(json.dumps(dict(kinds[i % 4], id=i)).replace("%d", str(i)) + "\n")
with open(d + "/captures.jsonl", "w") as f:
    for i in range(200):
        f.write(json.dumps({"id": i, "capture": ch}) + "\n")
PY
echo "input: $n lines, $(wc -c < "$dir/lines.jsonl") bytes"

for j in 1 2; do
  echo "== why401 stream -j $j over $n lines (5 runs)"
  farm-bench -n 5 --timeout 600 -- sh -c "$dir/why401 stream -j $j < $dir/lines.jsonl > /dev/null" | tee "$dir/stream-j$j.txt"
done

echo "== 200 challenge captures: one why401 stream (A) vs one why401 -f json process per capture (B)"
for i in $(seq 1 200); do echo "httpcheck/testdata/challenge.http"; done > "$dir/files.txt"
farm-bench -n 5 --timeout 900 --vs "sh -c 'while read f; do $dir/why401 -f json -j 1 --no-progress \$f; done < $dir/files.txt > /dev/null'" \
  -- sh -c "$dir/why401 stream -j 1 < $dir/captures.jsonl > /dev/null"

echo "== Python: why401.from_parts / analyze through the coprocess"
WHY401_BIN="$dir/why401" PYTHONPATH=python /usr/bin/python3 - <<'PY'
import os, resource, threading, time
import why401
ch = open("httpcheck/testdata/challenge.http").read()

def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime, c.ru_utime + c.ru_stime

def one(i):
    if i % 2:
        return why401.from_parts(url="https://api.example.com/v1/search", status=429, response_headers=[("Retry-After", "30")])
    return why401.analyze(ch)

for threads, n in ((1, 3000), (4, 6000)):
    s = why401._process.default_stream()
    s.close()
    one(0)  # start
    p0, _ = cpu()
    t0 = time.perf_counter()
    per = n // threads
    ts = [threading.Thread(target=lambda: [one(i) for i in range(per)]) for _ in range(threads)]
    [t.start() for t in ts]
    [t.join() for t in ts]
    wall = time.perf_counter() - t0
    p1, _ = cpu()
    c0 = cpu()[1]
    s.close()  # the child's CPU is counted once it has exited
    child = cpu()[1] - c0
    print("%d thread(s), %d calls: %.0f calls/s, %.2f ms wall per call; CPU per call: Python %.2f ms, why401 %.2f ms (its start included)"
          % (threads, n, n / wall, wall / n * 1e3, (p1 - p0) / n * 1e3, child / n * 1e3))
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
