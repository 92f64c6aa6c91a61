package analyzer

import (
	"strings"
	"testing"

	"why401/analyzer/internal/knowledge"
)

// Readings that fit the capture (issue 28, the second review's false
// statements and generic fixes in the bot, WAF, CDN and proxy area), each
// checked as a kind over the report of every fixture (its golden file):
//
//   - a refusal whose evidence says a proxy refused and the site never saw
//     the request is not headed "the identity is not allowed to do this";
//   - a geo block's first fix speaks of the country or region, and no fix
//     of it gives WAF or 5xx boilerplate;
//   - the bot managers' User-Agent line stands only where a bot layer
//     decided, never beside an API's own JSON or XML error (a message read
//     at a JSON path or an XML element) or a proxy rule;
//   - a proxy provider named by its host or user name gets its own fix, not
//     the generic "check the proxy dashboard";
//   - a fix never says "the header says which" when the evidence quotes
//     that header's value.
func TestReadingsFitTheCapture(t *testing.T) {
	t.Logf("%d golden reports checked", eachGoldenExchange(t, misreadings))
}

// misreadings lists what an exchange's report states that its own
// evidence or the capture's kind contradicts.
func misreadings(e ExchangeReport) []string {
	var out []string
	evidence := ""
	has := map[string]bool{}
	for _, ev := range e.Evidence {
		evidence += ev.Text + "\n"
		has[ev.Signal] = true
	}
	fixes := ""
	for _, f := range e.Fixes {
		fixes += f.Title + "\n" + strings.Join(f.Steps, "\n") + "\n"
	}
	proxyRefused := strings.Contains(evidence, "the site never saw it") || strings.Contains(evidence, "the application never saw it")
	if proxyRefused && e.Cause == CauseInsufficientPermissions {
		out = append(out, "a proxy's refusal headed as the identity's permission: "+e.Summary)
	}
	if strings.HasPrefix(e.Summary, GeoLead) {
		if len(e.Fixes) == 0 {
			out = append(out, "a geo block without a fix")
		} else if first := strings.ToLower(e.Fixes[0].Title + " " + strings.Join(e.Fixes[0].Steps[:1], " ")); !strings.Contains(first, "country") && !strings.Contains(first, "region") {
			out = append(out, "a geo block whose first fix does not speak of the country: "+e.Fixes[0].Title)
		}
		for _, w := range []string{"web ACL", "502/503/504", "origin error"} {
			if strings.Contains(fixes, w) {
				out = append(out, "a geo block's fixes give "+w+" boilerplate")
			}
		}
	}
	if has["library-user-agent"] && e.Verdict != KindBot && knowledge.Vendor(string(e.Vendor)) == nil &&
		(e.Cause == CauseProxyRule || e.Message != nil && e.Message.Where != "page" && e.Message.Where != "body" && e.Message.Where != "") {
		out = append(out, "the bot managers' User-Agent line beside an answer no bot layer gave")
	}
	if has["proxy-provider"] && strings.Contains(fixes, "Check the proxy's dashboard for the exact credential format") {
		out = append(out, "a named proxy provider gets the generic dashboard fix")
	}
	if strings.Contains(fixes, "header of the answer says which") && (strings.Contains(evidence, "x-brd-err") || strings.Contains(evidence, "x-luminati-error")) {
		out = append(out, "\"the header says which\" though the evidence quotes it")
	}
	return out
}

