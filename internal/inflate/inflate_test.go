package inflate

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"math/rand"
	"strconv"
	"testing"
	"testing/iotest"
)

// harText returns n bytes of HAR-like JSON: repetitive structure, varied
// values, some base64, the kind of text the analyzer decompresses.
func harText(n int, seed int64) []byte {
	rng := rand.New(rand.NewSource(seed))
	var b bytes.Buffer
	b.WriteString(`{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[`)
	hosts := []string{"api.example.com", "www.example.org", "cdn.static.example.net", "login.example.com"}
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		h := hosts[rng.Intn(len(hosts))]
		status := []int{200, 200, 200, 304, 401, 403, 429}[rng.Intn(7)]
		b.WriteString(`{"startedDateTime":"2026-11-03T12:`)
		b.WriteString(strconv.Itoa(10 + rng.Intn(50)))
		b.WriteString(`:00.000Z","time":`)
		b.WriteString(strconv.FormatFloat(rng.Float64()*900, 'f', 3, 64))
		b.WriteString(`,"request":{"method":"GET","url":"https://` + h + `/v1/items/` + strconv.Itoa(rng.Intn(100000)) + `?page=` + strconv.Itoa(rng.Intn(20)) + `","httpVersion":"HTTP/2","headers":[{"name":"accept","value":"application/json"},{"name":"user-agent","value":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},{"name":"cookie","value":"sid=`)
		for j := 0; j < 32; j++ {
			b.WriteByte(b64[rng.Intn(64)])
		}
		b.WriteString(`"}]},"response":{"status":` + strconv.Itoa(status) + `,"statusText":"","headers":[{"name":"content-type","value":"text/html; charset=utf-8"},{"name":"server","value":"cloudflare"}],"content":{"size":1234,"mimeType":"text/html","text":"`)
		if rng.Intn(3) == 0 {
			for j := rng.Intn(2000); j > 0; j-- {
				b.WriteByte(b64[rng.Intn(64)])
			}
			b.WriteString(`","encoding":"base64"`)
		} else {
			b.WriteString(`<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><div id=\"challenge-` + strconv.Itoa(rng.Intn(1000)) + `\">Checking your browser before accessing ` + h + `.</div></body></html>"`)
		}
		b.WriteString(`}},"timings":{"send":0,"wait":` + strconv.Itoa(rng.Intn(500)) + `,"receive":1}}`)
	}
	b.WriteString(`]}}`)
	return b.Bytes()
}

func deflate(t testing.TB, data []byte, level int) []byte {
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return b.Bytes()
}

func inputs() map[string][]byte {
	rng := rand.New(rand.NewSource(1))
	random := make([]byte, 100000)
	rng.Read(random)
	skewed := make([]byte, 200000)
	for i := range skewed {
		skewed[i] = byte(rng.ExpFloat64() * 8)
	}
	return map[string][]byte{
		"empty":  nil,
		"one":    {'x'},
		"zeros":  make([]byte, 300000),
		"random": random,
		"skewed": skewed,
		"har":    harText(400000, 2),
		"short":  []byte("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n\r\n"),
	}
}

var levels = []int{flate.HuffmanOnly, flate.NoCompression, flate.BestSpeed, 2, 3, 4, 5, 6, 7, 8, flate.BestCompression, flate.DefaultCompression}

func TestInflateLevels(t *testing.T) {
	for name, data := range inputs() {
		for _, level := range levels {
			comp := deflate(t, data, level)
			readers := map[string]func(io.Reader) io.Reader{
				"plain":   func(r io.Reader) io.Reader { return r },
				"onebyte": iotest.OneByteReader,
				"half":    iotest.HalfReader,
				"dataerr": iotest.DataErrReader,
			}
			for rn, wrap := range readers {
				got, err := io.ReadAll(NewReader(wrap(bytes.NewReader(comp))))
				if err != nil {
					t.Fatalf("%s level %d %s: %v", name, level, rn, err)
				}
				if !bytes.Equal(got, data) {
					t.Fatalf("%s level %d %s: output differs (%d vs %d bytes)", name, level, rn, len(got), len(data))
				}
			}
			// Small reads from the decoder.
			z := NewReader(bytes.NewReader(comp))
			var out []byte
			buf := make([]byte, 7)
			for {
				n, err := z.Read(buf)
				out = append(out, buf[:n]...)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(out, data) {
				t.Fatalf("%s level %d small reads: output differs", name, level)
			}
		}
	}
}

// TestInflateTruncated: every prefix of a stream fails with
// io.ErrUnexpectedEOF and returns no more than compress/flate.
func TestInflateTruncated(t *testing.T) {
	data := harText(3000, 3)
	for _, level := range []int{flate.NoCompression, flate.BestSpeed, flate.BestCompression, flate.HuffmanOnly} {
		comp := deflate(t, data, level)
		for i := 0; i < len(comp); i++ {
			got, err := io.ReadAll(NewReader(bytes.NewReader(comp[:i])))
			want, werr := io.ReadAll(flate.NewReader(bytes.NewReader(comp[:i])))
			if werr == nil {
				// The stream's last bytes may be padding; both must agree.
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("level %d prefix %d: %v (stdlib ok)", level, i, err)
				}
				continue
			}
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("level %d prefix %d: err %v, want unexpected EOF", level, i, err)
			}
			if len(got) > len(want) || !bytes.Equal(got, want[:len(got)]) {
				t.Fatalf("level %d prefix %d: returned %d bytes, stdlib %d", level, i, len(got), len(want))
			}
		}
	}
}

