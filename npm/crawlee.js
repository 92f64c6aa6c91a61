// why401/crawlee: let the response, not its status code, decide what a
// Crawlee crawler does about a 401, 403, 429 or 5xx. Docs: README.md.

import { Action, fromParts, fromPlaywright, fromPuppeteer } from "./index.js";

/** BlockedError is what handleResponse throws; result says why. */
export class BlockedError extends Error {
  constructor(result) {
    const { action, verdict, cause, exchange } = result;
    super(`why401: ${action} (${verdict}${cause ? ", " + cause : ""}, HTTP ${exchange.status}): ${exchange.summary}`);
    this.name = "BlockedError";
    this.result = result;
  }
}

/**
 * httpCrawlerOptions are the HttpCrawler (and CheerioCrawler) options that
 * hand the decision to handleResponse: no status-code guess
 * (sessionPoolOptions.blockedStatusCodes: []), and 5xx pages reach the
 * request handler, where a 503 challenge page is told from an outage.
 */
export function httpCrawlerOptions() {
  return {
    sessionPoolOptions: { blockedStatusCodes: [] },
    ignoreHttpErrorStatusCodes: Array.from({ length: 100 }, (_, i) => 500 + i),
  };
}

const sleepFor = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * handleResponse analyses the crawling context's response and acts on it:
 * ok → resolves to the result; bot → retires the session and throws (the
 * request is retried with another session); auth → calls
 * options.refreshCredentials and throws (retried with the same session; with
 * no refreshCredentials the request fails at once); rate_limit → waits
 * Retry-After (or defaultDelayMs), at most maxDelayMs, and throws (retried,
 * same session); forbidden, proxy_auth → marks the request noRetry and
 * throws; a handshake step → throws (retried); anything else with status
 * ≥ 500 → throws, as Crawlee would.
 */
export async function handleResponse(context, options = {}) {
  const { request, session } = context;
  const { maxDelayMs = 30_000, defaultDelayMs = 5_000, sleep = sleepFor } = options;
  const result = await fromContext(context, options);
  switch (result.action) {
    case Action.ROTATE_SESSION:
      session?.retire();
      throw new BlockedError(result);
    case Action.REFRESH_CREDENTIALS:
      if (options.refreshCredentials) await options.refreshCredentials(context, result);
      else request.noRetry = true; // the same credentials would fail the same way
      throw new BlockedError(result);
    case Action.SLOW_DOWN:
      await sleep(Math.min(Math.max(result.retryAfterMs ?? defaultDelayMs, 0), maxDelayMs));
      throw new BlockedError(result);
    case Action.RETRY:
      throw new BlockedError(result);
    case Action.STOP:
    case Action.FIX_PROXY:
      request.noRetry = true;
      throw new BlockedError(result);
  }
  if (result.exchange.status >= 500) throw new BlockedError(result);
  return result;
}

// fromContext reads the context's response: a Playwright or Puppeteer
// response (browser crawlers), else got's response and the body Crawlee read
// (HttpCrawler, CheerioCrawler).
function fromContext({ request, response, body }, options) {
  if (!response) throw new TypeError("why401: the crawling context has no response");
  if (typeof response.headersArray === "function") return fromPlaywright(response, options);
  if (typeof response.request === "function" && typeof response.headers === "function") return fromPuppeteer(response, options);
  return fromParts({
    method: request?.method,
    url: response.url ?? request?.url,
    requestHeaders: response.request?.options?.headers ?? request?.headers,
    status: response.statusCode,
    statusText: response.statusMessage,
    httpVersion: response.httpVersion ? "HTTP/" + response.httpVersion : "",
    responseHeaders: response.headers,
    body: body ?? null,
  }, options);
}
