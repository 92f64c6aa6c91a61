// Package analyzer explains an HTTP 401 (or 403, 407, 429, a 200 challenge
// page…): a genuine authentication failure, or a bot block in disguise, a
// rate limit, a permission refusal or a proxy asking for credentials, with
// the evidence and what to do about it.
//
// Hand it a capture as you have it — a raw response (optionally after its
// request), a curl -i or -v transcript, a DevTools paste, a HAR (also gzip,
// a Playwright HAR zip), a WARC or WACZ, a Burp or Fiddler SAZ export:
//
//	rep, err := analyzer.Analyze(data)
//	if err != nil {
//		// nothing could be read: ErrEmpty, ErrBinary, ErrHAR, ErrNoResponse;
//		// Message(err) is its text for a person, without the "analyzer: " prefix
//	}
//	for _, e := range rep.Exchanges {
//		fmt.Println(e.Index, e.Status, e.Verdict, e.Cause, e.Summary)
//	}
//
// AnalyzeReader streams a large HAR entry by entry; Options.Handler receives
// each exchange's report as soon as it is final (the Report then keeps
// none, so memory stays bounded), and Limits bound memory and work (a limit
// that is hit is a warning, never a failure). AnalyzeExchanges takes what a
// live client holds — requests and responses as structured data — with no
// capture format in between. Report is the contract every door prints: its
// JSON (Report.AppendJSON) is documented in docs/report.md, and
// Report.WriteText and WriteMarkdown render it for people; each exchange
// carries the Action a client takes (ActionFor's table). Diff compares a
// capture that worked with one that failed. To share a capture safely,
// see package why401/analyzer/sanitize.
//
// The package does no I/O of its own, imports neither net/http nor
// syscall/js, and never echoes a secret: credentials appear only as
// fingerprints (kind, length, last four characters). Its stages are the
// packages under analyzer/internal, each importing only the ones before it:
// capture (bytes → exchanges), knowledge (the vendor, API and fix files),
// detect (exchange → signals), verdict (signals → verdict and fixes); the
// last stage, the report, is this package's own (report*.go): the Report
// every door consumes, Build, which writes one exchange's verdict and fixes
// into it with every string passed through the secret scrubber, the
// summarizer, and the JSON, text and markdown writers. The report decides
// nothing: the verdict is made before it, and a report it built is never
// changed.
package analyzer

// The vocabularies (verdicts, causes, actions) are written from the
// knowledge files into vocab_gen.go, httpcheck, npm, the schema and the docs.
//go:generate go run ./internal/cmd/vocabgen
