"""requests and httpx hooks, and an httpx transport, that analyse failing
responses as they arrive, attach the Result (``response.why401``) and can
raise the exception of its action.

    session = requests.Session()
    session.hooks["response"].append(why401.requests_hook(raise_for=True))

    client = httpx.Client(event_hooks={"response": [why401.httpx_hook()]})
    client = httpx.Client(transport=why401.Transport())
"""

from __future__ import annotations

from typing import Any, Callable, Collection, Optional, Union

from . import _live
from .vocab import Action

Selector = Union[None, Collection[int], Callable[[int], bool]]
RaiseFor = Union[bool, Collection[str]]


def failing(status: int) -> bool:
    """The default selection: status ≥ 400, or 202 (AWS WAF's challenge); Go's httpcheck.Failing."""
    return status >= 400 or status == 202


def _selector(statuses: Selector) -> Callable[[int], bool]:
    if statuses is None:
        return failing
    if callable(statuses):
        return statuses
    chosen = frozenset(int(s) for s in statuses)
    return lambda s: s in chosen


def _raises(raise_for: RaiseFor, action: str) -> bool:
    if action == Action.NONE:
        return False
    if raise_for is True:
        return True
    if raise_for is False or raise_for is None:
        return False
    return action in raise_for  # type: ignore[operator]


def _is_redirect(status: int, headers: Any) -> bool:
    return 300 <= status < 400 and headers.get("location") is not None


class _Hook:
    """What every hook and transport does, for requests (httpx False) and httpx alike."""

    def __init__(self, httpx: bool, statuses: Selector, raise_for: RaiseFor, body_limit: int, max_wait: Optional[float], stream: Any):
        self.httpx = httpx
        self.select = _selector(statuses)
        self.raise_for = raise_for
        self.body_limit = body_limit
        self.max_wait = max_wait
        self.stream = stream
        self.chains = _live.Chains()

    def selected(self, response: Any, request: Any = None) -> bool:
        """Whether to analyse response (to request, default response.request):
        not a redirect (its hop is kept for the failing response it leads
        to), and a selected status."""
        req = request if request is not None else response.request
        if _is_redirect(response.status_code, response.headers):
            if self.httpx:
                hop = _live.httpx_hop(req, response, self.body_limit, False, None)
            else:
                hop = _live.requests_hop(response, self.body_limit, False, None)
            self.chains.remember(str(req.url), response.headers["location"], hop)
            return False
        return self.select(response.status_code)

    def _args(self, response: Any, request: Any) -> Any:
        url = str(request.url if request is not None else response.url)
        return dict(body_limit=self.body_limit, max_wait=self.max_wait, stream=self.stream, _before=self.chains.take(url), _request=request)

    def _attach(self, response: Any, res: Any) -> None:
        from .errors import exception_for

        response.why401 = res
        if _raises(self.raise_for, res.action):
            exc = exception_for(res, response)
            if exc is not None:
                raise exc

    def act(self, response: Any, request: Any = None) -> None:
        from . import from_response
        from .errors import Why401Error

        try:
            res = from_response(response, **self._args(response, request))
        except Why401Error:
            return  # the analysis never fails the caller's request
        self._attach(response, res)

    async def act_async(self, response: Any, request: Any = None) -> None:
        from . import from_response_async
        from .errors import Why401Error

        try:
            res = await from_response_async(response, **self._args(response, request))
        except Why401Error:
            return
        self._attach(response, res)


class _RequestsHook(_Hook):
    def __call__(self, response: Any, *args: Any, **kwargs: Any) -> None:
        if self.selected(response):
            self.act(response)


def requests_hook(
    *,
    statuses: Selector = None,
    raise_for: RaiseFor = False,
    body_limit: int = _live.DEFAULT_BODY_LIMIT,
    max_wait: Optional[float] = None,
    stream: Any = None,
) -> Callable[..., None]:
    """A requests response hook (``session.hooks["response"].append(...)``,
    or ``hooks={"response": ...}`` on one call). Each selected response
    (statuses: a collection of codes or a predicate; default status ≥ 400 or
    202) is analysed with the redirects that led to it, and gets its Result
    as ``response.why401``. raise_for: True raises the action's exception
    (RotateSessionError, SlowDownError, …) for every action but none, or a
    collection of actions raises for those only; the exception carries the
    result and the response. An analysis that fails leaves the response as
    it was."""
    return _RequestsHook(False, statuses, raise_for, body_limit, max_wait, stream)


