package capture

import "bytes"

// folder builds the value of a header field continued on the lines after
// it (obsolete line folding, RFC 9112 §5.2: each continuation is replaced
// by one space) in one buffer, so that a field folded over n lines costs
// O(n), not the O(n²) of appending to a string, and stops at HeaderBytes
// like any other value: the readers of raw text, WARC, Burp and SAZ call
// fold for each continuation line and done before anything else.
type folder struct {
	buf    []byte
	active bool // buf holds the last field's value, not yet written back
}

// fold appends the continuation line to the last of fields.
func (f *folder) fold(fields []Field, line []byte, lim Limits, w *Warnings) {
	if len(fields) == 0 {
		return
	}
	last := &fields[len(fields)-1]
	if !f.active {
		f.buf, f.active = append(f.buf[:0], last.Value...), true
	}
	part := bytes.TrimSpace(line)
	if len(part) == 0 || len(f.buf) >= lim.HeaderBytes {
		return // past the cut, a continuation costs its reading only
	}
	f.buf = append(append(f.buf, ' '), part...)
	if len(f.buf) > lim.HeaderBytes {
		f.buf = f.buf[:lim.HeaderBytes]
		warnHeaderBytes(w, last.Name, lim)
	}
}

// done writes the folded value back into the last of fields.
func (f *folder) done(fields []Field) {
	if f.active && len(fields) > 0 {
		fields[len(fields)-1].Value = string(f.buf)
	}
	f.active = false
}
