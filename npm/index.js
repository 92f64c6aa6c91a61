// why401 for Node, Deno and Bun: the why401 analyzer (Go compiled to
// WebAssembly, dist/why401.wasm) and adapters that read a live response
// from fetch, Playwright or Puppeteer. Types: index.d.ts; docs: README.md.
//
// Nothing leaves the process: the analyzer does no I/O, and reports show
// credentials only as fingerprints.

import { call, start } from "./engine.js";

import { Verdict, Cause, Action, actionTable } from "./vocab.js";

export { Verdict, Cause, Action };

/**
 * actionFor maps a verdict and its cause to an action: the table the
 * analyzer itself uses (its knowledge file kinds.json, generated into
 * vocab.js), so every report's `action` field and this function agree.
 */
export function actionFor(verdict, cause) {
  const row = actionTable[verdict];
  if (!row) return Action.NONE;
  return (cause && row[cause]) || row["*"];
}

/** How much of a body the adapters read: the analyzer's own limit, 256 KiB. */
export const DEFAULT_BODY_LIMIT = 256 << 10;

/** How many exchanges a report lists by default (options.maxExchanges). */
export const DEFAULT_MAX_EXCHANGES = 1000;

/** The most exchanges a report can list (the page's own bound). */
export const MAX_EXCHANGES = 200_000;

/**
 * init starts the analyzer once: it compiles the wasm asynchronously and
 * starts it in a worker thread, where every analysis runs, so the caller's
 * event loop is never held. analyze and the adapters call it; call it early
 * to take the start-up cost (README.md, "Cost") off the first analysis.
 * If the analyzer stops (a crash), the next call starts it again.
 */
export function init() {
  return start();
}

/**
 * analyze reads a capture — a pasted response, a curl -v transcript, a HAR
 * (text, bytes, or the parsed object) — and resolves to the report
 * (docs/report.md). It rejects when nothing could be read. The report lists
 * at most options.maxExchanges exchanges (default DEFAULT_MAX_EXCHANGES, at
 * most half of them ok); every exchange is still analysed and counted
 * (report.input.entries, report.summary), and a warning says how many are
 * not listed.
 */
export async function analyze(input, options = {}) {
  let arg = input;
  if (input instanceof ArrayBuffer) arg = new Uint8Array(input);
  else if (ArrayBuffer.isView(input) && !(input instanceof Uint8Array)) {
    arg = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  } else if (input !== null && typeof input === "object" && !(input instanceof Uint8Array)) {
    arg = JSON.stringify(input);
  } else if (typeof input !== "string" && !(input instanceof Uint8Array)) {
    throw new TypeError("why401: analyze wants a string, bytes or a HAR object");
  }
  const rep = JSON.parse(await call("analyze", [arg, { name: options.name ?? "", reports: maxExchanges(options) }]));
  if (rep.error) throw new Error(rep.error);
  return rep;
}

