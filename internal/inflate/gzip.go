package inflate

import (
	"errors"
	"hash/crc32"
	"io"
)

// Errors of the gzip framing. The texts are those of compress/gzip.
var (
	ErrGzipHeader   = errors.New("gzip: invalid header")
	ErrGzipChecksum = errors.New("gzip: invalid checksum")
)

const (
	gzFHCRC    = 1 << 1
	gzFEXTRA   = 1 << 2
	gzFNAME    = 1 << 3
	gzFCOMMENT = 1 << 4
)

// GzipReader decompresses a gzip stream (RFC 1952). Like compress/gzip's
// Reader it reads concatenated members as one stream, and checks each
// member's CRC-32 and size.
type GzipReader struct {
	z    Reader
	crc  uint32
	size uint32
	err  error
}

// NewGzipReader reads the first member's header from r.
func NewGzipReader(r io.Reader) (*GzipReader, error) {
	g := &GzipReader{}
	g.z.Reset(r)
	if err := g.header(); err != nil {
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return g, nil
}

// header reads a member header; io.EOF when the input holds no more bytes.
func (g *GzipReader) header() error {
	in := &g.z.in
	if in.atEOF() {
		if in.err != io.EOF {
			return in.err
		}
		return io.EOF
	}
	var h [10]byte
	if err := in.readFull(h[:]); err != nil {
		return err
	}
	if h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 {
		return ErrGzipHeader
	}
	flg := h[3]
	crc := crc32.ChecksumIEEE(h[:])
	if flg&gzFEXTRA != 0 {
		var x [2]byte
		if err := in.readFull(x[:]); err != nil {
			return err
		}
		crc = crc32.Update(crc, crc32.IEEETable, x[:])
		for n := int(x[0]) | int(x[1])<<8; n > 0; n-- {
			c, err := in.readByte()
			if err != nil {
				return err
			}
			crc = crc32.Update(crc, crc32.IEEETable, []byte{c})
		}
	}
	for _, f := range [2]byte{gzFNAME, gzFCOMMENT} {
		if flg&f == 0 {
			continue
		}
		// A zero-terminated string; compress/gzip refuses one of 512 bytes or more.
		for i := 0; ; i++ {
			c, err := in.readByte()
			if err != nil {
				return err
			}
			crc = crc32.Update(crc, crc32.IEEETable, []byte{c})
			if c == 0 {
				break
			}
			if i >= 510 {
				return ErrGzipHeader
			}
		}
	}
	if flg&gzFHCRC != 0 {
		var x [2]byte
		if err := in.readFull(x[:]); err != nil {
			return err
		}
		if uint16(x[0])|uint16(x[1])<<8 != uint16(crc) {
			return ErrGzipHeader
		}
	}
	g.crc, g.size = 0, 0
	g.z.restart()
	return nil
}

// Read implements io.Reader.
func (g *GzipReader) Read(p []byte) (int, error) {
	for {
		if g.err != nil {
			return 0, g.err
		}
		n, err := g.z.Read(p)
		g.crc = crc32.Update(g.crc, crc32.IEEETable, p[:n])
		g.size += uint32(n)
		if err != io.EOF {
			if err != nil {
				g.err = err
			}
			return n, err
		}
		// End of a member: the trailer, then maybe another member.
		var t [8]byte
		if err := g.z.in.readFull(t[:]); err != nil {
			g.err = err
			return n, err
		}
		if le32(t[:]) != g.crc || le32(t[4:]) != g.size {
			g.err = ErrGzipChecksum
			return n, g.err
		}
		if err := g.header(); err != nil {
			g.err = err
			return n, err
		}
		if n > 0 {
			return n, nil
		}
	}
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}
