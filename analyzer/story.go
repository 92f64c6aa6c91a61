package analyzer

import "strings"

// story is the small state carried from one exchange to the next, so that a
// failing exchange can be explained by what happened earlier in the capture.
// It keeps facts (cookies set, tokens seen, redirects), never whole entries,
// so a HAR of any size is read in bounded memory.
type story struct {
	sawCredentialHeader bool // some entry carried Cookie, Authorization or Set-Cookie
	failures            int  // exchanges answered 401/403/407
}

func newStory() *story { return &story{} }

// observe returns context signals for ex drawn from earlier exchanges, then
// records what ex teaches for later ones.
func (s *story) observe(ex *Exchange) []Signal {
	if ex.Request != nil && (ex.Request.Has("Cookie") || ex.Request.Has("Authorization")) || ex.Response.Has("Set-Cookie") {
		s.sawCredentialHeader = true
	}
	switch ex.Response.Status {
	case 401, 403, 407:
		s.failures++
	}
	return nil
}

// finish adds what can only be said once every exchange was seen.
func (s *story) finish(r *Report, w *warnings) {
	if r.Input.Format != "har" || s.sawCredentialHeader || s.failures == 0 {
		return
	}
	p := strings.ToLower(string(r.Input.Producer))
	if p == "chrome" || p == "edge" || p == "" {
		w.add("sanitized", "this HAR has no Cookie, Authorization or Set-Cookie header anywhere: it looks sanitized (Chrome 130+ and Edge strip them by default), so \"no credentials sent\" may be wrong. Re-export with \"Export HAR (with sensitive data)\"; why401 keeps it on your machine and shows only fingerprints.")
	}
}
