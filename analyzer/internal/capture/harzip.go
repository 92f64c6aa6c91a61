//go:build !slim

package capture

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"why401/internal/ascii"
)

// ReadHARZip opens a Playwright HAR zip (recordHar with content "attach", or
// a path ending in .zip): a .har file plus one file per body, named by the
// entries' response.content._file. It returns the HAR with each body that can
// matter inlined as base64, ready for the streaming HAR reader. A zip needs
// random access, so the whole archive is read into memory (up to InputBytes).
func ReadHARZip(r io.Reader, lim Limits, w *Warnings) ([]byte, error) {
	return readHARZipBudget(r, -1, lim, w, newZipBudget(lim, w))
}

// readHARZipBudget is ReadHARZip that spends zb, for r of size bytes (-1: unknown).
func readHARZipBudget(r io.Reader, size int64, lim Limits, w *Warnings, zb *zipBudget) ([]byte, error) {
	data, err := ReadAllSized(r, size, lim.InputBytes)
	if err != nil {
		return nil, WrapErr("analyzer: the zip cannot be read: "+Reason(err), err)
	}
	if int64(len(data)) > lim.InputBytes {
		return nil, errors.New("analyzer: the zip is larger than " + strconv.FormatInt(lim.InputBytes, 10) + " bytes (limit InputBytes)")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, WrapErr("analyzer: the zip cannot be read: "+Reason(err), err)
	}
	files := map[string]*zip.File{}
	var harFile *zip.File
	for _, f := range zr.File {
		files[f.Name] = f
		if ascii.HasSuffix(f.Name, ".har") && (harFile == nil || len(f.Name) < len(harFile.Name)) {
			harFile = f
		}
	}
	if harFile == nil {
		return nil, errNoHARInZip{zr, zb}
	}
	har, err := zb.read(harFile, lim.MemberBytes)
	cut := ""
	switch {
	case errors.Is(err, errZipCap):
		cut = "MemberBytes"
	case errors.Is(err, errZipBudget):
		cut = zb.name
	case err != nil:
		return nil, WrapErr("analyzer: "+harFile.Name+" in the zip cannot be read: "+Reason(err), err)
	}
	dir := path.Dir(harFile.Name)
	// Splice "text" and "encoding" into each content object that names a
	// _file; the edits come in file order. Each body file is read once and
	// shared by the entries that name it; the HAR with its inlined bodies
	// (base64) stays within MemberBytes, each use counted.
	room := lim.MemberBytes - int64(len(har))
	bodies := map[*zip.File][]byte{}
	var edits []splice
	entries, skipped := 0, 0
	eachHAREntry(har, func(e harZipEntry) {
		if e.end < len(har) {
			entries++ // a whole entry, not the one a cut HAR ends in
		}
		if e.file == "" || e.hasText {
			return
		}
		f := files[e.file]
		if f == nil {
			f = files[path.Join(dir, e.file)]
		}
		if f == nil {
			w.Add("zip-missing-file", "a HAR entry names a body file that the zip does not hold")
			return
		}
		mime := ascii.Lower(e.mime)
		if e.status < 400 && e.status != 0 && !strings.Contains(mime, "html") && !strings.Contains(mime, "json") && !strings.Contains(mime, "text") {
			return
		}
		body, ok := bodies[f]
		if !ok {
			if room < spliceLen(0) {
				skipped++
				return
			}
			var err error
			body, err = zb.read(f, min(int64(lim.BodyBytes), room*3/4))
			if err != nil && !errors.Is(err, errZipCap) {
				return
			}
			bodies[f] = body
		}
		if n := spliceLen(len(body)); n > room {
			skipped++
			return
		} else {
			room -= n
		}
		edits = append(edits, splice{at: e.contentAt + 1, body: body, isBody: true, empty: e.emptyContent})
	})
	if cut != "" {
		if entries == 0 {
			return nil, errors.New("analyzer: " + harFile.Name + " in the zip inflates past " + strconv.FormatInt(min(lim.MemberBytes, zb.total), 10) + " bytes before its first entry ends (limit " + cut + ")")
		}
		w.Add("zip-member", "the HAR in the zip inflates past "+strconv.Itoa(len(har))+" bytes: only its first "+strconv.Itoa(entries)+" entries were read (limit "+cut+")")
	}
	if skipped > 0 {
		w.Add("zip-inline", strconv.Itoa(skipped)+" bodies named by HAR entries (_file) were not read: the HAR with its bodies would pass "+strconv.FormatInt(lim.MemberBytes, 10)+" bytes (limit MemberBytes; a body named by many entries counts each time)")
	}
	if len(edits) == 0 {
		return har, nil
	}
	return spliceAll(har, edits), nil
}

