package detect

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"why401/analyzer/internal/capture"
	"why401/internal/ascii"
)

// TestRespBodyLower: the lowered body grows as detectors ask, in any order,
// and is always the body's start lowered (ASCII only: offsets kept).
func TestRespBodyLower(t *testing.T) {
	body := []byte(strings.Repeat("AbC<HTML>Ünï€\xff", 9000)) // ~150 KB, invalid UTF-8 too
	want := ascii.LowerBytes(body)
	for _, asks := range [][]int{
		{512, 4 << 10, 48 << 10, 64 << 10, len(body)},
		{len(body), 10, 64 << 10},
		{64 << 10, 48 << 10, 1 << 20},
		{0, 1, 2, 3, 100000, 7},
	} {
		b := &respBody{m: &capture.Message{Body: body}}
		for _, n := range asks {
			got := b.lower(n)
			assert.True(t, bytes.Equal(want[:min(n, len(body))], got), "lower(%d) after %v", n, asks)
		}
	}
	assert.Empty(t, (&respBody{m: &capture.Message{}}).lower(100))
}

// TestRespBodyWords: the status lists are found in any case in the body's
// first 64 KiB and not after; another word (a proxy provider's) too.
func TestRespBodyWords(t *testing.T) {
	at := func(word string, off int) *respBody {
		return &respBody{m: &capture.Message{Body: append(bytes.Repeat([]byte("x"), off), word...)}}
	}
	assert.Equal(t, "unauthori", at("UnAuthorized", 10).hasAny(list(authWords)))
	assert.Equal(t, "", at("Unauthorized", 64<<10).hasAny(list(authWords)))
	assert.Equal(t, "no slaves", at("No Slaves available", 100).hasAny([]string{"no slaves"}))
	assert.Equal(t, "", at("no slaves", 64<<10).hasAny([]string{"no slaves"}))
	// The automaton read further first (the vendor files read a whole
	// body): a word past the limit is still not in the first 64 KiB.
	far := at("Unauthorized", 64<<10)
	far.scanTo(len(far.m.Body))
	assert.Equal(t, "", far.hasAny(list(authWords)))
	assert.Equal(t, "unauthori", far.firstOfWords(list(authWords), len(far.m.Body)))
	b := at("<!DOCTYPE html><p>Too Many Requests", 0)
	assert.True(t, b.isHTML())
	assert.False(t, b.isJSON())
	assert.Equal(t, "too many requests", b.hasAny(list(quotaWords)))
}

// TestRespBodySniff: a JSON object sent as text/html is JSON, not a page;
// a page that merely starts with "{" (a template left unfilled) stays a
// page; a JSON array labelled text/html stays what its label says.
func TestRespBodySniff(t *testing.T) {
	for _, c := range []struct {
		name, ct, body string
		json, html     bool
	}{
		{"json labelled html", "text/html; charset=UTF-8", `{"error_code":12,"error_msg":"This request contains an invalid token."}`, true, false},
		{"template page", "text/html", `{{ error }} <html><body>Forbidden</body></html>`, false, true},
		{"json", "application/json", `{"message":"Forbidden"}`, true, false},
		{"unlabelled json", "", `{"message":"Forbidden"}`, true, false},
		{"array labelled html", "text/html", `["a"]`, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := &respBody{m: &capture.Message{Fields: []capture.Field{{Name: "Content-Type", Value: c.ct}}, Body: []byte(c.body)}}
			assert.Equal(t, c.json, b.isJSON())
			assert.Equal(t, c.html, b.isHTML())
		})
	}
}

// firstOfWords is firstOf for a list given by its words (tests).
func (b *respBody) firstOfWords(words []string, n int) string {
	c := theBodyCatalog()
	for _, w := range words {
		if p, ok := c.id[w]; ok && b.found(p, n) {
			return w
		}
	}
	return ""
}
