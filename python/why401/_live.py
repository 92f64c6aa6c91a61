"""Live responses of requests and httpx as the structured exchanges of
``why401 stream``: the request as sent, the redirect chain, the start of the
body. The caller's response stays usable: a body already read is only
looked at; an unread (streamed) body has its start read and put back."""

from __future__ import annotations

import base64
import collections
import threading
from typing import Any, Dict, Iterator, List, Optional, Tuple
from urllib.parse import urljoin, urlsplit

#: How much of a body is read: the analyzer's own per-body limit, 256 KiB.
DEFAULT_BODY_LIMIT = 256 << 10

#: The longest redirect chain followed back (requests and httpx stop at 30 and 20).
MAX_HOPS = 20

Hop = Dict[str, Any]
Pairs = List[List[str]]

# Headers a decoded body no longer matches.
_DECODED = ("content-encoding", "content-length", "transfer-encoding")


def _body_fields(body: Optional[bytes]) -> Dict[str, Any]:
    if not body:
        return {}
    try:
        return {"body": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(body).decode("ascii")}


def hop(
    method: str,
    url: str,
    request_headers: Pairs,
    status: int,
    reason: str,
    response_headers: Pairs,
    body: Optional[bytes] = None,
    http_version: str = "",
    truncated: bool = False,
    request_body: Optional[bytes] = None,
    time: Optional[str] = None,
) -> Hop:
    """One exchange as a line of why401 stream wants it."""
    req: Dict[str, Any] = {"method": method or "GET", "url": url, "headers": request_headers}
    if http_version:
        req["http_version"] = http_version
    resp: Dict[str, Any] = {"status": int(status), "reason": reason or "", "headers": response_headers}
    if http_version:
        resp["http_version"] = http_version
    resp.update(_body_fields(body))
    if truncated:
        resp["body_truncated"] = True
    out: Hop = {"request": req, "response": resp}
    if time:
        out["time"] = time
    return out


def pairs(headers: Any) -> Pairs:
    """[name, value] pairs from a mapping, a multi-item header object or pairs."""
    if headers is None:
        return []
    if hasattr(headers, "multi_items"):  # httpx.Headers
        return [[str(k), str(v)] for k, v in headers.multi_items()]
    items = headers.items() if hasattr(headers, "items") else headers
    out: Pairs = []
    for k, v in items:
        if isinstance(k, bytes):
            k = k.decode("latin-1")
        if isinstance(v, (list, tuple)):
            out.extend([str(k), _s(x)] for x in v)
        else:
            out.append([str(k), _s(v)])
    return out


def _s(v: Any) -> str:
    return v.decode("latin-1") if isinstance(v, bytes) else str(v)


def _without_decoded(hs: Pairs) -> Pairs:
    return [p for p in hs if p[0].lower() not in _DECODED]


def _version(n: Any) -> str:
    return {10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}.get(n, "") if isinstance(n, int) else ""


def _with_host(url: str, hs: Pairs) -> Pairs:
    # requests and http.client add Host below the headers the request holds.
    if any(p[0].lower() == "host" for p in hs):
        return hs
    host = urlsplit(url).netloc.rsplit("@", 1)[-1]
    return [["Host", host]] + hs if host else hs


# ---- requests ---------------------------------------------------------------


class _Replay:
    """A requests response's raw after its start was read: that start first,
    then the rest, both decoded (Content-Encoding undone)."""

    def __init__(self, head: bytes, raw: Any):
        self._head = head
        self._raw = raw

    def read(self, amt: Optional[int] = None, decode_content: Any = None, **kw: Any) -> bytes:
        if self._head:
            if amt is None:
                out, self._head = self._head + self._raw.read(decode_content=True), b""
                return out
            out, self._head = self._head[:amt], self._head[amt:]
            return out
        return self._raw.read(amt, decode_content=True) if amt is not None else self._raw.read(decode_content=True)

    def stream(self, amt: int = 2 ** 16, decode_content: Any = None) -> Iterator[bytes]:
        while True:
            chunk = self.read(amt)
            if not chunk:
                return
            yield chunk

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


