package httpcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// hangGuard bounds a client that must not wait for a body: if RoundTrip
// waited for a body the server holds back until the client has returned,
// the client's timeout ends the deadlock and the test fails on its error
// (a guard against a hang, not a timing: the server only goes on once the
// client has the response).
const hangGuard = 20 * time.Second

// The headers of a stream, a long poll or a trickling body reach the caller
// while the server still holds the rest back; the caller then reads every
// byte the server sent, those the transport peeked included. Each server
// sends its headers (and maybe a first part), then waits until the test
// has the response before it sends the rest.
func TestTransportNeverHoldsAStream(t *testing.T) {
	page := loadFixture(t, "testdata/challenge.http").body
	cases := []struct {
		name        string
		status      int
		header      http.Header
		first, rest []byte
		bodyWait    time.Duration
		verdict     Verdict
	}{
		{"event-stream 401", 401, http.Header{"Content-Type": {"text/event-stream; charset=utf-8"}, "Www-Authenticate": {`Bearer error="invalid_token"`}},
			[]byte("event: error\ndata: {\"error\":\"invalid_token\"}\n\n"), []byte("data: more\n\n"), 0, VerdictAuth},
		{"event-stream 202", 202, http.Header{"Content-Type": {"text/event-stream"}}, []byte(": hello\n\n"), []byte("data: x\n\n"), 0, VerdictOK},
		{"ndjson 429", 429, http.Header{"Content-Type": {"application/x-ndjson"}, "Retry-After": {"30"}}, []byte(`{"a":1}` + "\n"), []byte(`{"b":2}` + "\n"), 0, VerdictRateLimit},
		{"long poll 202", 202, http.Header{"Content-Type": {"application/json"}}, nil, []byte(`{"events":[]}`), 0, VerdictOK},
		{"trickling challenge", 403, http.Header{"Content-Type": {"text/html"}, "Cf-Mitigated": {"challenge"}, "Server": {"cloudflare"}},
			page[:len(page)/2], page[len(page)/2:], 0, VerdictBot},
		{"trickling, short wait", 403, http.Header{"Content-Type": {"text/html"}, "Cf-Mitigated": {"challenge"}, "Server": {"cloudflare"}},
			page[:len(page)/2], page[len(page)/2:], time.Millisecond, VerdictBot},
		{"trickling, headers only", 403, http.Header{"Content-Type": {"text/html"}, "Cf-Mitigated": {"challenge"}, "Server": {"cloudflare"}},
			page[:len(page)/2], page[len(page)/2:], -1, VerdictBot},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			release := make(chan struct{})
			sentFirst := make(chan struct{})
			_, base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range c.header {
					w.Header()[k] = v
				}
				w.WriteHeader(c.status)
				w.Write(c.first)
				w.(http.Flusher).Flush()
				close(sentFirst)
				select {
				case <-release:
				case <-r.Context().Done():
					return
				}
				w.Write(c.rest)
			}))
			var fromCallback *Result
			client := &http.Client{Timeout: hangGuard, Transport: &Transport{Base: base, BodyWait: c.bodyWait,
				OnResult: func(_ *http.Response, r *Result) { fromCallback = r }}}
			resp, err := client.Get("http://api.example.com/v1/stream")
			close(release)
			if err != nil {
				t.Fatalf("RoundTrip waited for the body: %v", err)
			}
			<-sentFirst
			defer resp.Body.Close()
			res, ok := FromContext(resp.Request.Context())
			if !ok || res != fromCallback {
				t.Fatal("no result")
			}
			if res.Verdict != c.verdict {
				t.Errorf("verdict %s, want %s: %s", res.Verdict, c.verdict, res.Exchange.Summary)
			}
			got, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if want := append(append([]byte{}, c.first...), c.rest...); !bytes.Equal(got, want) {
				t.Errorf("the caller read %q, want %q", got, want)
			}
		})
	}
}

