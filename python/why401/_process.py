"""The why401 binary, run as one long-lived coprocess per Python process.

``why401 stream`` reads one JSON input per line and answers each with one
JSON line, in order. A Stream sends lines from any number of threads (a
lock keeps each line whole and its place in the queue), a reader thread
hands each answer to the waiting caller in order, and a process that dies
is started again on the next call (the calls it left unanswered are sent
once more). The process is closed at interpreter exit, and a forked child
starts its own instead of sharing its parent's pipes.
"""

from __future__ import annotations

import atexit
import collections
import itertools
import json
import os
import shutil
import subprocess
import threading
from concurrent.futures import Future, TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, Deque, Dict, List, Optional, Sequence

from .errors import AnalysisError, ProcessError

#: The longest line the coprocess reads (its --max-line-bytes default);
#: a capture longer than this is analysed by a one-shot ``why401 -f json -``.
MAX_LINE_BYTES = 16 << 20

#: How long one answer is awaited before the coprocess is taken for stuck.
DEFAULT_TIMEOUT = 60.0

_EXE = "why401.exe" if os.name == "nt" else "why401"


def find_binary() -> str:
    """The why401 executable: $WHY401_BIN, else the one shipped in the wheel
    (why401/_bin/), else one on PATH. Raises ProcessError when there is none."""
    env = os.environ.get("WHY401_BIN")
    if env:
        return env
    shipped = Path(__file__).resolve().parent / "_bin" / _EXE
    if shipped.is_file():
        return str(shipped)
    found = shutil.which("why401")
    if found and not _is_script(found):
        return found
    raise ProcessError(
        "why401: no why401 binary: install the platform's wheel (it ships one), "
        "or set WHY401_BIN to a why401 built from the repository (./build.sh)"
    )


def _is_script(path: str) -> bool:
    # The wheel's own console script (a Python launcher) is not the analyzer.
    try:
        with open(path, "rb") as f:
            return f.read(2) == b"#!"
    except OSError:
        return True


class _Proc:
    """One started coprocess and the answers it owes, oldest first."""

    def __init__(self, argv: Sequence[str]):
        kw: Dict[str, Any] = {}
        if os.name == "nt":
            kw["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        self.popen = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            close_fds=True,
            **kw,
        )
        self.pid_owner = os.getpid()
        self.pending: Deque["Future[Dict[str, Any]]"] = collections.deque()
        self.ids = itertools.count(1)
        self.dead = False
        self.stderr_tail = b""
        self.lock = threading.Lock()  # pending and dead
        threading.Thread(target=self._read, name="why401-stdout", daemon=True).start()
        threading.Thread(target=self._drain_stderr, name="why401-stderr", daemon=True).start()

    def _read(self) -> None:
        out = self.popen.stdout
        assert out is not None
        try:
            for line in out:
                with self.lock:
                    fut = self.pending.popleft() if self.pending else None
                if fut is None:
                    continue  # never: one answer per line
                try:
                    fut.set_result(json.loads(line))
                except ValueError as e:
                    fut.set_exception(ProcessError("why401: the coprocess answered a line that is not JSON: %s" % e))
                except Exception:  # a future cancelled by a timeout
                    pass
        except (OSError, ValueError):
            pass
        self._die("the why401 coprocess ended")

    def _drain_stderr(self) -> None:
        err = self.popen.stderr
        assert err is not None
        try:
            for chunk in iter(lambda: err.read(4096), b""):
                self.stderr_tail = (self.stderr_tail + chunk)[-2048:]
        except (OSError, ValueError):
            pass

    def _die(self, why: str) -> None:
        with self.lock:
            self.dead = True
            pending, self.pending = list(self.pending), collections.deque()
        tail = self.stderr_tail.decode("utf-8", "replace").strip()
        for fut in pending:
            if not fut.done():
                fut.set_exception(_Died(why + (": " + tail if tail else "")))

    def send(self, line: bytes) -> "Future[Dict[str, Any]]":
        fut: "Future[Dict[str, Any]]" = Future()
        with self.lock:
            if self.dead:
                raise _Died("the why401 coprocess ended")
            self.pending.append(fut)
        stdin = self.popen.stdin
        assert stdin is not None
        try:
            stdin.write(line)
            stdin.flush()
        except (OSError, ValueError) as e:
            self.kill()
            self._die("writing to the why401 coprocess failed (%s)" % e.__class__.__name__)
        return fut

    def kill(self) -> None:
        try:
            self.popen.kill()
        except OSError:
            pass

    def close(self, wait: float = 2.0) -> None:
        """Ends the input (the process finishes what it has and exits), then kills it after wait."""
        try:
            if self.popen.stdin:
                self.popen.stdin.close()
        except OSError:
            pass
        try:
            self.popen.wait(wait)
        except subprocess.TimeoutExpired:
            self.kill()
            self.popen.wait()
        for f in (self.popen.stdout, self.popen.stderr):
            try:
                if f:
                    f.close()
            except OSError:
                pass


class _Died(Exception):
    pass


