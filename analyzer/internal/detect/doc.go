// Package detect is the analyzer's second stage: it reads an exchange and
// says what it shows, as signals. Signal is the one currency between this
// stage and the verdict: the evidence text, a vote (kind and weight), the
// vendor, scheme and cause it names, and fixes a rule contributes.
//
// Signals runs the detectors of one exchange: the WWW-Authenticate and
// Proxy-Authenticate challenges (RFC 9110 §11.6.1), the request's
// credentials, the status and body, the vendor and API files (compiled once
// from knowledge), the gate pages. Every word they look for is a list of
// knowledge's words.json (words.go); what an exchange is asked by several
// detectors is worked out once (its credentials: credentialsOf; its body:
// respBody). It depends on that exchange alone, so a
// HAR's entries run it in parallel.
//
// Story is the cross-entry part, run in capture order: Context gives the
// signals that earlier exchanges explain (a token that worked before, a
// cookie set but not sent, a sanitized capture) before the verdict; Learn
// records what the exchange teaches once its verdict is known. Nothing here
// changes a verdict or a report after the fact.
//
// Secrets collects the credentials an exchange carries so that later
// stages show them only as fingerprints.
package detect
