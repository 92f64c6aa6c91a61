// Unit tests: analyze on fixtures, the action table shared with Go, Retry-After,
// fetch and parts adapters against a loopback server, secrets, globals.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  analyze, actionFor, fromFetch, fromParts, init,
  Action, Verdict, Cause, DEFAULT_BODY_LIMIT,
} from "../index.js";
import { caseDir, fixtureDir, fixtureRoutes, loadFixture, repo, startServer } from "./fixtures.js";

let server;
before(async () => { server = await startServer(fixtureRoutes); });
after(() => server.close());

const golden = (name) => {
  const g = JSON.parse(readFileSync(new URL(name + ".golden.json", caseDir), "utf8"));
  return g.exchanges.at(-1);
};

test("analyze agrees with the analyzer's goldens, for text, bytes and HAR", async () => {
  const cases = [
    "auth/bearer-invalid-token", "auth/basic-missing", "auth/digest-stale-nonce",
    "bot/cloudflare-turnstile-challenge", "bot/akamai-access-denied",
    "api/github-rate-limit-anonymous", "api/github-scope-missing",
  ];
  for (const name of cases) {
    const text = readFileSync(new URL(name + ".http", caseDir), "utf8");
    const want = golden(name);
    for (const input of [text, new TextEncoder().encode(text), new TextEncoder().encode(text).buffer]) {
      const rep = await analyze(input, { name });
      const got = rep.exchanges.at(-1);
      assert.equal(got.verdict, want.verdict, name);
      assert.equal(got.cause, want.cause, name);
      assert.equal(rep.input.name, name);
    }
  }
  const har = JSON.parse(readFileSync(new URL("story/redirect-dropped-auth.har", caseDir), "utf8"));
  const rep = await analyze(har);
  assert.equal(rep.input.format, "har");
  const want = JSON.parse(readFileSync(new URL("story/redirect-dropped-auth.golden.json", caseDir), "utf8"));
  assert.deepEqual(rep.exchanges.map((e) => e.cause), want.exchanges.map((e) => e.cause));
  assert.equal(rep.exchanges.at(-1).cause, "redirect_dropped_auth");
});

test("analyze rejects what it cannot read", async () => {
  // The analyzer's sentence, without its internal "analyzer: " prefix.
  await assert.rejects(analyze(""), { message: "the input is empty" });
  await assert.rejects(analyze("hello world"), (err) => /^no HTTP response/.test(err.message));
  await assert.rejects(analyze(42), TypeError);
});

test("actionFor follows the table Go's httpcheck follows", () => {
  const rows = JSON.parse(readFileSync(new URL("httpcheck/testdata/actions.json", repo), "utf8"));
  assert.ok(rows.length > 20);
  for (const r of rows) assert.equal(actionFor(r.verdict, r.cause || null), r.action, `${r.verdict}/${r.cause}`);
});

test("the vocabularies are the report's", () => {
  const doc = readFileSync(new URL("docs/report.md", repo), "utf8");
  for (const c of Object.values(Cause)) assert.ok(doc.includes("`" + c + "`"), c);
  for (const v of Object.values(Verdict)) assert.ok(doc.includes("`" + v + "`"), v);
  assert.equal(new Set(Object.values(Action)).size, 7);
});

test("retryAfterMs is the report's wait (read by the analyzer), at most maxWaitMs", async () => {
  const date = new Date(Date.UTC(2026, 10, 24, 10, 0, 0)).toUTCString();
  const epoch = (ms) => String(Date.UTC(2026, 10, 24, 10, 0, 0) / 1000 + ms / 1000);
  const cases = [
    [{ "retry-after": "120", date }, 120_000],
    [{ "x-ratelimit-reset": epoch(3600_000), date }, 3600_000],
    [{ "x-ratelimit-reset": epoch(-3600_000), date }, null],
    [{ "ratelimit-reset": "42" }, 42_000],
    [{ ratelimit: "limit=100, remaining=0, reset=7" }, 7_000],
    [{ "x-ratelimit-reset-requests": "6m0s" }, 360_000],
    [{ "retry-after": "5", "x-ratelimit-reset": "600" }, 5_000],
    [{ "retry-after": "7200" }, 3600_000],
    [{}, null],
  ];
  for (const [h, want] of cases) {
    const r = await fromParts({ url: "https://api.example.com/v1/items", status: 429, responseHeaders: h });
    assert.equal(r.action, Action.SLOW_DOWN, JSON.stringify(h));
    assert.equal(r.retryAfterMs, want, JSON.stringify(h));
  }
  const r = await fromParts({ url: "https://api.example.com/v1/items", status: 429, responseHeaders: { "retry-after": "7200" } }, { maxWaitMs: 10_000 });
  assert.equal(r.retryAfterMs, 10_000);
});

