// Types of why401/crawlee (crawlee.js).
import type { Options, Result } from "./index.js";

/** Thrown by handleResponse for anything but a usable response; result says why. */
export declare class BlockedError extends Error {
  constructor(result: Result);
  readonly result: Result;
}

/** The HttpCrawler / CheerioCrawler options that hand the decision to handleResponse. */
export declare function httpCrawlerOptions(): {
  sessionPoolOptions: { blockedStatusCodes: number[] };
  ignoreHttpErrorStatusCodes: number[];
};

/** The parts of a Crawlee crawling context handleResponse reads. */
export interface CrawlingContextLike {
  request: { url: string; method?: string; headers?: Record<string, string>; noRetry?: boolean };
  session?: { retire(): void };
  /** got's response (HttpCrawler), or a Playwright or Puppeteer response (browser crawlers). */
  response?: unknown;
  /** The body HttpCrawler read. */
  body?: string | Uint8Array;
}

export interface HandleOptions<C extends CrawlingContextLike = CrawlingContextLike> extends Options {
  /** Called on an auth failure before the retry: store a new credential (e.g. in context.request.headers). */
  refreshCredentials?(context: C, result: Result): void | Promise<void>;
  /** The longest wait on a rate limit, in ms (default 30 000: under requestHandlerTimeoutSecs). */
  maxDelayMs?: number;
  /** The wait when the server did not say, in ms (default 5 000). */
  defaultDelayMs?: number;
  /** How to wait (default setTimeout). */
  sleep?(ms: number): Promise<void> | void;
}

/** Analyses the context's response and acts on it; resolves to the result when the response is usable. */
export declare function handleResponse<C extends CrawlingContextLike>(context: C, options?: HandleOptions<C>): Promise<Result>;
