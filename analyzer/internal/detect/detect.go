package detect

import (
	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
)

// Signals is stage 2 without the cross-entry story: it depends on nothing but
// the exchange, so HAR entries run it in parallel.
func Signals(ex *capture.Exchange, lim capture.Limits, w *capture.Warnings) []Signal {
	var sig []Signal
	body := bodyOf(ex) // read once, for every detector
	sig = append(sig, challengeSignals(ex, lim, w)...)
	sig = append(sig, credentialSignals(ex)...)
	sig = append(sig, statusSignals(ex, body)...)
	resp := &ex.Response
	switch {
	case resp.Status == 0:
	case resp.Status >= 400 || resp.Status == 202:
		sig = append(sig, vendorSignals(ex, body)...)
		sig = append(sig, apiSignals(ex, body)...)
		sig = gateSignals(ex, sig, body)
		sig = append(sig, saidSignals(ex, sig)...)
	case len(resp.Body) > 0:
		// A success pays for scanning only when it can hide something:
		// a challenge page served as 200 (F5, Imperva, Anubis), a site's
		// own human check, an API error in a 200 (Slack).
		if body.isHTML() {
			sig = append(sig, vendorSignals(ex, body)...)
			sig = gateSignals(ex, sig, body)
		} else if body.isJSON() {
			sig = append(sig, apiSignals(ex, body)...)
			if hasKindOtherThan(sig, knowledge.KindOK) {
				// An API's refusal inside a 200 (Slack's ok:false): its words too.
				sig = append(sig, saidSignals(ex, sig)...)
			}
		}
	}
	// Request traits explain blocks: a success pays for them only when it
	// looks like a challenge page.
	if resp.Status >= 400 || hasKind(sig, knowledge.KindBot) {
		sig = append(sig, requestTraits(ex, body)...)
	}
	if resp.Status >= 400 {
		sig = append(sig, wafTriggerSignals(ex)...)
	}
	return sig
}

func hasKindOtherThan(sig []Signal, k knowledge.Kind) bool {
	for _, s := range sig {
		if s.Kind != "" && s.Kind != k {
			return true
		}
	}
	return false
}

func hasKind(sig []Signal, k knowledge.Kind) bool {
	for _, s := range sig {
		if s.Kind == k {
			return true
		}
	}
	return false
}
