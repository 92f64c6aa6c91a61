// Types of why401 (index.js). The report is docs/report.md of the repository.

// BEGIN generated vocabulary (go generate ./analyzer)
/** The verdicts. */
export declare const Verdict: {
  /** a genuine authentication failure (including a normal handshake step) */
  readonly AUTH: "auth";
  /** the server refuses for authorization reasons */
  readonly FORBIDDEN: "forbidden";
  /** a proxy between the client and the site wants credentials (407) */
  readonly PROXY_AUTH: "proxy_auth";
  /** an anti-bot or WAF layer challenged or blocked the caller */
  readonly BOT: "bot";
  /** an application quota or an edge rate limit */
  readonly RATE_LIMIT: "rate_limit";
  /** nothing wrong */
  readonly OK: "ok";
  /** not enough to say; the summary says why */
  readonly UNKNOWN: "unknown";
};
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/** The causes that refine a verdict. */
export declare const Cause: {
  /** the CORS preflight was answered by the authentication layer, which must let OPTIONS through */
  readonly PREFLIGHT: "preflight";
  /** this is a normal step of the authentication handshake; the client should continue */
  readonly HANDSHAKE: "handshake";
  /** the server wants a DPoP proof with its nonce: a normal retry step */
  readonly DPOP_NONCE: "dpop_nonce";
  /** the Digest nonce went stale; retry with the new one (the password was right) */
  readonly STALE_NONCE: "stale_nonce";
  /** a proxy between you and the site wants credentials */
  readonly PROXY_AUTH: "proxy_auth";
  /** the Authorization header was dropped by a cross-origin redirect */
  readonly REDIRECT_DROPPED_AUTH: "redirect_dropped_auth";
  /** the session cookie was not sent */
  readonly COOKIE_NOT_SENT: "cookie_not_sent";
  /** the client's (or the token issuer's) clock and the server's disagree */
  readonly CLOCK_SKEW: "clock_skew";
  /** the token has expired */
  readonly EXPIRED_TOKEN: "expired_token";
  /** the session has expired */
  readonly EXPIRED_SESSION: "expired_session";
  /** the DPoP proof was rejected */
  readonly INVALID_DPOP_PROOF: "invalid_dpop_proof";
  /** the credentials were sent in a malformed way */
  readonly MALFORMED_CREDENTIALS: "malformed_credentials";
  /** the account is locked or must pass a CAPTCHA at login */
  readonly ACCOUNT_LOCKED: "account_locked";
  /** the token must be authorized for the organization's SSO */
  readonly SSO_REQUIRED: "sso_required";
  /** the server wants a stronger or more recent sign-in */
  readonly STEP_UP: "step_up";
  /** the first credential was accepted; the account also needs a second factor (a one-time code) */
  readonly MFA_REQUIRED: "mfa_required";
  /** the request carried no credentials */
  readonly MISSING_CREDENTIALS: "missing_credentials";
  /** the server rejected the credentials that were sent */
  readonly INVALID_CREDENTIALS: "invalid_credentials";
  /** the token lacks a required scope */
  readonly INSUFFICIENT_SCOPE: "insufficient_scope";
  /** a proxy or load balancer in front of the site refused the request by its own access rules, before the site's own authorization was asked */
  readonly PROXY_RULE: "proxy_rule";
  /** the gateway has no deployed method for this path, HTTP method and stage; its refusal names authentication, but no credential changes it */
  readonly NO_ROUTE: "no_route";
  /** the identity is not allowed to do this */
  readonly INSUFFICIENT_PERMISSIONS: "insufficient_permissions";
  /** the site's terms for crawlers (pay per crawl or a signed crawler) */
  readonly CRAWLER_POLICY: "crawler_policy";
  /** a hard block */
  readonly BLOCK: "block";
  /** a CAPTCHA */
  readonly CAPTCHA: "captcha";
  /** a challenge page that only a real browser can pass */
  readonly CHALLENGE: "challenge";
  /** the account's paid quota or credit is spent: retrying will not help until billing changes */
  readonly QUOTA_SPENT: "quota_spent";
  /** too many requests */
  readonly RATE_LIMIT: "rate_limit";
};
export type Cause = (typeof Cause)[keyof typeof Cause];