#: a body as read for the analysis: (its start, truncated, decoded)
Peeked = Tuple[Optional[bytes], bool, bool]


def _requests_body(resp: Any, limit: int) -> Peeked:
    """(body start, truncated, decoded) of a requests.Response."""
    content = getattr(resp, "_content", False)
    if content is not False:
        body = content or b""
        return body[:limit], len(body) > limit, True
    raw = getattr(resp, "raw", None)
    if raw is None or not hasattr(raw, "read"):
        return None, False, True
    try:
        head = raw.read(limit, decode_content=True) or b""
    except Exception:  # a body that fails mid-way: analyse without it
        return None, False, True
    more = len(head) >= limit
    resp.raw = _Replay(head, raw)
    return head[:limit], more, True


def _requests_response_headers(resp: Any) -> Pairs:
    raw = getattr(resp, "raw", None)
    raw = getattr(raw, "_raw", raw)
    h = getattr(raw, "headers", None)
    if h is not None and hasattr(h, "items"):
        return pairs(h)  # urllib3 keeps each Set-Cookie apart
    return pairs(resp.headers)


def requests_hop(resp: Any, limit: int, with_body: bool, time: Optional[str]) -> Hop:
    req = resp.request
    url = getattr(req, "url", None) or resp.url
    body, truncated, decoded = (None, False, False)
    if with_body:
        body, truncated, decoded = _requests_body(resp, limit)
    rh = _requests_response_headers(resp)
    if body is not None and decoded:
        rh = _without_decoded(rh)
    return hop(
        getattr(req, "method", "GET"), url, _with_host(url, pairs(getattr(req, "headers", None))),
        resp.status_code, resp.reason or "", rh, body, _version(getattr(getattr(resp, "raw", None), "version", None)),
        truncated, time=time,
    )


def requests_hops(resp: Any, limit: int, time: Optional[str]) -> List[Hop]:
    hops = [requests_hop(h, limit, False, time) for h in list(getattr(resp, "history", None) or [])[-(MAX_HOPS - 1):]]
    return hops + [requests_hop(resp, limit, True, time)]


# ---- httpx ------------------------------------------------------------------


def _httpx_stream_class() -> Any:
    import httpx

    class ReplayStream(httpx.SyncByteStream):
        """An httpx response's raw stream after its start was read."""

        def __init__(self, head: List[bytes], rest: Iterator[bytes], orig: Any):
            self._head, self._rest, self._orig = head, rest, orig

        def __iter__(self) -> Iterator[bytes]:
            head, self._head = self._head, []
            yield from head
            yield from self._rest

        def close(self) -> None:
            self._orig.close()

    return ReplayStream


def _no_peek(resp: Any, limit: int, iter_attr: str) -> Optional[Peeked]:
    """What _httpx_body answers without reading (None when it must read):
    the content when it was read, nothing when the stream is gone or cannot
    be iterated by iter_attr (__iter__ or __aiter__)."""
    if hasattr(resp, "_content"):
        return resp._content[:limit], len(resp._content) > limit, True
    stream = getattr(resp, "stream", None)
    if stream is None or getattr(resp, "is_stream_consumed", False) or not hasattr(stream, iter_attr):
        return None, False, True
    return None


def _put_back(resp: Any, replay: Any, head: List[bytes], rest: Any, ended: bool, limit: int) -> Peeked:
    """Puts the chunks read (head) back before the rest of resp's stream."""
    resp.stream = replay(head, rest, resp.stream)
    body = b"".join(head)
    return body[:limit], not ended, False


