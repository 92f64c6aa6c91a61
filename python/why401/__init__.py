"""why401: was that 401 a real authentication failure or a bot block?

The why401 analyzer (a Go binary shipped in this wheel, run as one
long-lived coprocess) reads a captured or live HTTP exchange and says
whether a 401/403/407/429/… is a genuine authentication failure, a bot block
in disguise, a rate limit, a permission refusal or a proxy refusal, with the
evidence, the fixes and the next step:

    >>> import why401
    >>> result = why401.from_response(requests.get(url))   # or an httpx.Response
    >>> result.action, result.wait
    ('slow_down', 30.0)

``analyze(capture)`` reads pasted text, bytes, a HAR dict or a file path.
Hooks for requests and httpx, an httpx transport and a Scrapy downloader
middleware (why401.scrapy) act on the verdict. Reports show credentials as
fingerprints only; nothing is logged, nothing leaves the process but to the
coprocess on this machine.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _live
from ._process import DEFAULT_TIMEOUT, MAX_LINE_BYTES, Stream, default_stream, find_binary, one_shot
from ._process import _TooLong
from .errors import (
    ActionRequired,
    AnalysisError,
    FixProxyError,
    ProcessError,
    RefreshCredentialsError,
    RetryError,
    RotateSessionError,
    SlowDownError,
    StopError,
    Why401Error,
    exception_for,
)
from . import errors as _errors, report as _report, vocab as _vocab
from .report import (
    BlockInfo,
    Evidence,
    ExchangeReport,
    FailureInfo,
    Fix,
    HostSummary,
    InputInfo,
    Reference,
    Report,
    ServerMessage,
    Snippet,
    Summary,
)
from .vocab import ACTION_TABLE, Action, Cause, Verdict

__version__ = "0.1.0"

#: How much of a response body is read: the analyzer's own limit, 256 KiB.
DEFAULT_BODY_LIMIT = _live.DEFAULT_BODY_LIMIT

#: The longest Result.wait, in seconds: a server that asks for more
#: (Retry-After: 4294967295 is 136 years) is waited on this long, then asked
#: again. Go's httpcheck.DefaultMaxWait and npm's DEFAULT_MAX_WAIT_MS are the same.
DEFAULT_MAX_WAIT = 3600.0

__all__ = [
    "analyze",
    "from_response",
    "from_response_async",
    "from_parts",
    "action_for",
    "result_of",
    "Result",
    "Stream",
    "find_binary",
    "DEFAULT_BODY_LIMIT",
    "DEFAULT_MAX_WAIT",
    "requests_hook",
    "httpx_hook",
    "httpx_async_hook",
    "Transport",
    "AsyncTransport",
    *_report.__all__,
    *_vocab.__all__,
    *_errors.__all__,
]


def action_for(verdict: str, cause: Optional[str] = None) -> str:
    """The action of a verdict with its cause, by the analyzer's own table
    (every report's ``action`` follows it)."""
    row = ACTION_TABLE.get(verdict)
    if row is None:
        return Action.NONE
    return row.get(cause or "", row["*"]) if cause else row["*"]


Capture = Union[str, bytes, bytearray, memoryview, Mapping[str, Any], "os.PathLike[str]"]


def analyze(capture: Capture, *, name: Optional[str] = None, stream: Optional[Stream] = None) -> Report:
    """Reads a capture and returns its report.

    capture is a pasted response (its request before it or not), a
    ``curl -i``/``curl -v`` transcript or a DevTools paste as ``str``; any
    capture's bytes (a HAR, .har.gz, WARC, …) as ``bytes``; a HAR as a dict;
    or a file path (``pathlib.Path``). Raises AnalysisError when nothing
    could be read, ProcessError when the analyzer cannot run.
    """
    s = stream or default_stream()
    obj: Dict[str, Any]
    data: Optional[bytes] = None
    if isinstance(capture, os.PathLike):
        with open(capture, "rb") as f:
            data = f.read()
        name = name if name is not None else os.fspath(capture)
        obj = _bytes_line(data)
    elif isinstance(capture, str):
        obj = {"capture": capture}
    elif isinstance(capture, (bytes, bytearray, memoryview)):
        data = bytes(capture)
        obj = _bytes_line(data)
    elif isinstance(capture, Mapping):
        obj = {"capture": dict(capture)}
    else:
        raise TypeError("why401.analyze wants text, bytes, a HAR dict or a path, not %s" % type(capture).__name__)
    if name is not None:
        obj["name"] = name
    try:
        return Report.from_dict(s.request(obj))
    except _TooLong:
        # Longer than a stream line: the CLI reads it as it reads a file.
        if data is None:
            data = obj["capture"].encode("utf-8") if isinstance(obj.get("capture"), str) else json.dumps(obj["capture"]).encode("utf-8")
        return Report.from_dict(one_shot(s.binary, data, s.timeout))


def _bytes_line(data: bytes) -> Dict[str, Any]:
    try:
        return {"capture": data.decode("utf-8")}
    except UnicodeDecodeError:
        import base64

        return {"capture_base64": base64.b64encode(data).decode("ascii")}


@dataclass(frozen=True)
class Result:
    """The analysis of one live response: the next step as plain values.

    action    what to do (why401.Action: rotate_session, refresh_credentials,
              slow_down, stop, fix_proxy, retry, none)
    verdict   auth, bot, rate_limit, forbidden, proxy_auth, ok, unknown
    cause     what refines it (expired_token, challenge, …) or None
    wait      for slow_down: the seconds the server asked to wait (Retry-After
              or a reset header), at most max_wait; None when it did not say
    exchange  the report on this response (the last hop of report)
    report    the whole report: one exchange per hop of the redirect chain
    """

    action: str
    verdict: str
    cause: Optional[str]
    wait: Optional[float]
    exchange: ExchangeReport
    report: Report

    @property
    def problem(self) -> bool:
        """True when the verdict is not ok."""
        return self.exchange.problem

    def __str__(self) -> str:
        return "%s: %s" % (self.action, self.exchange.summary)

    def raise_for_action(self, response: Any = None) -> None:
        """Raises the exception of the action (RotateSessionError, SlowDownError, …); nothing for none."""
        exc = exception_for(self, response)
        if exc is not None:
            raise exc


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def _wait(ex: ExchangeReport, now: _dt.datetime, max_wait: float) -> Optional[float]:
    """The report's wait: wait_seconds, else wait_until measured from now (the
    response had no Date), at most max_wait; None when the server did not say."""
    w: Optional[float] = None
    if ex.wait_seconds and ex.wait_seconds > 0:
        w = float(ex.wait_seconds)
    elif ex.wait_until:
        try:
            until = _dt.datetime.fromisoformat(ex.wait_until.replace("Z", "+00:00"))
            w = max((until - now).total_seconds(), 0.0)
        except ValueError:
            w = None
    return None if w is None else min(w, max_wait)


def _result(
    hops: Sequence[Dict[str, Any]], stream: Optional[Stream], max_wait: Optional[float], before: Optional[List[Dict[str, Any]]] = None
) -> Result:
    """The Result of the last of hops, read with the redirects before them (a hook's chain)."""
    if before:
        hops = (before + list(hops))[-_live.MAX_HOPS:]
    s = stream or default_stream()
    obj: Dict[str, Any] = {"name": "live response"}
    if len(hops) == 1:
        obj.update(hops[0])
    else:
        obj["exchanges"] = list(hops)
    rep = Report.from_dict(s.request(obj))
    if not rep.exchanges:
        raise AnalysisError("the response could not be read")
    ex = rep.exchanges[-1]
    mw = DEFAULT_MAX_WAIT if max_wait is None or max_wait <= 0 else float(max_wait)
    wait = _wait(ex, _now(), mw) if ex.action == Action.SLOW_DOWN else None
    return Result(action=ex.action, verdict=ex.verdict, cause=ex.cause, wait=wait, exchange=ex, report=rep)


def _stamp() -> str:
    return _now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def from_response(
    response: Any,
    *,
    body_limit: int = DEFAULT_BODY_LIMIT,
    max_wait: Optional[float] = None,
    stream: Optional[Stream] = None,
    _before: Optional[List[Dict[str, Any]]] = None,
    _request: Any = None,
) -> Result:
    """Analyses a ``requests.Response`` or an ``httpx.Response``: the request
    as sent (headers, cookies, credentials), the redirect chain
    (``response.history``), and at most body_limit bytes of the body. The
    response stays usable: a body already read is only looked at; a streamed
    body that was not read has its start read and put back (requests: the
    response's ``raw`` then yields the decoded body). max_wait bounds
    Result.wait (default DEFAULT_MAX_WAIT, one hour)."""
    mod = type(response).__module__.split(".", 1)[0]
    t = _stamp()
    if mod == "requests":
        hops = _live.requests_hops(response, body_limit, t)
    elif mod == "httpx":
        hops = _live.httpx_hops(response, body_limit, t, _request)
    else:
        raise TypeError("why401.from_response reads requests and httpx responses; use from_parts for others")
    return _result(hops, stream, max_wait, _before)


async def from_response_async(
    response: Any,
    *,
    body_limit: int = DEFAULT_BODY_LIMIT,
    max_wait: Optional[float] = None,
    stream: Optional[Stream] = None,
    _before: Optional[List[Dict[str, Any]]] = None,
    _request: Any = None,
) -> Result:
    """from_response for an ``httpx.AsyncClient``'s response: the body's start
    is read without blocking the event loop, and the analysis waits on the
    coprocess in a worker thread."""
    import asyncio

    if type(response).__module__.split(".", 1)[0] != "httpx":
        raise TypeError("why401.from_response_async reads httpx responses")
    peeked = await _live.httpx_body_async(response, body_limit)
    hops = _live.httpx_hops(response, body_limit, _stamp(), _request, peeked)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, _result, hops, stream, max_wait, _before)


