// Package inflate decompresses DEFLATE (RFC 1951), gzip (RFC 1952) and zlib
// (RFC 1950) streams and reads zip archives. It is a small replacement for
// compress/flate, compress/gzip, compress/zlib and archive/zip for the page's
// wasm: it imports neither fmt nor os.
//
// Hostile input never makes it panic or loop: a corrupt stream gives an
// error, and memory stays bounded by the 64 KiB output window (32 KiB of
// history plus room for one read), a 16 KiB input buffer and the code tables.
package inflate

import (
	"errors"
	"io"
	"sync"
)

// Errors of a corrupt DEFLATE stream.
var (
	ErrBlockType = errors.New("inflate: invalid block type")
	ErrStored    = errors.New("inflate: stored block length does not match its complement")
	ErrCode      = errors.New("inflate: invalid Huffman code")
	ErrTable     = errors.New("inflate: invalid code lengths")
	ErrDistance  = errors.New("inflate: distance too far back")
)

const (
	histSize = 32 << 10
	winSize  = 2 * histSize
	maxMatch = 258
	// decode a symbol only while one more match fits
	outLimit = winSize - maxMatch
	// copies may write up to 7 bytes past a match
	winSlack = 8
	inSize   = 16 << 10
	// bytes kept before the read position when the input buffer is
	// compacted, so whole bytes left in the bit buffer can be given back
	inKeep = 8
)

// input is a buffered source shared by the DEFLATE decoder and the framing
// around it (gzip headers and trailers, the next gzip member).
type input struct {
	src      io.Reader
	buf      []byte
	pos, end int
	err      error // sticky error of src (io.EOF included)
}

// fill reads more of src into buf. It reports whether new bytes came.
func (in *input) fill() bool {
	if in.err != nil {
		return false
	}
	if in.buf == nil {
		in.buf = make([]byte, inSize)
	}
	if in.end == len(in.buf) {
		keep := max(in.pos-inKeep, 0)
		if keep == 0 {
			// unreachable with inSize >> inKeep: the decoder consumes before refilling
			in.err = io.ErrShortBuffer
			return false
		}
		n := copy(in.buf, in.buf[keep:in.end])
		in.pos -= keep
		in.end = n
	}
	for tries := 0; tries < 100; tries++ {
		n, err := in.src.Read(in.buf[in.end:])
		if n < 0 || n > len(in.buf)-in.end {
			n, err = 0, errors.New("inflate: invalid Read count")
		}
		in.end += n
		if err != nil {
			in.err = err
		}
		if n > 0 || err != nil {
			return n > 0
		}
	}
	in.err = io.ErrNoProgress
	return false
}

// readByte returns the next input byte.
func (in *input) readByte() (byte, error) {
	if in.pos == in.end && !in.fill() {
		return 0, in.eof()
	}
	c := in.buf[in.pos]
	in.pos++
	return c, nil
}

// readFull fills p from the input.
func (in *input) readFull(p []byte) error {
	for len(p) > 0 {
		if in.pos == in.end && !in.fill() {
			return in.eof()
		}
		n := copy(p, in.buf[in.pos:in.end])
		in.pos += n
		p = p[n:]
	}
	return nil
}

// atEOF reports whether the input is exhausted.
func (in *input) atEOF() bool {
	return in.pos == in.end && !in.fill()
}

// eof is the error for input that ended (or failed) too early.
func (in *input) eof() error {
	if in.err == nil || in.err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return in.err
}

const (
	stHeader  = iota // next: a block header
	stStored         // inside a stored block
	stHuffman        // inside a Huffman block
	stEnd            // the final block ended
)

// Reader decompresses a raw DEFLATE stream.
type Reader struct {
	in    input
	bits  uint64 // bit buffer, least significant first
	nbits uint

	win        []byte
	rpos, wpos int // win[rpos:wpos] is decoded but not yet returned

	state      int
	final      bool
	storedLeft int
	lit, dist  []uint32 // current tables (fixed or dyn*)
	litMin     uint     // bits needed before a literal/length symbol is decoded
	dynLit     []uint32
	dynDist    []uint32
	cl         []uint32
	lens       [286 + 30]uint8
	err        error // sticky: io.EOF at the end, or what went wrong
}

