package hostile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"hash/crc32"
	"strconv"
	"strings"
)

// The amplification inputs of issue 18: small files that inflate to
// gigabytes, made in milliseconds. A deflate stream of n fill bytes is one
// compressed block of 1 MiB of them, repeated (each block starts with a
// literal and refers back only to fill bytes, so copies of it chain), between
// a prefix and a suffix compressed on their own: 1 MiB costs about 1 KB.

const fillChunk = 1 << 20

// Deflate returns a raw deflate stream of prefix, n copies of fill, then
// suffix (n is rounded down to a whole MiB), and the CRC-32 and size of what
// it inflates to.
func Deflate(prefix string, fill byte, n int64, suffix string) (raw []byte, crc uint32, size int64) {
	var out bytes.Buffer
	block := func(data []byte, final bool) []byte {
		var b bytes.Buffer
		w, _ := flate.NewWriter(&b, flate.BestCompression)
		w.Write(data)
		if final {
			w.Close()
		} else {
			w.Flush() // byte-aligned, not final: the next stream's blocks follow
		}
		return b.Bytes()
	}
	chunk := bytes.Repeat([]byte{fill}, fillChunk)
	out.Write(block([]byte(prefix), false))
	crc = crc32.Update(0, crc32.IEEETable, []byte(prefix))
	fb := block(chunk, false)
	for i := int64(0); i < n/fillChunk; i++ {
		out.Write(fb)
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	out.Write(block([]byte(suffix), true))
	crc = crc32.Update(crc, crc32.IEEETable, []byte(suffix))
	return out.Bytes(), crc, int64(len(prefix)) + n/fillChunk*fillChunk + int64(len(suffix))
}

// Gzip wraps Deflate in a gzip member.
func Gzip(prefix string, fill byte, n int64, suffix string) []byte {
	raw, crc, size := Deflate(prefix, fill, n, suffix)
	b := []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255}
	b = append(b, raw...)
	b = binary.LittleEndian.AppendUint32(b, crc)
	return binary.LittleEndian.AppendUint32(b, uint32(size))
}

// ZipMember is one file of a zip made by Zip: Data (deflated, or stored
// as is with Store), or the stream Deflate returns (then Data is ignored).
type ZipMember struct {
	Name    string
	Data    []byte
	Store   bool
	Deflate func() (raw []byte, crc uint32, size int64)
}

// Zip writes members into a zip (zip64 where a member needs it).
func Zip(members ...ZipMember) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, m := range members {
		if m.Deflate != nil {
			raw, crc, size := m.Deflate()
			w, _ := zw.CreateRaw(&zip.FileHeader{Name: m.Name, Method: zip.Deflate, CRC32: crc,
				CompressedSize64: uint64(len(raw)), UncompressedSize64: uint64(size)})
			w.Write(raw)
			continue
		}
		method := zip.Deflate
		if m.Store {
			method = zip.Store
		}
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: m.Name, Method: method})
		w.Write(m.Data)
	}
	zw.Close()
	return b.Bytes()
}

// HARZipBomb is a Playwright HAR zip whose .har inflates to about n bytes:
// one entry whose body text is n 'a's.
func HARZipBomb(n int64) []byte {
	return Zip(ZipMember{Name: "bomb.har", Deflate: func() ([]byte, uint32, int64) {
		return Deflate(`{"log":{"version":"1.2","creator":{"name":"hostile","version":"1"},"entries":[`+entry401+`,{"request":{"method":"GET","url":"https://a.example/"},"response":{"status":200,"content":{"text":"`, 'a', n, `"}}}]}}`)
	}})
}

// HARZipSharedBody is a HAR zip of entries 403 entries that all name the same
// body file of bodyBytes (deflated): inlined once per use, it grows to
// entries × bodyBytes.
func HARZipSharedBody(entries int, bodyBytes int64) []byte {
	e := `{"request":{"method":"GET","url":"https://a.example/p"},"response":{"status":403,"headers":[],"content":{"mimeType":"text/html","_file":"body.html"}}}`
	h := `{"log":{"version":"1.2","creator":{"name":"hostile","version":"1"},"entries":[` + strings.TrimSuffix(strings.Repeat(e+",", entries), ",") + `]}}`
	return Zip(ZipMember{Name: "shared.har", Data: []byte(h)}, ZipMember{Name: "body.html", Deflate: func() ([]byte, uint32, int64) {
		return Deflate("<html><title>Access denied</title>", ' ', bodyBytes, "</html>")
	}})
}

