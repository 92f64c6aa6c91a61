// why401 worker entry: the JS side of the Worker (our own glue, used instead
// of the worker.mjs that syumai/workers' workers-assets-gen writes).
//
// The generated worker.mjs starts a new Go runtime for every request. This
// glue starts one when the isolate gets its first request and sends every
// later request to the same instance: main.go never returns and exports a
// synchronous binding.serve(request fields, body bytes). The body is read
// here in JS, up to the limit, and copied into Go once. If the Go program
// ever exits or traps, the next request starts a fresh one.
//
// The page (index.html, web/…) is served from static assets (env.ASSETS:
// Workers static assets on Cloudflare, a disk service under local workerd)
// without waking Go, with the dev server's security headers and
// Cache-Control: no-cache (revalidated); every API answer is no-store.
// Nothing here logs a request or its body.
import "./wasm_exec.js";
import { createRuntimeContext, loadModule } from "./runtime.mjs";

// What the Go program writes (it writes nothing, unless its runtime dies:
// then "fatal error: out of memory" and every goroutine's stack, hundreds
// of lines) is not logged line by line: its first line is kept, and the
// failure is logged as ONE line where the glue sees it (failed() below).
let goSaid = null;
let goFirstLine = "";
globalThis.fs.writeSync = function (fd, buf) {
  if (!goFirstLine) {
    goSaid = (goSaid || "") + new TextDecoder().decode(buf.subarray(0, 512));
    const nl = goSaid.indexOf("\n");
    if (nl >= 0 || goSaid.length >= 300) {
      goFirstLine = goSaid.slice(0, nl >= 0 ? nl : 300).trim();
      goSaid = goFirstLine ? null : goSaid.slice(nl + 1);
    }
  }
  return buf.length;
};

// failed logs one line for a Go instance that stopped, once.
function failed(s, what, e) {
  s.dead = true;
  if (live === s) live = null;
  if (s.logged) return;
  s.logged = true;
  const why = goFirstLine || String((e && e.message) || e || "the Go program exited");
  console.error("why401 worker: " + what + ": " + why.slice(0, 300));
}

// syumai/workers calls globalThis.tryCatch from Go.
globalThis.tryCatch = (fn) => {
  try {
    return { result: fn() };
  } catch (e) {
    return { error: e };
  }
};

const PAGE_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// The page's headers: the same as internal/site sends (./build.sh serve and
// the browser tests), so a deployment is as locked down as the dev server.
// Cache-Control: no-cache lets a browser keep the page's files (the MBs of
// analyzer.wasm above all) and revalidate them with If-None-Match /
// If-Modified-Since, instead of downloading them again on every visit.
// Reports and errors stay no-store.
const PAGE_HEADERS = {
  "Content-Security-Policy": PAGE_CSP,
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
  "Cache-Control": "no-cache",
};

const TYPES = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  wasm: "application/wasm",
  json: "application/json; charset=utf-8",
  png: "image/png",
  svg: "image/svg+xml",
  txt: "text/plain; charset=utf-8",
};

function baseHeaders(h) {
  h.set("Cache-Control", "no-store");
  h.set("X-Content-Type-Options", "nosniff");
  h.set("Referrer-Policy", "no-referrer");
  return h;
}

// jsonError is an error answer; cors are the API's CORS headers for the
// request (corsOf), so that a browser script can read it like the others.
function jsonError(status, message, extra = {}, cors = []) {
  const h = baseHeaders(new Headers(extra));
  for (const [k, v] of cors) h.set(k, v);
  h.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify({ error: message }) + "\n", { status, headers: h });
}

function isPagePath(p) {
  return p === "/" || p === "/index.html" || p.startsWith("/web/");
}

