// Types of why401 (index.js). The report is docs/report.md of the repository.

export declare const Verdict: {
  readonly AUTH: "auth";
  readonly FORBIDDEN: "forbidden";
  readonly PROXY_AUTH: "proxy_auth";
  readonly BOT: "bot";
  readonly RATE_LIMIT: "rate_limit";
  readonly OK: "ok";
  readonly UNKNOWN: "unknown";
};
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export declare const Cause: {
  readonly MISSING_CREDENTIALS: "missing_credentials";
  readonly INVALID_CREDENTIALS: "invalid_credentials";
  readonly MALFORMED_CREDENTIALS: "malformed_credentials";
  readonly EXPIRED_TOKEN: "expired_token";
  readonly EXPIRED_SESSION: "expired_session";
  readonly CLOCK_SKEW: "clock_skew";
  readonly INSUFFICIENT_SCOPE: "insufficient_scope";
  readonly INSUFFICIENT_PERMISSIONS: "insufficient_permissions";
  readonly SSO_REQUIRED: "sso_required";
  readonly STEP_UP: "step_up";
  readonly STALE_NONCE: "stale_nonce";
  readonly DPOP_NONCE: "dpop_nonce";
  readonly INVALID_DPOP_PROOF: "invalid_dpop_proof";
  readonly HANDSHAKE: "handshake";
  readonly PREFLIGHT: "preflight";
  readonly PROXY_AUTH: "proxy_auth";
  readonly REDIRECT_DROPPED_AUTH: "redirect_dropped_auth";
  readonly COOKIE_NOT_SENT: "cookie_not_sent";
  readonly ACCOUNT_LOCKED: "account_locked";
  readonly CHALLENGE: "challenge";
  readonly BLOCK: "block";
  readonly CAPTCHA: "captcha";
  readonly RATE_LIMIT: "rate_limit";
  /** forbidden by a site's terms for crawlers (Cloudflare pay per crawl): pay or stop. */
  readonly CRAWLER_POLICY: "crawler_policy";
};
export type Cause = (typeof Cause)[keyof typeof Cause];

/** What to do about a response. */
export declare const Action: {
  /** Nothing wrong, or nothing the analyzer can say: your own handling. */
  readonly NONE: "none";
  /** A normal handshake step (stale Digest nonce, DPoP nonce, a Negotiate leg): answer it and send again. */
  readonly RETRY: "retry";
  /** Get a new token or log in again, then retry; keep the session. */
  readonly REFRESH_CREDENTIALS: "refresh_credentials";
  /** A bot block: a new session (cookies, proxy, fingerprint), not new credentials. */
  readonly ROTATE_SESSION: "rotate_session";
  /** Wait (retryAfterMs when the server said), then retry; keep session and credentials. */
  readonly SLOW_DOWN: "slow_down";
  /** Retrying as is will not help: a permission, a scope, a client bug. */
  readonly STOP: "stop";
  /** The proxy refused: its credentials, account or quota. */
  readonly FIX_PROXY: "fix_proxy";
};
export type Action = (typeof Action)[keyof typeof Action];

export interface Evidence {
  signal: string;
  where: "response.header" | "response.cookie" | "response.body" | "response.status" | "request" | "context" | "capture" | (string & {});
  text: string;
  /** The earlier exchange a context signal points to. */
  entry?: number;
}

export interface Fix {
  title: string;
  steps?: string[];
  code?: { lang: string; text: string }[];
}

export interface ExchangeReport {
  index: number;
  method: string;
  url: string;
  status: number;
  verdict: Verdict;
  confidence: number;
  vendor: string | null;
  scheme: string | null;
  cause: Cause | null;
  reference?: string;
  summary: string;
  evidence: Evidence[];
  fixes: Fix[];
}

export interface Report {
  input: { name: string; format: string; producer: string | null; entries: number };
  exchanges: ExchangeReport[];
  warnings: string[] | null;
  summary?: {
    hosts: { host: string; requests: number; status: Record<string, number>; verdicts: Record<string, number> }[];
    vendors: string[];
    first_failure: { index: number; verdict: Verdict; cause: Cause | null; summary: string; root_entry: number | null; root?: string } | null;
    first_block: { index: number; host: string; vendor?: string; time?: string; before: number } | null;
    sanitized: boolean;
    caveats?: string[];
  };
}

