package capture

import (
	"strings"
	"time"

	"why401/internal/ascii"
	"why401/internal/weburl"
)

// Field is one header line, kept in the order it arrived. Duplicates are kept:
// several WWW-Authenticate or Set-Cookie fields are normal.
type Field struct {
	Name  string
	Value string
}

// Message is a request or a response as read from a capture.
type Message struct {
	// Proto is the protocol as the capture spelled it ("HTTP/1.1", "HTTP/2", "h3"), maybe empty.
	Proto string
	// Method and URL are set on requests. URL is absolute when the capture knows the host.
	Method string
	URL    string
	// Status and Reason are set on responses. Status 0 means no response arrived (HAR).
	Status int
	Reason string
	// Fields are the header fields in order, pseudo-headers (":status") removed.
	Fields []Field
	// Body is the (decoded) body, at most Limits.BodyBytes long.
	Body []byte
	// BodyTruncated is set when the body was cut at Limits.BodyBytes.
	BodyTruncated bool
	// BodyRedacted is set when the capture replaced the body with a placeholder.
	BodyRedacted bool
}

// Get returns the first value of the named field (ASCII case-insensitive), or "".
func (m *Message) Get(name string) string {
	if m == nil {
		return ""
	}
	for _, f := range m.Fields {
		if ascii.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Has reports whether the named field is present.
func (m *Message) Has(name string) bool {
	if m == nil {
		return false
	}
	for _, f := range m.Fields {
		if ascii.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

// Values returns every value of the named field, in order.
func (m *Message) Values(name string) []string {
	if m == nil {
		return nil
	}
	var out []string
	for _, f := range m.Fields {
		if ascii.EqualFold(f.Name, name) {
			out = append(out, f.Value)
		}
	}
	return out
}

// Cookie is one cookie: from a request's Cookie field or a response's Set-Cookie.
type Cookie struct {
	Name  string
	Value string
	// Attrs holds Set-Cookie attributes, names lower-cased ("domain", "path",
	// "samesite", "secure", "max-age", "expires", "httponly").
	Attrs map[string]string
}

// Cookies returns the cookies a request sent (Cookie fields).
func (m *Message) Cookies() []Cookie {
	var out []Cookie
	for _, v := range m.Values("Cookie") {
		for part := range strings.SplitSeq(v, ";") {
			name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
			if name != "" {
				out = append(out, Cookie{Name: name, Value: value})
			}
		}
	}
	return out
}

// SetCookies returns the cookies a response set (Set-Cookie fields).
func (m *Message) SetCookies() []Cookie {
	var out []Cookie
	for _, v := range m.Values("Set-Cookie") {
		if c, ok := ParseSetCookie(v); ok {
			out = append(out, c)
		}
	}
	return out
}

func ParseSetCookie(v string) (Cookie, bool) {
	parts := strings.Split(v, ";")
	name, value, ok := strings.Cut(strings.TrimSpace(parts[0]), "=")
	if !ok || strings.TrimSpace(name) == "" {
		return Cookie{}, false
	}
	c := Cookie{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)}
	for _, p := range parts[1:] {
		k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
		if k == "" {
			continue
		}
		if c.Attrs == nil {
			c.Attrs = map[string]string{}
		}
		c.Attrs[ascii.Lower(k)] = strings.TrimSpace(val)
	}
	return c, true
}

// Exchange is one request (when the capture has it) and its response.
type Exchange struct {
	// Index is the position in the capture: the HAR entry index, or the n-th response of a paste.
	Index    int
	Request  *Message
	Response Message
	// Started is when the request started (HAR startedDateTime); zero when unknown.
	Started time.Time
	// ResourceType is the HAR _resourceType ("document", "xhr", "fetch", "preflight", …).
	ResourceType string
	// ClientError is a HAR _error/_failureText for status-0 entries ("net::ERR_BLOCKED_BY_CLIENT").
	ClientError string
	// Mocked is set for Playwright entries whose response was fulfilled by a route (_wasFulfilled).
	Mocked bool
	// APIRequest is set for Playwright entries made by its APIRequestContext
	// (_apiRequest): sent by the test runner, not by the page, so no browser
	// headers or cookies are expected on them.
	APIRequest bool
	// Info holds curl -v info lines worth keeping (TLS, ALPN, proxy).
	Info []string
	// FromHAR marks an exchange read from a HAR file (a HAR zip's too).
	FromHAR bool
	// Producer is the HAR's producer id ("chrome", "insomnia", …) as its
	// log.creator said before this entry; FetchCopy for a DevTools "Copy
	// as fetch" paste; "" when unknown or not a HAR.
	Producer string

	// Credentials are the request's credentials as the detect stage reads
	// them, parsed once per exchange for every detector and the story
	// (detect's credentialsOf fills it on first use): nil until then,
	// non-nil (maybe empty) once read. A stage that changes the request
	// after that sets it back to nil.
	Credentials []Credential
}

// Credential is one credential a request presented, as far as the capture
// shows (the detect stage reads them).
type Credential struct {
	Where  string // "Authorization", "X-Api-Key", "cookie session", "query access_token"
	Scheme string // report scheme vocabulary: bearer, basic, apikey, cookie, …
	Raw    string // the credential itself: never shown, only fingerprinted
	Kind   string // CredentialKind(Raw)
	// Word is the scheme word as sent in Authorization ("Bearer", "token"),
	// "" when the value has none; never shown unless detect.SchemeID knows it.
	Word string
}

// Host returns the request's host, lower-cased, without userinfo or port
// (weburl.Host): from the URL when it is absolute, else from the Host field;
// "" when unknown.
func (e *Exchange) Host() string {
	if e.Request == nil {
		return ""
	}
	if u := e.Request.URL; weburl.IsAbsolute(u) {
		return weburl.Host(u)
	}
	return weburl.HostOf(e.Request.Get("Host"))
}
