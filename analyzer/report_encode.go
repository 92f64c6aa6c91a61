package analyzer

// The report's JSON, written by hand.
//
// Report.AppendJSON used to be encoding/json's Encoder (SetEscapeHTML(false));
// its reflection was 5–9 % of the CPU of the analyzer compiled to
// WebAssembly (the page, the worker). This writes the same bytes without
// reflection: the fields in struct order under their tag names, omitempty
// where the tag says it, nil slices, maps and pointers as null, map keys
// sorted, numbers and strings formatted and escaped as encoding/json does.
// encode_test.go holds it byte-identical to encoding/json: hand-built
// reports, every field of every type filled by reflection (a field added to
// a struct and not written here fails it) and a fuzz target.

import (
	"math"
	"sort"
	"strconv"
	"unicode/utf8"
)

func appendReport(b []byte, r *Report) []byte {
	// encoding/json refuses a confidence that is not finite; so does this,
	// with its message, before writing anything.
	for i := range r.Exchanges {
		if f := r.Exchanges[i].Confidence; math.IsInf(f, 0) || math.IsNaN(f) {
			return AppendJSONError(b, "analyzer: report: json: unsupported value: "+strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	b = kint(b, `{"schema_version":`, r.SchemaVersion)
	b = append(b, `,"exchanges":`...)
	b = appendList(b, r.Exchanges, appendExchange)
	b = kstr(b, `,"input":{"name":`, r.Input.Name)
	b = kstr(b, `,"format":`, r.Input.Format)
	b = kopt(b, `,"producer":`, r.Input.Producer)
	b = kint(b, `,"entries":`, r.Input.Entries)
	b = append(b, `},"warnings":`...)
	b = appendStrings(b, r.Warnings)
	if s := r.Summary; s != nil {
		b = append(b, `,"summary":{"hosts":`...)
		b = appendList(b, s.Hosts, appendHost)
		b = append(b, `,"vendors":`...)
		b = appendStrings(b, s.Vendors)
		b = append(b, `,"first_failure":`...)
		b = appendFailure(b, s.FirstFailure)
		b = append(b, `,"first_block":`...)
		b = appendBlock(b, s.FirstBlock)
		b = append(b, `,"sanitized":`...)
		b = strconv.AppendBool(b, s.Sanitized)
		if len(s.Caveats) > 0 {
			b = append(b, `,"caveats":`...)
			b = appendStrings(b, s.Caveats)
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

func appendExchange(b []byte, e *ExchangeReport) []byte {
	b = kint(b, `{"index":`, e.Index)
	b = kstr(b, `,"method":`, e.Method)
	b = kstr(b, `,"url":`, e.URL)
	b = kint(b, `,"status":`, e.Status)
	b = kstr(b, `,"verdict":`, string(e.Verdict))
	b = append(b, `,"confidence":`...)
	b = appendFloat(b, e.Confidence)
	b = kopt(b, `,"vendor":`, e.Vendor)
	b = kopt(b, `,"scheme":`, e.Scheme)
	b = kopt(b, `,"cause":`, OptString(e.Cause))
	b = kstr(b, `,"action":`, string(e.Action))
	if e.WaitSeconds > 0 {
		b = append(b, `,"wait_seconds":`...)
		b = appendFloat(b, e.WaitSeconds)
	}
	if e.WaitUntil != "" {
		b = kstr(b, `,"wait_until":`, e.WaitUntil)
	}
	if e.Reference != "" {
		b = kstr(b, `,"reference":`, e.Reference)
	}
	if len(e.References) > 0 {
		b = append(b, `,"references":`...)
		b = appendList(b, e.References, appendReference)
	}
	if m := e.Message; m != nil {
		b = kstr(b, `,"message":{"text":`, m.Text)
		if m.Code != "" {
			b = kstr(b, `,"code":`, m.Code)
		}
		b = kstr(b, `,"where":`, m.Where)
		b = append(b, '}')
	}
	if e.Time != "" {
		b = kstr(b, `,"time":`, e.Time)
	}
	b = kstr(b, `,"summary":`, e.Summary)
	b = append(b, `,"evidence":`...)
	b = appendList(b, e.Evidence, appendEvidence)
	b = append(b, `,"fixes":`...)
	b = appendList(b, e.Fixes, appendFix)
	return append(b, '}')
}

func appendReference(b []byte, r *Reference) []byte {
	b = kstr(b, `{"label":`, r.Label)
	return append(kstr(b, `,"value":`, r.Value), '}')
}

func appendEvidence(b []byte, e *Evidence) []byte {
	b = kstr(b, `{"signal":`, e.Signal)
	b = kstr(b, `,"where":`, e.Where)
	b = kstr(b, `,"text":`, e.Text)
	if e.Entry != nil {
		b = kint(b, `,"entry":`, *e.Entry)
	}
	return append(b, '}')
}

func appendFix(b []byte, f *Fix) []byte {
	b = kstr(b, `{"title":`, f.Title)
	b = append(b, `,"steps":`...)
	b = appendStrings(b, f.Steps)
	if len(f.Code) > 0 {
		b = append(b, `,"code":`...)
		b = appendList(b, f.Code, appendSnippet)
	}
	return append(b, '}')
}

func appendSnippet(b []byte, s *Snippet) []byte {
	b = kstr(b, `{"lang":`, s.Lang)
	b = kstr(b, `,"text":`, s.Text)
	return append(b, '}')
}

func appendHost(b []byte, h *HostSummary) []byte {
	b = kstr(b, `{"host":`, h.Host)
	b = kint(b, `,"requests":`, h.Requests)
	b = append(b, `,"status":`...)
	b = appendCounts(b, h.Status)
	b = append(b, `,"verdicts":`...)
	b = appendCounts(b, h.Verdicts)
	return append(b, '}')
}

func appendFailure(b []byte, f *FailureInfo) []byte {
	if f == nil {
		return append(b, "null"...)
	}
	b = kint(b, `{"index":`, f.Index)
	b = kstr(b, `,"verdict":`, string(f.Verdict))
	b = kopt(b, `,"cause":`, OptString(f.Cause))
	b = kstr(b, `,"summary":`, f.Summary)
	b = append(b, `,"root_entry":`...)
	if f.RootEntry == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(*f.RootEntry), 10)
	}
	if f.Root != "" {
		b = kstr(b, `,"root":`, f.Root)
	}
	return append(b, '}')
}

func appendBlock(b []byte, k *BlockInfo) []byte {
	if k == nil {
		return append(b, "null"...)
	}
	b = kint(b, `{"index":`, k.Index)
	b = kstr(b, `,"host":`, k.Host)
	if k.Vendor != "" {
		b = kstr(b, `,"vendor":`, k.Vendor)
	}
	if k.Time != "" {
		b = kstr(b, `,"time":`, k.Time)
	}
	b = kint(b, `,"before":`, k.Before)
	return append(b, '}')
}

// kstr, kint and kopt write a key (with its comma and colon) and its value.
//
//go:noinline
func kstr(b []byte, key, s string) []byte { return appendString(append(b, key...), s, false) }

//go:noinline
func kint(b []byte, key string, n int) []byte {
	return strconv.AppendInt(append(b, key...), int64(n), 10)
}

//go:noinline
func kopt(b []byte, key string, s OptString) []byte { return appendOpt(append(b, key...), s) }

// appendList writes a slice as a JSON array, null when nil.
func appendList[T any](b []byte, xs []T, elem func([]byte, *T) []byte) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b, &xs[i])
	}
	return append(b, ']')
}

func appendStrings(b []byte, xs []string) []byte { return appendList(b, xs, appendPlain) }

func appendPlain(b []byte, s *string) []byte { return appendString(b, *s, false) }

// appendCounts writes a map as encoding/json does: null when nil, keys in
// byte order.
func appendCounts(b []byte, m map[string]int) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	var arr [16]string
	keys := arr[:0]
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k, false)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(m[k]), 10)
	}
	return append(b, '}')
}

// appendOpt writes an OptString as its MarshalJSON does: null for "", else
// the string as json.Marshal escapes it (< > & too), which the Encoder keeps.
func appendOpt(b []byte, s OptString) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendString(b, string(s), true)
}

// appendFloat formats a finite float64 as encoding/json does (ES6 number
// to string: 'f' unless tiny or huge, then 'e' with e-07 written e-7).
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1]
		b = b[:n-1]
	}
	return b
}

// plain and plainHTML are the ASCII bytes written as they are, by
// appendString and by appendString with html.
var plain, plainHTML = func() (t, h [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
		h[c] = t[c] && c != '<' && c != '>' && c != '&'
	}
	return t, h
}()

const hexDigits = "0123456789abcdef"

// appendString writes s quoted as encoding/json's appendString does: " and
// \ escaped, control bytes as \b \f \n \r \t or \u00XX, < > & as \u003c
// \u003e \u0026 when html, invalid UTF-8 as \ufffd, U+2028 and U+2029 as
// \u2028 and \u2029.
func appendString(b []byte, s string, html bool) []byte {
	safe := &plain
	if html {
		safe = &plainHTML
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if safe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
