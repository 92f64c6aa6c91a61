// Package weburl answers the questions every stage asks of a captured URL —
// its host, its origin, its path, its query, where its userinfo is — one way
// for all of them, as net/url's parser reads the URL (RFC 3986 §3: the scheme is a
// letter and letters, digits, "+", "-", "."; the authority follows "//" and
// ends at the first "/", "?" or "#"; the userinfo ends at the authority's
// last "@"; an IPv6 host is bracketed). The tests hold it to net/url on odd
// inputs.
//
// Unlike net/url it never fails and never allocates but to lower a host
// that has upper-case letters: a capture's URL is whatever the client sent,
// and the analyzer asks these questions of every exchange. It does not
// unescape (a host or a path is returned as written) and it lowers hosts
// and origins.
package weburl

import (
	"errors"
	"iter"
	"strconv"
	"strings"

	"why401/internal/ascii"
)

// Split cuts u into its scheme (as written, "" when none), its authority
// ("user@host:port", as written) and the rest (path, query, fragment).
// hasAuth is set when u has an authority part ("scheme://…" or "//…"),
// even an empty one.
func Split(u string) (scheme, authority, rest string, hasAuth bool) {
	rest = u
	if s, r, ok := cutScheme(u); ok {
		scheme, rest = s, r
	}
	if !strings.HasPrefix(rest, "//") || scheme == "" && strings.HasPrefix(rest, "///") {
		return scheme, "", rest, false
	}
	authority = rest[2:]
	if i := strings.IndexAny(authority, "/?#"); i >= 0 {
		authority, rest = authority[:i], authority[i:]
	} else {
		rest = ""
	}
	return scheme, authority, rest, true
}

// cutScheme splits "scheme:rest" when u starts with a scheme (RFC 3986 §3.1).
func cutScheme(u string) (scheme, rest string, ok bool) {
	for i := 0; i < len(u); i++ {
		switch c := u[i]; {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.':
			if i == 0 {
				return "", u, false
			}
		case c == ':' && i > 0:
			return u[:i], u[i+1:], true
		default:
			return "", u, false
		}
	}
	return "", u, false
}

// IsAbsolute reports whether u is "scheme://authority…".
func IsAbsolute(u string) bool {
	scheme, _, _, hasAuth := Split(u)
	return scheme != "" && hasAuth
}

// Host is u's host, lower-cased, without userinfo, port or an IPv6 host's
// brackets (net/url's Hostname): "example.com" for
// "https://user@Example.com:8443/x". A CONNECT's authority-form target
// ("api.example.com:443") is its host too; an origin-form target ("/x") or
// any other string has none: "".
func Host(u string) string {
	if _, authority, _, ok := Split(u); ok {
		return HostOf(authority)
	}
	if u != "" && u[0] != '/' && strings.IndexByte(u, ':') > 0 && !strings.ContainsAny(u, "/?# ") {
		return HostOf(u) // authority-form (RFC 9112 §3.2.3)
	}
	return ""
}

// HostOf is the host of an authority ("user@Host:port", a Host field's
// value), lower-cased, without userinfo, port or brackets.
func HostOf(authority string) string {
	h := HostPort(authority)
	if strings.HasPrefix(h, "[") {
		if i := strings.IndexByte(h, ']'); i > 0 {
			return ascii.Lower(h[1:i])
		}
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	return ascii.Lower(h)
}

// HostPort is an authority ("user@Host:8443") without its userinfo
// ("Host:8443"), as written.
func HostPort(authority string) string {
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		return authority[i+1:]
	}
	return authority
}

// Origin is "scheme://host[:port]" of an absolute URL, lower-cased and
// without userinfo; "" when u is not absolute.
func Origin(u string) string {
	scheme, authority, _, ok := Split(u)
	if scheme == "" || !ok {
		return ""
	}
	return ascii.Lower(scheme + "://" + HostPort(authority))
}

// Path is u's path as written, without query or fragment; "/" when it has
// none ("https://example.com", "?q", "").
func Path(u string) string {
	_, _, rest, _ := Split(u)
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	if rest == "" {
		return "/"
	}
	return rest
}

