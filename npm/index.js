// why401 for Node, Deno and Bun: the why401 analyzer (Go compiled to
// WebAssembly, dist/why401.wasm) and adapters that read a live response
// from fetch, Playwright or Puppeteer. Types: index.d.ts; docs: README.md.
//
// Nothing leaves the process: the analyzer does no I/O, and reports show
// credentials only as fingerprints.

import { readFile } from "node:fs/promises";

/** The verdicts (docs/report.md in the repository). */
export const Verdict = Object.freeze({
  AUTH: "auth",
  FORBIDDEN: "forbidden",
  PROXY_AUTH: "proxy_auth",
  BOT: "bot",
  RATE_LIMIT: "rate_limit",
  OK: "ok",
  UNKNOWN: "unknown",
});

/** The causes that refine a verdict. */
export const Cause = Object.freeze({
  MISSING_CREDENTIALS: "missing_credentials",
  INVALID_CREDENTIALS: "invalid_credentials",
  MALFORMED_CREDENTIALS: "malformed_credentials",
  EXPIRED_TOKEN: "expired_token",
  EXPIRED_SESSION: "expired_session",
  CLOCK_SKEW: "clock_skew",
  INSUFFICIENT_SCOPE: "insufficient_scope",
  INSUFFICIENT_PERMISSIONS: "insufficient_permissions",
  SSO_REQUIRED: "sso_required",
  STEP_UP: "step_up",
  STALE_NONCE: "stale_nonce",
  DPOP_NONCE: "dpop_nonce",
  INVALID_DPOP_PROOF: "invalid_dpop_proof",
  HANDSHAKE: "handshake",
  PREFLIGHT: "preflight",
  PROXY_AUTH: "proxy_auth",
  REDIRECT_DROPPED_AUTH: "redirect_dropped_auth",
  COOKIE_NOT_SENT: "cookie_not_sent",
  ACCOUNT_LOCKED: "account_locked",
  CHALLENGE: "challenge",
  BLOCK: "block",
  CAPTCHA: "captcha",
  RATE_LIMIT: "rate_limit",
  CRAWLER_POLICY: "crawler_policy",
});

/** What to do about a response. */
export const Action = Object.freeze({
  NONE: "none",
  RETRY: "retry",
  REFRESH_CREDENTIALS: "refresh_credentials",
  ROTATE_SESSION: "rotate_session",
  SLOW_DOWN: "slow_down",
  STOP: "stop",
  FIX_PROXY: "fix_proxy",
});

const stopCauses = new Set(["insufficient_scope", "insufficient_permissions", "sso_required",
  "account_locked", "redirect_dropped_auth", "preflight", "clock_skew"]);
const retryCauses = new Set(["handshake", "stale_nonce", "dpop_nonce"]);

/**
 * actionFor maps a verdict and its cause to an action, as Go's
 * httpcheck.ActionFor does (the repository tests both on one table).
 */
export function actionFor(verdict, cause) {
  switch (verdict) {
    case "bot": return Action.ROTATE_SESSION;
    case "rate_limit": return Action.SLOW_DOWN;
    case "forbidden": return Action.STOP;
    case "proxy_auth": return Action.FIX_PROXY;
    case "auth":
      if (retryCauses.has(cause)) return Action.RETRY;
      if (stopCauses.has(cause)) return Action.STOP;
      return Action.REFRESH_CREDENTIALS;
  }
  return Action.NONE;
}

/** How much of a body the adapters read: the analyzer's own limit, 256 KiB. */
export const DEFAULT_BODY_LIMIT = 256 << 10;

let started; // Promise of the wasm's exports

/**
 * init starts the analyzer (compiles and runs the wasm) once; analyze and
 * the adapters call it. Call it early to take the start-up cost off the
 * first analysis.
 */
export function init() {
  started ??= start();
  return started.then(() => undefined);
}

