// fromFetch on live traffic (issues 31 and 34): a stream, a long poll or a
// trickling body never holds the result back, the caller still reads every
// byte, and a response it cannot read is said, not guessed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fromFetch, isStreaming, Action, DEFAULT_BODY_WAIT_MS } from "../index.js";
import { fixtureDir, fixtureRoutes, loadFixture, repo, startServer } from "./fixtures.js";

let server;
before(async () => { server = await startServer(fixtureRoutes); });
after(() => server.close());

test("fromFetch wants a Response, and says so", async () => {
  for (const bad of [null, undefined, "https://x.example/", 42, {}, { status: 401 }]) {
    await assert.rejects(fromFetch(bad), (err) => err instanceof TypeError && /^why401: fromFetch wants a fetch Response, got /.test(err.message), String(bad));
  }
  await assert.rejects(fromFetch(null), /got null$/);
});

test("fromFetch on a body already read says so, and takes the body read", async () => {
  const f = loadFixture(new URL("challenge.http", fixtureDir));
  const fresh = await fromFetch(await fetch(server.url + "/challenge"));
  assert.deepEqual(fresh.warnings, []);

  const response = await fetch(server.url + "/challenge");
  const text = await response.text();
  assert.equal(text, f.body.toString("latin1"));
  const r = await fromFetch(response);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /already read/);
  assert.match(r.warnings[0], /options\.body/);
  assert.equal(r.exchange.status, 403); // the headers are still analysed

  const given = await fromFetch(response, undefined, { body: text });
  assert.deepEqual(given.warnings, []);
  assert.equal(given.verdict, fresh.verdict);
  assert.equal(given.cause, fresh.cause);
  assert.equal(given.exchange.vendor, fresh.exchange.vendor);

  // A body a reader holds (locked, not yet read) cannot be cloned: said too.
  const locked = await fetch(server.url + "/challenge");
  const reader = locked.body.getReader();
  const l = await fromFetch(locked);
  assert.match(l.warnings[0], /could not be read/);
  reader.cancel();
});

test("fromFetch's stream types are Go's (httpcheck/testdata/streaming.json)", () => {
  const table = JSON.parse(readFileSync(new URL("httpcheck/testdata/streaming.json", repo), "utf8"));
  assert.ok(table.length > 20);
  for (const { content_type: ct, stream } of table) assert.equal(isStreaming(ct), stream, ct);
  assert.equal(DEFAULT_BODY_WAIT_MS, 250);
});

// Each server sends its headers and a first part, then holds the rest until
// the test has its result: fromFetch must resolve meanwhile. The test's
// timeout is a hang guard: before issue 31 fromFetch read the body to its
// end and never resolved.
test("fromFetch never waits for a stream, a long poll or a trickling body", { timeout: 60_000 }, async () => {
  const page = loadFixture(new URL("challenge.http", fixtureDir)).body;
  const cases = [
    { name: "event stream 401", status: 401, headers: { "content-type": "text/event-stream", "www-authenticate": 'Bearer error="invalid_token"' },
      first: "event: error\ndata: {}\n\n", rest: "data: more\n\n", verdict: "auth", truncated: true },
    { name: "NDJSON 429", status: 429, headers: { "content-type": "application/x-ndjson", "retry-after": "30" },
      first: '{"a":1}\n', rest: '{"b":2}\n', verdict: "rate_limit", truncated: true },
    { name: "long poll 202", status: 202, headers: { "content-type": "application/json" }, first: "", rest: '{"events":[]}', verdict: "ok" },
    { name: "trickling challenge", status: 403, headers: { "content-type": "text/html", "cf-mitigated": "challenge", server: "cloudflare" },
      first: page.subarray(0, page.length >> 1), rest: page.subarray(page.length >> 1), verdict: "bot" },
  ];
  for (const c of cases) {
    let release;
    const released = new Promise((r) => { release = r; });
    const s = await startServer({
      "/x": async (req, res) => {
        res.writeHead(c.status, c.headers);
        res.write(c.first);
        await released;
        res.end(c.rest);
      },
    });
    try {
      const response = await fetch(s.url + "/x");
      const r = await fromFetch(response);
      release();
      assert.equal(r.verdict, c.verdict, `${c.name}: ${r.exchange.summary}`);
      assert.deepEqual(r.warnings, [], c.name);
      if (c.verdict === "rate_limit") assert.equal(r.action, Action.SLOW_DOWN);
      const got = Buffer.from(await response.arrayBuffer());
      assert.deepEqual(got, Buffer.concat([Buffer.from(c.first), Buffer.from(c.rest)]), c.name);
    } finally {
      release();
      await s.close();
    }
  }
});
