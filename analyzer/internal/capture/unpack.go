//go:build !slim

package capture

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"strconv"
)

// The readers for compressed input and container captures: the standard
// library's, each wrapped in a cap so that no input can make the analyzer
// hold or decompress more than its limits allow:
//   - a gzip or zlib input: at most DecompressedBytes (internal/capped in analyzer.AnalyzeReader, with a warning);
//   - a compressed body: at most BodyBytes (decodeBody);
//   - a zip member: at most its own cap (BodyBytes for a body, MemberBytes
//     for the HAR, which with its inlined bodies stays within MemberBytes
//     too), and all the members of one zip together at most ContainerBytes
//     or DecompressedBytes, the smaller (zipBudget): a member read twice
//     (two directory entries naming the same data) counts twice, so the
//     CPU an input can cost is bounded as well as its memory.

func GzipReader(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }

func ZlibReader(r io.Reader) (io.Reader, error) { return zlib.NewReader(r) }

// zipBudget is what one input's zip members may still decompress, in total.
type zipBudget struct {
	left  int64
	total int64
	name  string // the limit in force
	w     *Warnings
}

func newZipBudget(lim Limits, w *Warnings) *zipBudget {
	zb := &zipBudget{total: lim.ContainerBytes, name: "ContainerBytes", w: w}
	if lim.DecompressedBytes < zb.total {
		zb.total, zb.name = lim.DecompressedBytes, "DecompressedBytes"
	}
	zb.left = zb.total
	return zb
}

// errZipCap: a member expands past its own cap; what was read is kept.
var errZipCap = errors.New("zip member larger than the cap")

// errZipBudget: the members of the zip together expand past ContainerBytes
// (or DecompressedBytes, when it is smaller).
var errZipBudget = errors.New("the zip's members expand past the ContainerBytes limit")

// read decompresses the member f, at most max bytes: errZipCap (with the
// first max bytes) when it holds more, errZipBudget (with what fitted) when
// the zip's total is spent first.
func (zb *zipBudget) read(f *zip.File, max int64) ([]byte, error) {
	capBy := errZipCap
	if zb.left <= max {
		max, capBy = zb.left, errZipBudget
	}
	if max <= 0 {
		zb.spent()
		return nil, errZipBudget
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// Read into one buffer of the size the directory declares (capped): no
	// doubling copies of a member of hundreds of MiB. A false size only
	// costs a regrowth.
	var buf bytes.Buffer
	buf.Grow(int(min(int64(f.UncompressedSize64), max) + 1))
	_, err = buf.ReadFrom(io.LimitReader(rc, max+1))
	b := buf.Bytes()
	n := min(int64(len(b)), max)
	zb.left -= n
	if err != nil {
		return b, err
	}
	if int64(len(b)) > max {
		if capBy == errZipBudget {
			zb.spent()
		}
		return b[:max], capBy
	}
	return b, nil
}

// reader wraps a member's reader (a WARC inside a WACZ) in the budget.
func (zb *zipBudget) reader(r io.Reader) io.Reader { return &budgetReader{r: r, zb: zb} }

func (zb *zipBudget) spent() {
	zb.w.Add("zip-decompressed", "the zip's members expand past "+strconv.FormatInt(zb.total, 10)+" bytes in total (each read counted); the rest was not read (limit "+zb.name+")")
}

type budgetReader struct {
	r  io.Reader
	zb *zipBudget
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.zb.left <= 0 {
		b.zb.spent()
		return 0, io.EOF
	}
	if int64(len(p)) > b.zb.left {
		p = p[:b.zb.left]
	}
	n, err := b.r.Read(p)
	b.zb.left -= int64(n)
	return n, err
}
