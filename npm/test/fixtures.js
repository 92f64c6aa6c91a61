// Test helpers: read the repository's .http fixtures and serve them on loopback.
import { readFileSync } from "node:fs";
import http from "node:http";

export const repo = new URL("../../", import.meta.url);
export const fixtureDir = new URL("httpcheck/testdata/", repo);
export const caseDir = new URL("analyzer/testdata/cases/", repo);

/**
 * loadFixture reads a .http file: an optional request (request line, fields,
 * blank line), then the response (status line, fields, blank line, body).
 */
export function loadFixture(url) {
  let text = readFileSync(url, "latin1").replaceAll("\r\n", "\n");
  const requestHeaders = {};
  if (!text.startsWith("HTTP/")) {
    const at = text.indexOf("\nHTTP/");
    for (const line of text.slice(0, at).split("\n").slice(1)) {
      const i = line.indexOf(":");
      if (i > 0 && line.slice(0, i).toLowerCase() !== "host") requestHeaders[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
    text = text.slice(at + 1);
  }
  const split = text.indexOf("\n\n");
  const head = split < 0 ? text : text.slice(0, split);
  const body = Buffer.from(split < 0 ? "" : text.slice(split + 2), "latin1");
  const [statusLine, ...lines] = head.split("\n");
  const status = Number(statusLine.split(/\s+/)[1]);
  const headers = [];
  for (const line of lines) {
    const i = line.indexOf(":");
    if (i > 0) headers.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
  }
  return { requestHeaders, status, headers, body };
}

const framing = new Set(["content-length", "transfer-encoding", "content-encoding", "connection"]);

/** serveFixture writes a fixture's response; framing fields are the server's own. */
export function serveFixture(res, f) {
  const raw = [];
  for (const [k, v] of f.headers) if (!framing.has(k.toLowerCase())) raw.push(k, v);
  res.writeHead(f.status, raw);
  res.end(f.body);
}

/**
 * startServer serves routes on 127.0.0.1: a path maps to a fixture file name
 * in httpcheck/testdata ("challenge") or to a handler (req, res). Resolves to
 * {url, requests, close}; requests records each request's path and headers.
 */
export async function startServer(routes) {
  const fixtures = {};
  const requests = [];
  for (const [path, r] of Object.entries(routes)) {
    if (typeof r === "string") fixtures[path] = loadFixture(new URL(r + ".http", fixtureDir));
  }
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    requests.push({ path, headers: req.headers });
    const r = routes[path];
    if (typeof r === "function") return r(req, res);
    if (fixtures[path]) return serveFixture(res, fixtures[path]);
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

/** The shared fixtures, by path. */
export const fixtureRoutes = {
  "/challenge": "challenge",
  "/bearer-expired": "bearer-expired",
  "/rate-limit": "rate-limit",
  "/missing-token": "missing-token",
  "/forbidden": "forbidden",
  "/ok": "ok",
};
