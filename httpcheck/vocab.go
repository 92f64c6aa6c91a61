package httpcheck

import "why401/analyzer"

// Verdict is the analyzer's verdict on a response (docs/report.md,
// "verdicts"); the constants are in vocab_gen.go, generated from the
// analyzer's knowledge files like every other statement of the vocabulary.
type Verdict = analyzer.Kind

// Cause refines a verdict; "" when the analyzer could not tell.
type Cause = analyzer.Cause

// Action is what the client should do about a response (docs/report.md,
// "actions"); the report carries it (analyzer.ExchangeReport.Action).
type Action = analyzer.Action

// ActionFor maps a verdict and its cause to an action by the analyzer's own
// table (docs/report.md, "actions"): bot → RotateSession, rate_limit →
// SlowDown, forbidden → Stop, proxy_auth → FixProxy, ok and unknown → None,
// and auth → RefreshCredentials except for a handshake step (Retry) and for
// causes a new credential does not cure (Stop).
func ActionFor(v Verdict, c Cause) Action { return analyzer.ActionFor(v, c) }
