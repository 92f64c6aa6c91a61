package capture

import (
	"bytes"
	"io"
	"strconv"
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

// TestStableValues: after Stable, every value KeepValue returned still holds
// its bytes at the end, across the refills of a file several buffers long
// (the HAR pipeline hands them to its workers uncopied); without it they
// are overwritten, which is why the pipeline asks for it.
func TestStableValues(t *testing.T) {
	var doc strings.Builder
	var want []string
	doc.WriteString("[")
	for i := 0; doc.Len() < 3*scanChunk; i++ {
		v := `{"i":` + strconv.Itoa(i) + `,"s":"` + strings.Repeat(string(rune('a'+i%26)), 1+i*37%3000) + `"}`
		if i > 0 {
			doc.WriteString(",")
		}
		doc.WriteString(v)
		want = append(want, v)
	}
	doc.WriteString("]")
	for _, tc := range []struct {
		name   string
		r      io.Reader
		stable bool
	}{
		{"stable, 1 KB reads", chunkReader{strings.NewReader(doc.String()), 1 << 10}, true},
		{"stable, half reads", iotest.HalfReader(strings.NewReader(doc.String())), true},
		{"stable, whole reads", strings.NewReader(doc.String()), true},
		{"reused buffer", strings.NewReader(doc.String()), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lim := DefaultLimits()
			s := NewJSONScanner(tc.r, nil, lim)
			if tc.stable {
				s.Stable(nil)
			}
			var got [][]byte
			err := s.Array(func() error {
				v, err := s.KeepValue()
				got = append(got, v)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d values, want %d", len(got), len(want))
			}
			changed := 0
			for i := range got {
				if !bytes.Equal(got[i], []byte(want[i])) {
					changed++
				}
			}
			if tc.stable && changed > 0 {
				t.Fatalf("%d of %d values changed after later reads", changed, len(got))
			}
			if !tc.stable && changed == 0 {
				t.Fatalf("no value was overwritten: the test no longer shows what Stable is for")
			}
		})
	}
}

// FuzzStable: a HAR read in small pieces gives the same entries with
// Stable (kept to the end, uncopied) as without (copied at once).
func FuzzStable(f *testing.F) {
	f.Add([]byte(`{"log":{"entries":[{"request":{"url":"https://a.example/"}},{"response":{"status":401}}]}}`), uint16(3))
	f.Add([]byte(`{"log":{"creator":{"name":"x"},"entries":[{},{"a":"\"]}"},[1,2]]}}`), uint16(1))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint16) {
		n := 1 + int(chunk)%64
		lim := DefaultLimits()
		lim.EntryBytes = 64
		read := func(stable bool) (raws [][]byte, err error) {
			s := NewJSONScanner(chunkReader{bytes.NewReader(data), n}, nil, lim)
			if stable {
				s.Stable(nil)
			}
			_, err = ReadHAREntries(s, lim, &Warnings{}, func(_ int, raw []byte, _ string) {
				if !stable && raw != nil {
					raw = bytes.Clone(raw)
				}
				raws = append(raws, raw)
			})
			return raws, err
		}
		a, errA := read(false)
		b, errB := read(true)
		if (errA == nil) != (errB == nil) || len(a) != len(b) {
			t.Fatalf("without Stable %d entries, %v; with %d, %v", len(a), errA, len(b), errB)
		}
		for i := range a {
			if !bytes.Equal(a[i], b[i]) || (a[i] == nil) != (b[i] == nil) {
				t.Fatalf("entry %d: %q without Stable, %q with", i, a[i], b[i])
			}
		}
	})
}

// TestStableLargeValues: values larger than a chunk, and larger than
// EntryBytes, across several refills: the same values (nil for those too
// large) with Stable as without.
func TestStableLargeValues(t *testing.T) {
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
	read := func(stable bool) (vals [][]byte) {
		s := NewJSONScanner(iotest.HalfReader(bytes.NewReader(doc.Bytes())), nil, lim)
		if stable {
			s.Stable(nil)
		}
		if err := s.Array(func() error {
			v, err := s.KeepValue()
			if !stable && v != nil {
				v = bytes.Clone(v)
			}
			vals = append(vals, v)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return vals
	}
	want, got := read(false), read(true)
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
