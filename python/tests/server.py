"""A loopback HTTP server serving fixture responses for the tests (and the
README examples run against it): the repository's own captures
(httpcheck/testdata/*.http) and a few stateful routes.

    /fixture/<name>        httpcheck/testdata/<name>.http's response
    /bearer                401 Bearer invalid_token (sets app=1) unless
                           "Authorization: Bearer fresh-token" → 200
    /bot                   the Cloudflare challenge (sets __cf_bm=<k>-blocked)
                           until a request without that cookie comes → 200
    /slow                  429 Retry-After: 1 the first time (per ?k=), then 200
    /huge-wait             429 Retry-After: 999999999 (31 years)
    /redirect-auth         302 to http://localhost:<port>/cdn (another host)
    /cdn                   401 Bearer realm="cdn"
    /gzip-bot              the challenge page gzip-encoded
    /big-bot               the challenge page padded to 1 MB
    /products              as /bot (the README's spider), /products/<n> ok pages
    /v1/me, /v1/search     the README's API: bearer-expired, rate-limit

Each request is logged (path and headers) in Server.log. Run alone:
python3 tests/server.py [PORT] serves until interrupted.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, List, Tuple
from urllib.parse import parse_qs, urlsplit

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "httpcheck" / "testdata"


def load(name: str) -> Tuple[int, List[Tuple[str, str]], bytes]:
    """A .http fixture's response: status, header fields in order, body."""
    data = (FIXTURES / (name + ".http")).read_bytes().replace(b"\r\n", b"\n")
    at = data.find(b"\nHTTP/")
    if not data.startswith(b"HTTP/"):
        data = data[at + 1:]
    head, _, body = data.partition(b"\n\n")
    lines = head.decode("utf-8").split("\n")
    status = int(lines[0].split()[1])
    fields = []
    for line in lines[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() not in ("content-length", "transfer-encoding", "content-encoding", "connection"):
            fields.append((k.strip(), v.strip()))
    return status, fields, body


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "Server"

    def log_message(self, *args):  # quiet
        pass

    def send(self, status: int, fields: List[Tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for k, v in fields:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def fixture(self, name: str, extra: List[Tuple[str, str]] = ()) -> None:
        status, fields, body = load(name)
        self.send(status, fields + list(extra), body)

    def ok(self, title: str = "ok", extra: List[Tuple[str, str]] = ()) -> None:
        body = ("<!doctype html><html><head><title>%s</title></head><body><h1>%s</h1></body></html>" % (title, title)).encode()
        self.send(200, [("Content-Type", "text/html; charset=utf-8")] + list(extra), body)

    def do_GET(self) -> None:
        u = urlsplit(self.path)
        q = parse_qs(u.query)
        k = q.get("k", [""])[0]
        cookies = self.headers.get("Cookie", "")
        with self.server.lock:
            self.server.log.append({"path": self.path, "headers": list(self.headers.items())})
            n = self.server.seen[u.path + "?" + k] = self.server.seen.get(u.path + "?" + k, 0) + 1
        p = u.path
        if p.startswith("/fixture/"):
            return self.fixture(p[len("/fixture/"):])
        if p == "/v1/me":
            return self.fixture("bearer-expired")
        if p == "/v1/search":
            return self.fixture("rate-limit")
        if p == "/bearer":
            if self.headers.get("Authorization") == "Bearer fresh-token":
                return self.ok("account")
            return self.fixture("bearer-expired", [("Set-Cookie", "app=1; Path=/")])
        if p in ("/bot", "/products"):
            blocked = "__cf_bm=%s-blocked" % (k or "x")
            if n == 1 or blocked in cookies:
                return self.fixture("challenge", [("Set-Cookie", blocked + "; Path=/")])
            return self.ok("products", [("Set-Cookie", "sid=fresh; Path=/")])
        if re.fullmatch(r"/products/\d+", p):
            return self.ok("product " + p.rsplit("/", 1)[1])
        if p == "/slow":
            if n == 1:
                return self.send(429, [("Content-Type", "application/json"), ("Retry-After", "1")], b'{"error":"rate_limited"}')
            return self.ok("slow")
        if p == "/huge-wait":
            return self.send(429, [("Content-Type", "text/plain"), ("Retry-After", "999999999")], b"slow down")
        if p == "/redirect-auth":
            return self.send(302, [("Location", "http://localhost:%d/cdn" % self.server.server_address[1])], b"")
        if p == "/cdn":
            return self.send(401, [("WWW-Authenticate", 'Bearer realm="cdn"'), ("Content-Type", "text/plain")], b"no token")
        if p == "/gzip-bot":
            status, fields, body = load("challenge")
            return self.send(status, fields + [("Content-Encoding", "gzip")], gzip.compress(body))
        if p == "/big-bot":
            status, fields, body = load("challenge")
            return self.send(status, fields, body + b"<!-- " + b"x" * (1 << 20) + b" -->")
        self.send(404, [("Content-Type", "text/plain")], b"not found")

    do_HEAD = do_GET


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0):
        super().__init__(("127.0.0.1", port), Handler)
        self.lock = threading.Lock()
        self.log: List[Dict] = []
        self.seen: Dict[str, int] = {}
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return "http://127.0.0.1:%d" % self.server_address[1]

    def start(self) -> "Server":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


if __name__ == "__main__":
    srv = Server(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    print(json.dumps({"base": srv.base}), flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