// notModified reports whether the browser's copy (If-None-Match, else
// If-Modified-Since) is still the current one.
function notModified(request, etag, lastModified) {
  const inm = request.headers.get("If-None-Match");
  if (inm !== null) {
    if (!etag) return false;
    const strip = (t) => t.trim().replace(/^W\//, "");
    return inm.split(",").some((t) => t.trim() === "*" || strip(t) === strip(etag));
  }
  const ims = request.headers.get("If-Modified-Since");
  if (ims === null || !lastModified) return false;
  const a = Date.parse(ims), b = Date.parse(lastModified);
  return !isNaN(a) && !isNaN(b) && b <= a;
}

async function servePage(request, env, url) {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return jsonError(405, `${request.method} is not allowed on ${url.pathname}; use GET`, { Allow: "GET, HEAD" });
  }
  const path = url.pathname === "/" ? "/index.html" : url.pathname;
  // Pass the validators on: Workers static assets answer 304 themselves;
  // workerd's disk service ignores them and is answered below.
  const fwd = new Headers();
  for (const k of ["If-None-Match", "If-Modified-Since"]) {
    const v = request.headers.get(k);
    if (v !== null) fwd.set(k, v);
  }
  const res = await env.ASSETS.fetch(new Request(new URL(path, url.origin), { method: request.method, headers: fwd }));
  if (!res.ok && res.status !== 304) {
    return jsonError(404, "not found: the API is POST /analyze and POST /diff (and GET /healthz); the page is at /");
  }
  const h = new Headers(PAGE_HEADERS);
  const etag = res.headers.get("ETag");
  const lastModified = res.headers.get("Last-Modified");
  if (etag) h.set("ETag", etag);
  if (lastModified) h.set("Last-Modified", lastModified);
  if (res.status === 304 || notModified(request, etag, lastModified)) {
    if (res.body) res.body.cancel().catch(() => {});
    return new Response(null, { status: 304, headers: h });
  }
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  h.set("Content-Type", TYPES[ext] || res.headers.get("Content-Type") || "application/octet-stream");
  const len = res.headers.get("Content-Length");
  if (len) h.set("Content-Length", len);
  return new Response(request.method === "HEAD" ? null : res.body, { status: 200, headers: h });
}

let live = null; // the running Go instance: { binding, context, exit, dead }
let starting = null; // its start, while under way

async function start(env, ctx) {
  const mod = await loadModule();
  const go = new Go();
  const binding = {};
  const context = createRuntimeContext({ env, ctx, binding });
  let ready;
  const readyPromise = new Promise((resolve) => {
    ready = resolve;
  });
  const instance = new WebAssembly.Instance(mod, {
    ...go.importObject,
    workers: { ready: () => ready() },
  });
  const s = { go, binding, context, dead: false, exit: null, logged: false, memory: instance.exports.mem };
  goSaid = null;
  goFirstLine = "";
  go.exit = () => {}; // wasm_exec's console.warn("exit code:", 2): failed() says it in one line
  const onExit = () => {
    if (goFirstLine) failed(s, "the Go program stopped");
    s.dead = true;
    if (live === s) live = null;
    // Drop the dead instance's references, so that its linear memory can
    // be collected.
    s.go = { exited: true };
    s.binding = null;
    s.context = null;
    s.memory = null;
  };
  s.exit = go.run(instance, context).then(onExit);
  // The Go program exits during a later request than the one that started
  // it: resolving go.run's promise then makes workerd warn (a promise
  // resolved from another request's context). A plain call does not.
  go._resolveExitPromise = onExit;
  let started = false;
  await Promise.race([
    readyPromise,
    s.exit.then(() => {
      if (!started) throw new Error("the Go program exited during start-up");
    }),
  ]);
  started = true;
  live = s;
  return s;
}

function goInstance(env, ctx) {
  if (live && !live.dead && !live.go.exited) return live;
  if (!starting) {
    starting = start(env, ctx).finally(() => {
      starting = null;
    });
  }
  return starting;
}

// readBody reads at most max+1 bytes of the request body into one
// Uint8Array; a longer body is left unread and reported as tooLarge.
async function readBody(request, max) {
  if (request.body === null) return { body: null, tooLarge: false };
  const cl = request.headers.get("Content-Length");
  if (cl !== null && Number(cl) > max) return { body: null, tooLarge: true };
  const reader = request.body.getReader();
  const chunks = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > max) {
      reader.cancel().catch(() => {});
      return { body: null, tooLarge: true };
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return { body: chunks[0], tooLarge: false };
  const body = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    body.set(c, off);
    off += c.byteLength;
  }
  return { body, tooLarge: false };
}

// One Go instance analyses one capture at a time, synchronously: while it
// works, the isolate's other requests wait. A large capture (over
// WHY401_SHED_BYTES, default 1 MiB; 0: never) is taken one at a time: one
// that arrives while another large one is being read or analysed is
// answered 503 with Retry-After, rather than make every small request
// behind them wait seconds each (docs/limits.md has the figures). While
// its body is still arriving, a capture holds the slot for at most
// WHY401_SLOT_READ_MS (default 5 s; 0: no bound): a slow upload (1 KB/s)
// then gives it up for the others, and claims it again once its body is
// read (or is answered 503 if another large capture holds it by then).
let largeInflight = 0;

function slotReadMs(env) {
  const v = env.WHY401_SLOT_READ_MS;
  if (v === undefined || v === "") return 5000;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : 5000;
}

function shedBytes(env) {
  const v = env.WHY401_SHED_BYTES;
  if (v === undefined || v === "") return 1 << 20;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : 1 << 20;
}

