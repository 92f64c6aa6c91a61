package detect

import (
	"bytes"

	"why401/analyzer/internal/capture"
)

// respBody is a response body as the detectors read it, worked out once per
// exchange and shared by all of them (Signals makes one): its start lowered
// (ASCII letters only, so offsets stay the body's), as far as a detector has
// asked; whether it looks like HTML or JSON; which words of the status
// detectors' lists it holds. Each detector lowered its own copy before (the
// status words 64 KiB, the gate 48 KiB, the vendor snippets all of it, the
// 418 check 4 KiB, the HTML sniff 512 bytes twice per question).
type respBody struct {
	m     *capture.Message
	low   []byte // m.Body[:len(low)], lowered
	found []bool // by words().statusWords index; nil until a list asks
	kind  uint8  // sniff's answer: sniffDone, sniffHTML, sniffJSON; 0 not asked yet
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
			low[from+i] = lowerASCII(c)
		}
		b.low = low
	}
	return b.low[:n]
}

// hasAny returns the first word of words (lower-case) that the body's first
// statusScanLimit bytes hold, any case, or "". The words of the status
// detectors' lists are found for all of them in one pass; another word (a
// proxy provider's) is searched on its own.
func (b *respBody) hasAny(words []string) string {
	if len(b.m.Body) == 0 {
		return ""
	}
	set := wordsSet()
	for _, w := range words {
		i, ok := set.id[w]
		if !ok {
			if bytes.Contains(b.lower(statusScanLimit), []byte(w)) {
				return w
			}
			continue
		}
		if b.found == nil {
			// The matcher folds ASCII case itself: the body needs no lowering.
			b.found = make([]bool, len(set.id))
			set.m.scan(b.m.Body[:min(len(b.m.Body), statusScanLimit)], func(p int) { b.found[p] = true })
		}
		if b.found[i] {
			return w
		}
	}
	return ""
}

// wordsSet is the matcher of the status detectors' lists.
func wordsSet() *wordSet { return words().statusWords }

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
		if looksJSON(b.m) {
			b.kind |= sniffJSON
			if t := bytes.TrimSpace(b.m.Body); len(t) > 0 && t[0] == '{' {
				b.kind &^= sniffHTML // a JSON object labelled text/html is JSON, not a page
			}
		}
	}
	return b.kind
}

func looksJSON(m *capture.Message) bool {
	ct := m.Get("Content-Type")
	if containsFold(ct, "json") {
		return true
	}
	b := bytes.TrimSpace(m.Body)
	if len(b) < 2 || b[0] != '{' && b[0] != '[' {
		return false
	}
	// A JSON error sent as text/html (Tenable.sc, many PHP back ends) is
	// JSON when it parses as a JSON object; an HTML page never does.
	return !containsFold(ct, "html") || b[0] == '{' && capture.ValidJSON(b)
}

func looksHTML(m *capture.Message) bool {
	if containsFold(m.Get("Content-Type"), "html") {
		return true
	}
	b := bytes.TrimSpace(m.Body[:min(len(m.Body), 512)])
	return len(b) > 0 && b[0] == '<' && (indexFold(b, "<html") >= 0 || indexFold(b, "<!doctype") >= 0)
}

// containsFold: s holds word (lower-case ASCII), any ASCII case.
func containsFold(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		if hasPrefixFold(s[i:], word) {
			return true
		}
	}
	return false
}

func hasPrefixFold(s, word string) bool {
	for j := 0; j < len(word); j++ {
		if lowerASCII(s[j]) != word[j] {
			return false
		}
	}
	return true
}

// indexFold is the first index of word (lower-case ASCII) in b, any ASCII case, or -1.
func indexFold(b []byte, word string) int {
	for i := 0; i+len(word) <= len(b); i++ {
		j := 0
		for j < len(word) && lowerASCII(b[i+j]) == word[j] {
			j++
		}
		if j == len(word) {
			return i
		}
	}
	return -1
}

// lowerASCIIBytes lowers ASCII letters only, so offsets stay those of the
// body (bytes.ToLower may change the length of non-ASCII text).
func lowerASCIIBytes(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = lowerASCII(c)
	}
	return out
}

// wordSet finds the words of several lists in one pass: id gives a word's
// index among the matcher's patterns.
type wordSet struct {
	m  *matcher
	id map[string]int
}

func newWordSet(lists ...[]string) *wordSet {
	ws := &wordSet{id: map[string]int{}}
	var all []string
	for _, l := range lists {
		for _, w := range l {
			if _, ok := ws.id[w]; !ok {
				ws.id[w] = len(all)
				all = append(all, w)
			}
		}
	}
	ws.m = newMatcher(all)
	return ws
}
