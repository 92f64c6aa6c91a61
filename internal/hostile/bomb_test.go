package hostile

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"testing"
)

// The generators make what they say: sizes and checksums hold when read in
// full with the standard library (small n here).
func TestBombs(t *testing.T) {
	g, err := gzip.NewReader(bytes.NewReader(HARGzBomb(3 << 20)))
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, g)
	if err != nil || n < 3<<20 {
		t.Fatalf("gzip: %d bytes, %v", n, err)
	}
	for name, z := range map[string][]byte{
		"harzip": HARZipBomb(5 << 20), "shared": HARZipSharedBody(10, 2<<20), "wacz": WACZSharedMember(7, 4<<20),
	} {
		zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		total := int64(0)
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatalf("%s %s: %v", name, f.Name, err)
			}
			n, err := io.Copy(io.Discard, rc)
			if err != nil {
				t.Fatalf("%s %s: %v", name, f.Name, err)
			}
			total += n
		}
		t.Logf("%s: %d bytes, %d members, %d inflated", name, len(z), len(zr.File), total)
		if int64(len(z))*50 > total && name != "wacz" {
			t.Errorf("%s: ratio too small", name)
		}
		if name == "wacz" && len(zr.File) != 7 {
			t.Errorf("wacz: %d members", len(zr.File))
		}
	}
}