def from_parts(
    *,
    url: str,
    status: int,
    method: str = "GET",
    request_headers: Any = None,
    response_headers: Any = None,
    body: Union[bytes, str, None] = None,
    reason: str = "",
    http_version: str = "",
    body_truncated: bool = False,
    body_limit: int = DEFAULT_BODY_LIMIT,
    max_wait: Optional[float] = None,
    stream: Optional[Stream] = None,
) -> Result:
    """Analyses a response of any other client (aiohttp, urllib3, pycurl…):
    what was sent and what came back. Headers are a mapping, a multi-item
    headers object or (name, value) pairs; body is the start of the decoded
    body (at most body_limit bytes are sent)."""
    b = body.encode("utf-8") if isinstance(body, str) else body
    truncated = body_truncated
    if b is not None and len(b) > body_limit:
        b, truncated = b[:body_limit], True
    h = _live.hop(method, url, _live.pairs(request_headers), status, reason, _live.pairs(response_headers), b, http_version, truncated, time=_stamp())
    return _result([h], stream, max_wait)


def result_of(response: Any) -> Optional[Result]:
    """The Result a hook or Transport attached to a response (``response.why401``), or None."""
    return getattr(response, "why401", None)


from .hooks import AsyncTransport, Transport, httpx_async_hook, httpx_hook, requests_hook  # noqa: E402  (they import the above)