def _httpx_body(resp: Any, limit: int) -> Peeked:
    """(body start, truncated, decoded) of an httpx.Response: the decoded
    content when it was read, else the start of the raw stream (its
    Content-Encoding kept: the analyzer undoes gzip and deflate)."""
    done = _no_peek(resp, limit, "__iter__")
    if done is not None:
        return done
    it = iter(resp.stream)
    head: List[bytes] = []
    n = 0
    ended = False
    try:
        while n < limit:
            chunk = next(it, None)
            if chunk is None:
                ended = True
                break
            head.append(chunk)
            n += len(chunk)
    except Exception:  # a body that fails mid-way: analyse what arrived
        ended = True
    return _put_back(resp, _httpx_stream_class(), head, it, ended, limit)


def _httpx_async_stream_class() -> Any:
    import httpx

    class AsyncReplayStream(httpx.AsyncByteStream):
        """An httpx async response's raw stream after its start was read."""

        def __init__(self, head: List[bytes], rest: Any, orig: Any):
            self._head, self._rest, self._orig = head, rest, orig

        async def __aiter__(self) -> Any:
            head, self._head = self._head, []
            for chunk in head:
                yield chunk
            async for chunk in self._rest:
                yield chunk

        async def aclose(self) -> None:
            await self._orig.aclose()

    return AsyncReplayStream


async def httpx_body_async(resp: Any, limit: int) -> Peeked:
    """_httpx_body for an httpx.AsyncClient's response."""
    done = _no_peek(resp, limit, "__aiter__")
    if done is not None:
        return done
    it = resp.stream.__aiter__()
    head: List[bytes] = []
    n = 0
    ended = False
    try:
        while n < limit:
            try:
                chunk = await it.__anext__()
            except StopAsyncIteration:
                ended = True
                break
            head.append(chunk)
            n += len(chunk)
    except Exception:  # a body that fails mid-way: analyse what arrived
        ended = True
    return _put_back(resp, _httpx_async_stream_class(), head, it, ended, limit)


def httpx_hop(request: Any, resp: Any, limit: int, with_body: bool, time: Optional[str], peeked: Any = None) -> Hop:
    body, truncated, decoded = (None, False, False)
    if peeked is not None:
        body, truncated, decoded = peeked
    elif with_body:
        body, truncated, decoded = _httpx_body(resp, limit)
    rh = pairs(resp.headers)
    if body is not None and decoded:
        rh = _without_decoded(rh)
    url = str(request.url) if request is not None else ""
    return hop(
        request.method if request is not None else "GET", url, pairs(request.headers) if request is not None else [],
        resp.status_code, getattr(resp, "reason_phrase", "") or "", rh, body, getattr(resp, "http_version", "") or "",
        truncated, time=time,
    )


def httpx_hops(resp: Any, limit: int, time: Optional[str], request: Any = None, peeked: Any = None) -> List[Hop]:
    if request is None:
        request = resp.request
    hops = [httpx_hop(h.request, h, limit, False, time) for h in list(getattr(resp, "history", None) or [])[-(MAX_HOPS - 1):]]
    return hops + [httpx_hop(request, resp, limit, True, time, peeked)]


# ---- redirect chains seen one hop at a time (hooks, transports) --------------


class Chains:
    """Redirects a hook or transport saw, by the URL they point to, so that
    the response at the end of a chain is analysed with the hops before it
    (a redirect that dropped Authorization): requests and httpx call their
    hooks before they set the response's history. Bounded: the 512 newest."""

    def __init__(self, size: int = 512):
        self._size = size
        self._by_target: "collections.OrderedDict[str, List[Hop]]" = collections.OrderedDict()
        self._lock = threading.Lock()

    def remember(self, url: str, location: str, h: Hop) -> None:
        target = urljoin(url, location).split("#", 1)[0]
        with self._lock:
            before = self._by_target.pop(url.split("#", 1)[0], [])
            self._by_target[target] = (before + [h])[-(MAX_HOPS - 1):]
            while len(self._by_target) > self._size:
                self._by_target.popitem(last=False)

    def take(self, url: str) -> List[Hop]:
        with self._lock:
            return self._by_target.pop(url.split("#", 1)[0], [])