func TestInflateCorrupt(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		want error
	}{
		{"reserved block type", []byte{0x07}, ErrBlockType},
		{"stored nlen", []byte{0x01, 0x05, 0x00, 0x00, 0x00}, ErrStored},
		{"distance too far", deflateRaw(t, func(w *bitWriter) {
			w.bits(1, 1)
			w.bits(1, 2)    // fixed
			w.code(0x30, 8) // literal '\0' ... length code 257 follows
			w.code(1, 7)    // symbol 257: length 3
			w.code(5, 5)    // distance code 5: 7..8
			w.bits(0, 1)
		}), ErrDistance},
		{"fixed distance 30", deflateRaw(t, func(w *bitWriter) {
			w.bits(1, 1)
			w.bits(1, 2)
			w.code(0x30, 8)
			w.code(1, 7)
			w.code(30, 5)
		}), ErrCode},
		{"fixed literal 286", deflateRaw(t, func(w *bitWriter) {
			w.bits(1, 1)
			w.bits(1, 2)
			w.code(0xc6, 8) // 286
		}), ErrCode},
		{"dynamic nlit 287", deflateRaw(t, func(w *bitWriter) {
			w.bits(1, 1)
			w.bits(2, 2)
			w.bits(30, 5)
			w.bits(0, 5)
			w.bits(0, 4)
		}), ErrTable},
		{"dynamic empty code-length code", deflateRaw(t, func(w *bitWriter) {
			w.bits(1, 1)
			w.bits(2, 2)
			w.bits(0, 5)
			w.bits(0, 5)
			w.bits(0, 4)
			w.bits(0, 12)
			w.bits(0, 8)
		}), ErrCode},
	} {
		got, err := io.ReadAll(NewReader(bytes.NewReader(c.in)))
		_, werr := io.ReadAll(flate.NewReader(bytes.NewReader(c.in)))
		if werr == nil {
			t.Errorf("%s: stdlib accepts the test stream", c.name)
		}
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err %v (%d bytes), want %v", c.name, err, len(got), c.want)
		}
	}
}

// bitWriter writes DEFLATE bit fields for hand-made streams.
type bitWriter struct {
	out  []byte
	acc  uint64
	nacc uint
}

func (w *bitWriter) bits(v uint64, n uint) {
	w.acc |= v << w.nacc
	w.nacc += n
	for w.nacc >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
}

// code writes a Huffman code MSB first.
func (w *bitWriter) code(c uint64, n uint) {
	var r uint64
	for i := uint(0); i < n; i++ {
		r = r<<1 | c>>i&1
	}
	w.bits(r, n)
}

func deflateRaw(t testing.TB, f func(w *bitWriter)) []byte {
	w := &bitWriter{}
	f(w)
	if w.nacc > 0 {
		w.out = append(w.out, byte(w.acc))
	}
	return w.out
}

// TestInflateSecondStream: the reader gives back the bytes after the stream.
func TestInflateRestBytes(t *testing.T) {
	data := harText(100000, 4)
	comp := deflate(t, data, 6)
	rest := []byte("TRAILER-bytes")
	z := NewReader(bytes.NewReader(append(comp, rest...)))
	got, err := io.ReadAll(z)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatal(err)
	}
	left := z.in.buf[z.in.pos:z.in.end]
	if !bytes.Equal(left, rest) {
		t.Fatalf("left %q, want %q", left, rest)
	}
}

var benchData []byte

func benchInflate(b *testing.B, level int, ours bool) {
	if benchData == nil {
		n := 20 << 20
		if testing.Short() {
			n = 4 << 20 // for js/wasm under node
		}
		benchData = harText(n, 7)
	}
	comp := deflate(b, benchData, level)
	b.SetBytes(int64(len(benchData)))
	b.ReportAllocs()
	b.ResetTimer()
	var z *Reader
	fr := flate.NewReader(nil)
	for i := 0; i < b.N; i++ {
		var r io.Reader
		if ours {
			if z == nil {
				z = NewReader(bytes.NewReader(comp))
			} else {
				z.Reset(bytes.NewReader(comp))
			}
			r = z
		} else {
			fr.(flate.Resetter).Reset(bytes.NewReader(comp), nil)
			r = fr
		}
		n, err := io.Copy(io.Discard, r)
		if err != nil || n != int64(len(benchData)) {
			b.Fatal(err, n)
		}
	}
}

func BenchmarkInflate(b *testing.B) {
	for _, level := range []int{1, 6, 9} {
		b.Run("ours/level"+strconv.Itoa(level), func(b *testing.B) { benchInflate(b, level, true) })
		b.Run("stdlib/level"+strconv.Itoa(level), func(b *testing.B) { benchInflate(b, level, false) })
	}
}