// NewReader returns a reader that decompresses the raw DEFLATE stream in r.
// It may read past the end of the stream.
func NewReader(r io.Reader) *Reader {
	z := &Reader{}
	z.Reset(r)
	return z
}

// Reset makes z read a new stream from r, reusing its buffers.
func (z *Reader) Reset(r io.Reader) {
	z.in.src, z.in.pos, z.in.end, z.in.err = r, 0, 0, nil
	z.restart()
}

// restart begins a new DEFLATE stream at the current input position.
func (z *Reader) restart() {
	z.bits, z.nbits = 0, 0
	if z.win == nil {
		z.win = make([]byte, winSize+winSlack)
	}
	z.rpos, z.wpos = 0, 0
	z.state, z.final, z.err = stHeader, false, nil
}

// Read implements io.Reader. Everything decoded before an error is returned
// before the error.
func (z *Reader) Read(p []byte) (int, error) {
	for {
		if z.rpos < z.wpos {
			n := copy(p, z.win[z.rpos:z.wpos])
			z.rpos += n
			return n, nil
		}
		if z.err != nil {
			return 0, z.err
		}
		if len(p) == 0 {
			return 0, nil
		}
		z.step()
	}
}

// step decodes until the window is full, the stream ends or an error.
func (z *Reader) step() {
	if z.wpos > outLimit {
		// All read: keep the last 32 KiB as history.
		copy(z.win, z.win[z.wpos-histSize:z.wpos])
		z.rpos, z.wpos = histSize, histSize
	}
	for z.err == nil && z.wpos <= outLimit {
		switch z.state {
		case stHeader:
			if z.final {
				z.state = stEnd
				continue
			}
			z.err = z.blockHeader()
		case stStored:
			z.err = z.stored()
		case stHuffman:
			z.err = z.huffman()
		case stEnd:
			// Give back the whole bytes still in the bit buffer.
			z.in.pos -= int(z.nbits / 8)
			z.bits, z.nbits = 0, 0
			z.err = io.EOF
		}
	}
}

// need makes sure at least n bits (n <= 57) are buffered; false if the input
// ends first.
func (z *Reader) need(n uint) bool {
	for z.nbits < n {
		if z.in.pos == z.in.end && !z.in.fill() {
			return false
		}
		z.bits |= uint64(z.in.buf[z.in.pos]) << z.nbits
		z.in.pos++
		z.nbits += 8
	}
	return true
}

// take consumes n buffered bits.
func (z *Reader) take(n uint) uint32 {
	v := uint32(z.bits & (1<<n - 1))
	z.bits >>= n
	z.nbits -= n
	return v
}

// sym decodes one symbol of table t, reading no more input than it needs.
func (z *Reader) sym(t []uint32, root uint) (uint32, error) {
	z.need(maxBits)
	e := t[z.bits&(1<<root-1)]
	if e&fLink != 0 {
		e = t[e>>16+uint32(z.bits>>root)&(1<<(e>>8&15)-1)]
	}
	n := uint(e & nMask)
	if n == 0 {
		return 0, ErrCode
	}
	if n > z.nbits {
		return 0, z.in.eof()
	}
	z.bits >>= n
	z.nbits -= n
	return e, nil
}

var (
	fixedOnce sync.Once
	fixedLit  []uint32
	fixedDist []uint32
)

func initFixed() {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	fixedLit, _ = build(nil, l[:], kindLit, litRoot)
	var d [32]uint8
	for i := range d {
		d[i] = 5
	}
	fixedDist, _ = build(nil, d[:], kindDist, distRoot)
}

var clOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

func (z *Reader) blockHeader() error {
	if !z.need(3) {
		return z.in.eof()
	}
	z.final = z.take(1) == 1
	switch z.take(2) {
	case 0:
		z.take(z.nbits % 8) // to a byte boundary
		if !z.need(32) {
			return z.in.eof()
		}
		n := z.take(16)
		if n != ^z.take(16)&0xffff {
			return ErrStored
		}
		z.storedLeft = int(n)
		z.state = stStored
	case 1:
		fixedOnce.Do(initFixed)
		z.lit, z.dist, z.litMin = fixedLit, fixedDist, 7
		z.state = stHuffman
	case 2:
		if err := z.dynamic(); err != nil {
			return err
		}
		z.lit, z.dist = z.dynLit, z.dynDist
		z.state = stHuffman
	default:
		return ErrBlockType
	}
	return nil
}

