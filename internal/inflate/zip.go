package inflate

import (
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"sync"
)

// Errors of zip archives. The first three texts are those of archive/zip.
var (
	ErrZipFormat    = errors.New("zip: not a valid zip file")
	ErrZipAlgorithm = errors.New("zip: unsupported compression algorithm")
	ErrZipChecksum  = errors.New("zip: checksum error")
	ErrZipEncrypted = errors.New("zip: encrypted entries are not supported")
	errZipSize      = errors.New("zip: size cannot be negative")
)

const (
	zipStore   = 0
	zipDeflate = 8

	sigLocal   = 0x04034b50
	sigCentral = 0x02014b50
	sigEnd     = 0x06054b50
	sigEnd64   = 0x06064b50
	sigLoc64   = 0x07064b50
	sigDesc    = 0x08074b50

	localLen   = 30
	centralLen = 46
	endLen     = 22
	loc64Len   = 20
	end64Len   = 56
)

// ZipReader lists the entries of a zip archive held by an io.ReaderAt. It
// reads the central directory as archive/zip does (including the ZIP64 end
// of central directory and ZIP64 sizes and offsets) and opens stored and
// deflated entries.
type ZipReader struct {
	File    []*ZipFile
	Comment string
	r       io.ReaderAt
}

// ZipFile is one entry of the central directory.
type ZipFile struct {
	Name             string
	Method           uint16
	Flags            uint16
	CRC32            uint32
	CompressedSize   uint64
	UncompressedSize uint64
	offset           int64 // of the local header
	r                io.ReaderAt
}

func get16(b []byte, i int) uint16 { return uint16(b[i]) | uint16(b[i+1])<<8 }
func get32(b []byte, i int) uint32 { return le32(b[i:]) }
func get64(b []byte, i int) uint64 { return uint64(le32(b[i:])) | uint64(le32(b[i+4:]))<<32 }

// NewZipReader reads the directory of the zip archive of the given size in r.
func NewZipReader(r io.ReaderAt, size int64) (*ZipReader, error) {
	if size < 0 {
		return nil, errZipSize
	}
	// The end of central directory record is in the last 65 KiB (its
	// comment is at most 64 KiB long); the last signature found decides.
	n := min(size, 65*1024)
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, size-n); err != nil && err != io.EOF {
		return nil, err
	}
	at := -1
	for i := len(buf) - endLen; i >= 0; i-- {
		if le32(buf[i:]) == sigEnd {
			if i+endLen+(int(buf[i+20])|int(buf[i+21])<<8) > len(buf) {
				return nil, ErrZipFormat // truncated comment
			}
			at = i
			break
		}
	}
	if at < 0 {
		return nil, ErrZipFormat
	}
	endOff := size - n + int64(at)
	e := buf[at:]
	records := uint64(get16(e, 10))
	dirSize := uint64(get32(e, 12))
	dirOff := uint64(get32(e, 16))
	z := &ZipReader{Comment: string(e[endLen : endLen+int(get16(e, 20))]), r: r}
	// 0xffff as the directory size (not 0xffffffff) is archive/zip's test too.
	if (records == 0xffff || dirSize == 0xffff || dirOff == 0xffffffff) && endOff >= loc64Len {
		var loc [loc64Len]byte
		if _, err := r.ReadAt(loc[:], endOff-loc64Len); err != nil {
			return nil, err
		}
		if get32(loc[:], 0) == sigLoc64 && get32(loc[:], 4) == 0 && get32(loc[:], 16) == 1 {
			p := int64(get64(loc[:], 8))
			var e [end64Len]byte
			if _, err := r.ReadAt(e[:], p); err != nil {
				return nil, err
			}
			if get32(e[:], 0) != sigEnd64 {
				return nil, ErrZipFormat
			}
			endOff = p
			records, dirSize, dirOff = get64(e[:], 32), get64(e[:], 40), get64(e[:], 48)
		}
	}
	if dirSize > 1<<63-1 || dirOff > 1<<63-1 {
		return nil, ErrZipFormat
	}
	base := endOff - int64(dirSize) - int64(dirOff)
	if o := base + int64(dirOff); o < 0 || o >= size {
		return nil, ErrZipFormat
	}
	// A wrong base offset in the end record: prefer zero when a directory
	// entry is found there.
	if base > 0 {
		sr := &seqReader{r: r, off: int64(dirOff), end: size}
		if _, err := readCentral(sr, r); err == nil {
			base = 0
		}
	}
	sr := &seqReader{r: r, off: base + int64(dirOff), end: size}
	var err error
	for {
		var f *ZipFile
		f, err = readCentral(sr, r)
		if err == ErrZipFormat || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, err
		}
		f.offset += base
		z.File = append(z.File, f)
	}
	// The count is only 16 bits in the classic end record.
	if uint16(len(z.File)) != uint16(records) {
		return nil, err
	}
	return z, nil
}

// seqReader reads an io.ReaderAt from off onward, in chunks.
type seqReader struct {
	r        io.ReaderAt
	off, end int64
	buf      []byte
	pos      int
}

// next returns the next n bytes, io.ErrUnexpectedEOF when fewer remain (io.EOF when none).
func (s *seqReader) next(n int) ([]byte, error) {
	if len(s.buf)-s.pos < n {
		rest := copy(s.buf, s.buf[s.pos:])
		want := max(n, 32<<10)
		if cap(s.buf) < want {
			nb := make([]byte, rest, want)
			copy(nb, s.buf[:rest])
			s.buf = nb
		}
		s.buf = s.buf[:want]
		s.pos = 0
		get := int(min(int64(want-rest), max(s.end-s.off, 0)))
		m, err := s.r.ReadAt(s.buf[rest:rest+get], s.off)
		s.off += int64(m)
		s.buf = s.buf[:rest+m]
		if m < get && err != nil && err != io.EOF {
			return nil, err
		}
		if len(s.buf) < n {
			if len(s.buf) == 0 {
				return nil, io.EOF
			}
			return nil, io.ErrUnexpectedEOF
		}
	}
	b := s.buf[s.pos : s.pos+n]
	s.pos += n
	return b, nil
}