// splice inserts ins, or a body as "text" and "encoding" members, into a HAR
// at byte offset at.
type splice struct {
	at     int
	ins    []byte
	body   []byte // when isBody: shared by every entry that names the same file
	isBody bool
	empty  bool // the content object is {}: no trailing comma
}

// spliceLen is the size of a body's splice: `"text":"…","encoding":"base64",`.
func spliceLen(n int) int64 { return int64(base64.StdEncoding.EncodedLen(n)) + 32 }

func (ed splice) len() int {
	if !ed.isBody {
		return len(ed.ins)
	}
	return int(spliceLen(len(ed.body)))
}

func (ed splice) appendTo(out []byte) []byte {
	if !ed.isBody {
		return append(out, ed.ins...)
	}
	out = append(out, `"text":"`...)
	out = base64.StdEncoding.AppendEncode(out, ed.body)
	out = append(out, `","encoding":"base64"`...)
	if !ed.empty {
		out = append(out, ',')
	}
	return out
}

// spliceAll applies edits, given in increasing offset order (an edit out of
// order or out of range is dropped), to a copy of har.
func spliceAll(har []byte, edits []splice) []byte {
	n := len(har)
	for _, ed := range edits {
		n += ed.len()
	}
	out := make([]byte, 0, n)
	prev := 0
	for _, ed := range edits {
		if ed.at < prev || ed.at > len(har) {
			continue
		}
		out = append(out, har[prev:ed.at]...)
		out = ed.appendTo(out)
		prev = ed.at
	}
	return append(out, har[prev:]...)
}

// harZipEntry is what readHARZip needs of one log.entries element.
type harZipEntry struct {
	status       int64
	file, mime   string // response.content._file, .mimeType
	hasText      bool   // response.content has a "text" member
	contentAt    int    // index of response.content's opening brace
	emptyContent bool   // response.content is {}
	end          int    // index just past the entry
}

// eachHAREntry calls fn with each element of the HAR's log.entries whose
// response.content is an object. Like a gjson path, each key is matched at
// its first occurrence.
func eachHAREntry(har []byte, fn func(harZipEntry)) {
	entries := -1
	seenLog := false
	walkObject(har, skipWS(har, 0), func(key []byte, at int) int {
		if string(key) != "log" || seenLog {
			return endOfValue(har, at)
		}
		seenLog = true
		return walkOrSkip(har, at, func(key []byte, at int) int {
			if string(key) == "entries" && entries < 0 {
				entries = at
			}
			return endOfValue(har, at)
		})
	})
	if entries < 0 || !isArray(har[entries:]) {
		return
	}
	for i := entries + 1; ; i++ {
		i = skipWS(har, i)
		if i >= len(har) || har[i] == ']' {
			return
		}
		end := endOfValue(har, i)
		if end <= i {
			return
		}
		if e, ok := harZipEntryAt(har[:end], i); ok {
			e.end = end
			fn(e)
		}
		i = skipWS(har, end)
		if i >= len(har) || har[i] != ',' {
			return
		}
	}
}

// harZipEntryAt reads the entry object at b[i].
func harZipEntryAt(b []byte, i int) (harZipEntry, bool) {
	var e harZipEntry
	seenResp, seenStatus, seenContent, seenFile, seenMime := false, false, false, false, false
	e.contentAt = -1
	walkObject(b, i, func(key []byte, at int) int {
		if string(key) != "response" || seenResp {
			return endOfValue(b, at)
		}
		seenResp = true
		return walkOrSkip(b, at, func(key []byte, at int) int {
			switch {
			case string(key) == "status" && !seenStatus:
				seenStatus = true
				end := endOfValue(b, at)
				e.status = gjson.ParseBytes(b[at:end]).Int()
				return end
			case string(key) == "content" && !seenContent:
				seenContent = true
				if !isObject(b[at:]) {
					return endOfValue(b, at)
				}
				e.contentAt = at
				end := walkObject(b, at, func(key []byte, at int) int {
					end := endOfValue(b, at)
					switch {
					case string(key) == "_file" && !seenFile:
						seenFile = true
						e.file = jsonString(b[at:end])
					case string(key) == "mimeType" && !seenMime:
						seenMime = true
						e.mime = jsonString(b[at:end])
					case string(key) == "text":
						e.hasText = true
					}
					return end
				})
				e.emptyContent = end >= at+2 && b[end-1] == '}' && len(bytes.TrimSpace(b[at+1:end-1])) == 0
				return end
			}
			return endOfValue(b, at)
		})
	})
	return e, e.contentAt >= 0
}