class _HTTPXHook(_Hook):
    def __call__(self, response: Any) -> None:
        if self.selected(response):
            self.act(response, response.request)


def httpx_hook(
    *,
    statuses: Selector = None,
    raise_for: RaiseFor = False,
    body_limit: int = _live.DEFAULT_BODY_LIMIT,
    max_wait: Optional[float] = None,
    stream: Any = None,
) -> Callable[[Any], None]:
    """An httpx response event hook (``httpx.Client(event_hooks={"response":
    [why401.httpx_hook()]})``), as requests_hook. httpx calls it before the
    body is read: the body's start is read and put back, so the response
    reads whole as before (streamed ones too)."""
    return _HTTPXHook(True, statuses, raise_for, body_limit, max_wait, stream)


class _HTTPXAsyncHook(_Hook):
    async def __call__(self, response: Any) -> None:
        if self.selected(response):
            await self.act_async(response, response.request)


def httpx_async_hook(
    *,
    statuses: Selector = None,
    raise_for: RaiseFor = False,
    body_limit: int = _live.DEFAULT_BODY_LIMIT,
    max_wait: Optional[float] = None,
    stream: Any = None,
) -> Callable[[Any], Any]:
    """httpx_hook for an ``httpx.AsyncClient`` (its event hooks are coroutines)."""
    return _HTTPXAsyncHook(True, statuses, raise_for, body_limit, max_wait, stream)


try:
    from httpx import AsyncBaseTransport as _AsyncTransportBase
    from httpx import BaseTransport as _TransportBase
except ImportError:  # httpx is optional: the transports then cannot be made
    _TransportBase = object  # type: ignore[misc,assignment]
    _AsyncTransportBase = object  # type: ignore[misc,assignment]


class _Wrapper:
    """The part Transport and AsyncTransport share: the transport wrapped
    (default httpx.<_default>()) and the hook that analyses its responses."""

    _default = ""

    def __init__(
        self,
        transport: Any = None,
        *,
        statuses: Selector = None,
        raise_for: RaiseFor = False,
        body_limit: int = _live.DEFAULT_BODY_LIMIT,
        max_wait: Optional[float] = None,
        stream: Any = None,
    ):
        import httpx

        self.transport = transport if transport is not None else getattr(httpx, self._default)()
        self._hook = _Hook(True, statuses, raise_for, body_limit, max_wait, stream)


def _extend(response: Any) -> Any:
    res = getattr(response, "why401", None)
    if res is not None:
        response.extensions["why401"] = res
    return response


class Transport(_Wrapper, _TransportBase):  # type: ignore[misc,valid-type]
    """An httpx transport that analyses each selected response of the one it
    wraps (default ``httpx.HTTPTransport()``): ``httpx.Client(transport=why401.Transport())``.
    The response gets its Result as ``response.why401`` (and in
    ``response.extensions["why401"]``); with raise_for the action's
    exception is raised from the client's send, as with the hooks. The client
    follows redirects above the transport: each hop passes through, and a
    failing hop is analysed with the redirects before it."""

    _default = "HTTPTransport"

    def handle_request(self, request: Any) -> Any:
        response = self.transport.handle_request(request)
        if self._hook.selected(response, request):
            try:
                self._hook.act(response, request)
            except BaseException:
                response.close()
                raise
        return _extend(response)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> "Transport":
        self.transport.__enter__()
        return self

    def __exit__(self, *args: Any) -> None:
        self.transport.__exit__(*args)


class AsyncTransport(_Wrapper, _AsyncTransportBase):  # type: ignore[misc,valid-type]
    """Transport for an ``httpx.AsyncClient`` (default ``httpx.AsyncHTTPTransport()``)."""

    _default = "AsyncHTTPTransport"

    async def handle_async_request(self, request: Any) -> Any:
        response = await self.transport.handle_async_request(request)
        if self._hook.selected(response, request):
            try:
                await self._hook.act_async(response, request)
            except BaseException:
                await response.aclose()
                raise
        return _extend(response)

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def __aenter__(self) -> "AsyncTransport":
        await self.transport.__aenter__()
        return self

    async def __aexit__(self, *args: Any) -> None:
        await self.transport.__aexit__(*args)


__all__ = ["requests_hook", "httpx_hook", "httpx_async_hook", "Transport", "AsyncTransport", "failing"]
