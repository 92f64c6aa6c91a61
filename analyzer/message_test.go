package analyzer_test

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/analyzer"
	"why401/analyzer/sanitize"
	"why401/internal/hostile"
)

// badInputs are inputs every door refuses, each with the sentinel errors.Is
// must still see (nil: none promised).
func badInputs() []struct {
	name string
	data []byte
	is   error
} {
	gz := func(b []byte) []byte {
		var o bytes.Buffer
		w := gzip.NewWriter(&o)
		w.Write(b)
		w.Close()
		return o.Bytes()
	}
	zp := func(name string, b []byte) []byte {
		var o bytes.Buffer
		w := zip.NewWriter(&o)
		f, _ := w.Create(name)
		f.Write(b)
		w.Close()
		return o.Bytes()
	}
	ok := []byte("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n\r\n")
	return []struct {
		name string
		data []byte
		is   error
	}{
		{"empty", nil, analyzer.ErrEmpty},
		{"blank", []byte(" \n\t\n"), analyzer.ErrEmpty},
		{"text", []byte("hello there, this is not a capture"), analyzer.ErrNoResponse},
		{"request only", []byte("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n"), nil},
		{"binary", bytes.Repeat([]byte{0, 1, 2, 3}, 64), analyzer.ErrBinary},
		{"truncated HAR", []byte(`{"log":{"entries":[`), analyzer.ErrHAR},
		{"JSON not a HAR", []byte(`{"a":1}`), analyzer.ErrHAR},
		{"gzip header only", []byte("\x1f\x8b\x08\x00junk"), nil},
		{"gzip cut short", gz(ok)[:20], nil},
		{"gzip of a truncated HAR", gz([]byte(`{"log":`)), analyzer.ErrHAR},
		{"not a zip", []byte("PK\x03\x04" + strings.Repeat("junk", 8)), nil},
		{"zip without a HAR", zp("notes.txt", []byte("x")), nil},
		{"zip of a truncated HAR", zp("a.har", []byte(`{"log":`)), analyzer.ErrHAR},
		{"WARC cut short", []byte("WARC/1.0\r\nWARC-Type: response\r\n"), nil},
		{"Burp XML cut short", []byte(`<?xml version="1.0"?><items burpVersion="2023.1"><item><url><![CDATA[https://a.example/]]></url><response base64="true">SFRU`), nil},
		{"SAZ without sessions", zp("raw/01_x.txt", []byte("x")), nil},
	}
}

// wantDoorText: err has the package prefix once (Go callers), and Message
// reads as a sentence: no prefix of this package or of the standard
// library's readers, no Go type names, nothing doubled.
func wantDoorText(t *testing.T, what string, err error) {
	t.Helper()
	require.Error(t, err, what)
	text := err.Error()
	assert.True(t, strings.HasPrefix(text, "analyzer: "), "%s: %q lacks the package prefix", what, text)
	assert.Equal(t, 1, strings.Count(text, "analyzer:"), "%s: %q", what, text)
	msg := analyzer.Message(err)
	assert.NotEmpty(t, msg, what)
	for _, bad := range []string{"analyzer:", "Go value", "interface {}", "unexpected EOF"} {
		assert.NotContains(t, msg, bad, "%s: %q", what, msg)
	}
	// A package's prefix, at the start or after another's.
	for _, p := range []string{"zip: ", "gzip: ", "flate: ", "zlib: ", "json: ", "xml: ", "read: "} {
		assert.False(t, strings.HasPrefix(msg, p) || strings.Contains(msg, ": "+p), "%s: %q", what, msg)
	}
	words := strings.Fields(msg)
	for i := 1; i < len(words); i++ {
		assert.NotEqual(t, strings.ToLower(words[i-1]), strings.ToLower(words[i]), "%s: %q says a word twice", what, msg)
	}
}

// TestErrorTexts: what a person reads at a door — analyzer.Message of the
// error of Analyze, Diff and the sanitizer — carries no package prefix and
// does not stutter ("analyzer: failed: analyzer: …", "zip: zip: …"), and
// errors.Is still sees the sentinels; warnings never carry the prefix.
func TestErrorTexts(t *testing.T) {
	ok := []byte("HTTP/1.1 200 OK\r\n\r\n")
	check := func(name string, data []byte, is error) {
		rep, err := analyzer.Analyze(data)
		if err == nil {
			for _, w := range rep.Warnings {
				assert.NotContains(t, w, "analyzer:", name)
			}
		} else {
			wantDoorText(t, name, err)
			if is != nil {
				assert.ErrorIs(t, err, is, name)
			}
			_, derr := analyzer.Diff(ok, data, analyzer.DiffOptions{GoodName: "worked.har", BadName: "failed.har"})
			wantDoorText(t, name+" (diff)", derr)
			assert.True(t, strings.HasPrefix(analyzer.Message(derr), "failed.har: "), "%s: %q does not name the capture", name, derr)
			if is != nil {
				assert.ErrorIs(t, derr, is, name)
			}
		}
		if _, _, err := sanitize.Capture(data, sanitize.Options{}); err != nil {
			wantDoorText(t, name+" (sanitize)", err)
		}
	}
	for _, c := range badInputs() {
		check(c.name, c.data, c.is)
	}
	for _, c := range hostile.Cases(true) {
		check("hostile "+c.Name, c.Data(), nil)
	}
	assert.Equal(t, "", analyzer.Message(nil))
}

// TestDiffIndexError: an index past the end of a capture says how many
// exchanges it holds; a URL that matches nothing says so.
func TestDiffIndexError(t *testing.T) {
	two := []byte(`{"log":{"entries":[` +
		`{"request":{"method":"GET","url":"https://a.example/1","headers":[]},"response":{"status":200,"headers":[],"content":{}}},` +
		`{"request":{"method":"GET","url":"https://a.example/2","headers":[]},"response":{"status":403,"headers":[],"content":{}}}]}}`)
	one := []byte("HTTP/1.1 200 OK\r\n\r\n")
	_, err := analyzer.Diff(one, two, analyzer.DiffOptions{GoodName: "g.http", BadName: "b.har", Pick: true, GoodIndex: -1, BadIndex: 999})
	var ie *analyzer.IndexError
	require.True(t, errors.As(err, &ie), "%v", err)
	assert.Equal(t, analyzer.IndexError{Side: "bad", Input: "b.har", Index: 999, Exchanges: 2}, *ie)
	assert.ErrorIs(t, err, analyzer.ErrNoFailure)
	assert.Equal(t, "b.har has no exchange #999: it holds 2 exchanges, #0 to #1", analyzer.Message(err))

	_, err = analyzer.Diff(one, two, analyzer.DiffOptions{GoodName: "g.http", BadName: "b.har", Pick: true, GoodIndex: 1, BadIndex: -1})
	require.True(t, errors.As(err, &ie), "%v", err)
	assert.Equal(t, "g.http has no exchange #1: it holds 1 exchange, #0", analyzer.Message(err))

	_, err = analyzer.Diff(one, two, analyzer.DiffOptions{GoodName: "g.http", BadName: "b.har", URL: "/nowhere"})
	assert.ErrorIs(t, err, analyzer.ErrNoFailure)
	assert.False(t, errors.As(err, &ie))
	assert.Equal(t, `b.har: no exchange's URL contains "/nowhere" (the capture holds 2 exchanges)`, analyzer.Message(err))
}