test("fromFetch decides on a live response and leaves its body unread", async () => {
  const cases = [
    ["/challenge", Action.ROTATE_SESSION, "bot", "challenge", "cloudflare"],
    ["/bearer-expired", Action.REFRESH_CREDENTIALS, "auth", "expired_token", null],
    ["/rate-limit", Action.SLOW_DOWN, "rate_limit", "rate_limit", null],
    ["/forbidden", Action.STOP, "forbidden", "insufficient_permissions", null],
    ["/ok", Action.NONE, "ok", null, null],
  ];
  for (const [path, action, verdict, cause, vendor] of cases) {
    const f = loadFixture(new URL(fixtureRoutes[path] + ".http", fixtureDir));
    const request = new Request(server.url + path, { headers: f.requestHeaders });
    const response = await fetch(request);
    const r = await fromFetch(response, request);
    assert.equal(r.action, action, `${path}: ${r.exchange.summary}`);
    assert.equal(r.verdict, verdict, path);
    assert.equal(r.cause, cause, path);
    assert.equal(r.exchange.vendor, vendor, path);
    assert.ok(r.exchange.url.startsWith(server.url + path), r.exchange.url);
    assert.equal(r.retryAfterMs, path === "/rate-limit" ? 120_000 : null, path);
    assert.equal(response.bodyUsed, false);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), f.body, path);
  }
});

test("fromFetch takes the URL and init given to fetch", async () => {
  const init = { headers: { Authorization: "Bearer at_9f8e7d6c5b4a39281706f5e4d3c2b1a0" } };
  const response = await fetch(server.url + "/bearer-expired", init);
  const r = await fromFetch(response, { url: server.url + "/bearer-expired", ...init });
  assert.equal(r.cause, "expired_token");
  const bare = await fromFetch(await fetch(server.url + "/bearer-expired"));
  assert.equal(bare.cause, "missing_credentials"); // nothing said what was sent
});

test("a long body is read up to the limit", async () => {
  const page = loadFixture(new URL("challenge.http", fixtureDir));
  const long = Buffer.concat([Buffer.from("<!-- padding -->\n".repeat(40_000)), page.body]);
  const s = await startServer({ "/long": (req, res) => { res.writeHead(403, { "cf-mitigated": "challenge", server: "cloudflare", "content-type": "text/html" }); res.end(long); } });
  try {
    const response = await fetch(s.url + "/long");
    const r = await fromFetch(response, undefined, { bodyLimit: 4096 });
    assert.equal(r.verdict, "bot");
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), long);
    assert.ok(long.length > DEFAULT_BODY_LIMIT);
  } finally {
    await s.close();
  }
});

test("fromParts reads any client's response", async () => {
  const f = loadFixture(new URL("rate-limit.http", fixtureDir));
  const r = await fromParts({ url: "https://api.example.com/v1/items", status: f.status, responseHeaders: f.headers, body: f.body.toString() });
  assert.equal(r.action, Action.SLOW_DOWN);
  assert.equal(r.retryAfterMs, 120_000);
  const binary = await fromParts({ url: "https://x.example/", status: 403, responseHeaders: { "content-type": "application/octet-stream" }, body: new Uint8Array([0xff, 0xfe, 0, 1]) });
  assert.equal(binary.exchange.status, 403);
});

test("no secret reaches the result", async () => {
  const token = "at_CANARY_4q7Zp9Wd2Lr8Xk3Nv6Bs";
  const cookie = "sess_CANARY_Yt5Hm1Qa8Jc4Ue7Rg2";
  const key = "key_CANARY_Fx3Dz6Kw9Pn2Sv5Tb8";
  const s = await startServer({
    "/me": (req, res) => {
      res.writeHead(401, {
        "www-authenticate": `Bearer error="invalid_token", error_description="token ${token} expired"`,
        "set-cookie": `sid=${cookie}; Path=/; HttpOnly`,
        "content-type": "application/json",
      });
      res.end(JSON.stringify({ error: "invalid_token", token, cookie, key }));
    },
  });
  try {
    const request = new Request(`${s.url}/me?api_key=${key}`, { headers: { authorization: `Bearer ${token}`, cookie: `sid=${cookie}; theme=dark` } });
    const r = await fromFetch(await fetch(request), request);
    assert.equal(r.action, Action.REFRESH_CREDENTIALS);
    const out = JSON.stringify(r);
    for (const secret of [token, cookie, key, token.slice(-12), cookie.slice(-12)]) assert.ok(!out.includes(secret), secret);
  } finally {
    await s.close();
  }
});

test("no secret in a URL's path parameters, query or fragment reaches the result (issue 18)", async () => {
  const jsess = "Js9CANARYq4Zp7Wd2Lr8Xk";
  const sub = "Sk3CANARYv6Bs1Hm5Qa8Jc";
  const php = "Ph7CANARYe4Rg2Fx6Dz9Kw";
  const frag = "Fr5CANARYn2Sv8Tb4Yt1Uq";
  const pct = "Pc2CANA/+RYm7Wx3Lk9Gh";
  const url = `https://api.example.com/app;jsessionid=${jsess}?subscription-key=${sub}&PHPSESSID=${php}&state=${encodeURIComponent(pct)}#access_token=${frag}`;
  const r = await fromParts({
    url,
    status: 401,
    responseHeaders: { "content-type": "application/json" },
    body: JSON.stringify({ error: "invalid_request", message: `state ${pct} rejected` }),
  });
  const out = JSON.stringify(r);
  for (const secret of [jsess, sub, php, frag, pct, encodeURIComponent(pct)]) assert.ok(!out.includes(secret.slice(0, -4)), secret);
});

test("the wasm defines no globals", async () => {
  await init();
  for (const name of ["Go", "fs", "path", "why401"]) assert.equal(globalThis[name], undefined, name);
});
