package capture

import "strings"

// Bound bounds a message that a live client handed over as structured data
// (not read from a capture) the way a HAR entry's is: at most HeaderFields
// fields, each value cut at HeaderBytes, HTTP/2 pseudo-header fields used
// (":status", ":authority"…) and dropped, the body cut at BodyBytes
// (SuccessBodyBytes for a success; a long refusal keeps its start and its
// end) and a Content-Encoding the caller did not undo (gzip, deflate) undone.
func Bound(m *Message, lim Limits, w *Warnings) {
	if len(m.Fields) > lim.HeaderFields {
		warnHeaderFields(w, lim)
		m.Fields = m.Fields[:lim.HeaderFields]
	}
	for i := range m.Fields {
		f := &m.Fields[i]
		f.Name = Clip(strings.TrimSpace(f.Name), 256)
		if len(f.Value) > lim.HeaderBytes {
			warnHeaderBytes(w, f.Name, lim)
			f.Value = f.Value[:lim.HeaderBytes]
		}
	}
	m.Fields = dropPseudo(m.Fields, m)
	m.Method = Clip(m.Method, 32)
	m.URL = Clip(m.URL, 8192)
	m.Proto = Clip(m.Proto, 32)
	limit, success := lim.BodyBytes, m.Status >= 200 && m.Status < 400
	if success {
		limit = min(limit, SuccessBodyBytes)
	}
	if len(m.Body) > limit {
		tail := !success && keepsTail(m.Status, lim.BodyBytes)
		if tail {
			m.Body = headTail(m.Body, m.Body, lim.BodyBytes)
		} else {
			m.Body = m.Body[:limit]
		}
		m.BodyTruncated = true
		if !success {
			w.Add("body-bytes", cutNote(lim.BodyBytes, tail))
		}
	}
	if m.Status != 0 || m.Method == "" { // a response
		decodeBody(m, lim, w)
	}
}
