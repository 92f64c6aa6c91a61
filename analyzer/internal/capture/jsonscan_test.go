package capture

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// chunkReader returns at most n bytes a Read, so the scanner refills often.
type chunkReader struct {
	r io.Reader
	n int
}

func (c chunkReader) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }

// FuzzChunkedReads: a HAR read in small pieces gives the same entries as
// the same bytes handed over whole (each entry copied as it is returned:
// the scanner reuses its buffer).
func FuzzChunkedReads(f *testing.F) {
	f.Add([]byte(`{"log":{"entries":[{"request":{"url":"https://a.example/"}},{"response":{"status":401}}]}}`), uint16(3))
	f.Add([]byte(`{"log":{"creator":{"name":"x"},"entries":[{},{"a":"\"]}"},[1,2]]}}`), uint16(1))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint16) {
		n := 1 + int(chunk)%64
		lim := DefaultLimits()
		lim.EntryBytes = 64
		read := func(s *JSONScanner) (raws [][]byte, err error) {
			_, err = ReadHAREntries(s, lim, &Warnings{}, func(_ int, raw []byte, _ string) {
				if raw != nil {
					raw = bytes.Clone(raw)
				}
				raws = append(raws, raw)
			})
			return raws, err
		}
		a, errA := read(NewJSONScanner(nil, data, lim))
		b, errB := read(NewJSONScanner(chunkReader{bytes.NewReader(data), n}, nil, lim))
		if (errA == nil) != (errB == nil) || len(a) != len(b) {
			t.Fatalf("whole: %d entries, %v; in %d-byte reads: %d, %v", len(a), errA, n, len(b), errB)
		}
		for i := range a {
			if !bytes.Equal(a[i], b[i]) || (a[i] == nil) != (b[i] == nil) {
				t.Fatalf("entry %d: %q whole, %q in %d-byte reads", i, a[i], b[i], n)
			}
		}
	})
}

// TestLargeValues: values larger than a chunk, and larger than EntryBytes,
// across several refills: the same values (nil for those too large) read
// in pieces as handed over whole.
func TestLargeValues(t *testing.T) {
	var doc bytes.Buffer
	doc.WriteString("[")
	for i, n := range []int{10, 300 << 10, 5 << 20, 20, 3 << 20, 1 << 20, 9 << 20, 7, 600 << 10, 4<<20 - 20, 2 << 20} {
		if i > 0 {
			doc.WriteString(",")
		}
		doc.WriteString(`"` + strings.Repeat(string(rune('a'+i)), n) + `"`)
	}
	doc.WriteString("]")
	lim := DefaultLimits()
	lim.EntryBytes = 4 << 20
	read := func(s *JSONScanner) (vals [][]byte) {
		if err := s.Array(func() error {
			v, err := s.KeepValue()
			if v != nil {
				v = bytes.Clone(v)
			}
			vals = append(vals, v)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return vals
	}
	want := read(NewJSONScanner(nil, doc.Bytes(), lim))
	got := read(NewJSONScanner(iotest.HalfReader(bytes.NewReader(doc.Bytes())), nil, lim))
	if len(got) != len(want) {
		t.Fatalf("%d values, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) || (got[i] == nil) != (want[i] == nil) {
			t.Errorf("value %d: %d bytes (nil %v), want %d (nil %v)", i, len(got[i]), got[i] == nil, len(want[i]), want[i] == nil)
		}
	}
	if want[2] != nil || want[6] != nil || want[1] == nil || want[9] == nil {
		t.Fatalf("the test no longer has values over and under EntryBytes")
	}
}

// FuzzBounds: an entry walked with the string bounds the scanner recorded
// reads as the same entry walked without them, and the bounds are those of
// strings (a quote at each start, the string's end where the walk finds
// it), whatever the bytes.
func FuzzBounds(f *testing.F) {
	f.Add([]byte(`{"log":{"entries":[{"request":{"url":"https://a.example/very/long/path/to/a/thing","headers":[{"name":"sec-ch-ua","value":"\"Chromium\";v=\"142\", \"Google Chrome\";v=\"142\""}]},"response":{"status":401,"headers":[{"name":"www-authenticate","value":"Bearer realm=\"example\", error=\"invalid_token\""}],"content":{"mimeType":"text/html","text":"<p class=\"x\">a long enough body \\\" \\\\</p>"}}}]}}`), uint16(5))
	f.Add([]byte(`{"log":{"entries":[{"request":{"headers":{"x-a-long-header-name-here":"a value long enough to be recorded"}},"response":{"status":"200","content":{"text":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\"}}},{"response":{"headers":[["n","v"]]}}]}}`), uint16(1))
	f.Add([]byte(`{"log":{"entries":[{"a":x"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy,zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"}]}}`), uint16(2))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint16) {
		lim := DefaultLimits()
		lim.EntryBytes = 4 << 10
		s := NewJSONScanner(chunkReader{bytes.NewReader(data), 1 + int(chunk)%64}, nil, lim)
		s.SizeHint(int64(len(data))) // (a small buffer: no 4 MiB to zero a run)
		ReadHAREntries(s, lim, &Warnings{}, func(idx int, raw []byte, _ string) {
			bounds := s.Bounds()
			if raw == nil {
				return
			}
			for i := 0; i+1 < len(bounds); i += 2 {
				st, e := int(bounds[i]), int(bounds[i+1])
				if e > len(raw) || raw[st] != '"' || endOfString(raw, st) != e || (i > 0 && int(bounds[i-1]) > st) {
					t.Fatalf("entry %d: bounds %d..%d do not hold a string of %q", idx, st, e, raw)
				}
			}
			var wa, wb Warnings
			a, b := HAREntry(raw, bounds, idx, lim, &wa), HAREntry(raw, nil, idx, lim, &wb)
			if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(wa.List(), wb.List()) {
				t.Fatalf("entry %d of %q: with bounds %+v, without %+v", idx, raw, a, b)
			}
		})
	})
}
