package inflate

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"io"
	"testing"
)

const fuzzCap = 4 << 20

// FuzzInflate: on any input our decoder agrees with compress/flate: the same
// bytes when it succeeds; an error when it fails, after no more bytes than it
// returned (a prefix of them).
func FuzzInflate(f *testing.F) {
	for _, level := range levels {
		f.Add(deflate(f, []byte("HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\n\r\n<title>Just a moment...</title>"), level))
	}
	f.Add(deflate(f, harText(3000, 9), 9))
	f.Add([]byte{0x03, 0x00})
	f.Add([]byte{0x01, 0x00, 0x00, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, in []byte) {
		want, werr := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(in)), fuzzCap))
		got, err := io.ReadAll(io.LimitReader(NewReader(bytes.NewReader(in)), fuzzCap))
		if werr == nil {
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("stdlib ok (%d bytes), ours %v (%d bytes)", len(want), err, len(got))
			}
			return
		}
		if err == nil {
			t.Fatalf("stdlib %v, ours ok (%d bytes)", werr, len(got))
		}
		if len(got) > len(want) || !bytes.Equal(got, want[:len(got)]) {
			t.Fatalf("ours %d bytes before %v, stdlib %d before %v", len(got), err, len(want), werr)
		}
	})
}

// FuzzGzip: the same for gzip streams (headers, trailers, members).
func FuzzGzip(f *testing.F) {
	f.Add(gzipped(f, []byte("hello, world"), 6, gzip.Header{Name: "a", Comment: "b", Extra: []byte("xy\x00\x00")}))
	f.Add(withFHCRC(gzipped(f, harText(2000, 1), 1, gzip.Header{})))
	f.Fuzz(func(t *testing.T, in []byte) {
		want, werr := readAllStdGzipCap(in)
		var got []byte
		g, err := NewGzipReader(bytes.NewReader(in))
		if err == nil {
			got, err = io.ReadAll(io.LimitReader(g, fuzzCap))
		}
		if werr == nil {
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("stdlib ok (%d bytes), ours %v (%d bytes)", len(want), err, len(got))
			}
			return
		}
		if err == nil {
			t.Fatalf("stdlib %v, ours ok", werr)
		}
		if len(got) > len(want) || !bytes.Equal(got, want[:len(got)]) {
			t.Fatalf("ours %d bytes before %v, stdlib %d before %v", len(got), err, len(want), werr)
		}
	})
}

func readAllStdGzipCap(in []byte) ([]byte, error) {
	g, err := gzip.NewReader(bytes.NewReader(in))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(g, fuzzCap))
}

// FuzzZip: our directory agrees with archive/zip's, and each entry reads
// the same (or fails where it fails, after no more bytes).
func FuzzZip(f *testing.F) {
	f.Add(makeZip(f, "comment", []zipEntrySpec{
		{name: "trace.har", method: zip.Deflate, data: []byte(`{"log":{"entries":[]}}`)},
		{name: "r/a.txt", method: zip.Store, data: []byte("body"), raw: true},
		{name: "r/b.txt", method: zip.Deflate, data: []byte("body body body"), raw: true},
	}))
	f.Add(makeZip(f, "", nil))
	f.Fuzz(func(t *testing.T, in []byte) {
		std, serr := zip.NewReader(bytes.NewReader(in), int64(len(in)))
		ours, oerr := NewZipReader(bytes.NewReader(in), int64(len(in)))
		if (serr == nil) != (oerr == nil) {
			t.Fatalf("stdlib %v, ours %v", serr, oerr)
		}
		if serr != nil {
			return
		}
		if len(std.File) != len(ours.File) || std.Comment != ours.Comment {
			t.Fatalf("files %d/%d", len(std.File), len(ours.File))
		}
		for i, sf := range std.File {
			of := ours.File[i]
			if sf.Name != of.Name || sf.Method != of.Method || sf.CompressedSize64 != of.CompressedSize || sf.UncompressedSize64 != of.UncompressedSize {
				t.Fatalf("entry %d differs", i)
			}
			if i >= 8 || of.Flags&1 != 0 {
				continue // enough work; encrypted entries are refused by design
			}
			want, werr := readEntryCap(sf.Open)
			got, gerr := readEntryCap(of.Open)
			if werr == nil && (gerr != nil || !bytes.Equal(got, want)) {
				t.Fatalf("entry %d: stdlib ok (%d bytes), ours (%d bytes, %v)", i, len(want), len(got), gerr)
			}
			if werr != nil && gerr == nil {
				t.Fatalf("entry %d: stdlib %v, ours ok", i, werr)
			}
		}
	})
}

func readEntryCap(open func() (io.ReadCloser, error)) ([]byte, error) {
	rc, err := open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, fuzzCap))
}