// TestStreamingTypes: a stream's body is not read at all (its headers are
// analysed); other types are peeked. testdata/streaming.json is the table
// the npm package's fromFetch is tested against too.
func TestStreamingTypes(t *testing.T) {
	data, err := os.ReadFile("testdata/streaming.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		CT     string `json:"content_type"`
		Stream bool   `json:"stream"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		counted := &countReader{r: strings.NewReader("data: {}\n\n")}
		resp := &http.Response{StatusCode: 403, Status: "403 Forbidden", Proto: "HTTP/1.1", Header: http.Header{},
			Body: errBody{counted}, Request: &http.Request{Method: "GET", URL: &url.URL{Scheme: "https", Host: "api.example.com", Path: "/"}, Header: http.Header{}}}
		if c.CT != "" {
			resp.Header.Set("Content-Type", c.CT)
		}
		if got := Streaming(resp); got != c.Stream {
			t.Errorf("Streaming(%q) = %v, want %v", c.CT, got, c.Stream)
		}
		res, err := AnalyzeResponse(resp)
		if err != nil {
			t.Fatal(err)
		}
		if read := counted.n > 0; read == c.Stream {
			t.Errorf("%q: read %d bytes before the caller", c.CT, counted.n)
		}
		if res.Exchange.Status != 403 {
			t.Errorf("%q: status %d", c.CT, res.Exchange.Status)
		}
		if b, _ := io.ReadAll(resp.Body); string(b) != "data: {}\n\n" {
			t.Errorf("%q: the caller read %q", c.CT, b)
		}
	}
}

// gateBody yields its first part at once, then blocks until released (or
// closed), then yields the rest: a body whose second read is still under
// way when the peek's wait ends.
type gateBody struct {
	first, rest []byte
	release     chan struct{}
	closed      chan struct{}
	step        int
}

func (g *gateBody) Read(p []byte) (int, error) {
	switch g.step {
	case 0:
		g.step++
		return copy(p, g.first), nil
	case 1:
		select {
		case <-g.release:
		case <-g.closed:
			return 0, errors.New("read on closed body")
		}
		g.step++
		return copy(p, g.rest), nil
	}
	return 0, io.EOF
}

func (g *gateBody) Close() error {
	select {
	case <-g.closed:
	default:
		close(g.closed)
	}
	return nil
}

// The read under way when the wait ends is not lost: its bytes come after
// the peeked ones; closing the body ends it; a Read after Close fails.
func TestPeekReplaysTheReadUnderWay(t *testing.T) {
	req := &http.Request{Method: "GET", URL: &url.URL{Scheme: "https", Host: "shop.example", Path: "/"}, Header: http.Header{}}
	newResp := func(g *gateBody) *http.Response {
		return &http.Response{StatusCode: 403, Status: "403 Forbidden", Proto: "HTTP/1.1",
			Header: http.Header{"Content-Type": {"text/html"}}, Body: g, Request: req}
	}
	g := &gateBody{first: []byte("<html><title>Just a moment...</title>"), rest: []byte("</html>"), release: make(chan struct{}), closed: make(chan struct{})}
	resp := newResp(g)
	if _, err := analyzeResponse(resp, settings{bodyWait: time.Millisecond}, time.Now()); err != nil {
		t.Fatal(err)
	}
	close(g.release)
	got, err := io.ReadAll(resp.Body)
	if err != nil || string(got) != "<html><title>Just a moment...</title></html>" {
		t.Fatalf("read %q, %v", got, err)
	}

	g = &gateBody{first: []byte("<html>"), rest: []byte("never"), release: make(chan struct{}), closed: make(chan struct{})}
	resp = newResp(g)
	if _, err := analyzeResponse(resp, settings{bodyWait: time.Millisecond}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := resp.Body.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := resp.Body.Read(make([]byte, 10)); !errors.Is(err, http.ErrBodyReadAfterClose) {
		t.Errorf("Read after Close: %v", err)
	}

	// A request whose context ends stops the wait too.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g = &gateBody{first: []byte("<html>"), rest: []byte("</html>"), release: make(chan struct{}), closed: make(chan struct{})}
	resp = newResp(g)
	resp.Request = req.WithContext(ctx)
	if _, err := analyzeResponse(resp, settings{bodyWait: hangGuard}, time.Now()); err != nil {
		t.Fatal(err)
	}
	close(g.release)
	if got, _ := io.ReadAll(resp.Body); string(got) != "<html></html>" {
		t.Errorf("read %q", got)
	}
}
