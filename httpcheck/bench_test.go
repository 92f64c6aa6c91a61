package httpcheck

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"testing"
)

// staticRT answers every request with a copy of one fixture, without a network.
type staticRT struct{ f fixture }

func (s staticRT) RoundTrip(req *http.Request) (*http.Response, error) {
	h := http.Header{}
	for _, kv := range s.f.header {
		h.Add(kv[0], kv[1])
	}
	return &http.Response{StatusCode: s.f.status, Status: http.StatusText(s.f.status), Proto: "HTTP/1.1",
		Header: h, ContentLength: int64(len(s.f.body)), Body: io.NopCloser(bytes.NewReader(s.f.body)), Request: req}, nil
}

// BenchmarkTransport is the per-call cost the Transport adds to a round trip
// (no network): an analysed failure, and a success it only looks at.
//
//	go test -run '^$' -bench . -benchmem ./httpcheck
func BenchmarkTransport(b *testing.B) {
	for _, name := range []string{"challenge", "bearer-expired", "rate-limit", "ok"} {
		f := loadFixture(b, "testdata/"+name+".http")
		rt := &Transport{Base: staticRT{f}}
		req := &http.Request{Method: "GET", URL: &url.URL{Scheme: "https", Host: "api.example.com", Path: "/v1/" + name},
			Header: f.reqHeader}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				resp, err := rt.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
			}
		})
	}
}
