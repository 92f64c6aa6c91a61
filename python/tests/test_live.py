"""requests and httpx against the loopback fixture server: from_response,
the hooks, the httpx Transport; the caller's response stays usable."""

import httpx
import pytest
import requests

import why401

@pytest.fixture(scope="module")
def stream():
    s = why401.Stream()
    yield s
    s.close()


CASES = [
    # path, request headers, verdict, action, cause, vendor
    ("/fixture/bearer-expired", {"Authorization": "Bearer at_9f8e7d6c5b4a39281706f5e4d3c2b1a0"}, "auth", "refresh_credentials", "expired_token", None),
    ("/fixture/missing-token", {}, "auth", "refresh_credentials", "missing_credentials", None),
    ("/fixture/challenge", {}, "bot", "rotate_session", "challenge", "cloudflare"),
    ("/fixture/rate-limit", {}, "rate_limit", "slow_down", "rate_limit", None),
    ("/fixture/forbidden", {"Authorization": "Bearer at_9f8e7d6c5b4a39281706f5e4d3c2b1a0"}, "forbidden", "stop", None, None),
    ("/fixture/proxy-407", {}, "proxy_auth", "fix_proxy", None, None),
    ("/fixture/ok", {}, "ok", "none", None, None),
]


@pytest.mark.parametrize("path,headers,verdict,action,cause,vendor", CASES)
def test_requests_from_response(server, stream, path, headers, verdict, action, cause, vendor):
    resp = requests.get(server.base + path, headers=headers, timeout=10)
    body = resp.content
    res = why401.from_response(resp, stream=stream)
    assert (res.verdict, res.action) == (verdict, action), res
    if cause:
        assert res.cause == cause
    assert res.exchange.vendor == vendor
    assert res.exchange.url == server.base + path
    assert resp.content == body  # usable as before
    if action == "slow_down":
        assert res.wait == 120


@pytest.mark.parametrize("path,headers,verdict,action,cause,vendor", CASES)
def test_httpx_from_response(server, stream, path, headers, verdict, action, cause, vendor):
    with httpx.Client() as c:
        resp = c.get(server.base + path, headers=headers)
    res = why401.from_response(resp, stream=stream)
    assert (res.verdict, res.action) == (verdict, action), res
    assert res.exchange.vendor == vendor
    if action == "slow_down":
        assert res.wait == 120


def test_redirect_that_drops_authorization(server, stream):
    h = {"Authorization": "Bearer at_9f8e7d6c5b4a39281706f5e4d3c2b1a0"}
    resp = requests.get(server.base + "/redirect-auth", headers=h, timeout=10)
    assert len(resp.history) == 1 and "Authorization" not in resp.request.headers
    res = why401.from_response(resp, stream=stream)
    assert (res.cause, res.action) == ("redirect_dropped_auth", "stop"), res
    assert len(res.report.exchanges) == 2

    with httpx.Client(follow_redirects=True) as c:
        resp = c.get(server.base + "/redirect-auth", headers=h)
    res = why401.from_response(resp, stream=stream)
    assert (res.cause, res.action) == ("redirect_dropped_auth", "stop"), res


def test_requests_streamed_body_is_put_back(server, stream):
    full = requests.get(server.base + "/big-bot", timeout=10).content
    resp = requests.get(server.base + "/big-bot", stream=True, timeout=10)
    res = why401.from_response(resp, stream=stream, body_limit=64 << 10)
    assert res.action == "rotate_session"
    assert resp.content == full and len(full) > 1 << 20


def test_httpx_streamed_gzip_body_is_put_back(server, stream):
    with httpx.Client() as c:
        with c.stream("GET", server.base + "/gzip-bot") as resp:
            res = why401.from_response(resp, stream=stream)
            assert res.action == "rotate_session", res
            text = resp.read().decode()
    assert "Just a moment" in text


