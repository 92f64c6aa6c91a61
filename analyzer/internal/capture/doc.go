// Package capture is the analyzer's first stage: it reads a capture's bytes
// into exchanges. It knows every input the analyzer reads — a raw response
// (optionally after its request), a curl -i or -v transcript, a DevTools
// paste, a HAR (streamed entry by entry), a Playwright HAR zip, WARC/WACZ,
// Burp XML and Fiddler SAZ — and nothing about what an exchange means.
//
// An Exchange keeps header fields in order, duplicates included; bodies are
// decoded (gzip, deflate) under Limits. What the readers notice on the way
// (a cap hit, a truncated file) goes to Warnings, said once with a count.
// Fingerprint and MaskTokenShapes belong here so that a reader's own
// warning never echoes a credential.
//
// It imports no other package of the analyzer.
package capture