/** A HAR 1.2 file, parsed. */
export interface Har {
  log: { entries: unknown[]; [key: string]: unknown };
}

export interface Result {
  action: Action;
  verdict: Verdict;
  cause: Cause | null;
  /** For slow_down: how long the server asked to wait (Retry-After, a rate-limit reset), in ms; null when it did not say. */
  retryAfterMs: number | null;
  /** The report on the response: the last exchange of report. */
  exchange: ExchangeReport;
  /** One exchange per hop of the redirect chain, the first request first. */
  report: Report;
}

export interface Options {
  /** How much of a body is read; default DEFAULT_BODY_LIMIT (256 KiB). */
  bodyLimit?: number;
}

/** Header fields: a Headers, an object (array values, or values joined with "\n", are several fields) or pairs. */
export type HeadersLike =
  | { forEach(cb: (value: string, name: string) => void): void; getSetCookie(): string[] }
  | Record<string, string | string[] | number | undefined>
  | Iterable<[string, string]>
  | { name: string; value: string }[];

export declare const DEFAULT_BODY_LIMIT: number;

/** Starts the analyzer (the wasm) once; analyze and the adapters call it. */
export declare function init(): Promise<void>;

/** Analyses a capture: a pasted response, a curl -v transcript, a HAR (text, bytes or the object). */
export declare function analyze(input: string | Uint8Array | ArrayBuffer | ArrayBufferView | Har, options?: { name?: string }): Promise<Report>;

/** The action for a verdict and its cause (as Go's httpcheck.ActionFor). */
export declare function actionFor(verdict: Verdict, cause: Cause | null | undefined): Action;

/** How long the headers ask to wait, in ms; null when they do not say. */
export declare function retryAfterMs(headers: HeadersLike, now?: number): number | null;

/** Minimal shapes of the fetch, Playwright and Puppeteer objects the adapters read. */
export interface FetchResponseLike {
  url: string;
  status: number;
  statusText: string;
  headers: HeadersLike;
  body: ReadableStream<Uint8Array> | null;
  bodyUsed: boolean;
  clone(): FetchResponseLike;
}
export interface PlaywrightResponseLike {
  url(): string;
  status(): number;
  statusText(): string;
  headersArray(): Promise<{ name: string; value: string }[]>;
  body(): Promise<Uint8Array>;
  request(): PlaywrightRequestLike;
}
export interface PlaywrightRequestLike {
  method(): string;
  url(): string;
  headersArray(): Promise<{ name: string; value: string }[]>;
  headers(): Record<string, string>;
  redirectedFrom(): PlaywrightRequestLike | null;
  response(): Promise<PlaywrightResponseLike | null>;
}
export interface PuppeteerResponseLike {
  url(): string;
  status(): number;
  statusText(): string;
  headers(): Record<string, string>;
  buffer?(): Promise<Uint8Array>;
  content?(): Promise<Uint8Array>;
  request(): PuppeteerRequestLike;
}
export interface PuppeteerRequestLike {
  method(): string;
  url(): string;
  headers(): Record<string, string>;
  redirectChain(): PuppeteerRequestLike[];
  response(): PuppeteerResponseLike | null;
}

/**
 * Analyses a fetch Response, reading at most bodyLimit bytes of a clone (call it before reading the body).
 * Pass the Request, or the URL and init you gave fetch, so the analyzer sees what was sent.
 */
export declare function fromFetch(
  response: FetchResponseLike,
  request?: string | URL | { url?: string | URL; method?: string; headers?: HeadersLike },
  options?: Options,
): Promise<Result>;

/** Analyses a Playwright Response, with the headers as sent and the redirect chain. */
export declare function fromPlaywright(response: PlaywrightResponseLike, options?: Options): Promise<Result>;

/** Analyses a Puppeteer HTTPResponse and its redirect chain (Puppeteer's request headers lack the browser's cookies). */
export declare function fromPuppeteer(response: PuppeteerResponseLike, options?: Options): Promise<Result>;

/** Analyses a response of any other client from its parts. */
export declare function fromParts(
  parts: {
    method?: string;
    url: string | URL;
    requestHeaders?: HeadersLike;
    status: number;
    statusText?: string;
    httpVersion?: string;
    responseHeaders: HeadersLike;
    body?: string | Uint8Array | ArrayBuffer | ArrayBufferView | null;
  },
  options?: Options,
): Promise<Result>;
