package inflate

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"hash/crc32"
	"io"
	"strconv"
	"testing"
	"testing/iotest"
)

func gzipped(t testing.TB, data []byte, level int, hdr gzip.Header) []byte {
	var b bytes.Buffer
	w, err := gzip.NewWriterLevel(&b, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Header = hdr
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// withFHCRC adds a header CRC (compress/gzip never writes one) to a gzip
// stream whose header is the 10 fixed bytes.
func withFHCRC(g []byte) []byte {
	h := append([]byte(nil), g[:10]...)
	h[3] |= gzFHCRC
	c := crc32.ChecksumIEEE(h)
	h = append(h, byte(c), byte(c>>8))
	return append(h, g[10:]...)
}

func TestGzip(t *testing.T) {
	data := harText(200000, 5)
	plain := gzipped(t, data, 6, gzip.Header{})
	named := gzipped(t, data, 9, gzip.Header{Name: "capture.har", Comment: "a comment", Extra: []byte("xx\x04\x00abcd")})
	cases := []struct {
		name string
		in   []byte
		want []byte
		err  error
	}{
		{"plain", plain, data, nil},
		{"name comment extra", named, data, nil},
		{"header crc", withFHCRC(plain), data, nil},
		{"empty", gzipped(t, nil, 6, gzip.Header{}), nil, nil},
		{"stored", gzipped(t, data, flate.NoCompression, gzip.Header{}), data, nil},
		{"multistream", append(append([]byte(nil), plain...), named...), append(append([]byte(nil), data...), data...), nil},
		{"trailing garbage", append(append([]byte(nil), plain...), "garbage!!!!"...), data, ErrGzipHeader},
		{"trailing short", append(append([]byte(nil), plain...), 0x1f), data, io.ErrUnexpectedEOF},
		{"bad crc", flip(plain, len(plain)-8), data, ErrGzipChecksum},
		{"bad size", flip(plain, len(plain)-1), data, ErrGzipChecksum},
		{"bad header crc", flip(withFHCRC(plain), 10), nil, ErrGzipHeader},
		{"truncated trailer", plain[:len(plain)-3], data, io.ErrUnexpectedEOF},
	}
	for _, c := range cases {
		got, err := readAllGzip(c.in)
		if !errors.Is(err, c.err) {
			t.Errorf("%s: err %v, want %v", c.name, err, c.err)
		}
		if !bytes.Equal(got, c.want) {
			t.Errorf("%s: %d bytes, want %d", c.name, len(got), len(c.want))
		}
		// Same outcome as compress/gzip.
		want, werr := readAllStdGzip(c.in)
		if (werr == nil) != (err == nil) || !bytes.Equal(got, want) {
			t.Errorf("%s: ours (%d, %v), stdlib (%d, %v)", c.name, len(got), err, len(want), werr)
		}
	}
	if _, err := NewGzipReader(bytes.NewReader([]byte("\x1f\x8b\x07"))); err != io.ErrUnexpectedEOF {
		t.Errorf("short header: %v", err)
	}
	if _, err := NewGzipReader(bytes.NewReader([]byte("\x1f\x8b\x07\x00\x00\x00\x00\x00\x00\x00"))); err != ErrGzipHeader {
		t.Errorf("method 7: %v", err)
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 0x55
	return c
}

func readAllGzip(in []byte) ([]byte, error) {
	g, err := NewGzipReader(bytes.NewReader(in))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(g)
}

func readAllStdGzip(in []byte) ([]byte, error) {
	g, err := gzip.NewReader(bytes.NewReader(in))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(g)
}

func TestZlib(t *testing.T) {
	data := harText(100000, 6)
	for _, level := range levels {
		var b bytes.Buffer
		w, _ := zlib.NewWriterLevel(&b, level)
		w.Write(data)
		w.Close()
		z, err := NewZlibReader(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(z)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("level %d: %v", level, err)
		}
		bad := flip(b.Bytes(), b.Len()-1)
		z, _ = NewZlibReader(bytes.NewReader(bad))
		if _, err := io.ReadAll(z); err != ErrZlibChecksum {
			t.Fatalf("level %d bad adler: %v", level, err)
		}
	}
	for _, c := range []struct {
		in  string
		err error
	}{
		{"\x78", io.ErrUnexpectedEOF},
		{"\x79\x9c", ErrZlibHeader},
		{"\x78\x9d", ErrZlibHeader},
		{"\x78\xbb\x00\x00\x00\x02", ErrZlibDictionary},
	} {
		if _, err := NewZlibReader(bytes.NewReader([]byte(c.in))); err != c.err {
			t.Errorf("%q: %v, want %v", c.in, err, c.err)
		}
	}
	// A dictionary id of an empty dictionary is accepted, as by compress/zlib.
	var b bytes.Buffer
	fw, _ := flate.NewWriter(&b, 6)
	fw.Write([]byte("hello"))
	fw.Close()
	in := append([]byte("\x78\xbb\x00\x00\x00\x01"), b.Bytes()...)
	in = append(in, 0x06, 0x2c, 0x02, 0x15) // adler32("hello")
	z, err := NewZlibReader(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(z); err != nil || string(got) != "hello" {
		t.Fatalf("%q %v", got, err)
	}
}

type zipEntrySpec struct {
	name    string
	method  uint16
	data    []byte
	comment string
	raw     bool // CreateRaw: sizes and CRC in the local header, no data descriptor
}

func makeZip(t testing.TB, comment string, entries []zipEntrySpec) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, 9) })
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: e.method, Comment: e.comment}
		var w io.Writer
		var err error
		if e.raw {
			h.CRC32 = crc32.ChecksumIEEE(e.data)
			h.UncompressedSize64 = uint64(len(e.data))
			body := e.data
			if e.method == zip.Deflate {
				body = deflate(t, e.data, 6)
			}
			h.CompressedSize64 = uint64(len(body))
			w, err = zw.CreateRaw(h)
			if err == nil {
				_, err = w.Write(body)
			}
		} else {
			w, err = zw.CreateHeader(h)
			if err == nil {
				_, err = w.Write(e.data)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if comment != "" {
		zw.SetComment(comment)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// compareZip checks that our reader lists and reads the archive as archive/zip does.
func compareZip(t *testing.T, name string, data []byte) {
	t.Helper()
	std, serr := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	ours, oerr := NewZipReader(bytes.NewReader(data), int64(len(data)))
	if (serr == nil) != (oerr == nil) {
		t.Fatalf("%s: stdlib %v, ours %v", name, serr, oerr)
	}
	if serr != nil {
		return
	}
	if std.Comment != ours.Comment || len(std.File) != len(ours.File) {
		t.Fatalf("%s: comment %q/%q files %d/%d", name, std.Comment, ours.Comment, len(std.File), len(ours.File))
	}
	for i, sf := range std.File {
		of := ours.File[i]
		if sf.Name != of.Name || sf.Method != of.Method || sf.CompressedSize64 != of.CompressedSize || sf.UncompressedSize64 != of.UncompressedSize || sf.CRC32 != of.CRC32 {
			t.Fatalf("%s: entry %d: %+v vs %+v", name, i, sf.FileHeader, *of)
		}
		want, werr := readEntry(sf.Open)
		got, gerr := readEntry(of.Open)
		if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
			t.Fatalf("%s: entry %s: stdlib (%d bytes, %v), ours (%d bytes, %v)", name, sf.Name, len(want), werr, len(got), gerr)
		}
	}
}

func readEntry(open func() (io.ReadCloser, error)) ([]byte, error) {
	rc, err := open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func TestZip(t *testing.T) {
	data := harText(300000, 8)
	entries := []zipEntrySpec{
		{name: "trace.har", method: zip.Deflate, data: data, comment: "entry comment"},
		{name: "resources/a.txt", method: zip.Store, data: []byte("stored body")},
		{name: "resources/b.json", method: zip.Deflate, data: []byte(`{"error":"invalid_token"}`), raw: true},
		{name: "resources/c.bin", method: zip.Store, data: data[:5000], raw: true},
		{name: "empty.txt", method: zip.Deflate, data: nil},
		{name: "dir/", method: zip.Store},
	}
	plain := makeZip(t, "", entries)
	commented := makeZip(t, "archive comment", entries)
	compareZip(t, "plain", plain)
	compareZip(t, "commented", commented)
	compareZip(t, "prefixed", append([]byte("#!/bin/sh\nexit 0\n"), plain...))
	compareZip(t, "empty", makeZip(t, "", nil))

	z, err := NewZipReader(bytes.NewReader(commented), int64(len(commented)))
	if err != nil || z.Comment != "archive comment" || len(z.File) != len(entries) {
		t.Fatalf("%v %+v", err, z)
	}

	// Corruptions: each gives an error, never a panic.
	for i := 0; i < len(plain); i += 97 {
		compareZipLoose(t, flip(plain, i))
	}
	for i := len(plain) - 200; i < len(plain); i++ {
		compareZipLoose(t, flip(plain, i))
		compareZipLoose(t, plain[:i])
	}
}

// compareZipLoose: on corrupt archives, we fail where archive/zip fails and
// never return more bytes of an entry than it does.
func compareZipLoose(t *testing.T, data []byte) {
	t.Helper()
	std, serr := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	ours, oerr := NewZipReader(bytes.NewReader(data), int64(len(data)))
	if (serr == nil) != (oerr == nil) {
		t.Fatalf("stdlib %v, ours %v", serr, oerr)
	}
	if serr != nil {
		return
	}
	if len(std.File) != len(ours.File) {
		t.Fatalf("files %d/%d", len(std.File), len(ours.File))
	}
	for i, sf := range std.File {
		if ours.File[i].Flags&1 != 0 {
			continue // encrypted: we refuse, archive/zip reads ciphertext
		}
		want, werr := readEntry(sf.Open)
		got, gerr := readEntry(ours.File[i].Open)
		if werr == nil && (gerr != nil || !bytes.Equal(got, want)) {
			t.Fatalf("entry %d: stdlib ok, ours (%d bytes, %v)", i, len(got), gerr)
		}
		if werr != nil && gerr == nil {
			t.Fatalf("entry %d: stdlib %v, ours ok", i, werr)
		}
	}
}

func TestZipRefusals(t *testing.T) {
	data := makeZip(t, "", []zipEntrySpec{{name: "a.txt", method: zip.Store, data: []byte("abc"), raw: true}})
	z, err := NewZipReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	f := *z.File[0]
	f.Flags |= 1
	if _, err := f.Open(); err != ErrZipEncrypted {
		t.Errorf("encrypted: %v", err)
	}
	f = *z.File[0]
	f.Method = 12 // bzip2
	if _, err := f.Open(); err != ErrZipAlgorithm {
		t.Errorf("bzip2: %v", err)
	}
	if _, err := NewZipReader(bytes.NewReader([]byte("PK\x03\x04 not a zip")), 17); err != ErrZipFormat {
		t.Errorf("no end record: %v", err)
	}
	// A deflated entry that inflates past its declared size stops there.
	bomb := makeZip(t, "", []zipEntrySpec{{name: "b", method: zip.Deflate, data: make([]byte, 1<<20), raw: true}})
	z, _ = NewZipReader(bytes.NewReader(bomb), int64(len(bomb)))
	z.File[0].UncompressedSize = 1000
	got, err := readEntry(z.File[0].Open)
	if err != ErrZipFormat || len(got) > 64<<10 {
		t.Errorf("oversize entry: %d bytes, %v", len(got), err)
	}
}

// TestZip64: more than 65535 entries makes archive/zip write a ZIP64 end of
// central directory.
func TestZip64(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := 0; i < 70000; i++ {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: strconv.Itoa(i), Method: zip.Store})
		w.Write([]byte{byte(i)})
	}
	zw.Close()
	data := b.Bytes()
	if !bytes.Contains(data[len(data)-200:], []byte("PK\x06\x06")) {
		t.Fatal("no ZIP64 end record")
	}
	z, err := NewZipReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(z.File) != 70000 {
		t.Fatalf("%v", err)
	}
	got, err := readEntry(z.File[69999].Open)
	if err != nil || !bytes.Equal(got, []byte{69999 & 0xff}) {
		t.Fatalf("%v %v", got, err)
	}
}

// TestGzipManyMembers: per-record gzip (as in .warc.gz): the bytes the
// decoder read ahead are given back for the next member, across refills of
// the input buffer, whatever the source's read sizes.
func TestGzipManyMembers(t *testing.T) {
	var in, want bytes.Buffer
	for i := 0; i < 600; i++ {
		rec := harText(i*37%3000, int64(i))[:i*37%3000]
		want.Write(rec)
		in.Write(gzipped(t, rec, []int{1, 6, 9, flate.NoCompression, flate.HuffmanOnly}[i%5], gzip.Header{Name: strconv.Itoa(i)}))
	}
	for name, wrap := range map[string]func(io.Reader) io.Reader{
		"plain":   func(r io.Reader) io.Reader { return r },
		"onebyte": iotest.OneByteReader,
		"half":    iotest.HalfReader,
	} {
		g, err := NewGzipReader(wrap(bytes.NewReader(in.Bytes())))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(g)
		if err != nil || !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%s: %v (%d of %d bytes)", name, err, len(got), want.Len())
		}
	}
}