func (z *Reader) dynamic() error {
	if !z.need(14) {
		return z.in.eof()
	}
	nlit := int(z.take(5)) + 257
	ndist := int(z.take(5)) + 1
	nclen := int(z.take(4)) + 4
	if nlit > 286 || ndist > 30 {
		return ErrTable
	}
	var cl [19]uint8
	for i := 0; i < nclen; i++ {
		if !z.need(3) {
			return z.in.eof()
		}
		cl[clOrder[i]] = uint8(z.take(3))
	}
	var ok bool
	if z.cl, ok = build(z.cl, cl[:], kindCL, clRoot); !ok {
		return ErrTable
	}
	lens := z.lens[:nlit+ndist]
	for i := 0; i < len(lens); {
		e, err := z.sym(z.cl, clRoot)
		if err != nil {
			return err
		}
		s := e >> 16
		if s < 16 {
			lens[i] = uint8(s)
			i++
			continue
		}
		var rep int
		var v uint8
		switch s {
		case 16:
			if i == 0 {
				return ErrTable
			}
			if !z.need(2) {
				return z.in.eof()
			}
			rep, v = 3+int(z.take(2)), lens[i-1]
		case 17:
			if !z.need(3) {
				return z.in.eof()
			}
			rep = 3 + int(z.take(3))
		default:
			if !z.need(7) {
				return z.in.eof()
			}
			rep = 11 + int(z.take(7))
		}
		if i+rep > len(lens) {
			return ErrTable
		}
		for ; rep > 0; rep-- {
			lens[i] = v
			i++
		}
	}
	if z.dynLit, ok = build(z.dynLit, lens[:nlit], kindLit, litRoot); !ok {
		return ErrTable
	}
	// Like compress/flate, wait for as many bits as the end-of-block code
	// has (or the shortest code) before decoding a literal/length symbol:
	// a stream cut short then gives no more bytes than with compress/flate.
	z.litMin = uint(lens[256])
	for _, n := range lens[:nlit] {
		if z.litMin == 0 || n != 0 && uint(n) < z.litMin && lens[256] == 0 {
			z.litMin = uint(n)
		}
	}
	if z.dynDist, ok = build(z.dynDist, lens[nlit:], kindDist, distRoot); !ok {
		return ErrTable
	}
	return nil
}

// stored copies a stored block's bytes into the window.
func (z *Reader) stored() error {
	// Whole bytes still in the bit buffer come first (the header's need(32)
	// may have loaded a few).
	for z.storedLeft > 0 && z.nbits >= 8 && z.wpos < winSize {
		z.win[z.wpos] = byte(z.take(8))
		z.wpos++
		z.storedLeft--
	}
	if z.nbits == 0 {
		// The bit buffer may hold a copy of the next input byte beyond
		// nbits (see fast); the raw copy below bypasses it.
		z.bits = 0
	}
	for z.storedLeft > 0 && z.wpos < winSize {
		if z.in.pos == z.in.end && !z.in.fill() {
			return z.in.eof()
		}
		n := copy(z.win[z.wpos:min(winSize, z.wpos+z.storedLeft)], z.in.buf[z.in.pos:z.in.end])
		z.in.pos += n
		z.wpos += n
		z.storedLeft -= n
	}
	if z.storedLeft == 0 {
		z.state = stHeader
	}
	return nil
}

func load64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

func store64(b []byte, v uint64) {
	_ = b[7]
	b[0] = byte(v)
	b[1] = byte(v >> 8)
	b[2] = byte(v >> 16)
	b[3] = byte(v >> 24)
	b[4] = byte(v >> 32)
	b[5] = byte(v >> 40)
	b[6] = byte(v >> 48)
	b[7] = byte(v >> 56)
}