// start runs Go's wasm_exec.js in a scope of its own: the globals it defines
// (Go, fs, path, and the program's why401) land in that scope, not on the
// real globalThis, which it reads through for everything else.
async function start() {
  const dist = new URL("./dist/", import.meta.url);
  const [glue, wasm] = await Promise.all([
    readFile(new URL("wasm_exec.js", dist), "utf8"),
    readFile(new URL("why401.wasm", dist)),
  ]);
  const own = Object.create(null);
  const scope = new Proxy(globalThis, {
    get: (t, k) => (k in own ? own[k] : Reflect.get(t, k)),
    set: (_, k, v) => { own[k] = v; return true; },
    has: (t, k) => k in own || k in t,
    deleteProperty: (_, k) => delete own[k],
  });
  // wasm_exec.js calls fs.writeSync by its bare name: the trailing var (hoisted)
  // binds that name to the scope's fs once the glue has defined it.
  new Function("globalThis", glue + "\n;var fs = globalThis.fs;")(scope);
  const go = new own.Go();
  const { instance } = await WebAssembly.instantiate(wasm, go.importObject);
  go.run(instance); // main registers why401, then blocks; it never resolves
  if (!own.why401) throw new Error("why401: the analyzer did not start");
  return own.why401;
}

/**
 * analyze reads a capture — a pasted response, a curl -v transcript, a HAR
 * (text, bytes, or the parsed object) — and resolves to the report
 * (docs/report.md). It rejects when nothing could be read.
 */
export async function analyze(input, options = {}) {
  const api = await (started ??= start());
  let arg = input;
  if (input instanceof ArrayBuffer) arg = new Uint8Array(input);
  else if (ArrayBuffer.isView(input) && !(input instanceof Uint8Array)) {
    arg = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  } else if (input !== null && typeof input === "object" && !(input instanceof Uint8Array)) {
    arg = JSON.stringify(input);
  } else if (typeof input !== "string" && !(input instanceof Uint8Array)) {
    throw new TypeError("why401: analyze wants a string, bytes or a HAR object");
  }
  const rep = JSON.parse(api.analyze(arg, options.name ?? ""));
  if (rep.error) throw new Error(rep.error);
  return rep;
}

// ---- live responses -------------------------------------------------------

/**
 * One hop as the adapters collect it.
 * @typedef {{method: string, url: string, requestHeaders: [string, string][],
 *   status: number, statusText: string, httpVersion: string,
 *   responseHeaders: [string, string][], body: Uint8Array | null}} Hop
 */

// Headers the body decoding of fetch, Playwright and Puppeteer made stale:
// the body they hand over is decoded.
const decoded = new Set(["content-encoding", "content-length"]);

/** result analyses hops (the first request first) and decides on the last. */
async function result(hops) {
  const entries = hops.map((h) => harEntry(h));
  const report = await analyze({ log: { version: "1.2", creator: { name: "why401 npm", version: "1" }, entries } }, { name: "live response" });
  const exchange = report.exchanges[report.exchanges.length - 1];
  if (!exchange) throw new Error("why401: the response could not be read");
  const action = actionFor(exchange.verdict, exchange.cause);
  const last = hops[hops.length - 1];
  return {
    action,
    verdict: exchange.verdict,
    cause: exchange.cause,
    retryAfterMs: action === Action.SLOW_DOWN ? retryAfterMs(last.responseHeaders, Date.now()) : null,
    exchange,
    report,
  };
}

function harEntry(h) {
  const content = { size: h.body?.length ?? 0, mimeType: header(h.responseHeaders, "content-type") ?? "" };
  if (h.body?.length) {
    try {
      content.text = new TextDecoder("utf-8", { fatal: true }).decode(h.body);
    } catch {
      content.text = base64(h.body);
      content.encoding = "base64";
    }
  }
  const fields = (list) => list.map(([name, value]) => ({ name, value }));
  return {
    startedDateTime: new Date().toISOString(),
    request: { method: h.method || "GET", url: h.url, httpVersion: h.httpVersion, headers: fields(h.requestHeaders) },
    response: {
      status: h.status, statusText: h.statusText, httpVersion: h.httpVersion,
      headers: fields(h.responseHeaders.filter(([n]) => !(h.body && decoded.has(n.toLowerCase())))),
      content, redirectURL: header(h.responseHeaders, "location") ?? "",
    },
  };
}

