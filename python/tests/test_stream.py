"""The coprocess: answers, ordering across threads, bad lines, a 50 MB line,
restarts, closing at exit, fork."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import why401
from why401 import _process

REPO = Path(__file__).resolve().parents[2]
FIX = REPO / "httpcheck" / "testdata"
BEARER = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"\r\n\r\n"
TOKEN = "at_9f8e7d6c5b4a39281706f5e4d3c2b1a0"


@pytest.fixture
def stream():
    s = why401.Stream()
    yield s
    s.close()


def test_analyze_kinds(stream, tmp_path):
    r = why401.analyze(BEARER, stream=stream)
    assert isinstance(r, why401.Report)
    e = r.exchanges[0]
    assert (e.verdict, e.action, e.scheme) == ("auth", "refresh_credentials", "bearer")
    assert e.evidence and isinstance(e.evidence[0], why401.Evidence)
    assert r.input.format == "raw"

    ch = (FIX / "challenge.http").read_bytes()
    r = why401.analyze(ch, stream=stream)
    assert (r.exchanges[0].verdict, r.exchanges[0].vendor, r.exchanges[0].action) == ("bot", "cloudflare", "rotate_session")

    har = {"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": [
        {"startedDateTime": "2026-12-01T09:00:00Z", "time": 1,
         "request": {"method": "GET", "url": "https://a.example/x", "httpVersion": "HTTP/1.1", "headers": []},
         "response": {"status": 429, "statusText": "", "httpVersion": "HTTP/1.1", "headers": [{"name": "Retry-After", "value": "7"}],
                      "content": {"size": 0, "mimeType": "text/plain"}}}]}}
    r = why401.analyze(har, stream=stream)
    assert r.input.format == "har"
    assert (r.exchanges[0].action, r.exchanges[0].wait_seconds) == ("slow_down", 7)

    p = tmp_path / "cap.har.gz"
    import gzip
    p.write_bytes(gzip.compress(json.dumps(har).encode()))
    r = why401.analyze(p, stream=stream)
    assert r.input.name == str(p) and r.exchanges[0].verdict == "rate_limit"

    with pytest.raises(why401.AnalysisError, match="no HTTP response found"):
        why401.analyze("hello", stream=stream)
    with pytest.raises(TypeError):
        why401.analyze(42, stream=stream)  # type: ignore[arg-type]


def test_bad_line_does_not_end_the_stream(stream):
    with pytest.raises(why401.AnalysisError, match="unknown field"):
        stream.request({"bogus": 1})
    with pytest.raises(why401.AnalysisError, match="response is missing"):
        stream.request({"request": {"url": "https://a.example/"}})
    assert stream.request({"response": {"status": 200}})["exchanges"][0]["verdict"] == "ok"
    assert stream.starts == 1


def test_threads_get_their_own_answers_in_order(stream):
    cases = [
        ({"response": {"status": 429, "headers": [["Retry-After", "%d"]]}}, "rate_limit"),
        ({"capture": BEARER}, "auth"),
        ({"capture": (FIX / "challenge.http").read_text()}, "bot"),
        ({"capture": (FIX / "proxy-407.http").read_text()}, "proxy_auth"),
        ({"response": {"status": 200}}, "ok"),
    ]
    errors = []

    def work(t):
        for i in range(40):
            obj, want = cases[(t + i) % len(cases)]
            obj = json.loads(json.dumps(obj).replace("%d", str(t * 1000 + i + 1)))
            try:
                ans = stream.request(obj)
            except Exception as e:  # noqa: BLE001
                errors.append(repr(e))
                continue
            got = ans["exchanges"][0]
            if got["verdict"] != want:
                errors.append((t, i, got["verdict"], want))
            if want == "rate_limit" and got.get("wait_seconds") != t * 1000 + i + 1:
                errors.append((t, i, got.get("wait_seconds")))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert stream.starts == 1


def test_50mb_line(stream):
    # Sent raw past the client's own check: the coprocess reads it through
    # unkept, answers an error with its id, and goes on.
    stream.request({"response": {"status": 200}})
    p = stream._proc
    big = b'{"id":"big","capture":"' + b"a" * (50 << 20) + b'"}\n'
    fut = p.send(big)
    ans = fut.result(120)
    assert ans["id"] == "big" and "longer than the limit" in ans["error"]
    assert stream.request({"capture": BEARER})["exchanges"][0]["verdict"] == "auth"
    assert stream.starts == 1


def test_big_capture_goes_to_a_one_shot_process(stream):
    body = "<html>" + "x" * (20 << 20) + "</html>"
    text = "HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\ncf-mitigated: challenge\r\nContent-Type: text/html\r\n\r\n" + body
    r = why401.analyze(text, stream=stream)
    assert r.exchanges[0].status == 403 and r.exchanges[0].verdict == "bot"
    with pytest.raises(why401.AnalysisError):
        why401.analyze("x" * (17 << 20), stream=stream)


def test_restarts_when_the_process_dies(stream):
    stream.request({"response": {"status": 200}})
    pid = stream.pid
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    assert stream.request({"capture": BEARER})["exchanges"][0]["verdict"] == "auth"
    assert stream.starts == 2 and stream.pid != pid


def test_dies_while_threads_wait(stream):
    stream.request({"response": {"status": 200}})
    results = []

    def work():
        for _ in range(30):
            results.append(stream.request({"capture": (FIX / "challenge.http").read_text()})["exchanges"][0]["verdict"])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for th in threads:
        th.start()
    time.sleep(0.05)
    os.kill(stream.pid, signal.SIGKILL)
    for th in threads:
        th.join()
    assert results == ["bot"] * 120
    assert stream.starts >= 2


def test_missing_binary():
    s = why401.Stream(binary="/nonexistent/why401")
    with pytest.raises(why401.ProcessError, match="cannot start"):
        s.request({"response": {"status": 200}})


def test_closed_at_exit(tmp_path):
    code = "import why401; why401.analyze(%r); print(why401._process.default_stream().pid, flush=True)" % BEARER
    out = subprocess.run([sys.executable, "-c", code], cwd=str(Path(__file__).parents[1]), stdout=subprocess.PIPE, check=True, timeout=60, env=os.environ)
    pid = int(out.stdout.split()[-1])
    deadline = time.time() + 10
    while time.time() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid), "the coprocess outlived its Python process"


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_fork_child_gets_its_own(stream):
    stream.request({"response": {"status": 200}})
    parent_pid = stream.pid
    r, w = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            v = stream.request({"capture": BEARER})["exchanges"][0]["verdict"]
            os.write(w, ("%s %d" % (v, stream.pid)).encode())
        finally:
            os._exit(0)
    os.close(w)
    got = os.read(r, 100).decode().split()
    os.waitpid(child, 0)
    assert got[0] == "auth" and int(got[1]) != parent_pid
    assert stream.request({"response": {"status": 200}})["exchanges"][0]["verdict"] == "ok"
    assert stream.pid == parent_pid


def test_never_echoes_a_secret(stream, caplog):
    import logging
    caplog.set_level(logging.DEBUG)
    res = why401.from_parts(url="https://api.example.com/v1/me?access_token=" + TOKEN, status=401,
                            request_headers={"Authorization": "Bearer " + TOKEN, "Cookie": "session=" + TOKEN},
                            response_headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
                            body='{"echo":"%s"}' % TOKEN, stream=stream)
    texts = [str(res), repr(res), json.dumps(res.report.to_dict()), caplog.text, str(why401.exception_for(res))]
    for t in texts:
        assert TOKEN not in t
    assert res.action == "refresh_credentials"


def test_find_binary_env(monkeypatch):
    monkeypatch.setenv("WHY401_BIN", "/x/why401")
    assert why401.find_binary() == "/x/why401"
    assert _process.MAX_LINE_BYTES == 16 << 20


def test_an_exchange_over_a_line_is_an_analysis_error(stream):
    with pytest.raises(why401.AnalysisError, match="longer than a why401 stream line"):
        why401.from_parts(url="https://a.example/", status=401, response_headers=[("X-Big", "v" * (17 << 20))], stream=stream)
    assert stream.request({"response": {"status": 200}})["exchanges"][0]["verdict"] == "ok"
