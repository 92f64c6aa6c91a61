package detect

import (
	"strconv"
	"strings"
	"time"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
	"why401/internal/ascii"
	"why401/internal/weburl"
)

// An edge's "Access Denied" is not always a bot rule. CDNs also enforce the
// site's access control: token authentication (Akamai EdgeAuth's
// hdnts=…~hmac=…, CloudFront signed URLs and cookies, Cloud CDN signed
// URLs, Cloudflare's verify=<time>-<mac>) and entitlement authorizers
// (Red Hat's CDN answers for an authorizer-… host, named in EJ-HOST, when
// the client certificate does not entitle the path). The page is the same
// as a bot block's; the capture tells them apart.
//
// Decide (either): the request carried an edge token (words.json's
// edge-token-params, in the query or a cookie, of the token's own shape),
// or a response header names an authorizer (words.json's
// authorizer-words, in a header's name or value). Support only: the edge
// itself denied (X-Cache: TCP_DENIED), and the same host answered the
// client's other requests (story.go). A challenge or CAPTCHA on the page is
// a bot check whatever else holds.

// edgeAccessSignals reads those signs and, when one decides, adds an
// access-control vote and turns the vendor's block markers into context.
func edgeAccessSignals(ex *capture.Exchange, sig []Signal) []Signal {
	st := ex.Response.Status
	if st != 401 && st != 403 {
		return sig
	}
	blocked := false
	for i := range sig {
		s := &sig[i]
		if s.Kind != knowledge.KindBot {
			continue
		}
		switch s.Role {
		case roleChallenge, roleCaptcha:
			return sig // a check for a person is a bot check
		case roleBlock:
			blocked = blocked || s.Vendor != ""
		}
	}
	token, tokenText := edgeToken(ex)
	authz := authorizerHeader(&ex.Response)
	if token == "" && authz == "" {
		return sig
	}
	s := Signal{ID: SigEdgeAccess, Kind: knowledge.KindForbidden, Weight: 0.93, Where: WhereRequest, Entry: -1, Params: map[string]string{}}
	switch {
	case token != "":
		s.Cause = "invalid_credentials"
		s.Text = "the request carried " + tokenText + " and the edge refused it: the site's token authentication, not a bot rule"
		s.FixIDs = []string{fixEdgeTokenRefused}
		s.Params["edge_token"] = tokenText
	default:
		s.Cause, s.Where = "insufficient_permissions", WhereHeader
		s.Text = authz + " names the authorizer that refused this request: the site's entitlement check, not a bot rule"
		s.FixIDs = []string{fixEdgeAuthorizer}
	}
	if x := ex.Response.Get("X-Cache"); strings.HasPrefix(strings.ToUpper(strings.TrimSpace(x)), "TCP_DENIED") {
		s.Text += "; X-Cache: TCP_DENIED says the edge answered, not the origin"
	}
	if !blocked {
		// Without the edge's page, the token or the authorizer alone does
		// not outweigh what the answer says.
		s.Weight = 0.75
	}
	out := sig[:0]
	for i := range sig {
		x := &sig[i]
		if x.ID == "403-unexplained" {
			continue // "no credentials involved": the token or the authorizer says otherwise
		}
		switch {
		case x.Kind == knowledge.KindBot:
			if s.Ref.Value == "" {
				s.Ref = x.Ref // the edge's reference (Akamai's 18.…, the Ray ID)
			}
			x.Kind, x.Weight, x.Role, x.Cause = "", 0, RolePresence, ""
			x.Text += " (here the edge's page for the site's access control, not a bot block)"
		case statusReadings[x.ID] && x.Kind != "" && x.Kind != knowledge.KindForbidden:
			x.Kind, x.Weight, x.Cause = "", 0, ""
			x.Text += " (the status's usual reading; the edge's access control explains it)"
		}
		out = append(out, *x)
	}
	return append(out, s)
}

// SigEdgeAccess is the signal of an edge's access-control refusal.
const SigEdgeAccess = "edge-access-control"

