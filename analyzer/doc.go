// Package analyzer explains an HTTP 401 (or 403, 407, 429, a 200 challenge page…):
// a genuine authentication failure, or a bot block in disguise.
//
// It does its work in five stages, each taking only the previous stage's output:
//
//  1. inputs    bytes → []Exchange             (raw.go, curl.go, har.go, sniff.go)
//  2. signals   Exchange → []Signal            (challenge.go, session.go, status.go, vendor.go, api.go)
//  3. verdict   []Signal → Verdict             (verdict.go; never sees headers)
//  4. fixes     Verdict → []Fix                (fix.go, fixes.json, vendor and API files)
//  5. output    Report (report.go) → text, markdown (render.go) or JSON (report.go, encoding/json)
//
// Knowledge lives in embedded data files: vendors/*.json (anti-bot and WAF
// fingerprints), apis/*.json (API error shapes) and fixes.json (generic fixes).
// Adding a vendor or an API means adding a file; the engine does not change.
//
// The package does no I/O of its own, imports neither net/http nor syscall/js,
// and never echoes a secret: credentials appear only as fingerprints
// (kind, length, last four characters).
//
// It is compiled into the web page's wasm (one build, every input the CLI
// reads) with the standard library's regexp, compress/* and archive/zip,
// and no fmt (wasm/deps_test.go lists what must stay out).
package analyzer