function base64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function header(list, name) {
  for (const [n, v] of list) if (n.toLowerCase() === name) return v;
  return undefined;
}

/** pairs turns Headers, an object (values joined with "\n" split apart) or pairs into [name, value][]. */
function pairs(h) {
  if (!h) return [];
  if (typeof h.getSetCookie === "function" && typeof h.forEach === "function") {
    const out = [];
    h.forEach((v, k) => { if (k !== "set-cookie") out.push([k, v]); });
    for (const c of h.getSetCookie()) out.push(["set-cookie", c]);
    return out;
  }
  if (Array.isArray(h)) return h.map((x) => (Array.isArray(x) ? [x[0], String(x[1])] : [x.name, x.value]));
  if (typeof h[Symbol.iterator] === "function") return [...h].map(([k, v]) => [k, String(v)]);
  const out = [];
  for (const [k, v] of Object.entries(h)) {
    for (const one of Array.isArray(v) ? v : String(v).split("\n")) out.push([k, String(one)]);
  }
  return out;
}

function cap(bytes, limit) {
  if (!bytes) return null;
  const u = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return u.length > limit ? u.subarray(0, limit) : u;
}

/**
 * fromParts analyses a response of any other client (got, axios, undici…):
 * what was sent and what came back. Headers are a Headers, an object (an
 * array value, or values joined with "\n", are several fields) or pairs;
 * body is the start of the decoded body (string or bytes; at most bodyLimit
 * bytes are read), or null.
 */
export async function fromParts(parts, options = {}) {
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  let body = parts.body ?? null;
  if (typeof body === "string") body = new TextEncoder().encode(body.slice(0, limit));
  else if (body !== null) body = ArrayBuffer.isView(body) ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : new Uint8Array(body);
  return result([{
    method: parts.method ?? "GET",
    url: String(parts.url),
    requestHeaders: pairs(parts.requestHeaders),
    status: parts.status,
    statusText: parts.statusText ?? "",
    httpVersion: parts.httpVersion ?? "",
    responseHeaders: pairs(parts.responseHeaders),
    body: cap(body, limit),
  }]);
}

/**
 * fromFetch analyses a fetch Response. It reads at most bodyLimit bytes of
 * a clone, so the caller's response stays unread. Pass the Request, or the
 * URL and init you gave fetch, to let the analyzer see what was sent
 * (Authorization, cookies); fetch does not keep them on the response. Call
 * it before reading the body.
 */
export async function fromFetch(response, request, options = {}) {
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  let req = request;
  if (request !== undefined && typeof request !== "object") req = { url: String(request) };
  let body = null;
  if (response.body && !response.bodyUsed) {
    body = await readPrefix(response.clone().body, limit);
  }
  return result([{
    method: req?.method ?? "GET",
    url: response.url || String(req?.url ?? ""),
    requestHeaders: pairs(req?.headers),
    status: response.status,
    statusText: response.statusText,
    httpVersion: "",
    responseHeaders: pairs(response.headers),
    body,
  }]);
}

async function readPrefix(stream, limit) {
  const reader = stream.getReader();
  const chunks = [];
  let n = 0;
  try {
    while (n < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      n += value.length;
    }
  } catch {
    // a body that fails mid-way: analyse what arrived
  } finally {
    reader.cancel().catch(() => {});
  }
  const out = new Uint8Array(Math.min(n, limit));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, out.length - at);
    out.set(part, at);
    at += part.length;
    if (at === out.length) break;
  }
  return out;
}

/**
 * fromPlaywright analyses a Playwright Response (page.goto, page.waitForResponse,
 * a route's fetch, APIRequestContext responses too): the request's headers as
 * sent, cookies included, and the redirect chain (request.redirectedFrom()).
 */
