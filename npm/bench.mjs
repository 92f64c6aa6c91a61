// Figures for docs/libraries.md: package sizes, the first analyze (wasm start)
// in a fresh process, and the per-call cost. Prints; asserts nothing.
//   node bench.mjs        (after ../build.sh npm, or the wasm step of ./build.sh test)
//   node bench.mjs --pkg DIR    the first analyze and --big of the package in DIR
//                               (another checkout's npm/, with its dist/ built), to compare
//   node bench.mjs --big        also issue 31's large capture (below)
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { loadavg, cpus } from "node:os";

const here = new URL(".", import.meta.url);
const { pathToFileURL } = await import("node:url");
const { resolve } = await import("node:path");
const pkgArg = process.argv.indexOf("--pkg");
const pkg = pkgArg > 0 ? pathToFileURL(resolve(process.argv[pkgArg + 1]) + "/").href : here.href;
const wasm = new URL("dist/why401.wasm", here);
const [pack] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: here, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
const kb = (n) => (n / 1024).toFixed(0) + " KiB";
const mb = (n) => (n / 1048576).toFixed(2) + " MiB";
console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(" ")} on ${cpus().length} cores, node ${process.version}`);
console.log(`tarball ${mb(pack.size)} (${pack.size} bytes), unpacked ${mb(pack.unpackedSize)}, ${pack.entryCount} files`);
console.log(`dist/why401.wasm ${mb(statSync(wasm).size)}, gzip -9 ${mb(gzipSync(readFileSync(wasm), { level: 9 }).length)}`);

// The first analyze in a fresh process: import, wasm compile and start, the
// first analysis (which builds the rule sets); and the longest the event
// loop went without running a 5 ms interval meanwhile (an idle process on
// the same machine is the yardstick: a loaded machine delays every timer).
// "busy" is the time the caller's thread spent running (not waiting):
// performance.eventLoopUtilization's active time.
const gapProbe = (body) => `
  const elu = performance.eventLoopUtilization();
  let last = performance.now(), gap = 0;
  const iv = setInterval(() => { const n = performance.now(); gap = Math.max(gap, n - last); last = n; }, 5);
  const t0 = performance.now();
  ${body}
  const t1 = performance.now();
  clearInterval(iv);
  console.log(JSON.stringify({ ms: t1 - t0, gap: Math.max(gap, t1 - last), busy: performance.eventLoopUtilization(elu).active }));`;
const first = gapProbe(`
  const { analyze } = await import(${JSON.stringify(pkg + "index.js")});
  await analyze("HTTP/1.1 401 Unauthorized\\r\\nWWW-Authenticate: Bearer\\r\\n\\r\\n");`);
const idle = gapProbe(`await new Promise((r) => setTimeout(r, 1000));`);
const runs = (script) => {
  const out = [];
  for (let i = 0; i < 5; i++) out.push(JSON.parse(execFileSync("node", ["--input-type=module", "-e", script], { encoding: "utf8" })));
  return out;
};
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const starts = runs(first);
const idles = runs(idle);
const ms = starts.map((s) => s.ms);
console.log(`first analyze (fresh process, import to report): median ${median(ms).toFixed(0)} ms, min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)} (5 runs)`);
console.log(`  (${pkg}) the caller's thread busy: median ${median(starts.map((s) => s.busy)).toFixed(0)} ms; its longest event-loop stall: median ${median(starts.map((s) => s.gap)).toFixed(0)} ms (an idle process: ${median(idles.map((s) => s.gap)).toFixed(0)} ms)`);

const { analyze, fromParts, init } = await import("./index.js");
await init();
const fixture = (p) => readFileSync(new URL("../" + p, here), "utf8");
const cases = {
  "analyze: Bearer 401 (text)": () => analyze(fixture("analyzer/testdata/cases/auth/bearer-invalid-token.http")),
  "analyze: Cloudflare challenge (text)": () => analyze(fixture("analyzer/testdata/cases/bot/cloudflare-turnstile-challenge.http")),
  "fromParts: 429 with Retry-After": () =>
    fromParts({ url: "https://api.example.com/v1/items", status: 429, responseHeaders: { "retry-after": "120", "content-type": "application/json" }, body: '{"error":"rate_limited"}' }),
  "fromParts: challenge page": () =>
    fromParts({ url: "https://shop.example/", status: 403, responseHeaders: { "cf-mitigated": "challenge", server: "cloudflare", "content-type": "text/html" }, body: fixture("httpcheck/testdata/challenge.http").split("\n\n")[1] }),
};
for (const [name, fn] of Object.entries(cases)) {
  for (let i = 0; i < 20; i++) await fn();
  const n = 200, t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  console.log(`${name}: ${((performance.now() - t0) / n).toFixed(2)} ms/call`);
}

// node bench.mjs --big: issue 31's case, a .har.gz of 150,000 small 401s
// (~1.2 MB), analysed in a fresh process by this package (or --pkg DIR's):
// wall time, the longest event-loop stall meanwhile, the exchanges listed
// and the process's peak RSS (the worker thread's memory included).
if (process.argv.includes("--big")) {
  const { writeFileSync, mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const n = 150_000;
  const parts = ['{"log":{"version":"1.2","creator":{"name":"bench","version":"1"},"entries":['];
  for (let i = 0; i < n; i++) {
    parts.push((i ? "," : "") + JSON.stringify({
      startedDateTime: new Date(Date.UTC(2026, 0, 1) + i * 10).toISOString(), time: 1,
      request: { method: "GET", url: `https://api.example.com/v1/items/${i}`, httpVersion: "HTTP/1.1", headers: [{ name: "Host", value: "api.example.com" }], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
      response: { status: 401, statusText: "Unauthorized", httpVersion: "HTTP/1.1", headers: [{ name: "WWW-Authenticate", value: 'Bearer realm="api"' }, { name: "Content-Type", value: "application/json" }], cookies: [], content: { size: 24, mimeType: "application/json", text: '{"error":"unauthorized"}' }, redirectURL: "", headersSize: -1, bodySize: 24 },
      cache: {}, timings: { send: 0, wait: 1, receive: 0 },
    }));
  }
  parts.push("]}}");
  const dir = mkdtempSync(join(tmpdir(), "why401-bench-"));
  const file = join(dir, "401s.har.gz");
  const gz = gzipSync(Buffer.from(parts.join("")), { level: 9 });
  writeFileSync(file, gz);
  const script = `
    import { readFileSync } from "node:fs";
    const { analyze } = await import(${JSON.stringify(pkg + "index.js")});
    const input = readFileSync(${JSON.stringify(file)});
    let last = performance.now(), gap = 0;
    const iv = setInterval(() => { const n = performance.now(); gap = Math.max(gap, n - last); last = n; }, 5);
    const t0 = performance.now();
    const rep = await analyze(input);
    const t1 = performance.now();
    clearInterval(iv);
    console.log(JSON.stringify({ ms: t1 - t0, gap: Math.max(gap, t1 - last), listed: rep.exchanges.length, entries: rep.input.entries, rss: process.resourceUsage().maxRSS * 1024 }));`;
  try {
    const out = JSON.parse(execFileSync("node", ["--input-type=module", "-e", script], { encoding: "utf8", maxBuffer: 1 << 30 }));
    console.log(`--big: ${n} small 401s, .har.gz of ${mb(gz.length)}, ${pkg}: ${(out.ms / 1000).toFixed(1)} s, longest event-loop stall ${(out.gap / 1000).toFixed(1)} s, ${out.listed} of ${out.entries} exchanges listed, peak RSS ${mb(out.rss)}`);
  } finally {
    rmSync(dir, { recursive: true });
  }
}
