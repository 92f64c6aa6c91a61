"""A Scrapy downloader middleware that lets the response, not its status
code, decide what the crawl does about a 401, 403, 407, 429 or 503.

    # settings.py
    DOWNLOADER_MIDDLEWARES = {"why401.scrapy.Why401Middleware": 560}

Each response whose status is selected (WHY401_STATUSES; default every
status ≥ 400, and 202) is analysed, and by its action:

- rotate_session (bot): the session is retired — a new cookie jar
  (``meta["cookiejar"]``), the proxy a rotation middleware chose dropped
  (``meta["proxy"]`` when ``meta["_rotating_proxy"]`` is set), the spider's
  ``why401_rotate_session(request, result)`` or WHY401_ROTATE_SESSION called
  when present — and the request retried, at most WHY401_MAX_ROTATIONS times;
- refresh_credentials (auth): the spider's
  ``why401_refresh_credentials(request, result)`` or WHY401_REFRESH_CREDENTIALS
  is called; it returns the request to send (with the new credential) or
  None to resend the request as it is; retried once. Without a hook the
  request is dropped;
- slow_down (rate_limit): the request's download slot waits the server's
  wait (WHY401_DEFAULT_DELAY when it gave none, at most WHY401_MAX_DELAY),
  then the request is retried, at most WHY401_MAX_RATE_RETRIES times;
- stop (forbidden, a scope…), fix_proxy: the request is dropped
  (IgnoreRequest with the report's summary);
- retry (a handshake step) and none: the response goes on as it came (the
  RetryMiddleware and the spider see it as before).

The result is in ``response.meta["why401"]`` for the spider. Stats:
``why401/analyzed``, ``why401/verdict/<verdict>``, ``why401/vendor/<vendor>``,
``why401/action/<action>``, ``why401/rotated``, ``why401/refreshed``,
``why401/slowed`` (``why401/slot_delayed`` when its slot was found), ``why401/ignored``, ``why401/gave_up``, ``why401/errors``.

Place it below RetryMiddleware (550) and above HttpCompressionMiddleware
(590), so it reads decoded bodies and decides before a status-code retry;
560 does. With scrapy-rotating-proxies, set
``ROTATING_PROXY_BAN_POLICY = "why401.scrapy.BanPolicy"``: a proxy is then
taken for banned on bot verdicts only.
"""

from __future__ import annotations

import itertools
import logging
import time
from typing import Any, Callable, Dict, Optional

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.misc import load_object

from . import DEFAULT_BODY_LIMIT, Result, _live, _result
from .errors import Why401Error
from .hooks import _selector, failing
from .vocab import Action

logger = logging.getLogger(__name__)

__all__ = ["Why401Middleware", "BanPolicy", "analyze_response"]

_META = "why401"
_jars = itertools.count(1)


def _text(v: Any) -> str:
    return v.decode("latin-1") if isinstance(v, bytes) else str(v)


def analyze_response(request: Any, response: Any, *, body_limit: int = DEFAULT_BODY_LIMIT, max_wait: Optional[float] = None, stream: Any = None) -> Result:
    """Analyses a Scrapy response with the request as it was sent (its
    headers, cookies included). The body Scrapy hands over is decoded."""
    url = request.url
    req_headers = [[_text(k), _text(v)] for k, vs in request.headers.items() for v in vs]
    resp_headers = [[_text(k), _text(v)] for k, vs in response.headers.items() for v in vs]
    body = response.body or b""
    h = _live.hop(
        request.method, url, _live._with_host(url, req_headers), response.status, "",
        _live._without_decoded(resp_headers), body[:body_limit], getattr(response, "protocol", None) or "",
        len(body) > body_limit, time=None,
    )
    return _result([h], stream, max_wait)


def _cached(request: Any, response: Any) -> Optional[Result]:
    r = request.meta.get(_META)
    return r if isinstance(r, Result) and request.meta.get("_why401_status") == response.status and request.meta.get("_why401_url") == response.url else None


