package detect

import (
	"bytes"
	"sync"

	"why401/analyzer/internal/capture"
	"why401/internal/ascii"
)

// respBody is a response body as the detectors read it, worked out once per
// exchange and shared by all of them (Signals makes one): its start lowered
// (ASCII letters only, so offsets stay the body's), as far as a detector has
// asked; whether it looks like HTML or JSON; which words of the status
// detectors' lists it holds. Each detector lowered its own copy before (the
// status words 64 KiB, the gate 48 KiB, the vendor snippets all of it, the
// 418 check 4 KiB, the HTML sniff 512 bytes twice per question).
type respBody struct {
	m    *capture.Message
	low  []byte // m.Body[:len(low)], lowered
	kind uint8  // sniff's answer: sniffDone, sniffHTML, sniffJSON; 0 not asked yet
	// errShape and valid are errorShaped's and capture.ValidJSON's
	// answers: 1 no, 2 yes; 0 not asked yet.
	errShape, valid uint8
	// The body automaton's pass (bodyCatalog), as far as a detector has
	// asked: every word list that reads a body is found in this one pass.
	scanned int       // bytes of m.Body read
	row     int32     // the automaton's state there
	seen    []uint64  // a bit per pattern found in m.Body[:scanned]
	hits    []bodyHit // the patterns found, in the order found
}

// bodyHit is a pattern of the body automaton and where it first ends.
type bodyHit struct {
	p   int32
	end int
}

// bodyOf returns the body of ex's response, for detectors called on their
// own (the tests); Signals makes one and hands it to every detector.
func bodyOf(ex *capture.Exchange) *respBody { return &respBody{m: &ex.Response} }

// statusScanLimit bounds what the status detectors' word lists read.
const statusScanLimit = 64 << 10

// lower returns the body's first n bytes (or all of it) lowered. The lowered
// copy grows as detectors ask for more, never lowering a byte twice.
func (b *respBody) lower(n int) []byte {
	n = min(n, len(b.m.Body))
	if n > len(b.low) {
		low := b.low
		if n > cap(low) {
			low = make([]byte, len(b.low), min(len(b.m.Body), max(n, 2*cap(b.low))))
			copy(low, b.low)
		}
		from := len(low)
		low = low[:n]
		for i, c := range b.m.Body[from:n] {
			low[from+i] = ascii.LowerByte(c)
		}
		b.low = low
	}
	return b.low[:n]
}

// hasAny returns the first word of words (lower-case) that the body's first
// statusScanLimit bytes hold, any case, or "". A word of words.json's body
// lists is found by the body automaton's one pass; another word is searched
// on its own.
func (b *respBody) hasAny(words []string) string {
	if len(b.m.Body) == 0 {
		return ""
	}
	c := theBodyCatalog()
	for _, w := range words {
		p, ok := c.id[w]
		if !ok {
			if bytes.Contains(b.lower(statusScanLimit), []byte(w)) {
				return w
			}
			continue
		}
		if b.found(p, statusScanLimit) {
			return w
		}
	}
	return ""
}

// firstOf returns the first word of list l (in the list's order) that the
// body's first n bytes hold, any case, or "". l is one of bodyCatalog's lists.
func (b *respBody) firstOf(l listID, n int) string {
	c := theBodyCatalog()
	for i, p := range c.lists[l] {
		if b.found(p, n) {
			return list(l)[i]
		}
	}
	return ""
}

// found: pattern p of the body automaton ends within the body's first n bytes.
func (b *respBody) found(p int32, n int) bool {
	n = min(n, len(b.m.Body))
	b.scanTo(n)
	if b.seen == nil || b.seen[p>>6]&(1<<(p&63)) == 0 {
		return false
	}
	if n >= b.scanned {
		return true
	}
	for _, h := range b.hits {
		if h.p == p {
			return h.end <= n
		}
	}
	return false
}

// scanTo runs the body automaton on as far as the body's first n bytes,
// never reading a byte twice. A pattern's first hit is where it first ends,
// so "found in the first n bytes" is a bit and, when n is short of what was
// read, the end of that hit.
func (b *respBody) scanTo(n int) *bodyCatalog {
	c := theBodyCatalog()
	n = min(n, len(b.m.Body))
	if n <= b.scanned {
		return c
	}
	if b.seen == nil {
		b.seen = make([]uint64, (c.npat+63)/64)
	}
	b.row = c.m.resume(b.row, b.m.Body[b.scanned:n], b.scanned, func(p int32, end int) {
		if b.seen[p>>6]&(1<<(p&63)) == 0 {
			b.seen[p>>6] |= 1 << (p & 63)
			b.hits = append(b.hits, bodyHit{p, end})
		}
	})
	b.scanned = n
	return c
}

// wordAt is where word, pattern p of the body automaton (-1: none), first
// starts in the body, any ASCII case, or -1. An ASCII word's first hit ends
// where its first occurrence does; another word is searched in the lowered
// body.
func (b *respBody) wordAt(p int, word string) int {
	if word == "" {
		return -1
	}
	if p >= 0 && isASCII(word) {
		for _, h := range b.hits {
			if int(h.p) == p {
				return h.end - len(word)
			}
		}
	}
	return bytes.Index(b.lower(len(b.m.Body)), ascii.LowerBytes([]byte(word)))
}

