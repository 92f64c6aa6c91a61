// The project's hostile corpus (internal/hostile, issue 31: "the page, the
// worker, the CLI and the libraries all pass the same hostile inputs")
// through the package's own layer: analyze (text, bytes, an ArrayBuffer),
// fromParts (the input as a body, and its header lines as fields) and
// fromFetch (the input as a real Response's body), all through the worker
// thread. Every input gets a report or a clear Error — never a crash of the
// worker or the process, an unhandled rejection or a hang — no secret the
// corpus plants is echoed, and the analyzer still answers a normal 401
// afterwards. The wasm alone gets the same corpus in wasm/main_test.go
// (TestHostileCorpus).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { analyze, fromFetch, fromParts } from "../index.js";
import { repo } from "./fixtures.js";

// A hang guard, never a timing: the slowest input takes a few seconds on a
// loaded 2-core machine.
const HANG_MS = 120_000;

// The secrets the corpus plants (internal/hostile/hostile.go): the bearer
// token of its HAR entries (entry401) and the values of the 10,000
// Set-Cookie fields of header-10000-fields; the request this test adds to
// fromParts and fromFetch carries the token too.
const TOKEN = "abc.def.ghi";
const cookieValue = /\bc\d+=v\d+/;

let dir;
let cases; // [{name, data}]
const unhandled = [];
const onUnhandled = (err) => unhandled.push(err);

before(() => {
  process.on("unhandledRejection", onUnhandled);
  dir = mkdtempSync(join(tmpdir(), "why401-hostile-"));
  // The small corpus (inputs over 8 MB left out): ~5 MB in 19 files.
  const out = execFileSync("go", ["run", "./internal/hostile/cmd", "-small", "-o", dir], {
    cwd: fileURLToPath(repo), encoding: "utf8", timeout: 300_000, stdio: ["ignore", "pipe", "inherit"],
  });
  cases = out.trim().split("\n").map((p) => ({ name: p.slice(dir.length + 1).replace(/\.txt$/, ""), data: readFileSync(p) }));
});

after(() => {
  process.off("unhandledRejection", onUnhandled);
  rmSync(dir, { recursive: true, force: true });
});

