"""The report, typed: dataclasses matching docs/report.schema.json.

Every door of why401 writes the same report (docs/report.md); here each JSON
object is a frozen dataclass with the same field names. Optional fields the
schema may leave out are None (or an empty list) when absent; vocabulary
fields hold the report's strings, compared with the constants of
why401.vocab (``exchange.verdict == Verdict.BOT``). A field added to the
report later is ignored by an older package, never an error.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Type, TypeVar

from .vocab import Verdict

__all__ = [
    "Report",
    "InputInfo",
    "ExchangeReport",
    "Evidence",
    "Reference",
    "ServerMessage",
    "Fix",
    "Snippet",
    "Summary",
    "HostSummary",
    "FailureInfo",
    "BlockInfo",
]


_R = TypeVar("_R", bound="_Record")


def _known(cls: type, d: Mapping[str, Any]) -> Dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in d.items() if k in names}


class _Record:
    """from_dict for a dataclass whose fields are all plain JSON values; one
    with nested objects overrides it to convert those."""

    @classmethod
    def from_dict(cls: Type[_R], d: Mapping[str, Any]) -> _R:
        return cls(**_known(cls, d))


@dataclass(frozen=True)
class Snippet(_Record):
    """A copyable example in a fix: lang is curl, python, go, shell or http."""

    lang: str
    text: str


@dataclass(frozen=True)
class Fix(_Record):
    """One thing to do, with concrete steps."""

    title: str
    steps: List[str] = field(default_factory=list)
    code: List[Snippet] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Fix":
        return cls(
            title=d["title"],
            steps=list(d.get("steps") or []),
            code=[Snippet.from_dict(c) for c in d.get("code") or []],
        )


@dataclass(frozen=True)
class Evidence(_Record):
    """One signal as shown to a person; text never holds a secret (fingerprints only)."""

    signal: str
    where: str
    text: str
    #: the earlier exchange a context signal points to
    entry: Optional[int] = None


@dataclass(frozen=True)
class Reference(_Record):
    """A reference id to quote (a request or trace id, a Ray ID): an id, not a secret."""

    label: str
    value: str


@dataclass(frozen=True)
class ServerMessage(_Record):
    """What the server said in its own words: its message, verbatim, its code, where read."""

    text: str
    where: str
    code: Optional[str] = None


@dataclass(frozen=True)
class ExchangeReport(_Record):
    """The verdict on one request and its response."""

    index: int
    method: str
    url: str
    status: int
    verdict: str
    confidence: float
    vendor: Optional[str]
    scheme: Optional[str]
    cause: Optional[str]
    #: what a client does about it (why401.vocab.Action), by the report's table
    action: str
    summary: str
    evidence: List[Evidence] = field(default_factory=list)
    fixes: List[Fix] = field(default_factory=list)
    #: how long the server asked to wait, from the response; None when it did not say
    wait_seconds: Optional[float] = None
    #: when that wait ends, UTC, RFC 3339, on the server's clock; None without one
    wait_until: Optional[str] = None
    #: every reference id to quote, whole, comma-separated "label id"
    reference: Optional[str] = None
    #: the same ids one by one
    references: List[Reference] = field(default_factory=list)
    #: the server's own message and code; None when it said nothing readable
    message: Optional[ServerMessage] = None
    time: Optional[str] = None

    @property
    def problem(self) -> bool:
        """True for anything but an ok verdict."""
        return self.verdict != Verdict.OK

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "ExchangeReport":
        kw = _known(cls, d)
        kw["evidence"] = [Evidence.from_dict(e) for e in d.get("evidence") or []]
        kw["fixes"] = [Fix.from_dict(f) for f in d.get("fixes") or []]
        kw["references"] = [Reference.from_dict(r) for r in d.get("references") or []]
        kw["message"] = ServerMessage.from_dict(d["message"]) if d.get("message") else None
        return cls(**kw)


@dataclass(frozen=True)
class InputInfo(_Record):
    """What was read: its name, format (har, raw, curl, exchange…), producer, entries."""

    name: str
    format: str
    producer: Optional[str]
    entries: int


@dataclass(frozen=True)
class HostSummary(_Record):
    """One host's exchanges counted by status code and by verdict."""

    host: str
    requests: int
    status: Dict[str, int]
    verdicts: Dict[str, int]


@dataclass(frozen=True)
class FailureInfo(_Record):
    """The first failing exchange and, when an earlier one explains it, that one."""

    index: int
    verdict: str
    cause: Optional[str]
    summary: str
    root_entry: Optional[int]
    root: Optional[str] = None


@dataclass(frozen=True)
class BlockInfo(_Record):
    """The first exchange judged a bot block."""

    index: int
    host: str
    before: int
    vendor: Optional[str] = None
    time: Optional[str] = None


@dataclass(frozen=True)
class Summary(_Record):
    """A capture of several exchanges read as a story."""

    hosts: List[HostSummary]
    vendors: List[str]
    first_failure: Optional[FailureInfo]
    first_block: Optional[BlockInfo]
    sanitized: bool
    caveats: List[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Summary":
        ff, fb = d.get("first_failure"), d.get("first_block")
        return cls(
            hosts=[HostSummary.from_dict(h) for h in d.get("hosts") or []],
            vendors=list(d.get("vendors") or []),
            first_failure=FailureInfo.from_dict(ff) if ff else None,
            first_block=BlockInfo.from_dict(fb) if fb else None,
            sanitized=bool(d.get("sanitized")),
            caveats=list(d.get("caveats") or []),
        )


@dataclass(frozen=True)
class Report(_Record):
    """The whole report on one input (docs/report.md)."""

    schema_version: int
    exchanges: List[ExchangeReport]
    input: InputInfo
    warnings: List[str]
    summary: Optional[Summary] = None

    @property
    def problems(self) -> List[ExchangeReport]:
        """The exchanges whose verdict is not ok."""
        return [e for e in self.exchanges if e.problem]

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Report":
        s = d.get("summary")
        return cls(
            schema_version=d["schema_version"],
            exchanges=[ExchangeReport.from_dict(e) for e in d["exchanges"]],
            input=InputInfo.from_dict(d["input"]),
            warnings=list(d.get("warnings") or []),
            summary=Summary.from_dict(s) if s else None,
        )

    def to_dict(self) -> Dict[str, Any]:
        """The report as plain dicts and lists (fields left out by the JSON are None)."""
        return dataclasses.asdict(self)