// readCentral reads one central directory header.
func readCentral(s *seqReader, r io.ReaderAt) (*ZipFile, error) {
	h, err := s.next(centralLen)
	if err != nil {
		return nil, err
	}
	if get32(h, 0) != sigCentral {
		return nil, ErrZipFormat
	}
	f := &ZipFile{r: r, Flags: get16(h, 8), Method: get16(h, 10), CRC32: get32(h, 16)}
	csize, usize, off := get32(h, 20), get32(h, 24), get32(h, 42)
	f.CompressedSize, f.UncompressedSize, f.offset = uint64(csize), uint64(usize), int64(off)
	nameLen, extraLen, commentLen := int(get16(h, 28)), int(get16(h, 30)), int(get16(h, 32))
	d, err := s.next(nameLen + extraLen + commentLen)
	if err != nil {
		return nil, err // io.EOF too, as archive/zip
	}
	f.Name = string(d[:nameLen])
	needU, needC, needOff := usize == ^uint32(0), csize == ^uint32(0), off == ^uint32(0)
	for x := d[nameLen : nameLen+extraLen]; len(x) >= 4; {
		tag, size := get16(x, 0), int(get16(x, 2))
		x = x[4:]
		if len(x) < size {
			break
		}
		field := x[:size]
		x = x[size:]
		if tag != 1 { // ZIP64 extended information
			continue
		}
		// Each value the header marks as 0xffffffff, in order, 8 bytes each.
		for _, v := range [3]struct {
			need *bool
			dst  *uint64
		}{{&needU, &f.UncompressedSize}, {&needC, &f.CompressedSize}, {&needOff, nil}} {
			if !*v.need {
				continue
			}
			*v.need = false
			if len(field) < 8 {
				return nil, ErrZipFormat
			}
			if v.dst != nil {
				*v.dst = get64(field, 0)
			} else {
				f.offset = int64(get64(field, 0))
			}
			field = field[8:]
		}
	}
	if needC || needOff {
		return nil, ErrZipFormat
	}
	return f, nil
}

// Open returns a reader of the entry's contents. Reading checks the size
// and the CRC-32 at the end, as archive/zip does: more bytes than the
// directory says is ErrZipFormat, fewer io.ErrUnexpectedEOF.
func (f *ZipFile) Open() (io.ReadCloser, error) {
	var h [localLen]byte
	if _, err := f.r.ReadAt(h[:], f.offset); err != nil {
		return nil, err
	}
	if le32(h[:]) != sigLocal {
		return nil, ErrZipFormat
	}
	body := f.offset + localLen + int64(int(h[26])|int(h[27])<<8) + int64(int(h[28])|int(h[29])<<8)
	if strings.HasSuffix(f.Name, "/") {
		if f.UncompressedSize != 0 {
			return &zipEntry{err: ErrZipFormat}, nil
		}
		return &zipEntry{err: io.EOF}, nil
	}
	if f.Flags&1 != 0 {
		return nil, ErrZipEncrypted
	}
	size := int64(f.CompressedSize)
	e := &zipEntry{f: f, end: body + size}
	sr := io.NewSectionReader(f.r, body, size)
	switch f.Method {
	case zipStore:
		e.src = sr
	case zipDeflate:
		z := readerPool.Get().(*Reader)
		z.Reset(sr)
		e.src, e.z = z, z
	default:
		return nil, ErrZipAlgorithm
	}
	return e, nil
}

var readerPool = sync.Pool{New: func() any { return &Reader{} }}

type zipEntry struct {
	f     *ZipFile
	src   io.Reader
	z     *Reader // to give back to the pool
	end   int64   // where a data descriptor would start
	nread uint64
	crc   uint32
	err   error
}

func (e *zipEntry) Read(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.src.Read(p)
	e.crc = crc32.Update(e.crc, crc32.IEEETable, p[:n])
	e.nread += uint64(n)
	if e.nread > e.f.UncompressedSize {
		return 0, ErrZipFormat
	}
	if err == io.EOF {
		switch {
		case e.nread != e.f.UncompressedSize:
			return 0, io.ErrUnexpectedEOF
		case e.f.Flags&8 != 0:
			err = e.descriptor()
		case e.f.CRC32 != 0 && e.crc != e.f.CRC32:
			err = ErrZipChecksum
		}
		if err == nil {
			err = io.EOF
		}
	}
	if err != nil {
		e.err = err
	}
	return n, err
}

// descriptor checks the data descriptor after the entry's data (its
// signature is optional).
func (e *zipEntry) descriptor() error {
	var d [16]byte
	n, _ := e.f.r.ReadAt(d[:], e.end)
	crc := d[:4]
	if n >= 4 && le32(d[:]) == sigDesc {
		crc = d[4:8]
		if n < 16 {
			return io.ErrUnexpectedEOF
		}
	} else if n < 12 {
		return io.ErrUnexpectedEOF
	}
	if le32(crc) != e.f.CRC32 {
		return ErrZipChecksum
	}
	if e.crc != e.f.CRC32 {
		return ErrZipChecksum
	}
	return nil
}

func (e *zipEntry) Close() error {
	if e.z != nil {
		z := e.z
		e.z, e.src = nil, nil
		if e.err == nil {
			e.err = errors.New("zip: read after Close")
		}
		z.in.src = nil
		readerPool.Put(z)
	}
	return nil
}
