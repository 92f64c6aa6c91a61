package capture

import (
	"strconv"
	"strings"
)

// Captures hold live tokens and cookies. Nothing in a report may echo one:
// every credential is shown as a fingerprint — its kind, its length and, when
// it is long enough that this reveals nothing useful, its last four characters.

// Fingerprint returns "[kind len=N …abcd]" for a secret.
func Fingerprint(kind, secret string) string {
	if kind == "" {
		kind = CredentialKind(secret)
	}
	var b strings.Builder
	b.WriteString("[")
	b.WriteString(kind)
	b.WriteString(" len=")
	b.WriteString(strconv.Itoa(len(secret)))
	if len(secret) >= 16 {
		last := secret[len(secret)-4:]
		if isPrintableASCII(last) {
			b.WriteString(" …")
			b.WriteString(last)
		}
	}
	b.WriteString("]")
	return b.String()
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\' || s[i] == '<' || s[i] == '>' {
			return false
		}
	}
	return true
}

// KeyPrefixes name a credential by its prefix (auth.md §5.7).
var KeyPrefixes = []struct{ Prefix, Kind string }{
	{"github_pat_", "github-pat"}, {"ghp_", "github-pat"}, {"gho_", "github-oauth"}, {"ghu_", "github-user-token"},
	{"ghs_", "github-app-token"}, {"ghr_", "github-refresh-token"}, {"glpat-", "gitlab-pat"},
	{"xoxb-", "slack-bot-token"}, {"xoxp-", "slack-user-token"}, {"xapp-", "slack-app-token"}, {"xoxe", "slack-refresh-token"},
	{"sk_live_", "stripe-live-key"}, {"sk_test_", "stripe-test-key"}, {"rk_live_", "stripe-restricted-key"}, {"rk_test_", "stripe-restricted-key"},
	{"sk-ant-", "anthropic-key"}, {"sk-proj-", "openai-project-key"}, {"sk-", "openai-key"},
	{"SG.", "sendgrid-key"}, {"shpat_", "shopify-token"}, {"shpca_", "shopify-token"}, {"shpss_", "shopify-secret"},
	{"AKIA", "aws-access-key"}, {"ASIA", "aws-session-key"}, {"ya29.", "google-oauth-token"}, {"AIza", "google-api-key"},
	{"hvs.", "vault-token"}, {"hvb.", "vault-batch-token"}, {"dckr_pat_", "dockerhub-pat"}, {"npm_", "npm-token"},
	{"eyJ", "jwt"}, {"TlRMTVNTUA", "ntlm-message"}, {"YII", "kerberos-token"},
}

// CredentialKind guesses what a credential is from its shape.
func CredentialKind(v string) string {
	for _, p := range KeyPrefixes {
		if strings.HasPrefix(v, p.Prefix) {
			if p.Kind == "jwt" && strings.Count(v, ".") == 4 {
				return "jwe"
			}
			return p.Kind
		}
	}
	return "secret"
}

// MaskTokenShapes fingerprints words that look like credentials: a known key
// prefix followed by a long run, or a JWT.
func MaskTokenShapes(text string) string {
	return MapRuns(text, 20, maskToken) // LooksSecret wants runs of 20 or more
}

func maskToken(w string) string {
	if LooksSecret(w) {
		// The run may end with the sentence's period: it stays text.
		t := strings.TrimRight(w, ".")
		return Fingerprint("", t) + w[len(t):]
	}
	return w
}

// MapRuns calls fn with each run of token characters (credChars) of at
// least min bytes in text and puts what fn returns in its place: the one
// scan of the secret-shape checks (MaskTokenShapes, the detectors' value
// check, the sanitizer's).
func MapRuns(text string, min int, fn func(run string) string) string {
	if len(text) < min {
		return text
	}
	var b strings.Builder
	i, last := 0, 0
	for i < len(text) {
		if !credChars[text[i]] {
			i++
			continue
		}
		j := i + 1
		for j < len(text) && credChars[text[j]] {
			j++
		}
		if j-i >= min {
			if w := fn(text[i:j]); w != text[i:j] {
				b.WriteString(text[last:i])
				b.WriteString(w)
				last = j
			}
		}
		i = j
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// MapUserinfo calls fn with the user:password of each URL in text
// (scheme://user:pass@host) and puts what fn returns in its place.
func MapUserinfo(text string, fn func(userinfo string) string) string {
	from := 0
	for {
		i := strings.Index(text[from:], "://")
		if i < 0 {
			return text
		}
		start := from + i + 3
		end := start
		for end < len(text) && strings.IndexByte("/?#\"'<> \t\r\n", text[end]) < 0 {
			end++
		}
		if at := strings.LastIndexByte(text[start:end], '@'); at > 0 {
			ui := fn(text[start : start+at])
			text = text[:start] + ui + text[start+at:]
			end = start + len(ui) + (end - start - at)
		}
		from = end
	}
}

func IsCredChar(c byte) bool { return credChars[c] }

// credChars: the bytes of a token, key or base64 value.
var credChars = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		t[c] = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-' || b == '.' || b == '+' || b == '/' || b == '='
	}
	return t
}()

func LooksSecret(w string) bool {
	w = strings.TrimRight(w, ".")
	if len(w) < 20 {
		return false
	}
	if strings.HasPrefix(w, "eyJ") && strings.Count(w, ".") >= 2 {
		return true
	}
	for _, p := range KeyPrefixes {
		if p.Kind != "jwt" && strings.HasPrefix(w, p.Prefix) && len(w) >= len(p.Prefix)+16 {
			return true
		}
	}
	return false
}