// TestChecksCatchTheReviewedCases: the checks above and saidTwice find the
// second review's cases as the analyzer reported them before (shortened).
func TestChecksCatchTheReviewedCases(t *testing.T) {
	ev := func(signal, text string) Evidence { return Evidence{Signal: signal, Text: text} }
	fix := func(title string, steps ...string) Fix { return Fix{Title: title, Steps: steps} }
	for _, c := range []struct {
		name  string
		check func(ExchangeReport) []string
		e     ExchangeReport
	}{
		{"own/25 Squid ACL as the identity's permission", misreadings, ExchangeReport{Verdict: KindForbidden, Cause: CauseInsufficientPermissions,
			Summary:  "Authorization refusal: the identity is not allowed to do this.",
			Evidence: []Evidence{ev("proxy-acl-denied", "X-Squid-Error: ERR_ACCESS_DENIED 0: the Squid proxy dc-proxy-02 refused the request by its access rules; the site never saw it")}}},
		{"own/25 User-Agent line on a proxy rule", misreadings, ExchangeReport{Verdict: KindForbidden, Cause: CauseProxyRule,
			Evidence: []Evidence{ev("library-user-agent", `User-Agent "python-requests/2.32.3" is a python-requests client, which bot managers score as automation`)}}},
		{"n13 CloudFront geo block with WAF boilerplate", misreadings, ExchangeReport{Verdict: KindBot, Summary: GeoLead + " (by Amazon CloudFront): …",
			Fixes: []Fix{fix("CloudFront refused the request at the edge", "'Request blocked' is a WAF web ACL or a geo restriction on the distribution, not the application; 502/503/504 pages of CloudFront are origin errors instead.")}}},
		{"n14 Oxylabs with the generic dashboard fix", misreadings, ExchangeReport{Verdict: KindProxyAuth,
			Evidence: []Evidence{ev("proxy-provider", "the proxy pr.oxylabs.io:7777 is Oxylabs's")},
			Fixes:    []Fix{fix("The proxy rejected the credentials you sent", "Check the proxy's dashboard for the exact credential format (most providers put zone, country or session in the user name, some after the password) and whether your plan or IP allowlist still covers this client.")}}},
		{"Bright Data: the header says which", misreadings, ExchangeReport{Verdict: KindProxyAuth,
			Evidence: []Evidence{ev("brightdata/auth-407", "x-brd-err-msg: Invalid authentication: check credentials and retry — …")},
			Fixes:    []Fix{fix("Fix the Bright Data zone credentials sent to the proxy", "Check the zone is active and the account has balance: a suspended account is refused too. The x-brd-err-code / x-brd-err-msg (or x-luminati-error) header of the answer says which of these it is.")}}},
		{"n12 Kasada x-kpsdk-ct twice", saidTwice, ExchangeReport{Verdict: KindBot, Evidence: []Evidence{
			ev("kasada/kpsdk-429", "x-kpsdk-ct: [secret len=50 …KjB5] — this 429 is Kasada's challenge, not a quota"),
			ev("kasada/kpsdk-header", "x-kpsdk-ct: [secret len=50 …KjB5]")}}},
		{"own/22 Imperva: remove the input twice", saidTwice, ExchangeReport{Verdict: KindBot, Fixes: []Fix{
			fix("Imperva's WAF blocked this request: change what it matched, or send the owner the Incident ID", "An Imperva security rule of the site matched the request itself.", "If the input is yours to change, remove or encode what looks like an attack and send the request again."),
			fix("Remove the input the WAF takes for SQL injection", "The request carries redirect_to=/wp-admin/' OR 1=1--, which WAF rule sets match as SQL injection.")}}},
		{"HAProxy: the page quoted twice", saidTwice, ExchangeReport{Verdict: KindForbidden,
			Summary: "Authorization refusal: the identity is not allowed to do this. The page says: “403 Forbidden: Request forbidden by administrative rules.”. Evidence: page: “403 Forbidden: Request forbidden by administrative rules.”: a load balancer …"}},
		{"GitHub: wait until twice", saidTwice, ExchangeReport{Verdict: KindRateLimit, Fixes: []Fix{
			fix("Wait for the secondary rate limit to clear", "Wait until the time Retry-After names, then slow down."),
			fix("Wait until the time Retry-After names", "The server asks you to wait until 2026-11-24T10:01:00Z.")}}},
	} {
		if got := c.check(c.e); len(got) == 0 {
			t.Errorf("%s: not caught", c.name)
		}
	}
}
