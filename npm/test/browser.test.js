// Playwright and Puppeteer drive Debian's Chromium against a loopback server
// that serves fixture responses; the adapters decide on what the browser got.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import puppeteer from "puppeteer-core";
import { fromPlaywright, fromPuppeteer, Action } from "../index.js";
import { fixtureRoutes, startServer } from "./fixtures.js";

const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const haveBrowser = existsSync(executablePath);
if (!haveBrowser && process.env.CI) throw new Error(`no Chromium at ${executablePath} and CI is set (apt-get install chromium)`);
const skip = haveBrowser ? false : `no Chromium at ${executablePath}`;

const token = "at_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
let server;
before(async () => {
  server = await startServer({
    ...fixtureRoutes,
    "/hop": (req, res) => { res.writeHead(302, { location: "/challenge" }); res.end(); },
  });
});
after(() => server?.close());

// Each case: the path the page opens, the action, the verdict, and how many
// exchanges the report holds (the redirect chain).
const cases = [
  ["/challenge", Action.ROTATE_SESSION, "bot", 1],
  ["/bearer-expired", Action.REFRESH_CREDENTIALS, "auth", 1],
  ["/rate-limit", Action.SLOW_DOWN, "rate_limit", 1],
  ["/forbidden", Action.STOP, "forbidden", 1],
  ["/ok", Action.NONE, "ok", 1],
  ["/hop", Action.ROTATE_SESSION, "bot", 2],
];

test("Playwright: fromPlaywright on page.goto's response", { skip }, async () => {
  const browser = await chromium.launch({ executablePath });
  try {
    const page = await browser.newPage();
    await page.setExtraHTTPHeaders({ Authorization: "Bearer " + token });
    for (const [path, action, verdict, hops] of cases) {
      const response = await page.goto(server.url + path);
      const r = await fromPlaywright(response);
      assert.equal(r.action, action, `${path}: ${r.exchange.summary}`);
      assert.equal(r.verdict, verdict, path);
      assert.equal(r.report.exchanges.length, hops, path);
      if (path === "/bearer-expired") assert.equal(r.cause, "expired_token"); // the header as sent was read
      if (path === "/rate-limit") assert.equal(r.retryAfterMs, 120_000);
      assert.ok(!JSON.stringify(r).includes(token), "the token leaked");
      await response.body(); // still readable
    }
  } finally {
    await browser.close();
  }
});

test("Puppeteer: fromPuppeteer on page.goto's response", { skip }, async () => {
  const browser = await puppeteer.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage();
    await page.setExtraHTTPHeaders({ Authorization: "Bearer " + token });
    for (const [path, action, verdict, hops] of cases) {
      const response = await page.goto(server.url + path);
      const r = await fromPuppeteer(response);
      assert.equal(r.action, action, `${path}: ${r.exchange.summary}`);
      assert.equal(r.verdict, verdict, path);
      assert.equal(r.report.exchanges.length, hops, path);
      if (path === "/bearer-expired") assert.equal(r.cause, "expired_token");
      assert.ok(!JSON.stringify(r).includes(token), "the token leaked");
    }
  } finally {
    await browser.close();
  }
});
