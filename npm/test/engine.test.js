// The engine (issues 31 and 34): the analysis runs off the main thread, a
// report lists a bounded number of exchanges, the analyzer restarts after
// it stops, and an idle analyzer does not keep the process alive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { analyze, fromParts, init, DEFAULT_MAX_EXCHANGES, MAX_EXCHANGES } from "../index.js";
import * as engine from "../engine.js";

// har is a HAR of n small 401s (the shape of issue 31's 1.2 MB .har.gz).
function har(n) {
  const entries = [];
  for (let i = 0; i < n; i++) {
    entries.push({
      startedDateTime: new Date(Date.UTC(2026, 0, 1) + i * 10).toISOString(), time: 1,
      request: { method: "GET", url: `https://api.example.com/v1/items/${i}`, httpVersion: "HTTP/1.1", headers: [{ name: "Host", value: "api.example.com" }], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
      response: { status: 401, statusText: "Unauthorized", httpVersion: "HTTP/1.1", headers: [{ name: "WWW-Authenticate", value: 'Bearer realm="api"' }, { name: "Content-Type", value: "application/json" }], cookies: [], content: { size: 24, mimeType: "application/json", text: '{"error":"unauthorized"}' }, redirectURL: "", headersSize: -1, bodySize: 24 },
      cache: {}, timings: { send: 0, wait: 1, receive: 0 },
    });
  }
  return { log: { version: "1.2", creator: { name: "test", version: "1" }, entries } };
}

test("a report lists DEFAULT_MAX_EXCHANGES exchanges unless asked for more; all are counted", async () => {
  const input = gzipSync(JSON.stringify(har(DEFAULT_MAX_EXCHANGES + 500)));
  const rep = await analyze(input);
  assert.equal(rep.input.entries, DEFAULT_MAX_EXCHANGES + 500);
  assert.equal(rep.exchanges.length, DEFAULT_MAX_EXCHANGES);
  assert.ok(rep.warnings.some((w) => w.includes(`at most ${DEFAULT_MAX_EXCHANGES}`)), rep.warnings.join("\n"));
  const all = await analyze(input, { maxExchanges: DEFAULT_MAX_EXCHANGES + 500 });
  assert.equal(all.exchanges.length, DEFAULT_MAX_EXCHANGES + 500);
  const few = await analyze(input, { maxExchanges: 3 });
  assert.equal(few.exchanges.length, 3);
  assert.equal(few.summary.hosts[0].requests, DEFAULT_MAX_EXCHANGES + 500);
  await assert.rejects(analyze(input, { maxExchanges: 0 }), RangeError);
  assert.equal(MAX_EXCHANGES, 200_000);
});

test("a large input is analysed off the main thread: timers run while it is", async () => {
  await init();
  // ~19 MB of HAR text: above the size the worker feeds in slices, and long
  // enough to analyse that a 1 ms timer fires many times meanwhile. On the
  // main thread (before issue 34) no timer could fire until it returned.
  const text = JSON.stringify(har(30_000));
  let ticks = 0;
  const iv = setInterval(() => { ticks++; }, 1);
  try {
    const rep = await analyze(text, { maxExchanges: 10 });
    assert.equal(rep.input.entries, 30_000);
  } finally {
    clearInterval(iv);
  }
  assert.ok(ticks >= 5, `only ${ticks} timer ticks during the analysis`);
});

test("the analyzer starts again after it stops", async () => {
  const probe = () => fromParts({ url: "https://api.example.com/", status: 429, responseHeaders: { "retry-after": "7" } });
  assert.equal((await probe()).retryAfterMs, 7000);
  // A worker that dies between calls: the next call starts a new one.
  await engine.stop();
  assert.equal((await probe()).retryAfterMs, 7000);
  // A call the analyzer fails on (a throw out of the wasm, as when its Go
  // program has exited) rejects with the reason; the calls after it run.
  const failing = engine.call("__fail", []);
  const after = probe();
  await assert.rejects(failing, /the analyzer failed/);
  assert.equal((await after).retryAfterMs, 7000);
  // A worker that dies during a call: that call rejects, the queued ones run.
  const big = analyze(JSON.stringify(har(20_000)));
  const queued = probe();
  await new Promise((r) => setImmediate(r)); // the call is handed to the worker
  await engine.stop();
  await assert.rejects(big, /the analyzer stopped/);
  assert.equal((await queued).retryAfterMs, 7000);
  assert.equal((await analyze("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic\r\n\r\n")).exchanges[0].verdict, "auth");
});

test("an idle analyzer does not keep the process alive", () => {
  const index = new URL("../index.js", import.meta.url).href;
  const script = `
    const { analyze, init } = await import(${JSON.stringify(index)});
    init(); // started, never awaited: the process still ends
    const rep = await analyze("HTTP/1.1 401 Unauthorized\\r\\nWWW-Authenticate: Bearer\\r\\n\\r\\n");
    console.log(rep.exchanges[0].verdict);`;
  // A hang guard, not a timing: a process kept alive by the worker never ends.
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 120_000 });
  assert.equal(out.trim(), "auth");
});

test("a wasm that does not compile is a clear error, every time", async () => {
  const dir = mkdtempSync(join(tmpdir(), "why401-broken-"));
  try {
    for (const f of ["index.js", "engine.js", "worker.js", "vocab.js", "dist/wasm_exec.js"]) {
      mkdirSync(join(dir, "dist"), { recursive: true });
      copyFileSync(new URL("../" + f, import.meta.url), join(dir, f));
    }
    writeFileSync(join(dir, "dist", "why401.wasm"), "not wasm");
    const broken = await import(pathToFileURL(join(dir, "index.js")).href);
    for (let i = 0; i < 2; i++) {
      await assert.rejects(broken.analyze("HTTP/1.1 401 Unauthorized\r\n\r\n"), /why401: the analyzer stopped: .*(WebAssembly|wasm|magic)/i);
    }
    await assert.rejects(broken.init(), /the analyzer stopped/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
