package knowledge

import (
	"strings"
	"testing"
)

// TestCompileProxyProvidersChecks: a provider with a bad user_regex, a host
// that is no domain name or a missing fact is left out and named; the
// others load.
func TestCompileProxyProvidersChecks(t *testing.T) {
	good := ProxyProvider{ID: "good", Name: "Good", Hosts: []string{"proxy.good.example"}, UserRegex: `^user-`, UserFormat: "user-…", Password: "p", Sources: []string{"https://good.example/"}}
	mk := func(id string, f func(*ProxyProvider)) ProxyProvider {
		p := good
		p.ID = id
		f(&p)
		return p
	}
	list := []ProxyProvider{
		good,
		mk("badre", func(p *ProxyProvider) { p.UserRegex = "user-(" }),
		mk("badhost", func(p *ProxyProvider) { p.Hosts = []string{"http://Proxy.example:8080"} }),
		mk("nofacts", func(p *ProxyProvider) { p.Sources = nil }),
		mk("good", func(*ProxyProvider) {}),
	}
	out, err := compileProxyProviders(list)
	if len(out) != 1 || out[0].ID != "good" || !out[0].MatchUser("user-1") {
		t.Errorf("loaded %+v, want only the good provider, compiled", out)
	}
	for _, want := range []string{`"badre": user_regex`, `"badhost": host "http://Proxy.example:8080"`, `"nofacts": lacks`, `"good": duplicate id`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to name %s", err, want)
		}
	}
}
