package capture

import (
	"errors"
	"io"
	"math"
	"strconv"
)

// JSONScanner walks the outline of a JSON document read from a stream,
// without building it: it finds object keys and the byte bounds of values,
// so that a HAR's entries can be read one at a time. Memory is
// bounded by the largest value kept (Limits.EntryBytes), not by the file.
type JSONScanner struct {
	r     io.Reader
	buf   []byte
	pos   int   // next unread byte in buf
	mark  int   // start of the value being kept, or -1
	total int64 // bytes taken from r
	eof   bool
	err   error // first read error other than io.EOF

	limit     int64 // Limits.InputBytes
	keepMax   int   // Limits.EntryBytes
	depthMax  int   // Limits.Depth
	overKeep  bool  // the kept value grew past keepMax
	overInput bool  // stopped at limit
	hint      int64 // bytes r holds in all, or -1 (SizeHint)

	record bool     // KeepValue is recording string bounds
	bounds []uint32 // what it recorded (Bounds)
}

const scanChunk = 4 << 20

// SizeHint says how many bytes r holds in all (a HAR handed over as bytes):
// the scanner then reads into a buffer of about that size instead of a
// 4 MiB chunk, so a small HAR does not pay for a big buffer (its zeroing
// and page faults) on every analysis. A wrong hint only costs a regrowth.
func (s *JSONScanner) SizeHint(n int64) { s.hint = n }

// Left is how many bytes of the input are left to scan, when that is
// known (the input handed over whole, or a size hint), else -1.
func (s *JSONScanner) Left() int64 {
	switch {
	case s.r == nil:
		return int64(len(s.buf) - s.pos)
	case s.hint >= 0:
		return max(s.hint-s.offset(), 0)
	}
	return -1
}

// chunk is how much the next read asks for: scanChunk, or what the size
// hint says is left (and a little more, to see the end) when that is less.
func (s *JSONScanner) chunk() int {
	if s.hint < 0 {
		return scanChunk
	}
	return int(min(scanChunk, max(s.hint-s.total, 0)+512))
}

var (
	errTooDeep   = errors.New("JSON nesting too deep")
	ErrTruncated = errors.New("the file ends in the middle of the JSON")
	ErrSyntax    = errors.New("invalid JSON")
)

// wrapError is an error with a text of its own that errors.Is and
// errors.As see as err (WrapErr, wrapErr): fmt.Errorf's %w would put err's
// text in the message too.
type wrapError struct {
	msg string
	err error
}

func (e *wrapError) Error() string { return e.msg }
func (e *wrapError) Unwrap() error { return e.err }

// wrapErr returns err with more appended to its text.
func wrapErr(err error, more string) error { return &wrapError{err.Error() + more, err} }

func NewJSONScanner(r io.Reader, data []byte, lim Limits) *JSONScanner {
	s := &JSONScanner{r: r, mark: -1, limit: lim.InputBytes, keepMax: lim.EntryBytes, depthMax: lim.Depth, hint: -1}
	if r == nil {
		if s.limit > 0 && int64(len(data)) > s.limit {
			data, s.overInput = data[:s.limit], true
		}
		s.buf, s.eof = data, true
		s.total = int64(len(data))
	}
	return s
}

// fill reads more input, keeping buf[mark:] (or buf[pos:]). It reports false at the end.
func (s *JSONScanner) fill() bool {
	if s.eof {
		return false
	}
	s.makeRoom()
	want := cap(s.buf) - len(s.buf)
	if s.limit > 0 && s.total+int64(want) > s.limit {
		want = int(s.limit - s.total)
		if want <= 0 {
			s.overInput, s.eof = true, true
			return false
		}
	}
	n, err := io.ReadAtLeast(s.r, s.buf[len(s.buf):len(s.buf)+want], 1)
	s.buf = s.buf[:len(s.buf)+n]
	s.total += int64(n)
	if err != nil {
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			s.err = err
		}
		if n == 0 {
			s.eof = true
			return false
		}
	}
	return true
}

