// The analyzer's engine: the wasm run in a worker thread (worker.js), so
// neither its start nor a long analysis holds the caller's event loop. The
// first worker reads and compiles dist/why401.wasm (WebAssembly.compile,
// off the caller's thread) and hands the compiled module back; it is kept
// for the rest of the process. Calls go to the worker one at a time; if the
// worker stops (the Go program exited, a crash, or it retired itself after
// a call that grew its memory), the call it was running rejects and the
// next call starts a new worker from the compiled module.
//
// Not part of the public API (index.js is); the tests reach call() and
// stop() here.

import { Worker } from "node:worker_threads";

const dist = new URL("./dist/", import.meta.url);

let compiled; // the WebAssembly.Module, once the first worker has compiled it
let current; // the running engine: {worker, ready, queue, busy}

/** start makes sure a worker is starting or running; resolves once it is ready. */
export function start() {
  return engine().ready;
}

function engine() {
  if (current) return current;
  const e = { queue: [], busy: null, dead: false };
  e.ready = new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./worker.js", import.meta.url), {
      workerData: { module: compiled, wasm: new URL("why401.wasm", dist).href, glue: new URL("wasm_exec.js", dist).href },
      // The caller's flags, but --input-type (node --input-type=module -e …),
      // which a worker started from a file refuses.
      execArgv: process.execArgv.filter((a, i, all) => !a.startsWith("--input-type") && all[i - 1] !== "--input-type"),
    });
    e.worker = worker;
    worker.on("message", (m) => {
      if (m.type === "module") {
        compiled ??= m.module;
        return;
      }
      if (m.type === "ready") {
        e.started = true;
        resolve();
        idle(e);
        return;
      }
      const call = e.busy;
      e.busy = null;
      if (m.type === "retire") {
        // Its Go program exited or failed, or its memory grew large: no
        // more calls go to it; the waiting ones go to a new worker.
        e.retiring = true;
        if (current === e) current = undefined;
        worker.terminate();
      }
      if (call) {
        if (m.error) call.reject(new Error(m.error));
        else if (m.out === undefined) call.reject(stopped(e, null));
        else call.resolve(m.out);
      }
      if (!e.retiring) next(e);
      else if (e.started) requeue(e);
      else reject(stopped(e, null));
    });
    worker.on("error", (err) => { e.error = err; });
    worker.on("exit", (code) => {
      e.dead = true;
      if (e.retiring) return; // ended by us: its calls are already answered or moved
      if (current === e) current = undefined;
      const err = stopped(e, code);
      reject(err);
      if (e.busy) e.busy.reject(err);
      e.busy = null;
      if (e.started) requeue(e); // a worker that ran: the calls after the one it died on go to a new one
    });
  });
  e.ready.catch((err) => {
    // It never started (the wasm is missing or broken, or Go failed to
    // start): the calls waiting for it fail with the reason; a later call
    // tries again.
    if (current === e) current = undefined;
    for (const c of e.queue.splice(0)) c.reject(err);
  });
  current = e;
  return e;
}

function stopped(e, code) {
  const why = e.error ? `: ${e.error.message}` : code === null ? "" : ` (exit code ${code})`;
  return new Error(`why401: the analyzer stopped${why}; the next call starts it again`);
}

// requeue hands the calls a stopped engine had not started to a new one.
function requeue(e) {
  const rest = e.queue.splice(0);
  for (const c of rest) enqueue(c);
}

function enqueue(c) {
  const e = engine();
  e.queue.push(c);
  e.ready.then(() => next(e), () => {});
}

function next(e) {
  if (e.busy || e.dead || e.retiring || !e.worker) return;
  const c = e.queue.shift();
  if (!c) return idle(e);
  e.busy = c;
  e.worker.ref(); // a call in flight keeps the process alive until it answers
  e.worker.postMessage({ op: c.op, args: c.args });
}

// idle lets the process exit while no call is waiting.
function idle(e) {
  if (!e.busy && e.queue.length === 0) e.worker?.unref();
}

/** call runs why401[op](...args) in the worker; resolves to what it returned. */
export function call(op, args) {
  return new Promise((resolve, reject) => enqueue({ op, args, resolve, reject }));
}

/** stop ends the running worker as if it had crashed (for the tests). */
export function stop() {
  return current?.worker?.terminate();
}