def test_requests_hook(server, stream):
    s = requests.Session()
    s.hooks["response"].append(why401.requests_hook(stream=stream))
    resp = s.get(server.base + "/fixture/challenge", timeout=10)
    assert why401.result_of(resp).action == "rotate_session"
    assert "Just a moment" in resp.text
    ok = s.get(server.base + "/fixture/ok", timeout=10)
    assert why401.result_of(ok) is None  # not a failing status

    s = requests.Session()
    s.hooks["response"].append(why401.requests_hook(raise_for=True, stream=stream))
    with pytest.raises(why401.SlowDownError) as e:
        s.get(server.base + "/fixture/rate-limit", timeout=10)
    assert e.value.wait == 120 and e.value.response.status_code == 429 and e.value.result.verdict == "rate_limit"
    with pytest.raises(why401.RotateSessionError):
        s.get(server.base + "/fixture/challenge", timeout=10)
    with pytest.raises(why401.RefreshCredentialsError):
        s.get(server.base + "/fixture/missing-token", timeout=10)
    with pytest.raises(why401.StopError, match="redirect_dropped_auth"):
        s.get(server.base + "/redirect-auth", headers={"Authorization": "Bearer at_9f8e7d6c5b4a39281706f5e4d3c2b1a0"}, timeout=10)
    with pytest.raises(why401.FixProxyError):
        s.get(server.base + "/fixture/proxy-407", timeout=10)
    assert s.get(server.base + "/nothing-here", timeout=10).status_code == 404  # action none: no exception

    s = requests.Session()
    s.hooks["response"].append(why401.requests_hook(raise_for={"slow_down"}, statuses=[429], stream=stream))
    assert s.get(server.base + "/fixture/challenge", timeout=10).status_code == 403
    with pytest.raises(why401.SlowDownError):
        s.get(server.base + "/fixture/rate-limit", timeout=10)


def test_httpx_hook(server, stream):
    with httpx.Client(event_hooks={"response": [why401.httpx_hook(stream=stream)]}, follow_redirects=True) as c:
        resp = c.get(server.base + "/big-bot")
        assert why401.result_of(resp).action == "rotate_session"
        assert len(resp.content) > 1 << 20
        resp = c.get(server.base + "/redirect-auth", headers={"Authorization": "Bearer at_9f8e7d6c5b4a39281706f5e4d3c2b1a0"})
        assert why401.result_of(resp).cause == "redirect_dropped_auth"
    with httpx.Client(event_hooks={"response": [why401.httpx_hook(raise_for=True, stream=stream)]}) as c:
        with pytest.raises(why401.SlowDownError) as e:
            c.get(server.base + "/huge-wait")
        assert e.value.wait == 3600.0


def test_httpx_transport(server, stream):
    with httpx.Client(transport=why401.Transport(stream=stream), follow_redirects=True) as c:
        resp = c.get(server.base + "/gzip-bot")
        res = why401.result_of(resp)
        assert res.action == "rotate_session" and resp.extensions["why401"] is res
        assert "Just a moment" in resp.text
        resp = c.get(server.base + "/redirect-auth", headers={"Authorization": "Bearer at_9f8e7d6c5b4a39281706f5e4d3c2b1a0"})
        assert why401.result_of(resp).action == "stop"
        assert why401.result_of(c.get(server.base + "/fixture/ok")) is None
    with httpx.Client(transport=why401.Transport(raise_for=True, stream=stream)) as c:
        with pytest.raises(why401.RotateSessionError) as e:
            c.get(server.base + "/fixture/challenge")
        assert e.value.result.exchange.vendor == "cloudflare"


def test_a_failing_analysis_leaves_the_response(server):
    broken = why401.Stream(binary="/nonexistent/why401")
    s = requests.Session()
    s.hooks["response"].append(why401.requests_hook(raise_for=True, stream=broken))
    resp = s.get(server.base + "/fixture/challenge", timeout=10)
    assert resp.status_code == 403 and why401.result_of(resp) is None


def test_from_response_wants_a_known_response():
    with pytest.raises(TypeError):
        why401.from_response(object())


def test_httpx_async(server, stream):
    import asyncio

    async def main():
        async with httpx.AsyncClient(transport=why401.AsyncTransport(stream=stream), follow_redirects=True) as c:
            resp = await c.get(server.base + "/big-bot")
            assert why401.result_of(resp).action == "rotate_session"
            assert len(resp.content) > 1 << 20
            resp = await c.get(server.base + "/redirect-auth", headers={"Authorization": "Bearer at_9f8e7d6c5b4a39281706f5e4d3c2b1a0"})
            assert why401.result_of(resp).cause == "redirect_dropped_auth"
        async with httpx.AsyncClient(event_hooks={"response": [why401.httpx_async_hook(raise_for=True, stream=stream)]}) as c:
            with pytest.raises(why401.SlowDownError) as e:
                await c.get(server.base + "/fixture/rate-limit")
            assert e.value.wait == 120
            with pytest.raises(why401.RotateSessionError):
                async with c.stream("GET", server.base + "/gzip-bot"):
                    pass
        async with httpx.AsyncClient() as c:
            async with c.stream("GET", server.base + "/gzip-bot") as resp:
                res = await why401.from_response_async(resp, stream=stream)
                assert res.action == "rotate_session"
                assert "Just a moment" in (await resp.aread()).decode()

    asyncio.run(main())