def _analyze_once(request: Any, response: Any, body_limit: int, max_wait: Optional[float]) -> Result:
    r = _cached(request, response)
    if r is None:
        r = analyze_response(request, response, body_limit=body_limit, max_wait=max_wait)
        request.meta[_META] = r
        request.meta["_why401_status"] = response.status
        request.meta["_why401_url"] = response.url
    return r


def _hook(settings: Any, name: str) -> Optional[Callable[..., Any]]:
    v = settings.get(name)
    if not v:
        return None
    return load_object(v) if isinstance(v, str) else v


class Why401Middleware:
    """The downloader middleware (see the module's documentation for the settings)."""

    def __init__(self, crawler: Any):
        s = crawler.settings
        if not s.getbool("WHY401_ENABLED", True):
            raise NotConfigured
        self.crawler = crawler
        self.stats = crawler.stats
        statuses = s.getlist("WHY401_STATUSES") if s.get("WHY401_STATUSES") is not None else None
        self.select: Callable[[int], bool] = _selector(statuses)
        self.max_rotations = s.getint("WHY401_MAX_ROTATIONS", 3)
        self.max_rate_retries = s.getint("WHY401_MAX_RATE_RETRIES", 3)
        self.default_delay = s.getfloat("WHY401_DEFAULT_DELAY", 5.0)
        self.max_delay = s.getfloat("WHY401_MAX_DELAY", 60.0)
        self.body_limit = s.getint("WHY401_BODY_LIMIT", DEFAULT_BODY_LIMIT)
        self.refresh_hook = _hook(s, "WHY401_REFRESH_CREDENTIALS")
        self.rotate_hook = _hook(s, "WHY401_ROTATE_SESSION")

    @classmethod
    def from_crawler(cls, crawler: Any) -> "Why401Middleware":
        mw = cls(crawler)
        crawler.signals.connect(mw._closed, signal=signals.spider_closed)
        return mw

    def _closed(self, spider: Any) -> None:
        pass  # the coprocess is shared by the process and closed at exit

    def _inc(self, key: str, n: float = 1) -> None:
        self.stats.inc_value("why401/" + key, n)

    def process_response(self, request: Any, response: Any, spider: Any) -> Any:
        if not self.select(response.status) or request.meta.get("why401_skip"):
            return response
        try:
            res = _analyze_once(request, response, self.body_limit, self.max_delay)
        except Why401Error as e:
            self._inc("errors")
            # No URL in the log: a query string may hold a token.
            logger.warning("why401: the analysis of an HTTP %d failed (%s); the response goes on as it came", response.status, e.__class__.__name__)
            return response
        self._inc("analyzed")
        self._inc("verdict/" + res.verdict)
        if res.exchange.vendor:
            self._inc("vendor/" + res.exchange.vendor)
        self._inc("action/" + res.action)
        if res.action == Action.ROTATE_SESSION:
            return self._rotate(request, response, res, spider)
        if res.action == Action.REFRESH_CREDENTIALS:
            return self._refresh(request, response, res, spider)
        if res.action == Action.SLOW_DOWN:
            return self._slow_down(request, response, res, spider)
        if res.action in (Action.STOP, Action.FIX_PROXY):
            self._inc("ignored")
            raise IgnoreRequest("why401: %s" % res)
        return response

    def _retry(self, request: Any, key: str, meta: Optional[Dict[str, Any]] = None) -> Any:
        m = dict(request.meta)
        for k in (_META, "_why401_status", "_why401_url"):
            m.pop(k, None)
        m[key] = m.get(key, 0) + 1
        if meta:
            m.update(meta)
        return request.replace(meta=m, dont_filter=True)

    def _give_up(self, res: Result, why: str) -> None:
        self._inc("gave_up")
        raise IgnoreRequest("why401: %s (%s)" % (res, why))

    def _rotate(self, request: Any, response: Any, res: Result, spider: Any) -> Any:
        if request.meta.get("why401_rotations", 0) >= self.max_rotations:
            self._give_up(res, "blocked after %d new sessions" % self.max_rotations)
        meta: Dict[str, Any] = {"cookiejar": "why401-%d" % next(_jars)}
        new = self._retry(request, "why401_rotations", meta)
        if new.meta.get("_rotating_proxy"):
            new.meta.pop("proxy", None)
            new.meta.pop("download_slot", None)
        method = getattr(spider, "why401_rotate_session", None)
        out = None
        if method is not None:
            out = method(new, res)
        elif self.rotate_hook is not None:
            out = self.rotate_hook(new, res, spider)
        if out is not None:
            new = out
        self._inc("rotated")
        return new

    def _refresh(self, request: Any, response: Any, res: Result, spider: Any) -> Any:
        method = getattr(spider, "why401_refresh_credentials", None)
        if method is None and self.refresh_hook is None:
            self._give_up(res, "no credentials hook: define why401_refresh_credentials on the spider or set WHY401_REFRESH_CREDENTIALS")
        if request.meta.get("why401_refreshes", 0) >= 1:
            self._give_up(res, "the refreshed credentials were rejected too")
        new = self._retry(request, "why401_refreshes")
        out = method(new, res) if method is not None else self.refresh_hook(new, res, spider)  # type: ignore[misc]
        if out is not None:
            new = out
            new.meta["why401_refreshes"] = request.meta.get("why401_refreshes", 0) + 1
            new.dont_filter = True
        self._inc("refreshed")
        return new

    def _slow_down(self, request: Any, response: Any, res: Result, spider: Any) -> Any:
        if request.meta.get("why401_rate_retries", 0) >= self.max_rate_retries:
            self._give_up(res, "still rate limited after %d waits" % self.max_rate_retries)
        wait = res.wait if res.wait is not None else self.default_delay
        wait = max(0.0, min(wait, self.max_delay))
        self._delay_slot(request, wait)
        self._inc("slowed")
        self._inc("slowed_seconds", wait)
        return self._retry(request, "why401_rate_retries")

    def _delay_slot(self, request: Any, wait: float) -> None:
        """Makes the request's download slot send nothing for wait seconds:
        its delay becomes the wait (not randomised) from now, and is put back
        once the wait is over (unless something else changed it meanwhile)."""
        engine = getattr(self.crawler, "engine", None)
        downloader = getattr(engine, "downloader", None)
        if downloader is None or wait <= 0:
            return
        key = request.meta.get("download_slot")
        if key is None:
            get = getattr(downloader, "get_slot_key", None)  # Scrapy ≥ 2.12
            key = get(request) if get is not None else downloader._get_slot_key(request, None)
        slot = downloader.slots.get(key)
        if slot is None:
            return
        self._inc("slot_delayed")
        old = (slot.delay, slot.randomize_delay)
        slot.delay, slot.randomize_delay = max(slot.delay, wait), False
        slot.lastseen = time.time()
        from twisted.internet import reactor

        def restore() -> None:
            if slot.delay == max(old[0], wait):
                slot.delay, slot.randomize_delay = old

        reactor.callLater(wait, restore)


class BanPolicy:
    """A ban policy for scrapy-rotating-proxies (ROTATING_PROXY_BAN_POLICY):
    a response is a ban when why401 judges it a bot block, not because of
    its status code. Exceptions (timeouts, refused connections) are left to
    the proxy middleware's own judgement (None)."""

    def __init__(self, body_limit: int = DEFAULT_BODY_LIMIT):
        self.body_limit = body_limit

    def response_is_ban(self, request: Any, response: Any) -> bool:
        if not failing(response.status):
            return False
        try:
            return _analyze_once(request, response, self.body_limit, None).action == Action.ROTATE_SESSION
        except Why401Error:
            return False

    def exception_is_ban(self, request: Any, exception: Any) -> Optional[bool]:
        return None