// WACZSharedMember is a WACZ whose central directory lists copies entries,
// all pointing at one stored .warc.gz that inflates to about n bytes (one
// WARC response record whose payload is n spaces). The zip stays about
// n/1000 bytes; each directory entry read in full costs n of inflate.
func WACZSharedMember(copies int, n int64) []byte {
	rec := "HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\nContent-Type: text/html\r\n\r\n"
	body := int64(len(rec)) + n/fillChunk*fillChunk
	head := "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://shop.example/p\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " + strconv.FormatInt(body, 10) + "\r\n\r\n" + rec
	gz := Gzip(head, ' ', n, "\r\n\r\n")
	one := Zip(ZipMember{Name: "archive/00000.warc.gz", Data: gz, Store: true})
	return repeatCentral(one, copies)
}

// repeatCentral rewrites a one-member zip so that its central directory
// holds copies entries (archive/NNNNN.warc.gz) naming the same local file.
func repeatCentral(z []byte, copies int) []byte {
	eocd := bytes.LastIndex(z, []byte("PK\x05\x06"))
	cdOff := int(binary.LittleEndian.Uint32(z[eocd+16:]))
	cd := z[cdOff:eocd]
	out := append([]byte{}, z[:cdOff]...)
	for i := 0; i < copies; i++ {
		e := append([]byte{}, cd...)
		name := []byte("archive/" + pad5(i) + ".warc.gz")
		copy(e[46:], name) // same length as the original name
		out = append(out, e...)
	}
	end := append([]byte{}, z[eocd:]...)
	binary.LittleEndian.PutUint16(end[8:], uint16(copies))
	binary.LittleEndian.PutUint16(end[10:], uint16(copies))
	binary.LittleEndian.PutUint32(end[12:], uint32(len(cd)*copies))
	binary.LittleEndian.PutUint32(end[16:], uint32(cdOff))
	return append(out, end...)
}

func pad5(i int) string {
	s := strconv.Itoa(i)
	return strings.Repeat("0", 5-len(s)) + s
}

// HARGzBomb is a .har.gz of about n bytes inflated: one 401 entry, then an
// entry whose URL is n 'a's (text: the sanitizer and the analyzer read it).
func HARGzBomb(n int64) []byte {
	return Gzip(`{"log":{"version":"1.2","creator":{"name":"hostile","version":"1"},"entries":[`+entry401+`,{"request":{"method":"GET","url":"https://a.example/`, 'a', n, `"},"response":{"status":401,"headers":[]}}]}}`)
}

// DiffHARGz is a .har.gz of entries 401s, each with a body of bodyBytes
// (one repeated letter): small compressed, large inflated. Issue 31: why401
// diff held every exchange of both sides with up to 64 KiB of its body,
// so two 4.6 MB of these took 3.9 GB, and two 230 KB parts killed the
// worker's Go instance.
func DiffHARGz(entries, bodyBytes int, letter byte) []byte {
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	w.Write([]byte(`{"log":{"version":"1.2","creator":{"name":"hostile","version":"1"},"entries":[`))
	body := bytes.Repeat([]byte{letter}, bodyBytes)
	for i := 0; i < entries; i++ {
		if i > 0 {
			w.Write([]byte(","))
		}
		w.Write([]byte(`{"startedDateTime":"2026-11-03T12:00:00.000Z","request":{"method":"GET","url":"https://api.example.com/v1/items/` + strconv.Itoa(i) + `","headers":[{"name":"User-Agent","value":"client/` + string(letter) + `"}]},` +
			`"response":{"status":401,"headers":[{"name":"WWW-Authenticate","value":"Bearer error=\"invalid_token\""},{"name":"Content-Type","value":"text/plain"}],"content":{"mimeType":"text/plain","text":"`))
		w.Write(body)
		w.Write([]byte(`"}}}`))
	}
	w.Write([]byte(`]}}`))
	w.Close()
	return z.Bytes()
}
