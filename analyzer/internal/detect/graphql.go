package detect

import (
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
)

// graphqlSignals reads a GraphQL answer's own refusal. GraphQL servers
// answer 200 (or any status) with {"errors": [{"message": …, "extensions":
// {"code": "UNAUTHENTICATED"}}]}: the code, not the status, says what
// happened. The codes are words.json's graphql-error-codes (Apollo Server's
// UNAUTHENTICATED and FORBIDDEN, GitHub's RATE_LIMITED and
// INSUFFICIENT_SCOPES types, Shopify's THROTTLED, graphql-java's
// classification, AppSync's errorType, Hasura's invalid-jwt), each group's
// value a reading: auth, forbidden, scope or rate_limit.
//
// An authentication code does not say whether a credential was missing or
// refused: the request does (nothing sent, a session cookie only, or a
// token or key).
func graphqlSignals(ex *capture.Exchange, lb *respBody) []Signal {
	body := ex.Response.Body
	if len(body) == 0 || !lb.isJSON() {
		return nil
	}
	errs := gjson.GetBytes(body, "errors")
	if !errs.IsArray() {
		return nil
	}
	groups := words().graphqlCodes
	var out []Signal
	i := -1
	errs.ForEach(func(_, e gjson.Result) bool {
		i++
		if i >= 20 {
			return false
		}
		if !e.IsObject() || e.Get("message").Type != gjson.String {
			return true // not a GraphQL error
		}
		for _, p := range graphqlCodePaths {
			v := e.Get(p)
			if v.Type != gjson.String {
				continue
			}
			code := strings.TrimSpace(v.String())
			reading := groupOf(groups, strings.ToUpper(code))
			if reading == "" {
				continue
			}
			out = append(out, graphqlSignal(ex, reading, "errors."+strconv.Itoa(i)+"."+p+" = "+strconv.Quote(capture.Clip(code, 60))))
			return false
		}
		return true
	})
	return out
}

// graphqlCodePaths are where GraphQL servers put an error's code: the
// spec's extensions (Apollo, Hasura, Shopify), graphql-java's
// classification, GitHub's type, AppSync's errorType.
var graphqlCodePaths = []string{"extensions.code", "extensions.classification", "type", "errorType", "extensions.errorType"}

func graphqlSignal(ex *capture.Exchange, reading, where string) Signal {
	s := Signal{ID: "graphql-" + reading, Weight: 0.9, Where: WhereBody, Entry: -1,
		Params: map[string]string{"api": "GraphQL"}}
	switch reading {
	case "auth":
		s.Kind = knowledge.KindAuth
		s.Cause, s.Scheme = requestCause(ex)
		s.Text = where + ": the GraphQL server refused to authenticate the request, whatever the status"
	case "forbidden":
		s.Kind, s.Cause = knowledge.KindForbidden, "insufficient_permissions"
		s.Text = where + ": the GraphQL server knows who asked and refused the operation or a field of it"
	case "scope":
		s.Kind, s.Cause = knowledge.KindForbidden, "insufficient_scope"
		s.Text = where + ": the token lacks a scope the query needs (the message names it)"
	case "rate_limit":
		s.Kind, s.Cause = knowledge.KindRateLimit, "rate_limit"
		s.Text = where + ": the GraphQL server's rate limit (points or requests) is spent"
		s = readRateLimit(&ex.Response).quote(s)
	default:
		return Signal{}
	}
	if s.Kind != knowledge.KindRateLimit && s.Scheme == "" {
		_, s.Scheme = requestCause(ex)
	}
	return s
}

// requestCause says, from what the request carried, why an authentication
// failure the server did not explain happened: no credential
// (missing_credentials), only a session cookie (expired_session: the
// session ended or was never valid here), or a token or key the server
// refused (invalid_credentials); with the scheme of what was sent. ""
// without the request.
func requestCause(ex *capture.Exchange) (cause, scheme string) {
	if ex.Request == nil {
		return "", ""
	}
	creds := credentialsOf(ex)
	if len(creds) == 0 {
		return "missing_credentials", ""
	}
	for _, c := range creds {
		if c.Scheme != "cookie" {
			return "invalid_credentials", c.Scheme
		}
	}
	return "expired_session", "cookie"
}
