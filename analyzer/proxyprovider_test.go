package analyzer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProxyProviderTargetingPlace (issue 28, review 4 r19): a provider that
// reads targeting from the password (IPRoyal, Evomi) gets the "move it
// after the password" step only when the user name sent carries that
// targeting; providers whose targeting goes in the user name never get it.
func TestProxyProviderTargetingPlace(t *testing.T) {
	const step = "reads that targeting from the password"
	for _, c := range []struct {
		file      string
		provider  string
		misplaced bool
	}{
		{"iproyal-407-targeting-in-user-curl-v.txt", "IPRoyal", true},
		{"iproyal-407-targeting-in-password-curl-v.txt", "IPRoyal", false},
		{"evomi-407-targeting-in-user-curl-v.txt", "Evomi", true},
		{"netnut-407-wrong-password-curl-v.txt", "NetNut", false},
		{"webshare-407-wrong-password-curl-v.txt", "Webshare", false},
		{"decodo-407-wrong-password-curl-v.txt", "Decodo", false},
	} {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "cases", "real-proxy", c.file))
			require.NoError(t, err)
			rep, err := AnalyzeWith(data, Options{Name: c.file})
			require.NoError(t, err)
			require.Len(t, rep.Exchanges, 1)
			ex := rep.Exchanges[0]
			require.NotEmpty(t, ex.Fixes)
			assert.Contains(t, ex.Fixes[0].Title, c.provider)
			var all strings.Builder
			for _, f := range ex.Fixes {
				all.WriteString(strings.Join(f.Steps, "\n"))
				for _, code := range f.Code {
					all.WriteString(code.Text)
				}
			}
			assert.Equal(t, c.misplaced, strings.Contains(all.String(), step), all.String())
			assert.NotContains(t, all.String(), "$PROXY_PASS_", "a shell reads $PROXY_PASS_country as one variable")
		})
	}
}
