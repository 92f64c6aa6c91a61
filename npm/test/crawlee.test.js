// handleResponse inside a real Crawlee HttpCrawler, against a loopback server
// serving fixture responses: the session is retired only on a bot verdict,
// credentials are refreshed on auth, the request is delayed on rate_limit.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { HttpCrawler, Configuration, log, LogLevel } from "@crawlee/http";
import { handleResponse, httpCrawlerOptions, BlockedError } from "../crawlee.js";
import { fixtureDir, loadFixture, serveFixture, startServer } from "./fixtures.js";

log.setLevel(LogLevel.OFF);

const fresh = "at_9e8d7c6b5a4f3e2d1c0b9a8f";
const fx = (name) => loadFixture(new URL(name + ".http", fixtureDir));
let server;
before(async () => {
  const challenge = fx("challenge"), expired = fx("bearer-expired"), limited = fx("rate-limit");
  const forbidden = fx("forbidden"), ok = fx("ok");
  const hits = {};
  const once = (path, first) => (req, res) => {
    hits[path] = (hits[path] ?? 0) + 1;
    serveFixture(res, hits[path] === 1 ? first : ok);
  };
  server = await startServer({
    "/ok": (req, res) => serveFixture(res, ok),
    "/bot": (req, res) => serveFixture(res, challenge),
    "/auth": (req, res) => serveFixture(res, req.headers.authorization === "Bearer " + fresh ? ok : expired),
    "/rate": once("/rate", { ...limited, headers: limited.headers.map(([k, v]) => [k, k === "Retry-After" ? "1" : v]) }),
    "/down": once("/down", { status: 503, headers: [["Content-Type", "text/plain"]], body: Buffer.from("Service Unavailable") }),
    "/forbidden": (req, res) => serveFixture(res, forbidden),
  });
});
after(() => server.close());

// crawl runs one HttpCrawler on one URL (one session in the pool, so a kept
// session shows as the same id) and records each attempt's session.
async function crawl(path, { helper = true, headers = {} } = {}) {
  const attempts = [], waits = [];
  let refreshes = 0, handled = false, failed = null;
  const base = helper ? httpCrawlerOptions() : { sessionPoolOptions: {} };
  const crawler = new HttpCrawler({
    ...base,
    sessionPoolOptions: { ...base.sessionPoolOptions, maxPoolSize: 1 },
    maxRequestRetries: 2,
    maxConcurrency: 1,
    preNavigationHooks: [({ session }) => { attempts.push(session.id); }],
    async requestHandler(ctx) {
      if (helper) {
        await handleResponse(ctx, {
          refreshCredentials(c) {
            refreshes++;
            c.request.headers = { ...c.request.headers, authorization: "Bearer " + fresh };
          },
          sleep: (ms) => { waits.push(ms); },
        });
      }
      handled = true;
    },
    failedRequestHandler(_, error) { failed = error; },
  }, new Configuration({ persistStorage: false, purgeOnStart: true }));
  await crawler.run([{ url: server.url + path, headers }]);
  const pool = crawler.sessionPool;
  return { attempts, waits, refreshes, handled, failed, retired: attempts.filter((id) => !pool.sessionMap.get(id)?.isUsable()).length };
}

const distinct = (a) => new Set(a).size;

test("Crawlee: a usable page goes through", async () => {
  const r = await crawl("/ok");
  assert.equal(r.handled, true);
  assert.equal(r.attempts.length, 1);
});

test("Crawlee: a bot block retires the session, every attempt", async () => {
  const r = await crawl("/bot");
  assert.equal(r.handled, false);
  assert.equal(r.attempts.length, 3);
  assert.equal(distinct(r.attempts), 3, "each retry on a new session");
  assert.equal(r.retired, 3);
  assert.ok(r.failed instanceof BlockedError);
  assert.equal(r.failed.result.exchange.vendor, "cloudflare");
});

test("Crawlee: an expired token is refreshed, the session kept", async () => {
  const r = await crawl("/auth", { headers: { authorization: "Bearer at_3c2f8e1b7a9d4e6f0a1b2c3d" } });
  assert.equal(r.handled, true);
  assert.equal(r.refreshes, 1);
  assert.equal(r.attempts.length, 2);
  assert.equal(distinct(r.attempts), 1, "the same session");
  assert.equal(r.retired, 0);
});

test("Crawlee without the helper: the 401 retires the session and nothing refreshes", async () => {
  const r = await crawl("/auth", { helper: false, headers: { authorization: "Bearer at_3c2f8e1b7a9d4e6f0a1b2c3d" } });
  assert.equal(r.handled, false);
  assert.equal(r.attempts.length, 3);
  assert.equal(distinct(r.attempts), 3, "Crawlee's status-code guess rotates the session on 401");
});

test("Crawlee: a rate limit waits Retry-After, then retries on the same session", async () => {
  const r = await crawl("/rate");
  assert.equal(r.handled, true);
  assert.deepEqual(r.waits, [1000]);
  assert.equal(r.attempts.length, 2);
  assert.equal(distinct(r.attempts), 1);
  assert.equal(r.retired, 0);
});

test("Crawlee: a permission refusal fails at once", async () => {
  const r = await crawl("/forbidden");
  assert.equal(r.handled, false);
  assert.equal(r.attempts.length, 1, "no retry");
  assert.equal(r.retired, 0);
  assert.equal(r.failed.result.action, "stop");
});

test("Crawlee: a plain 503 is retried as Crawlee would", async () => {
  const r = await crawl("/down");
  assert.equal(r.handled, true);
  assert.equal(r.attempts.length, 2);
});