// errNoHARInZip carries the opened zip to the readers of other zip captures.
type errNoHARInZip struct {
	zr *zip.Reader
	zb *zipBudget
}

func (errNoHARInZip) Error() string {
	return "analyzer: the zip holds no .har file, no WARC (WACZ) and no Fiddler raw/NN_c.txt sessions"
}

// readZipCapture reads the other captures that come as a zip: a WACZ
// (browsertrix: WARC files under archive/) or a Fiddler .saz (raw/NN_c.txt
// requests, raw/NN_s.txt responses).
func readZipCapture(zr *zip.Reader, zb *zipBudget, lim Limits, w *Warnings, emit func(Exchange)) (format, producer string, entries int, err error) {
	var warcs []*zip.File
	saz := map[string][2]*zip.File{}
	var sessions []string
	for _, f := range zr.File {
		n := ascii.Lower(f.Name)
		switch {
		case strings.HasSuffix(n, ".warc") || strings.HasSuffix(n, ".warc.gz"):
			warcs = append(warcs, f)
		case strings.HasPrefix(n, "raw/") && (strings.HasSuffix(n, "_c.txt") || strings.HasSuffix(n, "_s.txt")):
			id := f.Name[4 : len(f.Name)-6]
			pair, seen := saz[id]
			if strings.HasSuffix(n, "_c.txt") {
				pair[0] = f
			} else {
				pair[1] = f
			}
			saz[id] = pair
			if !seen {
				sessions = append(sessions, id)
			}
		}
	}
	switch {
	case len(warcs) > 0:
		sort.Slice(warcs, func(i, j int) bool { return warcs[i].Name < warcs[j].Name })
		producer = "browsertrix"
		for _, f := range warcs {
			rc, err := f.Open()
			if err != nil {
				return "warc", producer, entries, err
			}
			var r io.Reader = rc
			if ascii.HasSuffix(f.Name, ".gz") {
				zg, err := gzip.NewReader(rc)
				if err != nil {
					rc.Close()
					return "warc", producer, entries, err
				}
				r = zg
			}
			r = zb.reader(r) // a deflated or gzip member: counted against the zip's total
			base := entries
			_, n, err := readWARC(bufio.NewReaderSize(r, 64<<10), lim, w, func(ex Exchange) { ex.Index += base; emit(ex) })
			rc.Close()
			entries += n
			if err != nil {
				return "warc", producer, entries, err
			}
		}
		return "warc", producer, entries, nil
	case len(sessions) > 0:
		sort.Slice(sessions, func(i, j int) bool {
			if len(sessions[i]) != len(sessions[j]) {
				return len(sessions[i]) < len(sessions[j])
			}
			return sessions[i] < sessions[j]
		})
		for _, id := range sessions {
			pair := saz[id]
			ex := Exchange{Index: entries}
			if pair[0] != nil {
				if b, err := zb.read(pair[0], int64(lim.BodyBytes)+256<<10); err == nil || errors.Is(err, errZipCap) {
					ex.Request = parseHTTPBlock(b, lim, w)
				}
			}
			if pair[1] != nil {
				if b, err := zb.read(pair[1], int64(lim.BodyBytes)+256<<10); err == nil || errors.Is(err, errZipCap) {
					if m := parseHTTPBlock(b, lim, w); m != nil && m.Status != 0 {
						ex.Response = *m
					}
				}
			}
			if ex.Request != nil && strings.HasPrefix(ex.Request.URL, "/") {
				if h := ex.Request.Get("Host"); h != "" && !strings.ContainsAny(h, " /") {
					ex.Request.URL = "https://" + h + ex.Request.URL
				}
			}
			if entries < lim.Entries {
				emit(ex)
			}
			entries++
		}
		return "saz", "fiddler", entries, nil
	}
	return "", "", 0, errNoHARInZip{zr, zb}
}
