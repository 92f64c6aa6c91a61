// why401 analysis worker: runs the analyzer (Go compiled to WebAssembly) off
// the page's main thread, so the page stays responsive on large files.
// It makes no request other than loading wasm_exec.js and analyzer.wasm from
// this site (and sanitizer.wasm, the first time a capture needs it);
// captures arrive by postMessage and never leave the browser.
//
// analyzer.wasm is the slim build: text, curl transcripts and HAR files.
// For compressed input or a zip, WARC or Burp capture it answers
// {"error": …, "needs": "full"}; the worker then loads sanitizer.wasm (the
// page's on-demand wasm, which holds the full analyzer too) once and
// analyses the same input again, so the report is the CLI's.
//
// Messages in:  {id, type: "text", text, name}      a pasted capture
//               {id, type: "file", file}            a File, streamed in chunks
//               {id, type: "markdown"}              Markdown of the last report
//               {id, type: "exchange", index}       one full exchange of the last report
// Messages out: {type: "ready", ms} | {type: "fatal", message} | {type: "exited"}
//               {id, type: "progress", read, total}
//               {id, type: "result", report, ms}    report parsed here, off the page's thread;
//                                                   in a large report, exchanges judged ok are
//                                                   sent as summaries ({…, lite: true})
//               {id, type: "exchange", index, exchange}
//               {id, type: "markdown", text}
"use strict";
importScripts("wasm_exec.js");

const CHUNK = 1 << 20; // bytes fed to the analyzer per write
const FULL = 200;      // reports with more exchanges send ok ones as summaries

let last = null; // the last report, for "exchange" requests

// lean parses the report JSON and trims what the page does not need at once.
function lean(json) {
  const rep = JSON.parse(json);
  last = rep.error ? null : rep;
  if (rep.error || rep.exchanges.length <= FULL) return rep;
  return {
    ...rep,
    exchanges: rep.exchanges.map((e) => e.verdict !== "ok" ? e : {
      index: e.index, method: e.method, url: e.url, status: e.status, verdict: e.verdict,
      confidence: e.confidence, vendor: e.vendor, scheme: e.scheme, cause: e.cause, time: e.time, lite: true,
    }),
  };
}

let active = ""; // the wasm whose why401 is in use

// load starts a Go instance of url. Its main() registers globalThis.why401,
// then blocks; if the active program ever exits, say so, and the page starts
// a fresh worker. Warm up: the first analysis compiles the vendor and API
// rule sets; do it now so the next click answers as fast as the ones after.
async function load(url) {
  const go = new Go();
  const { instance } = await WebAssembly.instantiateStreaming(fetch(url), go.importObject);
  go.run(instance).then(() => {
    if (active === url) { globalThis.why401 = undefined; postMessage({ type: "exited" }); }
  });
  active = url;
  globalThis.why401?.analyze("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n", "warm-up");
}

const ready = (async () => {
  const t0 = performance.now();
  await load("analyzer.wasm");
  postMessage({ type: "ready", ms: performance.now() - t0 });
})().catch((e) => postMessage({ type: "fatal", message: String(e) }));

let full = null; // the full analyzer, loaded on first need; it replaces the slim one
const loadFull = () => (full ??= load("sanitizer.wasm").catch((e) => { full = null; throw e; }));

async function analyzeFile(id, file) {
  const h = globalThis.why401.begin(file.name);
  const total = file.size;
  let read = 0, lastPost = 0;
  postMessage({ id, type: "progress", read, total });
  // Read the File in slices rather than as one string or one ArrayBuffer:
  // memory stays bounded however large the capture is.
  for (let off = 0; off < total; off += CHUNK) {
    const buf = new Uint8Array(await file.slice(off, off + CHUNK).arrayBuffer());
    if (!h.write(buf)) break; // the analyzer stopped reading (error or limit)
    read = Math.min(total, off + buf.length);
    const now = performance.now();
    if (now - lastPost > 50) { postMessage({ id, type: "progress", read, total }); lastPost = now; }
  }
  postMessage({ id, type: "progress", read: total, total });
  return h.end();
}

// One analysis at a time, in the order asked.
let queue = ready;
onmessage = (ev) => { queue = queue.then(() => handle(ev.data)); };

async function handle(m) {
  if (!globalThis.why401) {
    if (m.id) postMessage({ id: m.id, type: "result", report: { error: "the analyzer stopped; reload the page" }, ms: 0 });
    return;
  }
  try {
    const t0 = performance.now();
    if (m.type === "text" || m.type === "file") {
      const run = () => m.type === "text"
        ? globalThis.why401.analyze(m.text, m.name || "pasted")
        : analyzeFile(m.id, m.file);
      let report = lean(await run());
      if (report.needs === "full") {
        await loadFull();
        report = lean(await run());
      }
      postMessage({ id: m.id, type: "result", report, ms: performance.now() - t0 });
    } else if (m.type === "exchange") {
      const exchange = last?.exchanges.find((e) => e.index === m.index) ?? null;
      postMessage({ id: m.id, type: "exchange", index: m.index, exchange });
    } else if (m.type === "markdown") {
      postMessage({ id: m.id, type: "markdown", text: globalThis.why401.lastMarkdown() });
    }
  } catch (e) {
    postMessage({ id: m.id, type: "result", report: { error: String(e) }, ms: 0 });
  }
}