// huffman decodes a Huffman block until its end or until the window is full.
func (z *Reader) huffman() error {
	for z.wpos <= outLimit {
		if z.in.end-z.in.pos >= 8 {
			if err := z.fast(); err != nil || z.state != stHuffman {
				return err
			}
			continue
		}
		// Slow path: near the end of the buffered input.
		if !z.need(z.litMin) {
			return z.in.eof()
		}
		e, err := z.sym(z.lit, litRoot)
		if err != nil {
			return err
		}
		if e&(fLen|fEOB) == 0 {
			z.win[z.wpos] = byte(e >> 16)
			z.wpos++
			continue
		}
		if e&fEOB != 0 {
			z.state = stHeader
			return nil
		}
		length := int(e >> 16)
		if x := uint(e >> 8 & 15); x > 0 {
			if !z.need(x) {
				return z.in.eof()
			}
			length += int(z.take(x))
		}
		d, err := z.sym(z.dist, distRoot)
		if err != nil {
			return err
		}
		dist := int(d >> 16)
		if x := uint(d >> 8 & 15); x > 0 {
			if !z.need(x) {
				return z.in.eof()
			}
			dist += int(z.take(x))
		}
		if dist > z.wpos {
			return ErrDistance
		}
		copyMatch(z.win, z.wpos, dist, length)
		z.wpos += length
	}
	return nil
}

// copyMatch copies length bytes from dist back to w. It may write up to 7
// bytes past w+length.
func copyMatch(win []byte, w, dist, length int) {
	src := w - dist
	if dist >= 8 {
		for i := 0; i < length; i += 8 {
			store64(win[w+i:], load64(win[src+i:]))
		}
		return
	}
	if dist == 1 {
		c := win[src]
		for i := w; i < w+length; i++ {
			win[i] = c
		}
		return
	}
	for i := 0; i < length; i++ {
		win[w+i] = win[src+i]
	}
}

// fast decodes while at least 8 input bytes are buffered, refilling the bit
// buffer 7 bytes at a time without checks. One refill covers a whole
// length/distance pair (at most 48 bits).
func (z *Reader) fast() error {
	bits, nbits := z.bits, z.nbits
	in, pos, end := z.in.buf, z.in.pos, z.in.end
	win, w := z.win, z.wpos
	lit, dist := z.lit, z.dist
	var err error
	for pos+8 <= end && w <= outLimit {
		bits |= load64(in[pos:]) << nbits
		pos += int(63-nbits) >> 3
		nbits |= 56

		e := lit[bits&(1<<litRoot-1)]
		if e&fLink != 0 {
			e = lit[e>>16+uint32(bits>>litRoot)&(1<<(e>>8&15)-1)]
		}
		n := uint(e & nMask)
		if e&(fLen|fEOB) == 0 && n != 0 {
			bits >>= n
			nbits -= n
			win[w] = byte(e >> 16)
			w++
			// A second literal without a refill when bits allow.
			e = lit[bits&(1<<litRoot-1)]
			if e&(fLen|fEOB|fLink) == 0 && e&nMask != 0 && w <= outLimit {
				n = uint(e & nMask)
				bits >>= n
				nbits -= n
				win[w] = byte(e >> 16)
				w++
			}
			continue
		}
		if n == 0 {
			err = ErrCode
			break
		}
		bits >>= n
		nbits -= n
		if e&fEOB != 0 {
			z.state = stHeader
			break
		}
		x := uint(e >> 8 & 15)
		length := int(e>>16) + int(bits&(1<<x-1))
		bits >>= x
		nbits -= x

		d := dist[bits&(1<<distRoot-1)]
		if d&fLink != 0 {
			d = dist[d>>16+uint32(bits>>distRoot)&(1<<(d>>8&15)-1)]
		}
		n = uint(d & nMask)
		if n == 0 {
			err = ErrCode
			break
		}
		bits >>= n
		nbits -= n
		x = uint(d >> 8 & 15)
		dd := int(d>>16) + int(bits&(1<<x-1))
		bits >>= x
		nbits -= x
		if dd > w {
			err = ErrDistance
			break
		}
		copyMatch(win, w, dd, length)
		w += length
	}
	z.bits, z.nbits = bits, nbits
	z.in.pos = pos
	z.wpos = w
	return err
}
