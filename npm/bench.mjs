// Figures for docs/libraries.md: package sizes, the first analyze (wasm start)
// in a fresh process, and the per-call cost. Prints; asserts nothing.
//   node bench.mjs        (after ../build.sh npm, or the wasm step of ./build.sh test)
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { loadavg, cpus } from "node:os";

const here = new URL(".", import.meta.url);
const wasm = new URL("dist/why401.wasm", here);
const [pack] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: here, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
const kb = (n) => (n / 1024).toFixed(0) + " KiB";
const mb = (n) => (n / 1048576).toFixed(2) + " MiB";
console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(" ")} on ${cpus().length} cores, node ${process.version}`);
console.log(`tarball ${mb(pack.size)} (${pack.size} bytes), unpacked ${mb(pack.unpackedSize)}, ${pack.entryCount} files`);
console.log(`dist/why401.wasm ${mb(statSync(wasm).size)}, gzip -9 ${mb(gzipSync(readFileSync(wasm), { level: 9 }).length)}`);

// The first analyze in a fresh process: import, wasm compile and start, the
// first analysis (which builds the rule sets).
const first = `
  const t0 = performance.now();
  const { analyze } = await import(${JSON.stringify(new URL("index.js", here).href)});
  await analyze("HTTP/1.1 401 Unauthorized\\r\\nWWW-Authenticate: Bearer\\r\\n\\r\\n");
  console.log(performance.now() - t0);`;
const starts = [];
for (let i = 0; i < 5; i++) starts.push(Number(execFileSync("node", ["--input-type=module", "-e", first], { encoding: "utf8" })));
starts.sort((a, b) => a - b);
console.log(`first analyze (fresh process, import to report): median ${starts[2].toFixed(0)} ms, min ${starts[0].toFixed(0)}, max ${starts[4].toFixed(0)} (5 runs)`);

const { analyze, fromParts, init } = await import("./index.js");
await init();
const fixture = (p) => readFileSync(new URL("../" + p, here), "utf8");
const cases = {
  "analyze: Bearer 401 (text)": () => analyze(fixture("analyzer/testdata/cases/auth/bearer-invalid-token.http")),
  "analyze: Cloudflare challenge (text)": () => analyze(fixture("analyzer/testdata/cases/bot/cloudflare-turnstile-challenge.http")),
  "fromParts: 429 with Retry-After (a HAR of one entry)": () =>
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