// Query is u's query as written, without the "?" and the fragment; "" when
// it has none (net/url's RawQuery).
func Query(u string) string {
	_, _, rest, _ := Split(u)
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	_, q, _ := strings.Cut(rest, "?")
	return q
}

// Userinfo returns where u's userinfo stands: u[start:end] is "user:pass"
// (without the "@"); ok is false when u has none.
func Userinfo(u string) (start, end int, ok bool) {
	_, authority, rest, hasAuth := Split(u)
	if !hasAuth {
		return 0, 0, false
	}
	i := strings.LastIndexByte(authority, '@')
	if i < 0 {
		return 0, 0, false
	}
	start = len(u) - len(rest) - len(authority)
	return start, start + i, true
}

// QueryUnescape decodes one key or value of a query or of a urlencoded
// form, as net/url's QueryUnescape does: "+" is a space, "%XX" the byte it
// names. ok is false when a "%" is not followed by two hex digits; such a
// "%" is kept as written and the rest is still decoded, so a caller that
// only reads (a credential's value, a WAF trigger) takes the result and one
// that must refuse bad input (the worker's query) checks ok.
//
// It is written out rather than taken from net/url, which brings net/netip
// and unique into the page's and the worker's wasm (issue 35).
func QueryUnescape(s string) (_ string, ok bool) {
	if !strings.ContainsAny(s, "%+") {
		return s, true
	}
	ok = true
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		case c == '%':
			ok = false
			b = append(b, c)
		default:
			b = append(b, c)
		}
	}
	return string(b), ok
}

// Pair is one key=value piece of a query or of a urlencoded form, as
// written: Key and Value decode it.
type Pair struct {
	Raw      string // the piece between two "&", "k=v"
	RawKey   string // Raw before its first "="
	RawValue string // Raw after its first "=", "" when it has none
	HasValue bool   // Raw holds a "="
}

// Key is the pair's key decoded as QueryUnescape does ("+" a space, a bad
// "%" kept as written).
func (p Pair) Key() string { k, _ := QueryUnescape(p.RawKey); return k }

// Value is the pair's value decoded as QueryUnescape does.
func (p Pair) Value() string { v, _ := QueryUnescape(p.RawValue); return v }

// Pairs yields the pairs of a query (without its "?") or of a urlencoded
// form body in order, as net/url's ParseQuery cuts them: at each "&", an
// empty piece skipped, each piece cut at its first "="; a repeated key is
// yielded each time. It does not allocate: the pairs are slices of s.
// The one "k=v&" reader of the module: every stage that reads a query or a
// form reads it through Pairs (or ParseQuery).
func Pairs(s string) iter.Seq[Pair] {
	return func(yield func(Pair) bool) {
		for rest := s; rest != ""; {
			var kv string
			kv, rest, _ = strings.Cut(rest, "&")
			if kv == "" {
				continue
			}
			k, v, eq := strings.Cut(kv, "=")
			if !yield(Pair{Raw: kv, RawKey: k, RawValue: v, HasValue: eq}) {
				return
			}
		}
	}
}

// ParseQuery is net/url's ParseQuery without net/url (which the page must
// not link): each key's decoded values in order, and an error for the first
// piece that holds a ";" or a bad "%" escape, which is left out.
func ParseQuery(s string) (map[string][]string, error) {
	m := map[string][]string{}
	var err error
	for p := range Pairs(s) {
		if strings.IndexByte(p.Raw, ';') >= 0 {
			if err == nil {
				err = errors.New("invalid semicolon separator in query")
			}
			continue
		}
		k, ok1 := QueryUnescape(p.RawKey)
		v, ok2 := QueryUnescape(p.RawValue)
		if !ok1 || !ok2 {
			if err == nil {
				err = errors.New("invalid URL escape in " + strconv.Quote(p.Raw))
			}
			continue
		}
		m[k] = append(m[k], v)
	}
	return m, err
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
