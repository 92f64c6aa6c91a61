"""why401's exceptions: failures of the analyzer, and one per action for the hooks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional, Type

from .vocab import Action

if TYPE_CHECKING:  # pragma: no cover
    from . import Result

__all__ = [
    "Why401Error",
    "ProcessError",
    "AnalysisError",
    "ActionRequired",
    "RetryError",
    "RefreshCredentialsError",
    "RotateSessionError",
    "SlowDownError",
    "StopError",
    "FixProxyError",
    "exception_for",
]


class Why401Error(Exception):
    """The base of every exception the package raises."""


class ProcessError(Why401Error):
    """The why401 binary is missing, could not start, or stopped answering."""


class AnalysisError(Why401Error):
    """The analyzer could not read the input (nothing to analyse); the message says why."""


class ActionRequired(Why401Error):
    """A response the client must act on; the subclass names the action.

    ``result`` is the analysis (why401.Result: action, verdict, cause, wait,
    exchange, report) and ``response`` the response it is about. The message
    is the report's one-line summary, which never holds a secret.
    """

    action = ""

    def __init__(self, result: "Result", response: Any = None):
        ex = result.exchange
        cause = (", " + result.cause) if result.cause else ""
        super().__init__("why401: %s (%s%s, HTTP %d): %s" % (result.action, result.verdict, cause, ex.status, ex.summary))
        self.result = result
        self.response = response

    @property
    def wait(self) -> Optional[float]:
        """Seconds to wait before retrying (SlowDownError), None when the server did not say."""
        return self.result.wait


class RetryError(ActionRequired):
    """A normal handshake step (Negotiate/NTLM leg, stale Digest nonce, DPoP nonce): answer it, send again."""

    action = Action.RETRY


class RefreshCredentialsError(ActionRequired):
    """The credential was rejected: get a new token or log in again, then retry; keep the session."""

    action = Action.REFRESH_CREDENTIALS


class RotateSessionError(ActionRequired):
    """A bot block: a new session (cookies, proxy, fingerprint), not new credentials."""

    action = Action.ROTATE_SESSION


class SlowDownError(ActionRequired):
    """A rate limit: wait ``wait`` seconds (when the server said), then retry."""

    action = Action.SLOW_DOWN


class StopError(ActionRequired):
    """Retrying as is will not help (a permission, a scope, a client bug): a person must look."""

    action = Action.STOP


class FixProxyError(ActionRequired):
    """The proxy refused: its credentials, account or quota."""

    action = Action.FIX_PROXY


_BY_ACTION: Dict[str, Type[ActionRequired]] = {
    c.action: c for c in (RetryError, RefreshCredentialsError, RotateSessionError, SlowDownError, StopError, FixProxyError)
}


def exception_for(result: "Result", response: Any = None) -> Optional[ActionRequired]:
    """The exception of result's action (None for action none)."""
    cls = _BY_ACTION.get(result.action)
    return cls(result, response) if cls else None
