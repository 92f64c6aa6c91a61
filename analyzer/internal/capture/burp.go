//go:build !slim

package capture

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"strconv"
	"strings"
)

// readBurp reads a Burp Suite XML export ("Save items", site map): <items>
// holding <item> elements whose <request> and <response> are raw HTTP,
// usually base64 (base64="true"). It is a small scanner, not an XML parser:
// it reads one <item> at a time, never expands entities nor reads a DTD
// (Burp writes an internal one), so entity games cannot cost memory.
func readBurp(br *bufio.Reader, lim Limits, w *Warnings, emit func(Exchange)) (int, error) {
	var buf []byte
	chunk := make([]byte, 64<<10)
	entries := 0
	eof := false
	scanned := 0 // bytes after the open tag already searched for the close tag
	open, closeTag := []byte("<item>"), []byte("</item>")
	for {
		start := bytes.Index(buf, open)
		if start >= 0 {
			from := max(0, scanned-len(closeTag))
			if end := bytes.Index(buf[start+from:], closeTag); end >= 0 {
				end += from
				scanned = 0
				item := buf[start+len(open) : start+end]
				if entries < lim.Entries {
					emit(burpItem(item, entries, lim, w))
				} else if entries == lim.Entries {
					w.Add("entries", "more than "+strconv.Itoa(lim.Entries)+" items; the rest were not analysed (limit Entries)")
				}
				entries++
				buf = buf[start+end+len(closeTag):]
				continue
			}
			scanned = len(buf) - start
			if len(buf)-start > lim.EntryBytes {
				w.Add("entry-bytes", "a Burp item is larger than "+strconv.Itoa(lim.EntryBytes)+" bytes and was not analysed (limit EntryBytes)")
				buf, scanned = buf[:0], 0 // resynchronise on the next <item>
			}
		} else if len(buf) > len(open) {
			buf = buf[len(buf)-len(open):] // keep a possible partial "<item"
		}
		if eof {
			if bytes.Contains(buf, open) {
				w.Add("truncated", "the Burp export ends inside an item (truncated?): "+strconv.Itoa(entries)+" complete items were read")
			}
			return entries, nil
		}
		n, err := br.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if err == io.EOF {
			eof = true
		} else if err != nil {
			return entries, err
		}
	}
}

func burpItem(item []byte, idx int, lim Limits, w *Warnings) Exchange {
	ex := Exchange{Index: idx}
	url := string(xmlText(item, "url"))
	if raw := burpMessage(item, "request"); len(raw) > 0 {
		ex.Request = parseHTTPBlock(raw, lim, w)
	}
	if ex.Request == nil {
		ex.Request = &Message{Method: string(xmlText(item, "method"))}
	}
	if url != "" {
		ex.Request.URL = url
	}
	if raw := burpMessage(item, "response"); len(raw) > 0 {
		if m := parseHTTPBlock(raw, lim, w); m != nil && m.Status != 0 {
			ex.Response = *m
		}
	}
	if ex.Response.Status == 0 {
		ex.ClientError = "Burp recorded no response"
	}
	return ex
}

// burpMessage returns the raw HTTP of <request> or <response>, base64-decoded when marked so.
func burpMessage(item []byte, tag string) []byte {
	content, attrs := xmlElement(item, tag)
	if len(content) == 0 {
		return nil
	}
	if strings.Contains(attrs, `base64="true"`) {
		s := strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, string(content))
		if b, err := base64.StdEncoding.DecodeString(s); err == nil {
			return b
		}
		return nil
	}
	return content
}

// xmlText is the text of the first <tag> element, CDATA unwrapped and the
// five predefined entities decoded.
func xmlText(item []byte, tag string) []byte {
	c, _ := xmlElement(item, tag)
	return c
}

func xmlElement(item []byte, tag string) (content []byte, attrs string) {
	open := []byte("<" + tag)
	i := 0
	for {
		j := bytes.Index(item[i:], open)
		if j < 0 {
			return nil, ""
		}
		i += j + len(open)
		if i < len(item) && (item[i] == '>' || item[i] == ' ' || item[i] == '/') {
			break
		}
	}
	gt := bytes.IndexByte(item[i:], '>')
	if gt < 0 {
		return nil, ""
	}
	attrs = string(item[i : i+gt])
	if strings.HasSuffix(attrs, "/") {
		return nil, attrs
	}
	body := item[i+gt+1:]
	end := bytes.Index(body, []byte("</"+tag+">"))
	if end < 0 {
		return nil, attrs
	}
	body = bytes.TrimSpace(body[:end])
	if bytes.HasPrefix(body, []byte("<![CDATA[")) && bytes.HasSuffix(body, []byte("]]>")) {
		return body[9 : len(body)-3], attrs
	}
	r := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'", "&amp;", "&")
	return []byte(r.Replace(string(body))), attrs
}
