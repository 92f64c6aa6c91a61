package capture

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"why401/internal/ascii"
)

// decodeBody undoes a Content-Encoding the capture kept (gzip, deflate) under
// the BodyBytes cap, and notes sanitizer placeholders.
func decodeBody(m *Message, lim Limits, w *Warnings) {
	if len(m.Body) == 0 {
		return
	}
	ce := ascii.Lower(m.Get("Content-Encoding"))
	var r io.Reader
	var err error
	switch {
	case len(m.Body) > 2 && m.Body[0] == 0x1f && m.Body[1] == 0x8b:
		r, err = GzipReader(bytes.NewReader(m.Body))
	case strings.Contains(ce, "deflate") && len(m.Body) > 2 && m.Body[0] == 0x78:
		r, err = ZlibReader(bytes.NewReader(m.Body))
	case strings.Contains(ce, "br") && !isMostlyText(m.Body):
		w.Add("brotli", "a body is brotli-compressed; why401 does not decompress brotli, so its markers were not scanned")
		m.Body = nil
		return
	}
	if err == ErrNeedsFull {
		w.needsFull = true
	}
	if r != nil && err == nil {
		out, rerr := io.ReadAll(io.LimitReader(r, int64(lim.BodyBytes)+1))
		if len(out) > 0 || rerr == nil {
			if len(out) > lim.BodyBytes {
				out = out[:lim.BodyBytes]
				m.BodyTruncated = true
				w.Add("decompressed-bytes", "a compressed body expanded past "+strconv.Itoa(lim.BodyBytes)+" bytes; only its start was scanned (limit BodyBytes)")
			}
			m.Body = out
		}
	}
	m.BodyRedacted = isRedacted(m.Body)
}

// tailShare is the part of Limits.BodyBytes kept from the end of a refusal's
// long body: block and challenge pages put their markers after a large inline
// image or stylesheet (Cloudflare's 2015 page: at byte 446,000 of 447,000),
// so a long body of a status >= 400 keeps its start and its end, and only the
// middle is dropped.
const tailShare = 4 // one quarter

// bodyCut is what stands between the head and the tail of a cut body.
const bodyCut = "\n[why401: the middle of this body was not kept]\n"

// keepsTail tells whether a long body of this status keeps its end too (not
// under a limit too small to hold both parts).
func keepsTail(status, limit int) bool { return status >= 400 && limit >= 16*len(bodyCut) }

// headTail joins the start of a body and its last limit/tailShare bytes,
// limit bytes in all.
func headTail(head, tail []byte, limit int) []byte {
	t := limit / tailShare
	head = head[:min(len(head), limit-t-len(bodyCut))]
	tail = tail[max(0, len(tail)-t):]
	out := make([]byte, 0, len(head)+len(bodyCut)+len(tail))
	return append(append(append(out, head...), bodyCut...), tail...)
}

// cutNote is the warning for a body cut at limit.
func cutNote(limit int, tail bool) string {
	if tail {
		return "a body was longer than " + strconv.Itoa(limit) + " bytes; only its start and its end were scanned (limit BodyBytes)"
	}
	return "a body was longer than " + strconv.Itoa(limit) + " bytes; only its start was scanned (limit BodyBytes)"
}

var redactedMarks = []string{"[redacted]", "[mime redacted]", "[filtered]", "[sanitized]", "redacted", "[removed]", "obfuscated"}

// isRedacted tells a body that a sanitizer replaced with a placeholder.
func isRedacted(b []byte) bool {
	if len(b) > 40 {
		return false
	}
	s := ascii.Lower(strings.TrimSpace(string(b)))
	for _, m := range redactedMarks {
		if s == m || s == "\""+m+"\"" {
			return true
		}
	}
	return false
}

func isMostlyText(b []byte) bool {
	n := min(len(b), 512)
	bad := 0
	for _, c := range b[:n] {
		if c < 0x09 || (c > 0x0d && c < 0x20) {
			bad++
		}
	}
	return bad*10 < n
}

// VisibleText counts the non-space bytes outside tags, scripts and styles.
func VisibleText(low []byte) int { return VisibleTextUpTo(low, int(^uint(0)>>1)) }

// VisibleTextUpTo is VisibleText that stops counting past limit (it then
// returns limit+1): a page of content is told from a gate without reading
// all of it.
func VisibleTextUpTo(low []byte, limit int) int {
	n := 0
	for i := 0; i < len(low); {
		c := low[i]
		if c != '<' {
			if c > ' ' {
				n++
				if n > limit {
					return n
				}
			}
			i++
			continue
		}
		skipTo := []byte(">")
		if bytes.HasPrefix(low[i:], []byte("<script")) {
			skipTo = []byte("</script>")
		} else if bytes.HasPrefix(low[i:], []byte("<style")) {
			skipTo = []byte("</style>")
		} else if bytes.HasPrefix(low[i:], []byte("<!--")) {
			skipTo = []byte("-->")
		}
		j := bytes.Index(low[i:], skipTo)
		if j < 0 {
			break
		}
		i += j + len(skipTo)
	}
	return n
}
