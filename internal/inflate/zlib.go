package inflate

import (
	"errors"
	"io"
)

// Errors of the zlib framing. The texts are those of compress/zlib.
var (
	ErrZlibHeader     = errors.New("zlib: invalid header")
	ErrZlibChecksum   = errors.New("zlib: invalid checksum")
	ErrZlibDictionary = errors.New("zlib: invalid dictionary")
)

// ZlibReader decompresses a zlib stream (RFC 1950) and checks its Adler-32.
type ZlibReader struct {
	z      Reader
	a1, a2 uint32
	err    error
}

// NewZlibReader reads the zlib header from r. Like compress/zlib it reads
// exactly the header's bytes from r before it fails (2, or 6 with a preset
// dictionary, which is refused unless its id is that of an empty one).
func NewZlibReader(r io.Reader) (*ZlibReader, error) {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, err
	}
	if h[0]&0x0f != 8 || h[0]>>4 > 7 || (uint16(h[0])<<8|uint16(h[1]))%31 != 0 {
		return nil, ErrZlibHeader
	}
	if h[1]&0x20 != 0 {
		var d [4]byte
		if _, err := io.ReadFull(r, d[:]); err != nil {
			return nil, err
		}
		if d != [4]byte{0, 0, 0, 1} {
			return nil, ErrZlibDictionary
		}
	}
	zr := &ZlibReader{a1: 1}
	zr.z.Reset(r)
	return zr, nil
}

// Read implements io.Reader.
func (zr *ZlibReader) Read(p []byte) (int, error) {
	if zr.err != nil {
		return 0, zr.err
	}
	n, err := zr.z.Read(p)
	zr.adler(p[:n])
	if err == io.EOF {
		var t [4]byte
		if err = zr.z.in.readFull(t[:]); err == nil {
			if uint32(t[0])<<24|uint32(t[1])<<16|uint32(t[2])<<8|uint32(t[3]) != zr.a2<<16|zr.a1 {
				err = ErrZlibChecksum
			} else {
				err = io.EOF
			}
		}
	}
	zr.err = err
	return n, err
}

// adler updates the Adler-32 sums with p.
func (zr *ZlibReader) adler(p []byte) {
	const mod = 65521
	a1, a2 := zr.a1, zr.a2
	for len(p) > 0 {
		// 5552 bytes keep the sums within 32 bits before the modulo.
		k := min(len(p), 5552)
		for _, c := range p[:k] {
			a1 += uint32(c)
			a2 += a1
		}
		a1 %= mod
		a2 %= mod
		p = p[k:]
	}
	zr.a1, zr.a2 = a1, a2
}
