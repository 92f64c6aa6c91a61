package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/analyzer"
)

// TestHelpCommand: "why401 help" prints the help (it read a file named
// help), "why401 help diff" that of diff; a file named help is ./help.
func TestHelpCommand(t *testing.T) {
	_, help, _ := runCLI(t, "", "--help")
	for _, args := range [][]string{{"help"}, {"help", "help"}, {"help", "--help"}} {
		code, out, errOut := runCLI(t, "", args...)
		assert.Equal(t, 0, code, "%v: %s", args, errOut)
		assert.Equal(t, help, out, "%v", args)
	}
	assert.Contains(t, help, "why401 help [COMMAND]")
	for _, cmd := range []string{"diff", "sanitize", "stream"} {
		_, want, _ := runCLI(t, "", cmd, "--help")
		code, out, errOut := runCLI(t, "", "help", cmd)
		assert.Equal(t, 0, code, errOut)
		assert.Equal(t, want, out, "why401 help %s", cmd)
		assert.True(t, strings.HasPrefix(out, "why401 "+cmd+" — "), out)
	}
	code, out, errOut := runCLI(t, "", "help", "bogus")
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Equal(t, "why401 help: no help on bogus: why401 help [diff|sanitize|stream]\n", errOut)

	// A capture named help is read as ./help.
	t.Chdir(t.TempDir())
	require.NoError(t, os.WriteFile("help", []byte(bearer401), 0o644))
	code, out, _ = runCLI(t, "", "help")
	assert.Equal(t, 0, code)
	assert.Equal(t, help, out)
	code, out, errOut = runCLI(t, "", "./help")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "AUTH")
}

// TestErrorsReadAsSentences: an input that cannot be analysed is said the
// same way on standard error, in a JSON error record, by why401 stream and
// by why401 sanitize: the analyzer's words (analyzer.Message) without its
// package prefix, and no reader's prefix ("zip: zip: …").
func TestErrorsReadAsSentences(t *testing.T) {
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(bearer401))
	zw.Close()
	inputs := map[string][]byte{
		"truncated.har":  []byte(`{"log":{"entries":[`),
		"notes.txt":      []byte("this is not a capture\n"),
		"request.http":   []byte("GET /v1/me HTTP/1.1\r\nHost: api.example.com\r\n\r\n"),
		"empty.txt":      nil,
		"broken.zip":     []byte("PK\x03\x04" + strings.Repeat("junk", 8)),
		"cut.har.gz":     gz.Bytes()[:20],
		"not-a-har.json": []byte(`{"a":1}`),
	}
	for name, data := range inputs {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, data, 0o644))
		_, aerr := analyzer.Analyze(data)
		require.Error(t, aerr, name)
		msg := analyzer.Message(aerr)
		require.NotContains(t, msg, "analyzer:")

		code, out, errOut := runCLI(t, "", path)
		assert.Equal(t, 2, code, name)
		assert.Empty(t, out, name)
		assert.Equal(t, "why401: "+path+": "+msg+"\n", errOut, name)

		code, out, _ = runCLI(t, "", "-f", "json", path)
		assert.Equal(t, 2, code, name)
		var rec struct{ Input, Error string }
		require.NoError(t, json.Unmarshal([]byte(out), &rec), out)
		assert.Equal(t, path, rec.Input)
		assert.Equal(t, msg, rec.Error, name)

		line, _ := json.Marshal(map[string]any{"id": 7, "capture_base64": base64.StdEncoding.EncodeToString(data)})
		answers := streamOut(t, string(line)+"\n")
		require.Len(t, answers, 1)
		var ans struct {
			ID    int
			Error string
		}
		require.NoError(t, json.Unmarshal([]byte(answers[0]), &ans), answers[0])
		assert.Equal(t, 7, ans.ID)
		assert.Equal(t, "line 1: "+msg, ans.Error, name)

		if code, _, errOut = runCLI(t, "", "sanitize", path); code != 0 {
			assert.True(t, strings.HasPrefix(errOut, "why401 sanitize: "+path+": "), errOut)
			assert.NotContains(t, errOut, "analyzer:", name)
			assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
		}
	}
	code, _, errOut := runCLI(t, "", filepath.Join(dir, "missing.har"))
	assert.Equal(t, 2, code)
	assert.Equal(t, "why401: "+filepath.Join(dir, "missing.har")+": no such file or directory\n", errOut)
}