/** What to do about a response. */
export declare const Action: {
  /** nothing wrong, or nothing the analyzer can say: the caller's own handling */
  readonly NONE: "none";
  /** a normal handshake step (a Negotiate or NTLM leg, a stale Digest nonce, a DPoP nonce): answer it and send again; the credentials are fine */
  readonly RETRY: "retry";
  /** get a new token or log in again, then retry; keep the session */
  readonly REFRESH_CREDENTIALS: "refresh_credentials";
  /** a bot block: a new session (cookies, proxy, fingerprint), not new credentials */
  readonly ROTATE_SESSION: "rotate_session";
  /** wait (wait_seconds when the server said), then retry; keep session and credentials */
  readonly SLOW_DOWN: "slow_down";
  /** retrying as is will not help: a permission, a scope, a spent quota or credit, a client bug; a person must look */
  readonly STOP: "stop";
  /** the proxy refused: its credentials, account or quota */
  readonly FIX_PROXY: "fix_proxy";
};
export type Action = (typeof Action)[keyof typeof Action];

// END generated vocabulary

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
  /** What a client does about it (the analyzer's action table). */
  action: Action;
  /** How long the server asked to wait, from the response (Retry-After, a rate-limit reset). */
  wait_seconds?: number;
  /** When that wait ends, UTC, on the server's clock. */
  wait_until?: string;
  reference?: string;
  time?: string;
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
  /** For slow_down: how long the server asked to wait (the report's wait_seconds, or its wait_until from now), in ms, at most maxWaitMs; null when it did not say. */
  retryAfterMs: number | null;
  /** The report on the response: the last exchange of report. */
  exchange: ExchangeReport;
  /** One exchange per hop of the redirect chain, the first request first. */
  report: Report;
  /** What the adapter could not do (fromFetch: a body already read or locked); empty when nothing. */
  warnings: string[];
}

export interface Options {
  /** How much of a body is read; default DEFAULT_BODY_LIMIT (256 KiB). */
  bodyLimit?: number;
  /** The longest retryAfterMs; default DEFAULT_MAX_WAIT_MS (one hour). */
  maxWaitMs?: number;
}

export interface FetchOptions extends Options {
  /** How long to wait for the body's start (bodyLimit bytes or its end); default DEFAULT_BODY_WAIT_MS (250 ms); negative: headers only. */
  bodyWaitMs?: number;
  /** The body, when you have read it already (the response's own body is then not read). */
  body?: string | Uint8Array | ArrayBuffer | ArrayBufferView;
}

export interface AnalyzeOptions {
  /** The input's name in the report. */
  name?: string;
  /** How many exchanges the report lists; default DEFAULT_MAX_EXCHANGES (1,000), at most MAX_EXCHANGES (200,000). Every exchange is still analysed and counted. */
  maxExchanges?: number;
}

/** Header fields: a Headers, an object (array values, or values joined with "\n", are several fields) or pairs. */
export type HeadersLike =
  | { forEach(cb: (value: string, name: string) => void): void; getSetCookie(): string[] }
  | Record<string, string | string[] | number | undefined>
  | Iterable<[string, string]>
  | { name: string; value: string }[];

export declare const DEFAULT_BODY_LIMIT: number;
export declare const DEFAULT_BODY_WAIT_MS: number;
export declare const DEFAULT_MAX_WAIT_MS: number;
export declare const DEFAULT_MAX_EXCHANGES: number;
export declare const MAX_EXCHANGES: number;

/** Whether a Content-Type is a stream whose body fromFetch leaves unread (event streams, NDJSON, gRPC, audio, video). */
export declare function isStreaming(contentType: string | null | undefined): boolean;

/** Starts the analyzer (compiles the wasm, starts its worker thread) once; analyze and the adapters call it. */
export declare function init(): Promise<void>;

/** Analyses a capture: a pasted response, a curl -v transcript, a HAR (text, bytes or the object). */
export declare function analyze(input: string | Uint8Array | ArrayBuffer | ArrayBufferView | Har, options?: AnalyzeOptions): Promise<Report>;

/** The action for a verdict and its cause: the analyzer's own table (every report's `action` follows it). */
export declare function actionFor(verdict: Verdict, cause: Cause | null | undefined): Action;

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
 * Analyses a fetch Response, reading at most bodyLimit bytes of a clone for at most bodyWaitMs
 * (a stream's body is not read; call it before reading the body, or pass the body read as options.body).
 * Pass the Request, or the URL and init you gave fetch, so the analyzer sees what was sent.
 * Rejects with a TypeError when response is not a Response.
 */
export declare function fromFetch(
  response: FetchResponseLike,
  request?: string | URL | { url?: string | URL; method?: string; headers?: HeadersLike },
  options?: FetchOptions,
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
