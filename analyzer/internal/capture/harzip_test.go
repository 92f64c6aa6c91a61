package capture

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"path"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// refHARZipSplice is readHARZip's splicing as it was written with gjson and
// archive/zip; the current code must give the same HAR and Warnings.
func refHARZipSplice(t testing.TB, data []byte, lim Limits, w *Warnings) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	read := func(f *zip.File, max int64) ([]byte, error) {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, max+1))
		if err != nil {
			return b, err
		}
		if int64(len(b)) > max {
			return b[:max], errZipCap
		}
		return b, nil
	}
	files := map[string]*zip.File{}
	var harFile *zip.File
	for _, f := range zr.File {
		files[f.Name] = f
		if strings.HasSuffix(strings.ToLower(f.Name), ".har") && (harFile == nil || len(f.Name) < len(harFile.Name)) {
			harFile = f
		}
	}
	har, err := read(harFile, lim.InputBytes)
	if err != nil {
		t.Fatal(err)
	}
	dir := path.Dir(harFile.Name)
	entries := gjson.GetBytes(har, "log.entries")
	if !entries.IsArray() {
		return har
	}
	var edits []splice
	cursor := 0
	entries.ForEach(func(_, e gjson.Result) bool {
		at := bytes.Index(har[cursor:], []byte(e.Raw))
		if at < 0 {
			return true
		}
		at += cursor
		cursor = at + len(e.Raw)
		c := e.Get("response.content")
		name := c.Get("_file").String()
		if name == "" || c.Get("text").Exists() {
			return true
		}
		f := files[name]
		if f == nil {
			f = files[path.Join(dir, name)]
		}
		if f == nil {
			w.Add("zip-missing-file", "a HAR entry names a body file that the zip does not hold")
			return true
		}
		status := e.Get("response.status").Int()
		mime := strings.ToLower(c.Get("mimeType").String())
		if status < 400 && status != 0 && !strings.Contains(mime, "html") && !strings.Contains(mime, "json") && !strings.Contains(mime, "text") {
			return true
		}
		body, err := read(f, int64(lim.BodyBytes))
		if err != nil && !errors.Is(err, errZipCap) {
			return true
		}
		ins := []byte(`"text":"` + base64.StdEncoding.EncodeToString(body) + `","encoding":"base64",`)
		if strings.TrimSpace(c.Raw[1:len(c.Raw)-1]) == "" {
			ins = ins[:len(ins)-1]
		}
		if ci := bytes.Index(har[at:cursor], []byte(c.Raw)); ci >= 0 && c.IsObject() {
			edits = append(edits, splice{at: at + ci + 1, ins: ins})
		}
		return true
	})
	return spliceAll(har, edits)
}

// harZip builds a Playwright-style HAR zip: the HAR plus body files.
func harZip(t testing.TB, harName string, har []byte, bodies map[string]string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create(harName)
	w.Write(har)
	for name, body := range bodies {
		m := zip.Deflate
		if len(body)%2 == 0 {
			m = zip.Store
		}
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: m})
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var harZipBodies = map[string]string{
	"a.html":          "<html><title>Just a moment...</title></html>",
	"b.json":          `{"error":"invalid_token"}`,
	"c.bin":           "\x00\x01\x02binary",
	"dir/d.txt":       "rate limited",
	"big.txt":         strings.Repeat("x", 5000),
	"resources/e.css": "body{}",
}

func harZipEntries() []string {
	return []string{
		`{"response":{"status":403,"content":{"mimeType":"text/html","_file":"a.html"}}}`,
		`{"response":{"status":200,"content":{"_file":"c.bin","mimeType":"image/png"}}}`,
		`{"response":{"status":"401","content":{"_file":"b.json","mimeType":"application/json","size":25}}}`,
		`{"response":{"status":429.7,"content":{"_file":"d.txt"}}}`,
		`{"response":{"status":200,"content":{"_file":"big.txt","mimeType":"text/plain"}}}`,
		`{"response":{"status":0,"content":{"_file":"missing.html"}}}`,
		`{"response":{"status":403,"content":{"_file":"a.html","text":"already"}}}`,
		`{"response":{"status":403,"content":{}}}`,
		`{"response":{"status":403,"content":"a.html"}}`,
		`{"response":{"status":403}}`,
		`{ "response" : { "content" : { "_file" : "a.html" } , "status" : 500 } }`,
		`{"response":{"status":403,"content":{"_file":"a.html","_file":"b.json"}}}`,
		`{"request":{"content":{"_file":"a.html"}},"response":{"status":403,"content":{"_file":"e.css"}}}`,
		`{"response":{"status":403,"content":{"_file":"e.css"}},"response":{"status":200}}`,
		`{"response":{"status":true,"content":{"_file":"e.css","mimeType":"TEXT/CSS"}}}`,
		`[1,2]`,
		`"x"`,
		`{"response":{"status":-1e400,"content":{"_file":"e.css"}}}`,
		`{"response":{"status":401,"content":{"_file":"resources/e.css"}}}`,
		`{"response":{"status":401,"content":{"_file":"a\u002ehtml"}}}`,
	}
}

