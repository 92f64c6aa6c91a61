package detect

import "why401/analyzer/internal/capture"

// What the tests of package detect_test (which also need the verdict, so
// they cannot live in package detect) use of the compiled vendor rules.

// CRule is a compiled vendor rule.
type CRule = cRule

// VendorID names the rule's vendor.
func (r *cRule) VendorID() string { return r.vendor.ID }

// RuleOf returns the compiled rule a signal id ("cloudflare/cf-mitigated")
// names, or nil when the signal is no vendor rule's.
func RuleOf(id string) *cRule {
	set, err := compiledVendors()
	if err != nil {
		return nil
	}
	return ruleOf(set, id)
}

// RemoveEvidence deletes what rule r matched from the exchange.
func RemoveEvidence(r *cRule, ex *capture.Exchange) { removeEvidence(r, ex) }
