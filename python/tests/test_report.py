"""The typed report against docs/report.schema.json, and the vocabulary
against the table every library is tested on (httpcheck/testdata/actions.json)."""

import dataclasses
import json
from pathlib import Path

import why401
from why401 import report as R

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "docs" / "report.schema.json").read_text())


def fields(cls):
    return {f.name for f in dataclasses.fields(cls)}


def test_dataclasses_match_schema():
    d = SCHEMA["$defs"]
    ff = d["summary"]["properties"]["first_failure"]["anyOf"][1] if "anyOf" in d["summary"]["properties"]["first_failure"] else d["summary"]["properties"]["first_failure"]["oneOf"][1]
    fb = d["summary"]["properties"]["first_block"]["anyOf"][1] if "anyOf" in d["summary"]["properties"]["first_block"] else d["summary"]["properties"]["first_block"]["oneOf"][1]
    pairs = [
        (R.Report, set(SCHEMA["properties"]) - {"id"}),
        (R.InputInfo, set(d["input"]["properties"])),
        (R.ExchangeReport, set(d["exchange"]["properties"])),
        (R.Evidence, set(d["evidence"]["properties"])),
        (R.Fix, set(d["fix"]["properties"])),
        (R.Summary, set(d["summary"]["properties"])),
        (R.FailureInfo, set(ff["properties"])),
        (R.BlockInfo, set(fb["properties"])),
        (R.Reference, set(d["exchange"]["properties"]["references"]["items"]["properties"])),
        (R.ServerMessage, set(d["exchange"]["properties"]["message"]["properties"])),
    ]
    for cls, want in pairs:
        assert fields(cls) == want, cls.__name__


def test_vocabulary_matches_schema():
    d = SCHEMA["$defs"]
    consts = lambda c: {v for k, v in vars(c).items() if k.isupper()}  # noqa: E731
    assert consts(why401.Verdict) == set(d["verdict"]["enum"])
    assert consts(why401.Cause) == set(d["cause"]["enum"])
    assert consts(why401.Action) == set(d["action"]["enum"])


def test_action_table_as_every_library():
    for row in json.loads((REPO / "httpcheck" / "testdata" / "actions.json").read_text()):
        assert why401.action_for(row["verdict"], row["cause"] or None) == row["action"], row
    assert why401.action_for("nonsense") == why401.Action.NONE


def test_unknown_fields_are_ignored():
    d = {"schema_version": 1, "exchanges": [{"index": 0, "method": "GET", "url": "", "status": 401, "verdict": "auth",
         "confidence": 0.9, "vendor": None, "scheme": None, "cause": None, "action": "refresh_credentials", "summary": "s",
         "evidence": [], "fixes": [{"title": "t", "steps": None}], "new_field": 1}],
         "input": {"name": "-", "format": "raw", "producer": None, "entries": 1, "more": 2}, "warnings": []}
    r = why401.Report.from_dict(d)
    assert r.exchanges[0].fixes[0].steps == [] and r.problems == [r.exchanges[0]]


def test_wait_as_go_and_npm():
    """The cases of httpcheck's TestRetryAfter: Result.wait is the report's
    wait, at most max_wait (one hour by default)."""
    import email.utils
    import time

    now = time.time()
    date = email.utils.formatdate(now, usegmt=True)
    later = email.utils.formatdate(now + 90, usegmt=True)
    H = 3600.0
    cases = [
        ([("Retry-After", "120")], None, 120),
        ([("Retry-After", later), ("Date", date)], None, 90),
        ([("Retry-After", "soon")], None, None),
        ([("X-Ratelimit-Reset", str(int(now + 3600)))], None, H),
        ([("X-Ratelimit-Reset", str(int(now - 3600))), ("Date", date)], None, None),
        ([("Ratelimit-Reset", "42")], None, 42),
        ([("Ratelimit", "limit=100, remaining=0, reset=7")], None, 7),
        ([("Retry-After", "5"), ("X-Ratelimit-Reset", "600")], None, 5),
        ([("Retry-After", "7200")], None, H),
        ([("Retry-After", "7200")], 10, 10),
        ([("Retry-After", "4294967295")], None, None),  # not a wait the analyzer quotes
        ([("Retry-After", "999999999")], None, H),
        ([], None, None),
    ]
    s = why401.Stream()
    try:
        for headers, max_wait, want in cases:
            r = why401.from_parts(url="https://api.example.com/", status=429, response_headers=headers, max_wait=max_wait, stream=s)
            assert r.action == why401.Action.SLOW_DOWN, headers
            if want is None:
                assert r.wait is None, headers
            else:
                assert r.wait is not None and abs(r.wait - want) < 2, (headers, r.wait, want)
        ok = why401.from_parts(url="https://a.example/", status=200, stream=s)
        assert ok.action == "none" and ok.wait is None and not ok.problem
    finally:
        s.close()
