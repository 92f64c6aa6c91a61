package knowledge

import (
	_ "embed"
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// ProxyProvider is one scraping-proxy provider of proxy_providers.json: how
// its proxy is recognised (its host, its user-name format) and what its
// documentation says the credentials are.
type ProxyProvider struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Hosts are domain names: the proxy's host is one or under one.
	Hosts []string `json:"hosts"`
	// UserRegex matches the proxy user name this provider's format gives.
	UserRegex string `json:"user_regex,omitempty"`
	// TargetingIn is the credential that carries the provider's targeting
	// (country, session …): "user" (the default) or "password".
	TargetingIn string `json:"targeting_in,omitempty"`
	// MisplacedRegex, for a provider whose targeting goes in the password,
	// finds that targeting sent in the user name instead.
	MisplacedRegex string `json:"misplaced_regex,omitempty"`
	// UserFormat, Password and Where are fix text: the user-name format,
	// what the password is, where the dashboard shows both.
	UserFormat string   `json:"user_format"`
	Password   string   `json:"password"`
	Where      string   `json:"where"`
	Sources    []string `json:"sources"`

	userRe, misplacedRe *regexp.Regexp
}

// MatchHost: host (lowered, no port) is one of the provider's domains or
// under one.
func (p *ProxyProvider) MatchHost(host string) bool {
	for _, h := range p.Hosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return true
		}
	}
	return false
}

// MatchUser: the proxy user name has the provider's format.
func (p *ProxyProvider) MatchUser(user string) bool {
	return p.userRe != nil && p.userRe.MatchString(user)
}

// Misplaced returns the part of the proxy user name, from its first
// targeting parameter on, that this provider reads from the password
// (TargetingIn "password"), or "" when the user name carries none.
func (p *ProxyProvider) Misplaced(user string) string {
	if p.misplacedRe == nil {
		return ""
	}
	if loc := p.misplacedRe.FindStringIndex(user); loc != nil {
		return user[loc[0]:]
	}
	return ""
}

//go:embed proxy_providers.json
var proxyProvidersJSON []byte

type proxyProvidersFile struct {
	Notes     string          `json:"notes"`
	Providers []ProxyProvider `json:"providers"`
}

// ProxyProviders returns proxy_providers.json's providers, compiled and
// checked (read with jsonfill, as the other loaders: no encoding/json in
// the page's wasm), and the errors of the providers left out, each named
// (noted for Err).
var ProxyProviders = loader(func() ([]ProxyProvider, error) {
	var f proxyProvidersFile
	if err := load("proxy_providers.json", proxyProvidersJSON, &f); err != nil {
		return nil, err
	}
	return compileProxyProviders(f.Providers)
})

// DecodeProxyProviders decodes proxy_providers.json strictly (the tests'
// check; encoding/json): an unknown key or a wrong type fails.
func DecodeProxyProviders(data []byte) ([]ProxyProvider, error) {
	var f proxyProvidersFile
	if err := decodeKnowledge("proxy_providers.json", data, &f); err != nil {
		return nil, err
	}
	return compileProxyProviders(f.Providers)
}

// compileProxyProviders compiles and checks each provider at load: one
// that lacks a fact, has a host that is no lower-case domain name or a
// user_regex that does not compile is left out, and the error names it
// (the others still load).
func compileProxyProviders(list []ProxyProvider) ([]ProxyProvider, error) {
	var errs []string
	out := list[:0:0]
	seen := map[string]bool{}
	for i := range list {
		p := list[i]
		if err := checkProxyProvider(&p, seen); err != nil {
			errs = append(errs, "analyzer: proxy_providers.json: provider "+strconv.Quote(p.ID)+": "+err.Error())
			continue
		}
		out = append(out, p)
	}
	if len(errs) > 0 {
		return out, errors.New(strings.Join(errs, "\n"))
	}
	return out, nil
}

func checkProxyProvider(p *ProxyProvider, seen map[string]bool) error {
	switch {
	case p.ID == "" || p.Name == "" || len(p.Hosts) == 0 || p.UserFormat == "" || p.Password == "" || len(p.Sources) == 0:
		return errors.New("lacks id, name, hosts, user_format, password or sources")
	case seen[p.ID]:
		return errors.New("duplicate id")
	}
	seen[p.ID] = true
	for _, h := range p.Hosts {
		if !domainName(h) {
			return errors.New("host " + strconv.Quote(h) + " is not a lower-case domain name (no scheme, port, path or leading dot)")
		}
	}
	switch p.TargetingIn {
	case "", "user", "password":
	default:
		return errors.New("targeting_in is \"user\" or \"password\", not " + strconv.Quote(p.TargetingIn))
	}
	if p.MisplacedRegex != "" {
		if p.TargetingIn != "password" {
			return errors.New("misplaced_regex is for a provider whose targeting_in is \"password\"")
		}
		re, err := regexp.Compile(p.MisplacedRegex)
		if err != nil {
			return errors.New("misplaced_regex: " + err.Error())
		}
		p.misplacedRe = re
	}
	if p.UserRegex != "" {
		re, err := regexp.Compile(p.UserRegex)
		if err != nil {
			return errors.New("user_regex: " + err.Error())
		}
		p.userRe = re
	}
	return nil
}

// domainName: h is "example.com" as MatchHost compares it: lower-case
// letters, digits, "-" and inner dots.
func domainName(h string) bool {
	if h == "" || h[0] == '.' || h[len(h)-1] == '.' || !strings.Contains(h, ".") || strings.Contains(h, "..") {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