// drain reads a request body to its end and throws it away.
async function drain(request) {
  if (request.body === null) return;
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done } = await reader.read();
      if (done) return;
    }
  } catch (e) {
    // the client went away: nothing to answer
  }
}

async function fetch(request, env, ctx) {
  const url = new URL(request.url);
  if (env.ASSETS && isPagePath(url.pathname)) {
    return servePage(request, env, url);
  }
  const claim = { large: false };
  try {
    return await serveAPI(request, env, ctx, url, claim);
  } finally {
    if (claim.large) largeInflight--;
  }
}

// corsOf is the CORS headers of an API answer to request, as the Go side
// puts them on its own answers (api.go, API.CORS): none when the request
// has no Origin or the instance cannot say.
function corsOf(s, request) {
  const origin = request.headers.get("Origin");
  if (!origin || !s.binding || typeof s.binding.cors !== "function") return [];
  try {
    return s.binding.cors(origin, request.method);
  } catch (e) {
    return [];
  }
}

const BUSY = "busy: another large capture is being analysed; retry this one in a moment (large captures are taken one at a time)";

async function serveAPI(request, env, ctx, url, claim) {
  let s;
  try {
    s = await goInstance(env, ctx);
  } catch (e) {
    console.error("why401 worker: start-up failed:", String((e && e.message) || e));
    return jsonError(500, "the analyzer could not start; retry");
  }
  const cl = request.headers.get("Content-Length");
  const cors = url.pathname === "/analyze" || url.pathname === "/diff" ? corsOf(s, request) : [];
  const req = {
    method: request.method,
    path: url.pathname,
    query: url.search.slice(1),
    origin: request.headers.get("Origin") || "",
    contentType: request.headers.get("Content-Type") || "",
    contentEncoding: request.headers.get("Content-Encoding") || "",
    contentLength: cl === null || cl === "" || isNaN(Number(cl)) ? -1 : Number(cl),
    body: null,
    tooLarge: false,
  };
  const maxBytes = s.binding.maxBytes; // s may die while the body is read
  const shed = shedBytes(env);
  // take reports whether a capture of n bytes may go on: a small one
  // always; a large one when no other large one is in flight (it claims
  // the slot until it is answered).
  const take = (n) => {
    if (claim.large || !(shed > 0 && n > shed && n <= maxBytes)) return true;
    if (largeInflight > 0) return false;
    largeInflight++;
    claim.large = true;
    return true;
  };
  // release gives the slot up (a body still arriving after slotReadMs).
  const release = () => {
    if (claim.large) {
      claim.large = false;
      largeInflight--;
    }
  };
  const api = url.pathname === "/analyze" || url.pathname === "/diff"; // the paths whose body is read
  if (request.method === "POST" && api && !take(req.contentLength)) {
    // Read the body to its end (not kept) before answering: a client still
    // sending it would otherwise see a broken pipe, not the 503.
    await drain(request);
    return jsonError(503, BUSY, { "Retry-After": "1" }, cors);
  }
  if (request.method === "POST" && api) {
    const readMs = slotReadMs(env);
    const timer = claim.large && readMs > 0 ? setTimeout(release, readMs) : null;
    try {
      Object.assign(req, await readBody(request, maxBytes));
    } catch (e) {
      return jsonError(400, "could not read the request body", {}, cors);
    } finally {
      if (timer !== null) clearTimeout(timer);
    }
  }
  if (s.dead) return jsonError(503, "the analyzer restarted; retry", { "Retry-After": "1" }, cors);
  if (req.body && !take(req.body.byteLength)) {
    // A chunked body, measured once read; still cheaper to refuse than to analyse.
    return jsonError(503, BUSY, { "Retry-After": "1" }, cors);
  }
  let res;
  try {
    res = s.binding.serve(req);
  } catch (e) {
    // A trap leaves the instance unusable: start a fresh one next time.
    failed(s, "request failed", e);
    return jsonError(500, "internal error while analysing the capture; retry", {}, cors);
  }
  if (s.go.exited || !res) {
    // The Go program exited (out of memory, say) while serving: it answered nothing useful.
    failed(s, "the analyzer stopped while handling a request");
    return jsonError(500, "the analyzer stopped while handling this request; retry", {}, cors);
  }
  const h = new Headers(res.headers);
  if (env.WHY401_DEBUG_MEMORY === "1" && s.memory) {
    // For the memory tests (docs/limits.md): the Go instance's linear
    // memory, which only grows, so it is the high-water mark so far.
    h.set("X-Why401-Wasm-Memory", String(s.memory.buffer.byteLength));
  }
  return new Response(res.body, { status: res.status, headers: h });
}

export default { fetch };