// edgeToken finds an edge token in the request's query or cookies: its
// family (words.json's edge-token-params group) and how to quote it (the
// parameter's name and the token's non-secret fields: its expiry, its ACL).
func edgeToken(ex *capture.Exchange) (family, text string) {
	r := ex.Request
	if r == nil {
		return "", ""
	}
	groups := words().edgeTokens
	seen := map[string]string{} // lowered name → value
	if q := weburl.Query(r.URL); q != "" {
		for p := range weburl.Pairs(q) {
			seen[ascii.Lower(p.Key())] = p.Value()
		}
	}
	for _, c := range r.Cookies() {
		seen[ascii.Lower(c.Name)] = c.Value
	}
	for name, v := range seen {
		fam := groupOf(groups, name)
		if fam == "" || !edgeTokenShape(fam, v, seen) {
			continue
		}
		what := "an edge token (" + fam + ") in " + name
		if fam == "edgeauth" {
			what = "an Akamai EdgeAuth token in " + name
			if exp := edgeAuthField(v, "exp"); exp != "" {
				what += " whose exp=" + exp
				if secs, err := strconv.ParseInt(exp, 10, 64); err == nil {
					if date, ok := ResponseDate(&ex.Response); ok {
						if t := time.Unix(secs, 0); date.After(t) {
							what += " is " + HumanSeconds(date.Sub(t).Seconds()) + " before the response's Date (expired)"
						}
					}
				}
			}
		}
		return fam, what
	}
	return "", ""
}

// edgeTokenShape: the value has the family's shape, so a plain token=
// parameter of an API is not taken for an edge token.
func edgeTokenShape(fam, v string, all map[string]string) bool {
	switch fam {
	case "edgeauth": // st=…~exp=…~acl=…~hmac=…
		return strings.Contains(v, "hmac=") && strings.Contains(v, "exp=")
	case "cloudfront": // Key-Pair-Id with Signature (query) or CloudFront-Signature (cookie)
		_, q := all["signature"]
		_, c := all["cloudfront-signature"]
		return v != "" && (q || c)
	case "cloud-cdn": // KeyName with Signature and Expires, or the Cloud-CDN-Cookie
		_, sigOK := all["signature"]
		return v != "" && (sigOK || strings.Contains(v, "Signature="))
	case "verify": // Cloudflare token authentication: <unix time>-<mac>
		t, mac, ok := strings.Cut(v, "-")
		_, err := strconv.ParseInt(t, 10, 64)
		return ok && err == nil && len(t) == 10 && len(mac) >= 16
	}
	return false
}

// edgeAuthField reads a field of an EdgeAuth token (st, exp, acl: not
// secrets; the hmac is not read).
func edgeAuthField(v, key string) string {
	for _, f := range strings.Split(v, "~") {
		if k, x, ok := strings.Cut(f, "="); ok && k == key {
			return capture.Clip(x, 40)
		}
	}
	return ""
}

// authorizerHeader names a response header that names an authorizer or
// entitlement service ("EJ-HOST: authorizer-prod-…"), or "".
func authorizerHeader(m *capture.Message) string {
	for _, f := range m.Fields {
		n, v := ascii.Lower(f.Name), ascii.Lower(f.Value)
		for _, w := range list(authorizerWords) {
			if strings.Contains(n, w) || strings.Contains(v, w) {
				return f.Name + ": " + capture.Clip(f.Value, 80)
			}
		}
	}
	return ""
}

// edgeTokenPublic are the fields of an EdgeAuth token that explain a
// refusal and are not secret: its start, expiry and ACL or URL. The rest
// (hmac; ip, id and data, which may name the client) is masked.
var edgeTokenPublic = map[string]bool{"st": true, "exp": true, "acl": true, "url": true}

// MaskEdgeToken returns v, the value of query parameter or cookie k, with
// only the secret parts of an edge token passed through mask (an EdgeAuth
// token's hmac, a Cloudflare verify= token's MAC), so reports and
// sanitized copies keep what explains the refusal (the expiry, the ACL)
// and the token's shape, which edgeToken reads. ok is false when v is not
// an edge token of that shape (the caller masks it whole, or not at all).
func MaskEdgeToken(k, v string, mask func(string) string) (string, bool) {
	fam := groupOf(words().edgeTokens, ascii.Lower(k))
	if fam == "" {
		return v, false
	}
	if fam == "edgeauth" && !strings.Contains(v, "hmac=") && strings.Contains(v, "%") {
		v = PercentDecode(v) // hdnts=st%3D…%7Eexp%3D…: the fields are encoded
	}
	switch fam {
	case "edgeauth":
		if !edgeTokenShape(fam, v, nil) {
			return v, false
		}
		fields := strings.Split(v, "~")
		for i, f := range fields {
			if name, x, ok := strings.Cut(f, "="); ok && !edgeTokenPublic[name] && x != "" {
				fields[i] = name + "=" + mask(x)
			}
		}
		return strings.Join(fields, "~"), true
	case "verify":
		if !edgeTokenShape(fam, v, nil) {
			return v, false
		}
		t, mac, _ := strings.Cut(v, "-")
		return t + "-" + mask(mac), true
	}
	return v, false
}
