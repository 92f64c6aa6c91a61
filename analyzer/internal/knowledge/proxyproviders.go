package knowledge

import (
	_ "embed"
	"errors"
	"regexp"
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

// ProxyProviders returns proxy_providers.json's providers, compiled, or
// its first error (read with jsonfill, as the other loaders: no
// encoding/json in the page's wasm).
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

func compileProxyProviders(list []ProxyProvider) ([]ProxyProvider, error) {
	for i := range list {
		p := &list[i]
		if p.ID == "" || p.Name == "" || len(p.Hosts) == 0 || p.UserFormat == "" || p.Password == "" || len(p.Sources) == 0 {
			return nil, errors.New("knowledge: proxy_providers.json: provider " + p.ID + " lacks id, name, hosts, user_format, password or sources")
		}
		if p.UserRegex != "" {
			re, err := regexp.Compile(p.UserRegex)
			if err != nil {
				return nil, errors.New("knowledge: proxy_providers.json: " + p.ID + ": " + err.Error())
			}
			p.userRe = re
		}
		switch p.TargetingIn {
		case "", "user", "password":
		default:
			return nil, errors.New("knowledge: proxy_providers.json: " + p.ID + ": targeting_in is \"user\" or \"password\", not " + p.TargetingIn)
		}
		if p.MisplacedRegex != "" {
			if p.TargetingIn != "password" {
				return nil, errors.New("knowledge: proxy_providers.json: " + p.ID + ": misplaced_regex is for a provider whose targeting_in is \"password\"")
			}
			re, err := regexp.Compile(p.MisplacedRegex)
			if err != nil {
				return nil, errors.New("knowledge: proxy_providers.json: " + p.ID + ": " + err.Error())
			}
			p.misplacedRe = re
		}
	}
	return list, nil
}
