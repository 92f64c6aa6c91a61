"""A real Scrapy crawl through the middleware against the loopback server:
the session is retired only on the bot verdict, credentials refreshed on
auth, the slot delayed on the rate limit, forbidden and proxy refusals
dropped; the crawl's stats asserted."""

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def cookies_of(entry):
    return dict(entry["headers"]).get("Cookie", "")


def test_crawl(server, tmp_path):
    out = tmp_path / "crawl.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE.parent), os.environ.get("PYTHONPATH", "")]))
    subprocess.run([sys.executable, str(HERE / "crawl.py"), server.base, str(out)], env=env, check=True, timeout=300)
    got = json.loads(out.read_text())
    st = got["stats"]

    # Every selected failure analysed, counted by verdict, vendor and action.
    assert st["why401/verdict/bot"] == 1
    assert st["why401/vendor/cloudflare"] == 1
    assert st["why401/verdict/auth"] == 1
    assert st["why401/verdict/rate_limit"] == 1
    assert st["why401/verdict/forbidden"] == 1
    assert st["why401/verdict/proxy_auth"] == 1
    assert st["why401/action/rotate_session"] == 1
    assert st["why401/action/refresh_credentials"] == 1
    assert st["why401/action/slow_down"] == 1
    assert st["why401/action/stop"] == 1
    assert st["why401/action/fix_proxy"] == 1
    assert st["why401/rotated"] == 1  # a new session for the bot block only
    assert st["why401/refreshed"] == 1 and got["refreshed"] == 1
    assert st["why401/slowed"] == 1 and st["why401/slowed_seconds"] == 1  # the server's Retry-After: 1
    assert st["why401/slot_delayed"] == 1  # the host's download slot held the retry back
    assert st["why401/ignored"] == 2
    assert "why401/errors" not in st and "why401/gave_up" not in st

    urls = {i["url"].split("?")[0].rsplit("/", 1)[-1]: i for i in got["items"]}
    for page in ("bot", "bearer", "slow", "ok"):
        assert urls[page]["status"] == 200, got["items"]
    assert urls["nothing"]["status"] == 404 and urls["nothing"]["action"] == "none"
    assert [u.rsplit("/", 1)[-1] for u in got["dropped"]] == ["forbidden", "proxy-407"]

    log = server.log
    bot = [e for e in log if e["path"] == "/bot?k=scrapy"]
    assert len(bot) == 2
    assert "__cf_bm=scrapy-blocked" not in cookies_of(bot[1]), "the blocked session's cookie went with the retry"
    assert got["rotations"] == 1 and dict(bot[1]["headers"]).get("User-Agent") == "why401-test/2"
    bearer = [e for e in log if e["path"] == "/bearer"]
    assert len(bearer) == 2
    assert dict(bearer[1]["headers"]).get("Authorization") == "Bearer fresh-token"
    assert "app=1" in cookies_of(bearer[1]), "the session was kept on auth"
    slow = [e for e in log if e["path"] == "/slow?k=scrapy"]
    assert len(slow) == 2


def test_ban_policy_for_rotating_proxies():
    from scrapy.http import HtmlResponse, Request

    from server import load

    from why401.scrapy import BanPolicy

    policy = BanPolicy()

    def response(name, url="https://shop.example/p"):
        status, fields, body = load(name)
        req = Request(url)
        return req, HtmlResponse(url, status=status, headers=fields, body=body, request=req)

    req, resp = response("challenge")
    assert policy.response_is_ban(req, resp) is True
    assert req.meta["why401"].exchange.vendor == "cloudflare"  # the middleware reuses it
    for name in ("bearer-expired", "rate-limit", "forbidden", "ok"):
        assert policy.response_is_ban(*response(name)) is False, name
    assert policy.exception_is_ban(req, TimeoutError()) is None


def test_settings_enable_and_choose_statuses():
    """WHY401_ENABLED turns the middleware off; WHY401_STATUSES chooses what
    is analysed (others pass untouched, uncounted); WHY401_MAX_ROTATIONS
    bounds the new sessions a request gets before it is dropped."""
    import pytest
    from scrapy import Spider
    from scrapy.exceptions import IgnoreRequest, NotConfigured
    from scrapy.http import HtmlResponse, Request
    from scrapy.utils.test import get_crawler

    from server import load

    from why401.scrapy import Why401Middleware

    def middleware(**settings):
        crawler = get_crawler(Spider, settings_dict=settings)
        crawler.spider = crawler._create_spider("s")
        crawler.stats.open_spider(crawler.spider)
        return Why401Middleware.from_crawler(crawler), crawler

    def response(name, meta=None):
        status, fields, body = load(name)
        req = Request("https://shop.example/p", meta=meta or {})
        return req, HtmlResponse(req.url, status=status, headers=fields, body=body, request=req)

    with pytest.raises(NotConfigured):
        middleware(WHY401_ENABLED=False)

    mw, crawler = middleware(WHY401_STATUSES=[429])
    req, resp = response("challenge")
    assert mw.process_response(req, resp, crawler.spider) is resp  # a 403, not chosen
    assert crawler.stats.get_value("why401/analyzed") is None
    req, resp = response("rate-limit")
    out = mw.process_response(req, resp, crawler.spider)
    assert isinstance(out, Request) and out.meta["why401_rate_retries"] == 1, out.meta
    assert crawler.stats.get_value("why401/verdict/rate_limit") == 1

    mw, crawler = middleware(WHY401_MAX_ROTATIONS=1)
    req, resp = response("challenge")
    new = mw.process_response(req, resp, crawler.spider)
    assert isinstance(new, Request) and new.meta["why401_rotations"] == 1
    with pytest.raises(IgnoreRequest):
        mw.process_response(new, HtmlResponse(new.url, status=resp.status, headers=resp.headers, body=resp.body, request=new), crawler.spider)
    assert crawler.stats.get_value("why401/gave_up") == 1 and crawler.stats.get_value("why401/rotated") == 1