// makeRoom moves what is kept (buf[mark:], or buf[pos:]) to the start of
// the buffer, and grows it when less than half a chunk is left.
func (s *JSONScanner) makeRoom() {
	keep := s.pos
	if s.mark >= 0 {
		keep = s.mark
	}
	if keep > 0 {
		n := copy(s.buf, s.buf[keep:])
		s.buf = s.buf[:n]
		s.pos -= keep
		if s.mark >= 0 {
			s.mark = 0
		}
	}
	if s.mark >= 0 && len(s.buf) > s.keepMax {
		// The kept value is too large: stop keeping it, go on skipping it.
		s.overKeep = true
		s.buf = s.buf[:copy(s.buf, s.buf[s.pos:])]
		s.pos, s.mark = 0, -1
	}
	if c := s.chunk(); cap(s.buf)-len(s.buf) < c/2 {
		nb := make([]byte, len(s.buf), max(2*cap(s.buf), len(s.buf)+c))
		copy(nb, s.buf)
		s.buf = nb
	}
}

// Peek returns the next non-space byte without consuming it.
func (s *JSONScanner) Peek() (byte, bool) {
	for {
		for s.pos < len(s.buf) {
			c := s.buf[s.pos]
			if c == ' ' || c == '\n' || c == '\r' || c == '\t' {
				s.pos++
				continue
			}
			return c, true
		}
		if !s.fill() {
			return 0, false
		}
	}
}

// expect consumes the next non-space byte, which must be c.
func (s *JSONScanner) expect(c byte) error {
	got, ok := s.Peek()
	if !ok {
		return ErrTruncated
	}
	if got != c {
		return wrapErr(ErrSyntax, ": expected "+strconv.QuoteRune(rune(c))+" at byte "+strconv.FormatInt(s.offset(), 10)+", found "+strconv.QuoteRune(rune(got)))
	}
	s.pos++
	return nil
}

func (s *JSONScanner) offset() int64 { return s.total - int64(len(s.buf)-s.pos) }

// endString moves past the closing quote of a string whose opening quote was consumed.
func (s *JSONScanner) endString() error {
	for {
		e, ok := stringEnd(s.buf, s.pos)
		s.pos = e
		if ok {
			return nil
		}
		if !s.fill() {
			return ErrTruncated
		}
	}
}

// Bounds are the strings the scan found in the value KeepValue returned
// last: for each, the offset of its opening quote and the offset just past
// its closing quote, in order, as offsets into that value. A walker over the
// value jumps over those strings instead of searching for their ends again.
// Only strings of at least boundsMinLen bytes are recorded, at most
// boundsMax of them (the rest are scanned again). Valid until the next call,
// like the value; empty when KeepValue returned nil.
func (s *JSONScanner) Bounds() []uint32 { return s.bounds }

const (
	// boundsMinLen: a shorter string (a header name, most keys) is found
	// as fast by one IndexByte as by a lookup, and recording it costs the
	// scan, which runs on one goroutine.
	boundsMinLen = 24
	// boundsMax bounds what one value's record holds (512 KiB): a value
	// of EntryBytes made of short strings must not cost a multiple of itself.
	boundsMax = 64 << 10
)

// skipString moves past a string whose opening quote was consumed,
// recording its bounds when KeepValue asks for them.
func (s *JSONScanner) skipString() error {
	if !s.record {
		return s.endString()
	}
	start := s.pos - 1 - s.mark
	err := s.endString()
	if err == nil && s.mark >= 0 && s.pos-s.mark-start >= boundsMinLen && len(s.bounds) < 2*boundsMax {
		s.bounds = append(s.bounds, uint32(start), uint32(s.pos-s.mark))
	}
	return err
}

