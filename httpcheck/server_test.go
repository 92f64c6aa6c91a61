package httpcheck

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
)

// fixture is a capture file read for replay: the request's header fields (to
// send) and the response (to serve).
type fixture struct {
	reqHeader http.Header
	status    int
	header    [][2]string // in file order
	body      []byte
}

// loadFixture reads a .http file: an optional request (request line, fields,
// blank line), then the response (status line, fields, blank line, body).
func loadFixture(t testing.TB, path string) fixture {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	f := fixture{reqHeader: http.Header{}}
	at := bytes.Index(data, []byte("\nHTTP/"))
	if bytes.HasPrefix(data, []byte("HTTP/")) {
		at = -1
	} else if at < 0 {
		t.Fatalf("%s: no status line", path)
	}
	if at >= 0 {
		for _, line := range strings.Split(string(data[:at]), "\n")[1:] {
			if k, v, ok := strings.Cut(line, ":"); ok && !strings.EqualFold(k, "Host") {
				f.reqHeader.Add(k, strings.TrimSpace(v))
			}
		}
		data = data[at+1:]
	}
	head, body, _ := bytes.Cut(data, []byte("\n\n"))
	lines := strings.Split(string(head), "\n")
	parts := strings.Fields(lines[0])
	if len(parts) < 2 {
		t.Fatalf("%s: bad status line %q", path, lines[0])
	}
	if f.status, err = strconv.Atoi(parts[1]); err != nil {
		t.Fatalf("%s: bad status line %q", path, lines[0])
	}
	for _, line := range lines[1:] {
		if k, v, ok := strings.Cut(line, ":"); ok {
			f.header = append(f.header, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
		}
	}
	f.body = body
	return f
}

// serve writes the fixture's response. Framing fields are the server's own:
// the fixture's Content-Length, Transfer-Encoding and Content-Encoding are
// dropped.
func (f fixture) serve(w http.ResponseWriter) {
	for _, kv := range f.header {
		switch strings.ToLower(kv[0]) {
		case "content-length", "transfer-encoding", "content-encoding", "connection":
			continue
		}
		w.Header().Add(kv[0], kv[1])
	}
	w.WriteHeader(f.status)
	w.Write(f.body)
}

// newServer starts a loopback server and returns it with a client whose
// every connection goes to it, whatever the URL's host: requests keep their
// real-looking hosts (api.example.com), which the analyzer's API rules and
// cross-origin checks read.
func newServer(t testing.TB, h http.Handler) (*httptest.Server, *http.Transport) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return srv, tr
}
