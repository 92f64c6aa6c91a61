package analyzer

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The story keeps facts, never credential values: run every story fixture
// through a story and look for the fixtures' secrets in its state.
func TestStoryKeepsNoSecrets(t *testing.T) {
	canaries := []string{"opaque_at_7Hk2mQ9xLp4vR8sT1wZ3", "q8Zr4LmN2vX7pT0kW5yH3", "k3Jd8Qw2Lm5Zx9Rt4Vb7", "u7Tq2Wm9Ks4Lx8Pz3Nc6",
		"opaque_at_OLD_Lq3Xv8Wm2Rt6Yp4Nb9Kz", "opaque_at_NEW_Hs5Dk1Jf7Gp3Qa8Zc2Ve", "c2lnbmF0dXJlLW5vdC1yZWFsLWZpeHR1cmUtb25seQ"}
	for _, name := range []string{"redirect-dropped-auth", "cookie-host-only", "cookie-samesite", "cookie-expired", "refresh-not-used", "expired-token"} {
		data, err := os.ReadFile("testdata/cases/story/" + name + ".har")
		require.NoError(t, err)
		st := newStory()
		lim := DefaultLimits
		w := &warnings{}
		_, err = readHAR(newJSONScanner(nil, data, lim), lim, w, func(ex Exchange) { analyzeExchange(&ex, lim, w, st) })
		require.NoError(t, err)
		state := fmt.Sprintf("%+v", *st)
		for k, c := range st.cookies {
			state += fmt.Sprintf("%s%+v", k, *c)
		}
		for _, c := range canaries {
			assert.NotContains(t, state, c, "%s: the story kept a secret", name)
		}
		rep, err := AnalyzeWith(data, Options{})
		require.NoError(t, err)
		out := string(reportJSON(t, rep))
		for _, c := range canaries {
			assert.NotContains(t, out, c, "%s: the report echoes a secret", name)
		}
	}
}

func TestSummaryOnlyForCaptures(t *testing.T) {
	rep, err := Analyze([]byte("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n\r\n"))
	require.NoError(t, err)
	assert.Nil(t, rep.Summary)
	data, err := os.ReadFile("testdata/cases/story/block-onset.har")
	require.NoError(t, err)
	rep, err = Analyze(data)
	require.NoError(t, err)
	require.NotNil(t, rep.Summary)
	require.NotNil(t, rep.Summary.FirstBlock)
	assert.Equal(t, 8, rep.Summary.FirstBlock.Index)
	assert.Equal(t, 8, rep.Summary.FirstBlock.Before)
	assert.Equal(t, "2026-11-03T12:00:04Z", rep.Summary.FirstBlock.Time)
	assert.Contains(t, rep.Summary.Vendors, "cloudflare")
	var b strings.Builder
	require.NoError(t, rep.WriteText(&b, TextOptions{}))
	assert.Contains(t, b.String(), "first block: #8 on www.catalog.example")
	b.Reset()
	require.NoError(t, rep.WriteMarkdown(&b, false))
	assert.Contains(t, b.String(), "**Summary**")
}

// The story's maps stay bounded whatever the capture holds.
func TestStoryBounded(t *testing.T) {
	st := newStory()
	for i := range 3 * maxStoryKeys {
		ex := Exchange{Index: i, Request: &Message{Method: "GET", URL: fmt.Sprintf("https://h%d.example/x", i),
			Fields: []Field{{Name: "Authorization", Value: fmt.Sprintf("Bearer tok%08d", i)}}},
			Response: Message{Status: 302, Fields: []Field{{Name: "Location", Value: fmt.Sprintf("https://o%d.example/", i)},
				{Name: "Set-Cookie", Value: fmt.Sprintf("session%d=v; Path=/", i)}}}}
		st.observe(&ex, nil)
	}
	assert.LessOrEqual(t, len(st.tokens), maxStoryKeys)
	assert.LessOrEqual(t, len(st.redirects), maxStoryKeys)
	assert.LessOrEqual(t, len(st.cookies), maxStoryKeys)
	assert.LessOrEqual(t, len(st.hosts), 1001)
}