// readKey reads an object key and the colon after it. Long keys are cut.
// It is only called between values, when nothing is being kept.
func (s *JSONScanner) readKey() (string, error) {
	if err := s.expect('"'); err != nil {
		return "", err
	}
	s.mark = s.pos
	err := s.endString()
	key := ""
	if err == nil && s.mark >= 0 {
		// (a key longer than what the scanner keeps lost its mark: it is
		// no key a reader asks for)
		key = Clip(string(s.buf[s.mark:s.pos-1]), 256)
	}
	s.mark = -1
	if err != nil {
		return "", err
	}
	return key, s.expect(':')
}

// SkipValue moves past one JSON value. It checks nesting depth but not full syntax:
// the readers of the values that are kept (jsonfast.go) stop at malformed bytes.
func (s *JSONScanner) SkipValue() error {
	c, ok := s.Peek()
	if !ok {
		return ErrTruncated
	}
	switch c {
	case '"':
		s.pos++
		return s.skipString()
	case '{', '[':
		depth := 0
		for {
			if s.pos >= len(s.buf) && !s.fill() {
				return ErrTruncated
			}
			c := s.buf[s.pos]
			s.pos++
			switch c {
			case '"':
				if err := s.skipString(); err != nil {
					return err
				}
			case '{', '[':
				depth++
				if depth > s.depthMax {
					return errTooDeep
				}
			case '}', ']':
				depth--
				if depth == 0 {
					return nil
				}
			}
		}
	case '}', ']', ',', ':':
		return wrapErr(ErrSyntax, ": unexpected "+strconv.QuoteRune(rune(c))+" at byte "+strconv.FormatInt(s.offset(), 10))
	default: // number, true, false, null
		for {
			for s.pos < len(s.buf) {
				switch s.buf[s.pos] {
				case ',', '}', ']', ' ', '\n', '\r', '\t':
					return nil
				}
				s.pos++
			}
			if !s.fill() {
				return nil
			}
		}
	}
}

// KeepValue skips one value and returns its bytes (valid until the next
// call: the buffer is reused), or nil when it was larger than keepMax.
func (s *JSONScanner) KeepValue() ([]byte, error) {
	if _, ok := s.Peek(); !ok {
		return nil, ErrTruncated
	}
	s.mark = s.pos
	s.overKeep = false
	// (offsets are uint32: an EntryBytes over 4 GiB records nothing)
	s.bounds, s.record = s.bounds[:0], int64(s.keepMax) <= math.MaxUint32
	err := s.SkipValue()
	var v []byte
	if err == nil && !s.overKeep && s.mark >= 0 && s.pos-s.mark <= s.keepMax {
		v = s.buf[s.mark:s.pos]
	} else {
		s.bounds = s.bounds[:0]
	}
	s.mark, s.record = -1, false
	return v, err
}

// next consumes a ',' (true: another item follows) or the closing byte (false).
func (s *JSONScanner) next(closing byte) (bool, error) {
	c, ok := s.Peek()
	if !ok {
		return false, ErrTruncated
	}
	s.pos++
	switch c {
	case ',':
		return true, nil
	case closing:
		return false, nil
	}
	return false, wrapErr(ErrSyntax, ": expected ',' or "+strconv.QuoteRune(rune(closing))+" at byte "+strconv.FormatInt(s.offset()-1, 10)+", found "+strconv.QuoteRune(rune(c)))
}

// Object calls fn for each key of the Object that starts here; fn must consume the value.
func (s *JSONScanner) Object(fn func(key string) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if c, ok := s.Peek(); ok && c == '}' {
		s.pos++
		return nil
	}
	for {
		key, err := s.readKey()
		if err != nil {
			return err
		}
		if err := fn(key); err != nil {
			return err
		}
		more, err := s.next('}')
		if err != nil || !more {
			return err
		}
	}
}

// Array calls fn for each item of the Array that starts here; fn must consume the item.
func (s *JSONScanner) Array(fn func() error) error {
	if err := s.expect('['); err != nil {
		return err
	}
	if c, ok := s.Peek(); ok && c == ']' {
		s.pos++
		return nil
	}
	for {
		if err := fn(); err != nil {
			return err
		}
		more, err := s.next(']')
		if err != nil || !more {
			return err
		}
	}
}