// settle runs one call under the hang guard: {report} or {error}.
async function settle(what, run) {
  let timer;
  const hang = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${HANG_MS / 1000} s (a hang)`)), HANG_MS);
  });
  try {
    return { report: await Promise.race([run(), hang]) };
  } catch (error) {
    if (/a hang\)$/.test(error?.message)) throw error;
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

// check: a report, or an Error that says what went wrong in the analyzer's
// words — not a stopped or failed worker, not Go's internals; neither
// echoes a planted secret.
function check(what, { report, error }, shape) {
  if (error !== undefined) {
    assert.ok(error instanceof Error, `${what}: rejected with a non-Error: ${String(error)}`);
    assert.ok(error.message.length > 0, `${what}: an Error with no message`);
    assert.doesNotMatch(error.message, /the analyzer (stopped|failed)|internal error|^analyzer:|panic|runtime error|RangeError|Maximum call stack/i, what);
    assert.ok(!error.message.includes(TOKEN), `${what}: the error echoes the token`);
    return "error";
  }
  shape(report);
  const text = JSON.stringify(report);
  assert.ok(!text.includes(TOKEN), `${what}: the report echoes the bearer token`);
  assert.doesNotMatch(text, cookieValue, `${what}: the report echoes a cookie value`);
  return "report";
}

const isReport = (what) => (rep) => {
  assert.equal(typeof rep?.input, "object", `${what}: no input in the report`);
  assert.ok(Array.isArray(rep.exchanges), `${what}: no exchanges in the report`);
};

const isResult = (what) => (res) => {
  assert.equal(typeof res?.verdict, "string", `${what}: no verdict`);
  assert.equal(typeof res.action, "string", `${what}: no action`);
  isReport(what)(res.report);
};

// fields reads the header lines of a raw capture naively, as a client
// library might hand them over: "name: value" lines up to the first blank
// line, after the first line; the status from the first line if it has one.
function fields(data) {
  const text = new TextDecoder().decode(data.subarray(0, 4 << 20));
  const end = text.search(/\r?\n\r?\n/);
  const lines = (end < 0 ? text : text.slice(0, end)).split(/\r?\n/);
  const pairs = [];
  for (const line of lines.slice(1)) {
    const i = line.indexOf(":");
    if (i > 0) pairs.push([line.slice(0, i), line.slice(i + 1).trim()]);
  }
  return { status: Number(lines[0].split(" ")[1]), pairs };
}

// Every live call sends the token, so the analyzer knows it as a secret
// (a body that holds a token the request never sent is only masked when
// it has a secret's shape: docs/report.md).
const request = { url: "https://api.example.com/v1/me", headers: { authorization: `Bearer ${TOKEN}` } };
const sent = { url: request.url, requestHeaders: request.headers };

test("the hostile corpus: analyze answers every input, as text, bytes and an ArrayBuffer", async () => {
  assert.ok(cases.length >= 15, `only ${cases.length} inputs generated`);
  const seen = { report: 0, error: 0 };
  for (const { name, data } of cases) {
    const inputs = [
      ["text", new TextDecoder().decode(data)],
      ["bytes", new Uint8Array(data)],
      ["ArrayBuffer", data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)],
    ];
    for (const [how, input] of inputs) {
      const what = `${name} (${how}, ${data.length} bytes)`;
      seen[check(what, await settle(what, () => analyze(input, { name })), isReport(what))]++;
    }
  }
  // Both outcomes occur: most inputs give a (partial) report, the empty
  // and unreadable ones a clear error.
  assert.ok(seen.report > 0 && seen.error > 0, JSON.stringify(seen));
});

test("the hostile corpus: fromParts and fromFetch answer every input as a body and as header fields", async () => {
  for (const { name, data } of cases) {
    const body = new Uint8Array(data);
    const { status, pairs } = fields(data);
    const calls = [
      ["fromParts body", () => fromParts({ ...sent, status: 403, responseHeaders: { "content-type": "text/html" }, body })],
      ["fromParts text body", () => fromParts({ ...sent, status: 401, responseHeaders: [], body: new TextDecoder().decode(data) })],
      // The input's own header lines and status, however absurd (-401,
      // 99999999999999999999, NaN), as a client library might pass them.
      ["fromParts fields", () => fromParts({ ...sent, status, responseHeaders: pairs, body: null })],
      ["fromFetch", () => fromFetch(new Response(body, { status: 403, headers: { "content-type": "text/html" } }), request, { bodyWaitMs: 10_000 })],
    ];
    for (const [how, run] of calls) {
      const what = `${name} (${how})`;
      check(what, await settle(what, run), isResult(what));
    }
  }
});

test("the corpus' inputs over 8 MB go through the worker's slices (beginWith/write/end)", async () => {
  // The full corpus adds three inputs of 29 to 52 MB, above the 8 MB the
  // worker analyses whole (worker.js WHOLE). The million-entry HAR takes
  // ~20 s, so it goes as bytes only.
  const big = mkdtempSync(join(tmpdir(), "why401-hostile-big-"));
  try {
    const out = execFileSync("go", ["run", "./internal/hostile/cmd", "-o", big], {
      cwd: fileURLToPath(repo), encoding: "utf8", timeout: 300_000, stdio: ["ignore", "pipe", "inherit"],
    });
    const small = new Set(cases.map((c) => c.name));
    const names = out.trim().split("\n").map((p) => p.slice(big.length + 1).replace(/\.txt$/, "")).filter((n) => !small.has(n));
    assert.ok(names.length >= 3, names.join(", "));
    for (const name of names) {
      const data = readFileSync(join(big, name + ".txt"));
      assert.ok(data.length > 8 << 20, `${name}: ${data.length} bytes`);
      const inputs = [["bytes", new Uint8Array(data)]];
      if (name !== "har-million-entries") inputs.push(["text", data.toString("utf8")]);
      for (const [how, input] of inputs) {
        const what = `${name} (${how}, ${data.length} bytes)`;
        check(what, await settle(what, () => analyze(input, { name })), isReport(what));
      }
    }
  } finally {
    rmSync(big, { recursive: true, force: true });
  }
});

test("after the hostile corpus the analyzer still answers a normal 401, and nothing was left unhandled", async () => {
  const rep = await analyze("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"\r\n\r\n");
  assert.equal(rep.exchanges[0].verdict, "auth");
  const res = await fromParts({ url: "https://api.example.com/", status: 429, responseHeaders: { "retry-after": "7" } });
  assert.equal(res.retryAfterMs, 7000);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(unhandled, []);
});
