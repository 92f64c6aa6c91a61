package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/analyzer"
)

// streamOut runs why401 stream over input and returns its answer lines.
func streamOut(t *testing.T, input string, args ...string) []string {
	t.Helper()
	code, out, errOut := runCLI(t, input, append([]string{"stream"}, args...)...)
	require.Equal(t, 0, code, errOut)
	require.Empty(t, errOut)
	require.True(t, out == "" || strings.HasSuffix(out, "\n"), "answers end with a newline")
	return strings.Split(strings.TrimSuffix(out, "\n"), "\n")
}

const (
	bearer401 = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"\r\n\r\n"
)

func TestStreamLines(t *testing.T) {
	challenge, err := os.ReadFile("../../httpcheck/testdata/challenge.http")
	require.NoError(t, err)
	chJSON, _ := json.Marshal(string(challenge))
	tests := []struct {
		name, line string
		// want: substrings of the answer
		want []string
	}{
		{"capture text", `{"id":1,"capture":` + mustJSON(bearer401) + `}`, []string{`{"id":1,"schema_version":1,`, `"verdict":"auth"`, `"action":"refresh_credentials"`, `"format":"raw"`}},
		{"capture base64", `{"capture_base64":"` + base64.StdEncoding.EncodeToString([]byte(bearer401)) + `"}`, []string{`{"schema_version":1,`, `"verdict":"auth"`}},
		{"capture base64 unpadded", `{"capture_base64":"` + base64.RawStdEncoding.EncodeToString([]byte(bearer401)) + `"}`, []string{`"verdict":"auth"`}},
		{"challenge page", `{"id":"c","capture":` + string(chJSON) + `}`, []string{`"id":"c"`, `"verdict":"bot"`, `"vendor":"cloudflare"`, `"action":"rotate_session"`}},
		{"capture HAR object", `{"capture":{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[{"startedDateTime":"2026-12-01T09:00:00Z","time":1,"request":{"method":"GET","url":"https://a.example/x","httpVersion":"HTTP/1.1","headers":[]},"response":{"status":429,"statusText":"","httpVersion":"HTTP/1.1","headers":[{"name":"Retry-After","value":"7"}],"content":{"size":0,"mimeType":"text/plain"}}}]}}}`,
			[]string{`"format":"har"`, `"verdict":"rate_limit"`, `"wait_seconds":7`}},
		{"exchange pairs", `{"id":{"k":[1, 2]},"request":{"method":"GET","url":"https://api.example.com/v1/me","headers":[["Authorization","Bearer abcdefghijklmnop0123456789"]]},"response":{"status":401,"reason":"Unauthorized","headers":[["WWW-Authenticate","Bearer error=\"invalid_token\", error_description=\"The access token expired\""]],"body":"{}"}}`,
			[]string{`{"id":{"k":[1,2]},"schema_version":1,`, `"format":"exchange"`, `"cause":"expired_token"`, `"url":"https://api.example.com/v1/me"`}},
		{"exchange objects", `{"response":{"status":429,"headers":[{"name":"Retry-After","value":"30"},{"name":"Date","value":"Tue, 01 Dec 2026 09:00:00 GMT"}]},"request":{"url":"https://a.example/"}}`,
			[]string{`"action":"slow_down"`, `"wait_seconds":30`, `"wait_until":"2026-12-01T09:00:30Z"`}},
		{"exchange body base64", `{"response":{"status":403,"headers":[["Content-Type","text/html"]],"body_base64":"` + base64.StdEncoding.EncodeToString(challenge[bytes.Index(challenge, []byte("<!DOCTYPE")):]) + `"}}`,
			[]string{`"status":403`}},
		{"redirect chain", `{"exchanges":[` +
			`{"request":{"method":"GET","url":"https://api.example.com/v1/files","headers":[["Authorization","Bearer abcdefghijklmnop0123456789"]]},"response":{"status":302,"headers":[["Location","https://cdn.example.net/f"]]},"time":"2026-12-01T09:00:00Z"},` +
			`{"request":{"method":"GET","url":"https://cdn.example.net/f","headers":[]},"response":{"status":401,"headers":[["WWW-Authenticate","Bearer realm=\"cdn\""]]},"time":"2026-12-01T09:00:00.2Z"}]}`,
			[]string{`"cause":"redirect_dropped_auth"`, `"action":"stop"`, `"entries":2`, `"time":"2026-12-01T09:00:00.200Z"`}},
		{"name", `{"name":"job 7","response":{"status":200}}`, []string{`"name":"job 7"`, `"verdict":"ok"`, `"action":"none"`}},
		{"CRLF line end", `{"id":2,"response":{"status":407,"headers":[["Proxy-Authenticate","Basic realm=\"p\""]]}}` + "\r", []string{`"id":2,`, `"verdict":"proxy_auth"`, `"action":"fix_proxy"`}},

		{"empty", ``, []string{`{"error":"line 1: empty`}},
		{"not JSON", `HTTP/1.1 401`, []string{`{"error":"line 1: not a JSON object`}},
		{"not an object", `[1,2]`, []string{`{"error":"line 1: a line is one JSON object, not array"}`}},
		{"two objects", `{"response":{"status":200}} {}`, []string{`"error":"line 1: one JSON object per line`}},
		{"nothing asked", `{"id":5}`, []string{`{"id":5,"error":"line 1: a line is {\"capture\"`}},
		{"several asked", `{"id":5,"capture":"x","response":{"status":1}}`, []string{`{"id":5,"error":"line 1: a line holds one of`}},
		{"unknown field keeps id", `{"id":"u","respons":{}}`, []string{`{"id":"u","error":"line 1: unknown field \"respons\"`}},
		{"unknown nested field", `{"id":3,"response":{"status":401,"header":[]}}`, []string{`{"id":3,"error":"line 1: unknown field \"header\"`}},
		{"bad header", `{"id":4,"response":{"status":401,"headers":[["a"]]}}`, []string{`{"id":4,"error":"line 1: a header is [\"name\", \"value\"]`}},
		{"bad header object", `{"response":{"status":401,"headers":[{"name":"a"}]}}`, []string{`"error":"line 1: a header is`}},
		{"status type", `{"response":{"status":"401"}}`, []string{`"error":"line 1: response.status: a JSON string where a number was expected"`}},
		{"status range", `{"response":{"status":4010}}`, []string{`"error":"line 1: response.status 4010`}},
		{"request alone", `{"request":{"url":"https://a.example/"}}`, []string{`"error":"line 1: response is missing`}},
		{"body twice", `{"response":{"status":401,"body":"a","body_base64":"YQ=="}}`, []string{`"error":"line 1: response.body and body_base64`}},
		{"bad base64", `{"capture_base64":"%%%"}`, []string{`"error":"line 1: capture_base64: not standard base64"`}},
		{"bad time", `{"response":{"status":401},"time":"yesterday"}`, []string{`"error":"line 1: time \"yesterday\": want RFC 3339`}},
		{"bad chain", `{"exchanges":[{"response":{"status":200}},{"request":{}}]}`, []string{`"error":"line 1: exchanges[1].response is missing`}},
		{"empty chain", `{"exchanges":[]}`, []string{`"error":"line 1: exchanges is empty"`}},
		{"capture not a capture", `{"id":9,"capture":"hello"}`, []string{`{"id":9,"error":"line 1: no HTTP response found`}},
		{"capture number", `{"capture":7}`, []string{`"error":"line 1: capture: a string`}},
		{"truncated", `{"id":8,"response":{"status":`, []string{`{"id":8,"error":"line 1: not a JSON object: the line ends inside it"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := streamOut(t, tt.line+"\n")
			require.Len(t, got, 1)
			for _, w := range tt.want {
				assert.Contains(t, got[0], w)
			}
			var m map[string]any
			require.NoError(t, json.Unmarshal([]byte(got[0]), &m), got[0])
		})
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// An answer is the report exactly as --format json writes it, with the id
// in front.
func TestStreamEqualsFormatJSON(t *testing.T) {
	files, err := filepath.Glob("../../httpcheck/testdata/*.http")
	require.NoError(t, err)
	files = append(files, storyCases+"/block-onset.har", cases+"/curl-i-redirect-then-401.txt")
	var in strings.Builder
	for i, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		fmt.Fprintf(&in, `{"id":%d,"name":%s,"capture":%s}`+"\n", i, mustJSON(f), mustJSON(string(data)))
	}
	got := streamOut(t, in.String(), "-j", "3")
	require.Len(t, got, len(files))
	for i, f := range files {
		_, want, _ := runCLI(t, "", f, "-f", "json")
		prefix := fmt.Sprintf(`{"id":%d,`, i)
		require.True(t, strings.HasPrefix(got[i], prefix), got[i])
		assert.Equal(t, strings.TrimSuffix(want, "\n"), "{"+strings.TrimPrefix(got[i], prefix), f)
	}
}

// A structured line reaches the analyzer as the exchange it describes.
func TestStreamDecodesExchanges(t *testing.T) {
	line := `{"exchanges":[{"request":{"method":"POST","url":"https://a.example/x","http_version":"HTTP/2","headers":[["A","1"],{"name":"a","value":"2"}],"body_base64":"AAE="},` +
		`"response":{"status":401,"reason":"Nope","http_version":"HTTP/2","headers":[["Set-Cookie","a=1"],["Set-Cookie","b=2"]],"body":"x","body_truncated":true},"time":"2026-12-01T09:00:00.5+01:00"},` +
		`{"response":{"status":0}}]}`
	in, err := decodeLine([]byte(line))
	require.NoError(t, err)
	want := []analyzer.Exchange{
		{
			Request:  &analyzer.Request{Method: "POST", URL: "https://a.example/x", Proto: "HTTP/2", Header: []analyzer.Header{{Name: "A", Value: "1"}, {Name: "a", Value: "2"}}, Body: []byte{0, 1}},
			Response: analyzer.Response{Status: 401, Reason: "Nope", Proto: "HTTP/2", Header: []analyzer.Header{{Name: "Set-Cookie", Value: "a=1"}, {Name: "Set-Cookie", Value: "b=2"}}, Body: []byte("x"), BodyTruncated: true},
			Time:     time.Date(2026, 12, 1, 8, 0, 0, 5e8, time.UTC),
		},
		{Response: analyzer.Response{Header: []analyzer.Header{}}},
	}
	require.Len(t, in.exchanges, 2)
	assert.True(t, in.exchanges[0].Time.Equal(want[0].Time))
	in.exchanges[0].Time = want[0].Time
	assert.Equal(t, want, in.exchanges)
	assert.Equal(t, "-", in.name)
	assert.Nil(t, in.id)
}

// Answers come in input order whatever finishes first.
func TestStreamOrder(t *testing.T) {
	challenge, err := os.ReadFile("../../httpcheck/testdata/challenge.http")
	require.NoError(t, err)
	var in strings.Builder
	for i := 0; i < 300; i++ {
		switch i % 3 {
		case 0:
			fmt.Fprintf(&in, `{"id":%d,"capture":%s}`+"\n", i, mustJSON(strings.Repeat(string(challenge), 20)))
		case 1:
			fmt.Fprintf(&in, `{"id":%d,"response":{"status":200}}`+"\n", i)
		default:
			fmt.Fprintf(&in, `{"id":%d,"bad":1}`+"\n", i)
		}
	}
	got := streamOut(t, in.String(), "--jobs=4")
	require.Len(t, got, 300)
	for i, line := range got {
		require.True(t, strings.HasPrefix(line, fmt.Sprintf(`{"id":%d,`, i)), "answer %d: %.80s", i, line)
	}
}

// A coprocess writes a line and waits for its answer before writing the
// next: each answer must arrive without the input ending.
func TestStreamAnswersEachLineAtOnce(t *testing.T) {
	for _, jobs := range []int{1, 4} {
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		done := make(chan int)
		go func() { done <- stream(inR, outW, io.Discard, jobs, streamLineBytes); outW.Close() }()
		rd := bufio.NewReader(outR)
		for i := 0; i < 20; i++ {
			line := fmt.Sprintf(`{"id":%d,"response":{"status":429,"headers":[["Retry-After","%d"]]}}`, i, i+1)
			if i%5 == 4 {
				line = "garbage"
			}
			_, err := io.WriteString(inW, line+"\n")
			require.NoError(t, err)
			got, err := rd.ReadString('\n')
			require.NoError(t, err)
			if i%5 == 4 {
				assert.Equal(t, fmt.Sprintf(`{"error":"line %d: not a JSON object: invalid character 'g' looking for beginning of value (at byte 1)"}`+"\n", i+1), got)
			} else {
				assert.Contains(t, got, fmt.Sprintf(`"wait_seconds":%d`, i+1))
			}
		}
		inW.Close()
		assert.Equal(t, 0, <-done)
		rest, _ := io.ReadAll(rd)
		assert.Empty(t, rest)
	}
}

// A line over the limit is read through, not kept, answered with an error
// carrying its id, and the stream goes on.
func TestStreamLongLine(t *testing.T) {
	long := `{"id":"big","capture":"` + strings.Repeat("a", 5000) + `"}`
	got := streamOut(t, long+"\n"+`{"id":"next","response":{"status":200}}`+"\n"+strings.Repeat("x", 3000), "--max-line-bytes", "1000")
	require.Len(t, got, 3)
	assert.Equal(t, `{"id":"big","error":"line 1: longer than the limit (--max-line-bytes); analyse a capture this big as a file: why401 -f json FILE"}`, got[0])
	assert.Contains(t, got[1], `{"id":"next","schema_version":1`)
	assert.Equal(t, `{"error":"line 3: longer than the limit (--max-line-bytes); analyse a capture this big as a file: why401 -f json FILE"}`, got[2])
}

// lineReader yields one line of n bytes, {"id":1,"capture":"aaa…"}, then a
// short line, made as it is read.
type lineReader struct{ left, n int }

func (r *lineReader) Read(p []byte) (int, error) {
	head := `{"id":1,"capture":"`
	tail := "\"}\n" + `{"id":2,"response":{"status":401}}` + "\n"
	total := len(head) + r.n + len(tail)
	if r.left == 0 {
		r.left = total
	}
	at := total - r.left
	if r.left < 0 || at >= total {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && at+k < total {
		i := at + k
		switch {
		case i < len(head):
			p[k] = head[i]
		case i < len(head)+r.n:
			p[k] = 'a'
		default:
			p[k] = tail[i-len(head)-r.n]
		}
		k++
	}
	r.left -= k
	if r.left == 0 {
		r.left = -1
	}
	return k, nil
}

// A 50 MB line costs no more memory than its limit's worth: it is read
// through in buffer-sized pieces.
func TestStream50MBLineBoundedMemory(t *testing.T) {
	stop := make(chan struct{})
	peak := peakLive(stop)
	var out bytes.Buffer
	code := stream(&lineReader{n: 50 << 20}, &out, io.Discard, 2, streamLineBytes)
	close(stop)
	require.Equal(t, 0, code)
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `{"id":1,"error":"line 1: longer than the limit`)
	assert.Contains(t, lines[1], `{"id":2,"schema_version":1,`)
	p := peak()
	t.Logf("peak live heap %.1f MiB", float64(p)/(1<<20))
	assert.Less(t, p, uint64(40<<20), "peak live heap")

	// Under the limit, the same line is analysed.
	out.Reset()
	require.Equal(t, 0, stream(&lineReader{n: 1 << 20}, &out, io.Discard, 1, streamLineBytes))
	assert.Contains(t, out.String(), `{"id":1,"error":"line 1: no HTTP response found`)
}

// Every answer is valid against docs/report.schema.json: a report (with its
// id) or a stream error record.
func TestStreamMatchesSchema(t *testing.T) {
	data, err := os.ReadFile("../../docs/report.schema.json")
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("report.schema.json", doc))
	report, err := c.Compile("report.schema.json")
	require.NoError(t, err)
	errRec, err := c.Compile("report.schema.json#/$defs/stream_error_record")
	require.NoError(t, err)
	lines := []string{
		`{"id":1,"capture":` + mustJSON(bearer401) + `}`,
		`{"id":[1,{"a":null}],"exchanges":[{"response":{"status":302}},{"response":{"status":403,"headers":[["Server","cloudflare"],["cf-mitigated","challenge"]]}}]}`,
		`{"response":{"status":429}}`,
		`{"id":2,"bogus":true}`,
		`nope`,
	}
	got := streamOut(t, strings.Join(lines, "\n"))
	require.Len(t, got, len(lines))
	for _, line := range got {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(line))
		require.NoError(t, err)
		sch := report
		if strings.Contains(line, `"error":"line `) {
			sch = errRec
		}
		assert.NoError(t, sch.Validate(inst), line)
	}
}

func TestStreamUsage(t *testing.T) {
	code, out, _ := runCLI(t, "", "stream", "--help")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "why401 stream")
	for _, args := range [][]string{{"--jobs"}, {"-j", "0"}, {"--max-line-bytes=x"}, {"file.har"}} {
		code, _, errOut := runCLI(t, "", append([]string{"stream"}, args...)...)
		assert.Equal(t, 2, code, args)
		assert.Contains(t, errOut, "why401 stream: ", args)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
	}
	_, help, _ := runCLI(t, "", "--help")
	assert.Contains(t, help, "why401 stream ")
}

// FuzzDecodeLine: any line gets exactly one answer line, valid JSON, and a
// decoded line is an input of one kind.
func FuzzDecodeLine(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"capture":"HTTP/1.1 401 Unauthorized\r\n\r\n"}`,
		`{"capture_base64":"SFRUUC8xLjEgNDI5IFRvbyBNYW55DQoNCg=="}`,
		`{"request":{"method":"GET","url":"https://a.example/","headers":[["A","b"]]},"response":{"status":401,"headers":[{"name":"WWW-Authenticate","value":"Bearer"}],"body":"x"}}`,
		`{"exchanges":[{"response":{"status":302}},{"response":{"status":429,"headers":[["Retry-After","5"]]},"time":"2026-12-01T09:00:00Z"}]}`,
		`{"capture":{"log":{"entries":[]}}}`,
		`{"id":"x","response":{"status":403,"body_base64":"PGh0bWw+"}}`,
		`{"id":`, `[]`, `""`, `{}`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		if bytes.ContainsAny(line, "\n") {
			return
		}
		in, err := decodeLine(line)
		if err == nil {
			if in.isCapture == (len(in.exchanges) > 0) {
				t.Fatalf("decodeLine(%q): capture %v and %d exchanges", line, in.isCapture, len(in.exchanges))
			}
		}
		if in.id != nil && !json.Valid(in.id) {
			t.Fatalf("decodeLine(%q): id %q is not JSON", line, in.id)
		}
		ans := answer(&streamJob{n: 1, line: line, answer: make(chan []byte, 1)})
		if bytes.Count(ans, []byte("\n")) != 1 || ans[len(ans)-1] != '\n' || !json.Valid(ans) {
			t.Fatalf("answer(%q) = %q, want one JSON line", line, ans)
		}
		var m map[string]any
		if err := json.Unmarshal(ans, &m); err != nil {
			t.Fatal(err)
		}
		if in.id != nil {
			var id any
			json.Unmarshal(in.id, &id)
			if !reflect.DeepEqual(m["id"], id) {
				t.Fatalf("answer(%q): id %v, want %v", line, m["id"], id)
			}
		}
	})
}