func TestHARZipSpliceMatchesGjson(t *testing.T) {
	lim := Limits{BodyBytes: 1000}.WithDefaults()
	all := harZipEntries()
	hars := []string{
		`{"log":{"version":"1.2","entries":[` + strings.Join(all, ",") + `]}}`,
		"{\n  \"log\": {\n    \"entries\": [\n      " + strings.Join(all, ",\n      ") + "\n    ]\n  }\n}",
		`{"log":{"entries":[]}}`,
		`{"log":{"entries":{}}}`,
		`{"log":[]}`,
		`[]`,
		`{"log":{"entries":[` + all[0] + `]},"log":{"entries":[` + all[2] + `]}}`,
	}
	for i, har := range hars {
		for _, name := range []string{"trace.har", "dir/trace.har"} {
			data := harZip(t, name, []byte(har), harZipBodies)
			var w1, w2 Warnings
			got, err := ReadHARZip(bytes.NewReader(data), lim, &w1)
			if err != nil {
				t.Fatal(err)
			}
			want := refHARZipSplice(t, data, lim, &w2)
			if !bytes.Equal(got, want) {
				t.Errorf("HAR %d in %s:\n got %s\nwant %s", i, name, got, want)
			}
			if !reflect.DeepEqual(w1.count, w2.count) {
				t.Errorf("HAR %d in %s: Warnings %v, want %v", i, name, w1.count, w2.count)
			}
		}
	}
}

// FuzzHARZipSplice: on valid JSON the splice agrees with the gjson version.
func FuzzHARZipSplice(f *testing.F) {
	for _, e := range harZipEntries() {
		f.Add(`{"log":{"entries":[` + e + `,` + e + `]}}`)
	}
	lim := Limits{BodyBytes: 1000}.WithDefaults()
	f.Fuzz(func(t *testing.T, har string) {
		data := harZip(t, "t.har", []byte(har), harZipBodies)
		var w1, w2 Warnings
		got, err := ReadHARZip(bytes.NewReader(data), lim, &w1)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid([]byte(har)) {
			return
		}
		want := refHARZipSplice(t, data, lim, &w2)
		if !bytes.Equal(got, want) {
			t.Fatalf("got %s\nwant %s", got, want)
		}
	})
}

func TestZipBudgetSharedBody(t *testing.T) {
	// 2,000 entries naming one 1 MiB body: the body is read once and each
	// use counts against MemberBytes (before issue 18 each use inflated the
	// body again and the copies grew the HAR to 680 MB).
	entries := make([]string, 2000)
	for i := range entries {
		entries[i] = `{"response":{"status":403,"content":{"mimeType":"text/html","_file":"big.html"}}}`
	}
	har := `{"log":{"entries":[` + strings.Join(entries, ",") + `]}}`
	data := harZip(t, "t.har", []byte(har), map[string]string{"big.html": strings.Repeat("<p>blocked</p>", 1<<20/14)})
	lim := Limits{MemberBytes: 8 << 20}.WithDefaults()
	var w Warnings
	zb := newZipBudget(lim, &w)
	out, err := readHARZipBudget(bytes.NewReader(data), -1, lim, &w, zb)
	require.NoError(t, err)
	assert.LessOrEqual(t, int64(len(out)), lim.MemberBytes)
	assert.Greater(t, len(out), int(lim.MemberBytes)/2, "the bodies that fit were inlined")
	assert.Less(t, zb.total-zb.left, int64(2*lim.BodyBytes), "the shared body was inflated once")
	assert.Contains(t, strings.Join(w.List(), "\n"), "MemberBytes")
}
