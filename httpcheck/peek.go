package httpcheck

import (
	"context"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"why401/internal/ascii"
)

// DefaultBodyWait is how long the analysis waits for a body's start: a body
// that has neither ended nor filled BodyLimit this long after its headers is
// a stream, a long poll or a slow link, and is analysed from what arrived
// (the rest still reaches the caller). A refusal page arrives with its
// headers, in the same few packets; a quarter of a second covers a slow link.
const DefaultBodyWait = 250 * time.Millisecond

// streamingTypes are the media types whose body is a stream of messages
// that may never end: their body is not read before the caller gets the
// response (the headers are analysed). Matched on the type without its
// parameters; audio/* and video/* are streams too.
var streamingTypes = []string{
	"text/event-stream",         // Server-Sent Events
	"multipart/x-mixed-replace", // MJPEG, server push
	"application/x-ndjson",      // newline-delimited JSON (Elasticsearch, Docker, Ollama)
	"application/ndjson",
	"application/jsonl",
	"application/x-jsonlines",
	"application/json-seq", // RFC 7464
	"application/stream+json",
	"application/grpc", // and application/grpc+proto, grpc-web…
	"application/grpc-web",
	"application/connect+json", // Connect's streaming RPCs
	"application/connect+proto",
}

// Streaming tells whether a response's body is a stream by its
// Content-Type (see streamingTypes): Transport and AnalyzeResponse analyse
// such a response from its headers and leave its body unread.
func Streaming(resp *http.Response) bool {
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ascii.Lower(strings.TrimSpace(ct)), ";")
		mt = strings.TrimSpace(mt)
	}
	if strings.HasPrefix(mt, "audio/") || strings.HasPrefix(mt, "video/") {
		return true
	}
	if slices.Contains(streamingTypes, mt) {
		return true
	}
	// application/grpc+proto, application/grpc-web+json, …
	return strings.HasPrefix(mt, "application/grpc+") || strings.HasPrefix(mt, "application/grpc-web+")
}

// peekBody reads up to limit bytes of resp.Body, waiting at most wait for
// them (or for the body's end), and puts them back in front of the rest:
// resp.Body becomes a reader that yields the bytes read, then the bytes of a
// read still under way when the wait ended, then the rest of the body, then
// its error. It returns the bytes read and whether they are only the body's
// start (the wait or the limit cut them short).
// A negative wait reads nothing.
//
// The read runs in a goroutine of its own, so a body that trickles or never
// ends cannot hold the caller past the wait; the goroutine stops after the
// read it is in when the wait ends, when the body is closed or when ctx ends.
func peekBody(ctx context.Context, resp *http.Response, limit int, wait time.Duration) ([]byte, bool) {
	if resp.Body == nil || resp.Body == http.NoBody || wait < 0 {
		return nil, false
	}
	p := &peekReader{body: resp.Body, limit: limit, size: resp.ContentLength, done: make(chan struct{})}
	go p.fill()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	var done <-chan struct{}
	if ctx != nil {
		done = ctx.Done()
	}
	select {
	case <-p.done:
	case <-timer.C:
	case <-done:
	}
	p.mu.Lock()
	p.stop = true
	got := p.buf[:len(p.buf):len(p.buf)] // fill only appends: these bytes stay as they are
	cut := !p.finished || p.err == nil   // cut by the wait, or by the limit with more to come
	p.mu.Unlock()
	resp.Body = p
	return got, cut
}

// peekReader is the body a peek leaves: what fill read, then the body.
type peekReader struct {
	body  io.ReadCloser
	limit int
	size  int64         // the body's Content-Length, or -1
	done  chan struct{} // closed when fill returns

	mu       sync.Mutex
	buf      []byte // what fill read; the caller has had buf[:off]
	off      int
	err      error // the body's error after buf (io.EOF at its end)
	stop     bool  // fill reads no more
	finished bool  // fill has returned
	closed   bool
}

// fill reads the body into buf until limit, an error, or stop. It reads
// into buf's spare capacity without the lock (nobody else touches it) and
// publishes each read under the lock; growing copies into a new array, so a
// slice of the old one handed out stays valid.
func (p *peekReader) fill() {
	defer close(p.done)
	// A buffer the size of the body when its length is known (one byte
	// more, to read its end), else a small one that grows: a 2 KB refusal
	// does not pay for a big buffer. (A length of 0 is what a Response
	// built by hand often says of a body it has: not trusted.)
	n := 4 << 10
	if p.size > 0 && p.size < int64(p.limit) {
		n = max(int(p.size)+1, 512)
	}
	buf := make([]byte, 0, max(1, min(p.limit, n)))
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(p.limit, 2*cap(buf))-len(buf))
		}
		n, err := p.body.Read(buf[len(buf):min(cap(buf), p.limit)])
		buf = buf[:len(buf)+n]
		p.mu.Lock()
		p.buf, p.err = buf, err
		if err != nil || len(buf) >= p.limit || p.stop {
			p.finished = true
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
	}
}

func (p *peekReader) Read(b []byte) (int, error) {
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return 0, http.ErrBodyReadAfterClose
		}
		if p.off < len(p.buf) {
			n := copy(b, p.buf[p.off:])
			p.off += n
			p.mu.Unlock()
			return n, nil
		}
		finished, err := p.finished, p.err
		if finished {
			p.buf, p.off = nil, 0 // handed out whole: let it go
		}
		p.mu.Unlock()
		switch {
		case !finished:
			<-p.done // a read is under way in fill: its bytes come first
		case err != nil:
			return 0, err
		default:
			return p.body.Read(b)
		}
	}
}

// Close closes the body, which also ends a read fill has under way.
func (p *peekReader) Close() error {
	p.mu.Lock()
	p.stop, p.closed, p.buf = true, true, nil
	p.mu.Unlock()
	return p.body.Close()
}
