package capture

import "regexp"

// This file reads a DevTools "Copy as fetch" paste: the call Chrome writes
// (`fetch("https://…", {"headers": {…}, "body": "…", "method": "POST"});`,
// also "Copy as fetch (Node.js)", which puts the cookies in the headers) as
// the request, then whatever of the response the user copied from the
// Network tab after it: an HTTP status line, or a "Status Code: 403
// Forbidden" / "Response: 403" line, response header lines in the one-line
// ("name: value") or two-line ("name" then "value") layout, and the body.
// Chrome writes the URL and the init object as JSON, so they are read with
// the HAR reader's JSON walk (bounded, iterative); the call is never run.
// The reader (fetchread.go) is left out of the slim build (the page's
// analyzer.wasm, whose size is budgeted): there a fetch paste ends in
// ErrNeedsFull and the page reads it with its full analyzer.

// FetchCopy is the Exchange.Producer of a fetch paste: its request headers
// are those DevTools copies, without the ones the browser (or Node.js)
// adds itself (User-Agent; Cookie unless copied for Node.js).
const FetchCopy = "devtools-fetch"

// FetchCopyNoCookie is the Exchange.Producer of a fetch paste whose call
// lets the browser send cookies (credentials other than "omit") and copies
// none: DevTools left out those the browser sent.
const FetchCopyNoCookie = FetchCopy + "-nocookie"

// fetchCall returns the index in data just past the `fetch(` that opens a
// paste, or -1: only blank and comment lines ("//", "#") may come before it,
// within the first 4 KiB, so prose or a page that mentions fetch is not read
// as a call.
func fetchCall(data []byte) int {
	if loc := fetchStart.FindIndex(data[:min(len(data), 4096)]); loc != nil {
		return loc[1]
	}
	return -1
}

var fetchStart = regexp.MustCompile(`\A(?:\s*(?://|#)[^\n]*\n)*\s*(?:await )?fetch\(`)