export async function fromPlaywright(response, options = {}) {
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const hop = async (resp, withBody) => {
    const req = resp.request?.();
    let body = null;
    if (withBody) body = cap(await resp.body().catch(() => null), limit);
    return {
      method: req?.method() ?? "GET",
      url: req?.url() ?? resp.url(),
      requestHeaders: req ? pairs(await req.headersArray().catch(() => req.headers())) : [],
      status: resp.status(),
      statusText: resp.statusText(),
      httpVersion: "",
      responseHeaders: pairs(await resp.headersArray()),
      body,
    };
  };
  const hops = [await hop(response, true)];
  for (let r = response.request?.().redirectedFrom(); r && hops.length < 20; r = r.redirectedFrom()) {
    const prev = await r.response();
    if (!prev) break;
    hops.unshift(await hop(prev, false));
  }
  return result(hops);
}

/**
 * fromPuppeteer analyses a Puppeteer HTTPResponse (page.goto,
 * page.waitForResponse) and its redirect chain (request.redirectChain()).
 * Puppeteer's request headers leave out the cookies the browser added, so a
 * cookie session looks unsent to the analyzer.
 */
export async function fromPuppeteer(response, options = {}) {
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const hop = (resp, req, body) => ({
    method: req?.method() ?? "GET",
    url: req?.url() ?? resp.url(),
    requestHeaders: pairs(req?.headers()),
    status: resp.status(),
    statusText: resp.statusText(),
    httpVersion: "",
    responseHeaders: pairs(resp.headers()),
    body,
  });
  const read = typeof response.content === "function" ? () => response.content() : () => response.buffer();
  const body = cap(await read().catch(() => null), limit);
  const req = response.request();
  const hops = [];
  for (const r of req.redirectChain().slice(-19)) {
    const prev = r.response();
    if (prev) hops.push(hop(prev, r, null));
  }
  hops.push(hop(response, req, body));
  return result(hops);
}

// ---- Retry-After ----------------------------------------------------------

/**
 * retryAfterMs reads how long a response asks the client to wait, as Go's
 * httpcheck does: Retry-After (seconds or an HTTP date), else
 * RateLimit-Reset, X-RateLimit-Reset, X-Rate-Limit-Reset (seconds or epoch),
 * the reset= of a RateLimit field, or X-RateLimit-Reset-Requests/-Tokens
 * durations ("6m0s"). Dates are measured from the response's Date when it
 * has one. null when none says.
 */
export function retryAfterMs(headers, now = Date.now()) {
  const h = pairs(headers);
  const get = (n) => header(h, n)?.trim();
  let base = now;
  const date = Date.parse(get("date") ?? "");
  if (!Number.isNaN(date)) base = date;
  const ra = get("retry-after");
  if (ra) {
    if (/^\d+$/.test(ra)) return Number(ra) * 1000;
    const t = Date.parse(ra);
    if (!Number.isNaN(t)) return Math.max(t - base, 0);
  }
  const reset = (v) => {
    if (v === undefined || !/^\d+(\.\d+)?$/.test(v)) return null;
    const f = Number(v);
    if (f > 1e12) return Math.max(f - base, 0);
    if (f > 1e9) return Math.max(Math.trunc(f) * 1000 - base, 0);
    return f * 1000;
  };
  for (const n of ["ratelimit-reset", "x-ratelimit-reset", "x-rate-limit-reset"]) {
    const d = reset(get(n));
    if (d !== null) return d;
  }
  for (const part of (get("ratelimit") ?? "").split(",")) {
    const [k, v] = part.split("=");
    if (k?.trim().toLowerCase() === "reset") {
      const d = reset(v?.trim());
      if (d !== null) return d;
    }
  }
  for (const n of ["x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"]) {
    const d = goDuration(get(n));
    if (d !== null) return d;
  }
  return null;
}

// goDuration reads a Go-style duration ("6m0s", "1.5s", "20ms").
function goDuration(v) {
  if (!v) return null;
  const unit = { h: 3600e3, m: 60e3, s: 1e3, ms: 1, us: 1e-3, "µs": 1e-3, ns: 1e-6 };
  const re = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/y;
  let ms = 0, at = 0;
  while (at < v.length) {
    re.lastIndex = at;
    const m = re.exec(v);
    if (!m) return null;
    ms += Number(m[1]) * unit[m[2]];
    at = re.lastIndex;
  }
  return at > 0 ? ms : null;
}
