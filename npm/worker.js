// The worker thread the analyzer runs in (engine.js starts it): Go's
// wasm_exec.js and the compiled module it is handed (the first worker
// compiles it and hands it back, for the next), then one call at a time:
// {op, args} → {out} or {error}. Its globals (Go, fs, why401) are the
// worker's own, never the caller's.

import { readFileSync } from "node:fs";
import { runInThisContext } from "node:vm";
import { parentPort, workerData } from "node:worker_threads";

// A worker whose wasm memory grew past this during a call retires after
// answering (wasm memory never shrinks): the next call gets a fresh one.
const RETIRE_BYTES = 512 << 20;

// Inputs above WHOLE bytes (or UTF-16 units) are fed to the analyzer in
// SLICE-byte slices (why401.beginWith), so the Go side never holds a large
// input whole (its memory would keep that size for good).
const WHOLE = 8 << 20;
const SLICE = 1 << 20;

const glue = new URL(workerData.glue);
runInThisContext(readFileSync(glue, "utf8"), { filename: glue.pathname });

let module = workerData.module;
if (!module) {
  module = await WebAssembly.compile(readFileSync(new URL(workerData.wasm)));
  parentPort.postMessage({ type: "module", module });
}
const go = new globalThis.Go();
const instance = await WebAssembly.instantiate(module, go.importObject);
go.run(instance).then(() => {
  // main returned or the Go program exited (a fatal error): nothing more
  // can run here; the engine ends this worker and starts a new one.
  parentPort.postMessage({ type: "retire" });
});
const api = globalThis.why401;
if (!api) throw new Error("why401: the analyzer did not start");

const ops = {
  analyze(input, opts) {
    if (input.length <= WHOLE) return api.analyzeWith(input, opts);
    const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
    const h = api.beginWith(opts);
    for (let at = 0; at < bytes.length; at += SLICE) {
      if (!h.write(bytes.subarray(at, at + SLICE))) break; // the analyzer stopped reading
    }
    return h.end();
  },
  exchanges: (hops, name) => api.exchanges(hops, name),
};

parentPort.on("message", ({ op, args }) => {
  let out;
  try {
    if (op === "__fail") throw new Error("a failure the tests asked for");
    out = ops[op](...args);
  } catch (err) {
    // The Go program cannot be trusted after a throw out of it (a trap, an
    // exit): answer, and the engine ends this worker and starts a new one.
    parentPort.postMessage({ type: "retire", error: `why401: the analyzer failed: ${err.message}` });
    return;
  }
  const retire = go.exited || instance.exports.mem.buffer.byteLength > RETIRE_BYTES;
  parentPort.postMessage({ type: retire ? "retire" : "reply", out });
});
parentPort.postMessage({ type: "ready" });