class Stream:
    """A why401 stream coprocess shared by every thread of this process.

    ``request(obj)`` sends one input line (a dict as ``why401 stream --help``
    describes it) and returns its answer as a dict; an error record raises
    AnalysisError. Calls from several threads are answered in parallel by the
    coprocess (``jobs`` lines at once), each to its caller.
    """

    def __init__(
        self,
        binary: Optional[str] = None,
        *,
        jobs: Optional[int] = None,
        max_line_bytes: int = MAX_LINE_BYTES,
        timeout: float = DEFAULT_TIMEOUT,
    ):
        self.binary = binary
        self.jobs = jobs or min(os.cpu_count() or 1, 4)
        self.max_line_bytes = max_line_bytes
        self.timeout = timeout
        self._lock = threading.Lock()  # one line written at a time, in queue order
        self._proc: Optional[_Proc] = None
        self._closed = False
        #: how many coprocesses were started (1 unless one died)
        self.starts = 0

    def _argv(self) -> List[str]:
        return [self.binary or find_binary(), "stream", "-j", str(self.jobs), "--max-line-bytes", str(self.max_line_bytes)]

    @property
    def pid(self) -> Optional[int]:
        """The coprocess's pid, None before the first call."""
        p = self._proc
        return p.popen.pid if p is not None else None

    def _submit(self, obj: Dict[str, Any]) -> "tuple[Future[Dict[str, Any]], int]":
        with self._lock:
            if self._closed:
                raise ProcessError("why401: the stream is closed")
            p = self._proc
            if p is not None and p.pid_owner != os.getpid():
                p = None  # a forked child: the pipes are the parent's
            if p is None or p.dead or p.popen.poll() is not None:
                if p is not None and p.pid_owner == os.getpid():
                    p.kill()
                try:
                    p = self._proc = _Proc(self._argv())
                except OSError as e:
                    raise ProcessError("why401: cannot start %s: %s" % (self._argv()[0], e)) from e
                self.starts += 1
            n = next(p.ids)
            line = _line({"id": n, **obj})
            if len(line) > self.max_line_bytes:
                raise _TooLong(self.max_line_bytes)
            return p.send(line + b"\n"), n

    def request(self, obj: Dict[str, Any], timeout: Optional[float] = None) -> Dict[str, Any]:
        """Sends one input (without "id": the stream numbers its lines) and returns the report dict."""
        timeout = self.timeout if timeout is None else timeout
        for attempt in (0, 1):
            fut, n = self._submit(obj)
            try:
                ans = fut.result(timeout)
            except _Died as e:
                if attempt:
                    raise ProcessError("why401: %s" % e) from None
                continue
            except FutureTimeout:
                with self._lock:
                    if self._proc is not None:
                        self._proc.kill()  # stuck: the next call starts another
                raise ProcessError("why401: no answer from the coprocess within %g s" % timeout) from None
            if ans.get("id") != n:
                raise ProcessError("why401: the coprocess answered out of order (line %r for %r)" % (ans.get("id"), n))
            if "error" in ans and "schema_version" not in ans:
                raise AnalysisError(str(ans["error"]).split(": ", 1)[-1] if str(ans["error"]).startswith("line ") else str(ans["error"]))
            ans.pop("id", None)
            return ans
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Stops the coprocess; a later call starts a new one unless closed for good (at exit)."""
        with self._lock:
            p, self._proc = self._proc, None
        if p is not None and p.pid_owner == os.getpid():
            p.close()

    def _close_for_good(self) -> None:
        self.close()
        self._closed = True


class _TooLong(AnalysisError):
    """An input longer than a stream line (analyze sends such a capture to one_shot)."""

    def __init__(self, n: int = 0):
        super().__init__("the input is longer than a why401 stream line (%d bytes): analyse it as a file" % n)


def _line(obj: Dict[str, Any]) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def one_shot(binary: Optional[str], data: bytes, timeout: Optional[float] = None) -> Dict[str, Any]:
    """Analyses data with a one-shot ``why401 -f json -``: for captures longer
    than a stream line (a HAR of many megabytes), read as the CLI streams a file."""
    argv = [binary or find_binary(), "-f", "json", "--no-progress", "-j", "1", "-"]
    try:
        done = subprocess.run(argv, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except OSError as e:
        raise ProcessError("why401: cannot start %s: %s" % (argv[0], e)) from e
    except subprocess.TimeoutExpired:
        raise ProcessError("why401: no answer within %g s" % (timeout or 0)) from None
    first = done.stdout.split(b"\n", 1)[0]
    try:
        ans = json.loads(first)
    except ValueError:
        raise ProcessError("why401: the analyzer failed (exit %d)" % done.returncode) from None
    if "error" in ans and "schema_version" not in ans:
        raise AnalysisError(str(ans["error"]))
    return ans


_default: Optional[Stream] = None
_default_lock = threading.Lock()


def default_stream() -> Stream:
    """The process's shared Stream, made on first use and closed at exit."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Stream()
        return _default


@atexit.register
def _close_default() -> None:
    s = _default
    if s is not None:
        s._close_for_good()


if hasattr(os, "register_at_fork"):
    # A forked child keeps the Stream object, not its coprocess: _submit sees
    # the pid change and starts the child's own. Nothing to do here but make
    # sure the lock is usable in the child.
    def _after_fork_in_child() -> None:
        s = _default
        if s is not None:
            s._lock = threading.Lock()

    os.register_at_fork(after_in_child=_after_fork_in_child)


__all__ = ["Stream", "find_binary", "default_stream", "one_shot", "MAX_LINE_BYTES", "DEFAULT_TIMEOUT"]
