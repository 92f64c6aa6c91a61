package knowledge

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestWordListsLoad: words.json loads, and the checks refuse the mistakes
// they are for, naming the entry.
func TestWordListsLoad(t *testing.T) {
	if _, err := WordLists(); err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		`[{"id":"a","words":["w"]},{"id":"a","words":["v"]}]`: `entry 1 ("a"): a unique id is required`,
		`[{"id":"a"}]`: `words or groups are required, not both`,
		`[{"id":"a","words":["w"],"groups":[{"value":"v","words":["w"]}]}]`:               `words or groups are required, not both`,
		`[{"id":"a","words":["Word"]}]`:                                                   `"Word" is not in the list's case (upper: false)`,
		`[{"id":"a","upper":true,"words":["word"]}]`:                                      `"word" is not in the list's case (upper: true)`,
		`[{"id":"a","words":["w","w"]}]`:                                                  `"w" is listed twice`,
		`[{"id":"a","words":[" w"]}]`:                                                     `empty word, or spaces around " w"`,
		`[{"id":"a","groups":[{"value":"v","words":[]}]}]`:                                `each group needs a value of its own and words`,
		`[{"id":"a","groups":[{"value":"v","words":["a"]},{"value":"v","words":["b"]}]}]`: `each group needs a value of its own and words`,
		`[{"id":"a","about":"x","words":["w"]}]`:                                          `json: unknown field "about"`,
	} {
		list, err := DecodeWordLists("words.json", []byte(in))
		if err == nil {
			seen := map[string]*WordList{}
			for i := range list {
				if err = checkWordList(&list[i], seen); err != nil {
					break
				}
				seen[list[i].ID] = &list[i]
			}
		}
		if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(want, `entry 1 ("a"): `)) {
			t.Errorf("%s: error %v, want %q", in, err, want)
		}
	}
	// Every list has its row in README.md's table, and every row its list.
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]bool{}
	for _, line := range strings.Split(string(readme), "\n") {
		if id, ok := strings.CutPrefix(line, "| `"); ok {
			if id, _, ok = strings.Cut(id, "` |"); ok {
				rows[id] = true
			}
		}
	}
	lists, _ := WordLists()
	for id := range lists {
		if !rows[id] {
			t.Errorf("words.json list %q has no row in README.md's table", id)
		}
		delete(rows, id)
	}
	for id := range rows {
		if strings.Contains(id, "/") || strings.HasSuffix(id, ".json") {
			continue // the table of files
		}
		t.Errorf("README.md's table has a row for %q, which words.json does not list", id)
	}
	if _, err := WordListByID("no-such-list", false); err == nil {
		t.Error(`WordListByID("no-such-list"): no error`)
	}
	if _, err := WordListByID("auth-words", true); err == nil {
		t.Error(`WordListByID("auth-words", groups): no error for a list of words`)
	}
	if _, err := WordListByID("client-errors", false); err == nil {
		t.Error(`WordListByID("client-errors", words): no error for a list of groups`)
	}
}

// TestProxyProviderMisplaced: a provider that reads targeting from the
// password finds it sent in the user name (from the first parameter on),
// and not in a bare user name or another provider's hyphenated format.
func TestProxyProviderMisplaced(t *testing.T) {
	list, err := ProxyProviders()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*ProxyProvider{}
	for i := range list {
		byID[list[i].ID] = &list[i]
	}
	for _, c := range []struct{ id, user, want string }{
		{"iproyal", "u7HqLxK9_country-de_session-Qx7m2Kp9_lifetime-30m", "_country-de_session-Qx7m2Kp9_lifetime-30m"},
		{"iproyal", "u7HqLxK9", ""},
		{"iproyal", "user-u7-country-de", ""},
		{"evomi", "testuser_country-US", "_country-US"},
		{"oxylabs", "customer-u_country-de", ""}, // user-targeting provider: never misplaced
	} {
		p := byID[c.id]
		if p == nil {
			t.Fatalf("no provider %s", c.id)
		}
		if got := p.Misplaced(c.user); got != c.want {
			t.Errorf("%s.Misplaced(%q) = %q, want %q", c.id, c.user, got, c.want)
		}
	}
}

// TestProxyProvidersLoad: proxy_providers.json decodes, each provider has
// its facts and sources, and each user_regex takes its own documented
// example and not another provider's.
func TestProxyProvidersLoad(t *testing.T) {
	list, err := ProxyProviders()
	if err != nil {
		t.Fatal(err)
	}
	strict, err := DecodeProxyProviders(proxyProvidersJSON)
	if err != nil {
		t.Fatal(err)
	}
	if len(strict) != len(list) {
		t.Fatalf("strict decoding reads %d providers, the loader %d", len(strict), len(list))
	}
	for i := range list {
		a, b := list[i], strict[i]
		a.userRe, b.userRe = nil, nil
		a.misplacedRe, b.misplacedRe = nil, nil
		if !reflect.DeepEqual(a, b) {
			t.Errorf("provider %s: the loader reads %+v, strict decoding %+v", a.ID, a, b)
		}
	}
	examples := map[string]string{
		"oxylabs": "customer-USERNAME-cc-US-city-london-sessid-abc123", "decodo": "user-USER-country-us-session-abc",
		"soax": "package-123456-country-us-sessionid-abc", "scraperapi": "scraperapi.session_number=123", "nimble": "account-acme-pipeline-main-country-us",
		"netnut": "USERNAME-res-nl-sid-44575",
		// Known by their host only (no user_regex): their user name is
		// the bare proxy user, which no provider's format takes.
		"iproyal": "u7HqLxK9", "evomi": "testuser", "webshare": "myuser-us-1234",
	}
	for _, p := range list {
		ex, ok := examples[p.ID]
		if !ok {
			t.Errorf("%s: no example user name in this test", p.ID)
			continue
		}
		for _, q := range list {
			if got := q.MatchUser(ex); got != (q.ID == p.ID && p.UserRegex != "") {
				t.Errorf("%s.MatchUser(%q) = %v", q.ID, ex, got)
			}
		}
		if !p.MatchHost(p.Hosts[0]) || !p.MatchHost("pr."+p.Hosts[0]) || p.MatchHost("not"+p.Hosts[0]) {
			t.Errorf("%s: MatchHost does not hold to its domains", p.ID)
		}
	}
	// Bright Data's user names have their own vendor file: no provider here takes them.
	for _, p := range list {
		if p.MatchUser("brd-customer-hl_1-zone-x") || p.MatchUser("customer-acme-country-de") {
			t.Errorf("%s takes a user name of another provider", p.ID)
		}
	}
}
