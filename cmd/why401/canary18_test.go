package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The CLI door for issue 18's secret positions: a path parameter,
// subscription-key, PHPSESSID, a fragment, a percent-encoded value echoed
// decoded, a JSON body value under a key no name list knows; in every
// output format and in `why401 sanitize`.
func TestCanariesRound2(t *testing.T) {
	k := func(i int) string {
		return "clcn" + string(rune('a'+i)) + "Q7xZk9Lm3Vb8Np" + string(rune('a'+i)) + "X2"
	}
	pct := k(5)[:8] + "/+" + k(5)[8:]
	pctEnc := strings.NewReplacer("/", "%2F", "+", "%2B").Replace(pct)
	raw := "POST https://api.example.com/app;jsessionid=" + k(0) + "?subscription-key=" + k(1) + "&PHPSESSID=" + k(2) + "&state=" + pctEnc + "#access_token=" + k(3) +
		" HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\n\r\n{\"license\":\"" + k(4) + "\"}\r\n\r\n" +
		"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{\"error\":\"invalid_request\",\"message\":\"license " + k(4) + " and state " + pct + " rejected\"}"
	in := filepath.Join(t.TempDir(), "canary.http")
	if err := os.WriteFile(in, []byte(raw), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--format", "json", in}, {"--format", "text", "-v", in}, {"--format", "markdown", in}, {"sanitize", in}} {
		var out, errb bytes.Buffer
		if code := run(args, strings.NewReader(""), &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
		for i := 0; i < 6; i++ {
			s := k(i)
			if i == 5 {
				s = pct
			}
			if strings.Contains(out.String()+errb.String(), s[:len(s)-4]) {
				t.Errorf("%v: canary %s leaked:\n%s", args, s, out.String())
			}
		}
	}
}
