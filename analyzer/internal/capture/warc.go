//go:build !slim

package capture

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"why401/internal/ascii"
)

// readWARC reads WARC 1.0/1.1 records (ISO 28500) from br — a .warc.gz is one
// gzip member per record, which the caller's multistream gzip reader already
// joined. Request records wait for their response (WARC-Concurrent-To, else
// the same target URI); each response or revisit record becomes an exchange.
// Only the record headers and the first BodyBytes of each block are kept.
func readWARC(br *bufio.Reader, lim Limits, w *Warnings, emit func(Exchange)) (producer string, entries int, err error) {
	type pending struct {
		id, uri string
		msg     *Message
	}
	var reqs []pending // the last few requests without a response
	keep := lim.BodyBytes + 256<<10
	for {
		// Skip the blank lines between records.
		var line []byte
		for {
			line, err = br.ReadSlice('\n')
			if err == io.EOF && len(bytes.TrimSpace(line)) == 0 {
				return producer, entries, nil
			}
			if err != nil && err != bufio.ErrBufferFull {
				return producer, entries, errTruncatedCapture
			}
			if len(bytes.TrimSpace(line)) > 0 {
				break
			}
		}
		if !bytes.HasPrefix(line, []byte("WARC/")) {
			if entries > 0 {
				w.Add("warc-framing", "WARC record "+strconv.Itoa(entries)+" does not start with a WARC/ version line; the rest of the file was not read")
				return producer, entries, nil
			}
			return producer, entries, errors.New("analyzer: not a WARC file")
		}
		// The record's header: at most 64 named fields kept; a line longer
		// than the read buffer is skipped whole (a piece of it must not
		// pass for a field of its own).
		hdr := map[string]string{}
		long := false
		for {
			l, e := br.ReadSlice('\n')
			if e != nil && e != bufio.ErrBufferFull {
				return producer, entries, errTruncatedCapture
			}
			if e == bufio.ErrBufferFull || long {
				if !long {
					w.Add("warc-header-bytes", "a WARC record header line was longer than the read buffer (64 KiB) and was ignored")
				}
				long = e == bufio.ErrBufferFull
				continue
			}
			l = bytes.TrimRight(l, "\r\n")
			if len(l) == 0 {
				break
			}
			if k, v, ok := bytes.Cut(l, []byte(":")); ok && len(hdr) < 64 {
				hdr[ascii.Lower(string(bytes.TrimSpace(k)))] = string(bytes.TrimSpace(v))
			}
		}
		n, perr := strconv.ParseInt(hdr["content-length"], 10, 64)
		if perr != nil || n < 0 {
			w.Add("warc-framing", "a WARC record has no valid Content-Length; the rest of the file was not read")
			return producer, entries, nil
		}
		block, berr := readBlock(br, n, keep)
		typ := ascii.Lower(hdr["warc-type"])
		uri := strings.Trim(hdr["warc-target-uri"], "<>")
		ct := ascii.Lower(strings.ReplaceAll(hdr["content-type"], " ", ""))
		switch {
		case typ == "warcinfo":
			for _, l := range strings.Split(string(block), "\n") {
				if k, v, ok := strings.Cut(l, ":"); ok && ascii.EqualFold(strings.TrimSpace(k), "software") && producer == "" {
					producer = warcProducer(strings.TrimSpace(v))
				}
			}
		case typ == "request" && strings.Contains(ct, "application/http"):
			if m := parseHTTPBlock(block, lim, w); m != nil && m.Status == 0 {
				m.URL = absoluteURL(m.URL, uri)
				if len(reqs) >= 16 {
					reqs = reqs[1:]
				}
				reqs = append(reqs, pending{id: hdr["warc-record-id"], uri: uri, msg: m})
			}
		case (typ == "response" || typ == "revisit") && strings.Contains(ct, "application/http") || typ == "revisit":
			m := parseHTTPBlock(block, lim, w)
			if m == nil || m.Status == 0 {
				if typ == "revisit" {
					w.Add("warc-revisit", "a WARC revisit record holds no HTTP headers (deduplicated against an earlier capture); it was skipped")
				}
				break
			}
			if typ == "revisit" {
				w.Add("warc-revisit-body", "WARC revisit records keep headers only (the body was deduplicated): their bodies were not scanned")
			}
			ex := Exchange{Index: entries, Response: *m}
			conc := hdr["warc-concurrent-to"]
			for i := len(reqs) - 1; i >= 0; i-- {
				if (conc != "" && reqs[i].id == conc) || (reqs[i].uri == uri && uri != "") {
					ex.Request = reqs[i].msg
					reqs = append(reqs[:i], reqs[i+1:]...)
					break
				}
			}
			if ex.Request == nil {
				ex.Request = &Message{Method: "GET", URL: uri}
			}
			if t, ok := parseRFC3339(hdr["warc-date"]); ok {
				ex.Started = t
			}
			if entries < lim.Entries {
				emit(ex)
			} else if entries == lim.Entries {
				w.Add("entries", "more than "+strconv.Itoa(lim.Entries)+" responses; the rest were not analysed (limit Entries)")
			}
			entries++
		}
		if berr != nil {
			w.Add("truncated", "the WARC file ends in the middle of a record (truncated?): "+strconv.Itoa(entries)+" complete responses were read")
			return producer, entries, nil
		}
	}
}

func warcProducer(software string) string {
	s := ascii.Lower(software)
	for _, p := range []string{"wget", "heritrix", "browsertrix", "warcprox", "scrapy", "warcio", "pywb", "wpull", "zeno", "crawlee"} {
		if strings.Contains(s, p) {
			return p
		}
	}
	return ""
}