// has: pattern p was found in what scanTo read.
func (b *respBody) has(p int) bool { return b.seen != nil && b.seen[p>>6]&(1<<(p&63)) != 0 }

// isHTML: the body is an HTML page (by Content-Type, or a body that opens
// with <html or <!doctype).
func (b *respBody) isHTML() bool { return b.sniff()&sniffHTML != 0 }

// isJSON: the body is JSON (by Content-Type, or a body that opens with { or [).
func (b *respBody) isJSON() bool { return b.sniff()&sniffJSON != 0 }

const (
	sniffDone = 1 << iota
	sniffHTML
	sniffJSON
)

func (b *respBody) sniff() uint8 {
	if b.kind == 0 {
		b.kind = sniffDone
		if looksHTML(b.m) {
			b.kind |= sniffHTML
		}
		if b.looksJSON() {
			b.kind |= sniffJSON
			if t := bytes.TrimSpace(b.m.Body); len(t) > 0 && t[0] == '{' {
				b.kind &^= sniffHTML // a JSON object labelled text/html is JSON, not a page
			}
		}
	}
	return b.kind
}

// validJSON is capture.ValidJSON of the body with bytes.TrimSpace's spaces
// trimmed (looksJSON and isProblem read it so), worked out once per exchange.
func (b *respBody) validJSON() bool {
	if b.valid == 0 {
		b.valid = 1
		if capture.ValidJSON(bytes.TrimSpace(b.m.Body)) {
			b.valid = 2
		}
	}
	return b.valid == 2
}

// validRawJSON is capture.ValidJSON of the body as it is: validJSON's
// answer unless the body starts or ends with a space (a form feed, a
// no-break space) that JSON does not allow there.
func (b *respBody) validRawJSON() bool {
	if len(bytes.TrimSpace(b.m.Body)) != len(bytes.Trim(b.m.Body, " \t\r\n")) {
		return capture.ValidJSON(b.m.Body)
	}
	return b.validJSON()
}

func looksJSON(m *capture.Message) bool { return (&respBody{m: m}).looksJSON() }

func (lb *respBody) looksJSON() bool {
	m := lb.m
	ct := m.Get("Content-Type")
	if ascii.Contains(ct, "json") {
		return true
	}
	b := bytes.TrimSpace(m.Body)
	if len(b) < 2 || b[0] != '{' && b[0] != '[' {
		return false
	}
	// A JSON error sent as text/html (Tenable.sc, many PHP back ends) is
	// JSON when it parses as a JSON object; an HTML page never does.
	return !ascii.Contains(ct, "html") || b[0] == '{' && lb.validJSON()
}

func looksHTML(m *capture.Message) bool {
	if ascii.Contains(m.Get("Content-Type"), "html") {
		return true
	}
	b := bytes.TrimSpace(m.Body[:min(len(m.Body), 512)])
	return len(b) > 0 && b[0] == '<' && (ascii.Index(b, "<html") >= 0 || ascii.Index(b, "<!doctype") >= 0)
}

// bodyCatalog is the one automaton every word list that reads a response
// body is found by, in one pass (respBody.scanTo): the vendor files' body
// words (patterns below vendors, in vendorSet.patterns' order), then
// words.json's body lists (bodyLists). The status words, the gate's, the
// app-shell markers and the vendors' each read the body once before.
type bodyCatalog struct {
	m       *matcher
	vendors int              // patterns [0, vendors) are vendorSet.patterns
	npat    int              // patterns in all
	id      map[string]int32 // a word of a body list → its pattern
	lists   [nLists][]int32  // a body list's words' patterns, in the list's order
}

// bodyLists are the words.json lists found in a body by bodyCatalog.
var bodyLists = []listID{authWords, quotaWords, anonymousWords, permissionWords, botPageWords, blockPageWords,
	gateCaptchaInputs, credentialInputs, loginFailures, appShellMarkers}

// theBodyCatalog builds the body automaton once, on first use.
var theBodyCatalog = sync.OnceValue(func() *bodyCatalog {
	var patterns []string
	set, _ := compiledVendors()
	patterns = append(patterns, set.patterns...)
	return newBodyCatalog(patterns, words())
})

func newBodyCatalog(patterns []string, wl *lists) *bodyCatalog {
	c := &bodyCatalog{vendors: len(patterns), id: map[string]int32{}}
	patterns = patterns[:len(patterns):len(patterns)]
	for _, l := range bodyLists {
		pats := make([]int32, len(wl.w[l]))
		for i, w := range wl.w[l] {
			p, ok := c.id[w]
			if !ok {
				p = int32(len(patterns))
				c.id[w] = p
				patterns = append(patterns, w)
			}
			pats[i] = p
		}
		c.lists[l] = pats
	}
	c.npat = len(patterns)
	c.m = newMatcher(patterns)
	return c
}
