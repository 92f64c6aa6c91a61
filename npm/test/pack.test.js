// npm pack gives a tarball that installs and runs in a fresh folder, and
// whose types check from a TypeScript consumer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const tsc = join(pkg, "node_modules", ".bin", "tsc");
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

test("npm pack: the tarball installs and runs in a fresh folder", async () => {
  const dir = mkdtempSync(join(tmpdir(), "why401-pack-"));
  try {
    const [info] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dir], pkg));
    const files = info.files.map((f) => f.path).sort();
    checkFigures(info);
    assert.deepEqual(files, ["README.md", "crawlee.d.ts", "crawlee.js", "dist/GO-LICENSE", "dist/wasm_exec.js", "dist/why401.wasm", "engine.js", "index.d.ts", "index.js", "package.json", "vocab.js", "worker.js"]);
    const app = join(dir, "app");
    run("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    run("npm", ["install", "--no-fund", "--no-audit", "--offline", join(dir, info.filename)], app);
    writeFileSync(join(app, "main.js"), `
      import http from "node:http";
      import { analyze, fromFetch } from "why401";
      import { httpCrawlerOptions } from "why401/crawlee";
      const rep = await analyze('HTTP/1.1 401 Unauthorized\\r\\nWWW-Authenticate: Bearer error="invalid_token"\\r\\n\\r\\n');
      const srv = http.createServer((q, s) => { s.writeHead(429, { "retry-after": "30", "content-type": "application/json" }); s.end('{"error":"rate_limited"}'); });
      await new Promise((r) => srv.listen(0, "127.0.0.1", r));
      const res = await fromFetch(await fetch("http://127.0.0.1:" + srv.address().port + "/x"));
      srv.close();
      console.log(rep.exchanges[0].verdict, res.action, res.retryAfterMs, httpCrawlerOptions().sessionPoolOptions.blockedStatusCodes.length);
    `);
    assert.equal(run("node", ["main.js"], app).trim(), "auth slow_down 30000 0");
    // The types, as a strict TypeScript consumer sees them.
    writeFileSync(join(app, "check.ts"), `
      import { analyze, fromFetch, fromPlaywright, Action, Verdict, type Result, type Report } from "why401";
      import { handleResponse, httpCrawlerOptions, BlockedError } from "why401/crawlee";
      const rep: Report = await analyze("HTTP/1.1 401 Unauthorized\\r\\n\\r\\n");
      const bot: boolean = rep.exchanges[0].verdict === Verdict.BOT;
      const res: Result = await fromFetch(await fetch("http://127.0.0.1/"), new Request("http://127.0.0.1/"));
      const wait: number | null = res.action === Action.SLOW_DOWN ? res.retryAfterMs : null;
      declare const pw: Parameters<typeof fromPlaywright>[0];
      const opts: { sessionPoolOptions: { blockedStatusCodes: number[] } } = httpCrawlerOptions();
      declare const ctx: { request: { url: string; headers?: Record<string, string>; noRetry?: boolean }; session?: { retire(): void }; response: unknown; body: string };
      await handleResponse(ctx, { refreshCredentials(c, r) { c.request.headers = { authorization: "Bearer " + r.cause }; }, maxDelayMs: 10_000 });
      const e: Result = new BlockedError(res).result;
      // @ts-expect-error: not an action
      const no: Action = "rotate";
      export { bot, wait, pw, opts, e, no };
    `);
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({ compilerOptions: {
      strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2022", "dom"], types: [], skipLibCheck: false,
    }, files: ["check.ts"] }));
    try {
      run(tsc, ["-p", "."], app);
    } catch (err) {
      assert.fail("tsc: " + err.stdout + err.stderr);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// checkFigures holds the size figures of docs/libraries.md to the package
// just packed, to within 2 % (about what one round of knowledge adds), so
// they cannot go stale: a build that moves one further says which line to
// change, and to what.
function checkFigures(info) {
  const doc = readFileSync(new URL("../../docs/libraries.md", import.meta.url), "utf8");
  const mib = (n) => n / 1048576;
  const near = (text, actual) => Math.abs(Number(text) - actual) <= 0.02 * actual + 0.005;
  const tarball = doc.match(/\| npm tarball[^|]*\| ([\d.]+) MiB, (\d+) files, ([\d.]+) MiB unpacked/);
  assert.ok(tarball, "docs/libraries.md has no npm tarball figure");
  const want = `${mib(info.size).toFixed(2)} MiB, ${info.entryCount} files, ${mib(info.unpackedSize).toFixed(2)} MiB unpacked`;
  assert.ok(near(tarball[1], mib(info.size)) && Number(tarball[2]) === info.entryCount && near(tarball[3], mib(info.unpackedSize)),
    `docs/libraries.md says the npm tarball is "${tarball[1]} MiB, ${tarball[2]} files, ${tarball[3]} MiB unpacked"; it is now "${want}": update the figure`);
  const wasm = readFileSync(new URL("../dist/why401.wasm", import.meta.url));
  const gz = gzipSync(wasm, { level: 9 }).length;
  const row = doc.match(/\| `dist\/why401\.wasm`[^|]*\| ([\d.]+) MiB, ([\d.]+) MiB gzip -9/);
  assert.ok(row, "docs/libraries.md has no dist/why401.wasm figure");
  assert.ok(near(row[1], mib(statSync(new URL("../dist/why401.wasm", import.meta.url)).size)) && near(row[2], mib(gz)),
    `docs/libraries.md says dist/why401.wasm is "${row[1]} MiB, ${row[2]} MiB gzip -9"; it is now "${mib(wasm.length).toFixed(2)} MiB, ${mib(gz).toFixed(2)} MiB gzip -9": update the figure`);
}
