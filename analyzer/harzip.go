package analyzer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/tidwall/gjson"
)

// readHARZip opens a Playwright HAR zip (recordHar with content "attach", or
// a path ending in .zip): a .har file plus one file per body, named by the
// entries' response.content._file. It returns the HAR with each body that can
// matter inlined as base64, ready for the streaming HAR reader. A zip needs
// random access, so the whole archive is read into memory (up to InputBytes).
func readHARZip(r io.Reader, lim Limits, w *warnings) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, lim.InputBytes+1))
	if err != nil {
		return nil, fmt.Errorf("analyzer: zip: %w", err)
	}
	if int64(len(data)) > lim.InputBytes {
		return nil, fmt.Errorf("analyzer: the zip is larger than %d bytes (limit InputBytes)", lim.InputBytes)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("analyzer: zip: %w", err)
	}
	files := map[string]*zip.File{}
	var harFile *zip.File
	for _, f := range zr.File {
		files[f.Name] = f
		if strings.HasSuffix(strings.ToLower(f.Name), ".har") && (harFile == nil || len(f.Name) < len(harFile.Name)) {
			harFile = f
		}
	}
	if harFile == nil {
		return nil, errNoHARInZip{zr}
	}
	har, err := readZipFile(harFile, lim.InputBytes)
	if err != nil {
		return nil, fmt.Errorf("analyzer: zip: %s: %w", harFile.Name, err)
	}
	dir := path.Dir(harFile.Name)
	entries := gjson.GetBytes(har, "log.entries")
	if !entries.IsArray() {
		return har, nil
	}
	// Splice "text" and "encoding" into each content object that names a
	// _file, working from the end so earlier offsets stay valid.
	type splice struct {
		at  int
		ins []byte
	}
	var edits []splice
	cursor := 0
	entries.ForEach(func(_, e gjson.Result) bool {
		// Locate the entry and its content object by their text: gjson's
		// offsets are relative to the value they were read from.
		at := bytes.Index(har[cursor:], []byte(e.Raw))
		if at < 0 {
			return true
		}
		at += cursor
		cursor = at + len(e.Raw)
		c := e.Get("response.content")
		name := c.Get("_file").String()
		if name == "" || c.Get("text").Exists() {
			return true
		}
		f := files[name]
		if f == nil {
			f = files[path.Join(dir, name)]
		}
		if f == nil {
			w.add("zip-missing-file", "a HAR entry names a body file that the zip does not hold")
			return true
		}
		status := e.Get("response.status").Int()
		mime := strings.ToLower(c.Get("mimeType").String())
		if status < 400 && status != 0 && !strings.Contains(mime, "html") && !strings.Contains(mime, "json") && !strings.Contains(mime, "text") {
			return true
		}
		body, err := readZipFile(f, int64(lim.BodyBytes))
		if err != nil && !errors.Is(err, errZipCap) {
			return true
		}
		ins := []byte(`"text":"` + base64.StdEncoding.EncodeToString(body) + `","encoding":"base64",`)
		if strings.TrimSpace(c.Raw[1:len(c.Raw)-1]) == "" {
			ins = ins[:len(ins)-1] // an empty content object takes no trailing comma
		}
		if ci := bytes.Index(har[at:cursor], []byte(c.Raw)); ci >= 0 && c.IsObject() {
			edits = append(edits, splice{at: at + ci + 1, ins: ins})
		}
		return true
	})
	if len(edits) == 0 {
		return har, nil
	}
	out := make([]byte, 0, len(har)+len(edits)*64)
	prev := 0
	for _, ed := range edits {
		if ed.at < prev || ed.at > len(har) {
			continue
		}
		out = append(out, har[prev:ed.at]...)
		out = append(out, ed.ins...)
		prev = ed.at
	}
	out = append(out, har[prev:]...)
	return out, nil
}

var errZipCap = errors.New("zip member larger than the cap")

// errNoHARInZip carries the opened zip to the readers of other zip captures.
type errNoHARInZip struct{ zr *zip.Reader }

func (errNoHARInZip) Error() string {
	return "analyzer: the zip holds no .har file, no WARC (WACZ) and no Fiddler raw/NN_c.txt sessions"
}

// readZipCapture reads the other captures that come as a zip: a WACZ
// (browsertrix: WARC files under archive/) or a Fiddler .saz (raw/NN_c.txt
// requests, raw/NN_s.txt responses).
func readZipCapture(zr *zip.Reader, lim Limits, w *warnings, emit func(Exchange)) (format, producer string, entries int, err error) {
	var warcs []*zip.File
	saz := map[string][2]*zip.File{}
	var sessions []string
	for _, f := range zr.File {
		n := strings.ToLower(f.Name)
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
			if strings.HasSuffix(strings.ToLower(f.Name), ".gz") {
				zg, err := gzip.NewReader(rc)
				if err != nil {
					rc.Close()
					return "warc", producer, entries, err
				}
				r = &cappedReader{r: zg, n: lim.DecompressedBytes, w: w}
			}
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
				if b, err := readZipFile(pair[0], int64(lim.BodyBytes)+256<<10); err == nil || errors.Is(err, errZipCap) {
					ex.Request = parseHTTPBlock(b, lim, w)
				}
			}
			if pair[1] != nil {
				if b, err := readZipFile(pair[1], int64(lim.BodyBytes)+256<<10); err == nil || errors.Is(err, errZipCap) {
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
	return "", "", 0, errNoHARInZip{zr}
}

func readZipFile(f *zip.File, max int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(bufio.NewReader(rc), max+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > max {
		return b[:max], errZipCap
	}
	return b, nil
}