function maxExchanges(options) {
  const n = options.maxExchanges ?? DEFAULT_MAX_EXCHANGES;
  if (!Number.isFinite(n) || n < 1) throw new RangeError("why401: maxExchanges must be a number ≥ 1");
  return Math.min(Math.floor(n), MAX_EXCHANGES);
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

/** The longest retryAfterMs (options.maxWaitMs changes it): a server that
 * asks for more (Retry-After: 4294967295 is 136 years) is waited on this
 * long, then asked again; Go's httpcheck.DefaultMaxWait is the same. */
export const DEFAULT_MAX_WAIT_MS = 3600_000;

/**
 * result hands hops (the first request first) to the analyzer as structured
 * exchanges and decides on the last: the report carries the action and the
 * wait, computed once in the analyzer.
 */
async function result(hops, options = {}, warnings = []) {
  const exchanges = hops.map((h) => ({
    method: h.method || "GET", url: h.url, httpVersion: h.httpVersion,
    requestHeaders: h.requestHeaders,
    status: h.status, statusText: h.statusText,
    // The body fetch, Playwright and Puppeteer hand over is decoded: its
    // Content-Encoding and Content-Length no longer describe it.
    responseHeaders: h.responseHeaders.filter(([n]) => !(h.body && decoded.has(n.toLowerCase()))),
    body: h.body, bodyTruncated: Boolean(h.bodyTruncated),
  }));
  const report = JSON.parse(await call("exchanges", [exchanges, "live response"]));
  if (report.error) throw new Error(report.error);
  const exchange = report.exchanges[report.exchanges.length - 1];
  if (!exchange) throw new Error("why401: the response could not be read");
  const maxWait = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  return {
    action: exchange.action,
    verdict: exchange.verdict,
    cause: exchange.cause,
    retryAfterMs: exchange.action === Action.SLOW_DOWN ? waitMs(exchange, Date.now(), maxWait) : null,
    exchange,
    report,
    warnings,
  };
}

/**
 * waitMs is how long the report says to wait: its wait_seconds, else its
 * wait_until measured from now (the response had no Date), at most maxWait;
 * null when the server did not say.
 */
function waitMs(exchange, now, maxWait) {
  let ms = null;
  if (exchange.wait_seconds > 0) ms = exchange.wait_seconds * 1000;
  else if (exchange.wait_until) ms = Math.max(Date.parse(exchange.wait_until) - now, 0);
  return ms === null || Number.isNaN(ms) ? null : Math.min(ms, maxWait);
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
  const body = parts.body === undefined || parts.body === null ? null : bytesOf(parts.body, limit);
  return result([{
    method: parts.method ?? "GET",
    url: String(parts.url),
    requestHeaders: pairs(parts.requestHeaders),
    status: parts.status,
    statusText: parts.statusText ?? "",
    httpVersion: parts.httpVersion ?? "",
    responseHeaders: pairs(parts.responseHeaders),
    body: cap(body, limit),
  }], options);
}

/** How long fromFetch waits for a body's start (options.bodyWaitMs): Go's httpcheck.DefaultBodyWait. */
export const DEFAULT_BODY_WAIT_MS = 250;

// Media types whose body is a stream that may never end: fromFetch reads
// none of it (the headers are analysed). Go's httpcheck.Streaming reads the
// same list; both are tested against httpcheck/testdata/streaming.json.
const streamingTypes = new Set([
  "text/event-stream", "multipart/x-mixed-replace",
  "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines",
  "application/json-seq", "application/stream+json",
  "application/grpc", "application/grpc-web", "application/connect+json", "application/connect+proto",
]);

/** streaming tells a stream's body by its Content-Type (see streamingTypes). */
export function isStreaming(contentType) {
  const t = String(contentType ?? "").split(";")[0].trim().toLowerCase();
  return streamingTypes.has(t) || t.startsWith("audio/") || t.startsWith("video/") ||
    t.startsWith("application/grpc+") || t.startsWith("application/grpc-web+");
}

function describe(v) {
  if (v === null || v === undefined) return String(v);
  if (typeof v === "string") return "a string (a URL? pass the Response fetch resolved to)";
  if (typeof v !== "object") return `a ${typeof v}`;
  const name = v.constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object with no status and headers";
}

/**
 * fromFetch analyses a fetch Response. It reads at most bodyLimit bytes of
 * a clone, so the caller's response stays unread, and waits at most
 * bodyWaitMs for them: a long poll or a trickling body is analysed from
 * what arrived by then, a stream (text/event-stream, NDJSON, gRPC, audio,
 * video) from its headers alone. Pass the Request, or the URL and init you
 * gave fetch, to let the analyzer see what was sent (Authorization,
 * cookies); fetch does not keep them on the response. Call it before
 * reading the body; if you have read it, pass what you read as
 * options.body. A body it could not read is said in result.warnings.
 */
export async function fromFetch(response, request, options = {}) {
  if (response === null || typeof response !== "object" || typeof response.status !== "number" || !response.headers) {
    throw new TypeError(`why401: fromFetch wants a fetch Response, got ${describe(response)}`);
  }
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const wait = options.bodyWaitMs ?? DEFAULT_BODY_WAIT_MS;
  let req = request;
  if (request !== undefined && request !== null && typeof request !== "object") req = { url: String(request) };
  const headers = pairs(response.headers);
  const warnings = [];
  let body = null;
  let bodyTruncated = false;
  if (options.body !== undefined && options.body !== null) {
    body = cap(bytesOf(options.body, limit), limit);
  } else if (response.bodyUsed) {
    warnings.push("the response's body was already read (bodyUsed), so the analysis saw only its status and headers: call fromFetch before reading the body, or pass what you read as options.body");
  } else if (response.body && (isStreaming(header(headers, "content-type")) || !(wait >= 0))) {
    bodyTruncated = true; // a stream (or headers only asked for): its body is the caller's, unread
  } else if (response.body) {
    let copy = null;
    try {
      copy = response.clone();
    } catch (err) {
      warnings.push(`the response's body could not be read (${err.message}), so the analysis saw only its status and headers: call fromFetch before reading the body, or pass it as options.body`);
    }
    if (copy) ({ body, cut: bodyTruncated } = await readPrefix(copy.body, limit, wait));
  }
  return result([{
    method: req?.method ?? "GET",
    url: response.url || String(req?.url ?? ""),
    requestHeaders: pairs(req?.headers),
    status: response.status,
    statusText: response.statusText ?? "",
    httpVersion: "",
    responseHeaders: headers,
    body, bodyTruncated,
  }], options, warnings);
}

function bytesOf(body, limit) {
  if (typeof body === "string") return new TextEncoder().encode(body.slice(0, limit));
  return ArrayBuffer.isView(body) ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : new Uint8Array(body);
}

const timedOut = Symbol("timed out");

// readPrefix reads at most limit bytes of stream, for at most waitMs; cut
// tells that the stream had more (or had not ended when the wait did).
async function readPrefix(stream, limit, waitMs) {
  const reader = stream.getReader();
  const chunks = [];
  let n = 0;
  let cut = true;
  let timer;
  // setTimeout takes at most 2^31-1 ms (a longer delay fires at once).
  const deadline = new Promise((resolve) => {
    if (waitMs < 2 ** 31) timer = setTimeout(resolve, waitMs, timedOut);
  });
  try {
    while (n < limit) {
      const r = await Promise.race([reader.read(), deadline]);
      if (r === timedOut) break;
      if (r.done) {
        cut = false;
        break;
      }
      chunks.push(r.value);
      n += r.value.length;
    }
  } catch {
    // a body that fails mid-way: analyse what arrived
  } finally {
    clearTimeout(timer);
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
  return { body: out, cut: cut || n > limit };
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
  return result(hops, options);
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
  return result(hops, options);
}

