package capture

import "io"

// Unwrap undoes the gzip or zlib wrapping that head (the input's first
// bytes) shows, reading the input from r; without one it returns r as it
// is. A zlib-looking header that does not open is taken for text. Both the
// analysis and the sanitizer read their input through it.
func Unwrap(head []byte, r io.Reader) (out io.Reader, wrapped bool, err error) {
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		zr, err := GzipReader(r)
		if err == ErrNeedsFull {
			return nil, false, err
		} else if err != nil {
			return nil, false, WrapErr("analyzer: the gzip data cannot be read: "+Reason(err), err)
		}
		return zr, true, nil
	case len(head) >= 2 && head[0] == 0x78 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0:
		if zr, err := ZlibReader(r); err == nil {
			return zr, true, nil
		} else if err == ErrNeedsFull {
			return nil, false, err
		}
	}
	return r, false, nil
}
