package analyzer

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// harInfo is what the HAR reader learns about the file besides its entries.
type harInfo struct {
	Producer string // "chrome", "firefox", …; "" when unknown
	Creator  string // log.creator.name as written
	Entries  int    // entries seen, including skipped ones
}

// readHAR streams log.entries and calls fn with each entry converted to an Exchange.
// The entries are read one at a time: memory is bounded by the largest entry.
// A truncated file yields the entries read before the cut and an error
// wrapping errTruncated.
func readHAR(s *jsonScanner, lim Limits, w *warnings, fn func(Exchange)) (harInfo, error) {
	var info harInfo
	sawLog, sawEntries := false, false
	err := s.object(func(key string) error {
		if key != "log" {
			return s.skipValue()
		}
		sawLog = true
		if c, ok := s.peek(); ok && c != '{' {
			return fmt.Errorf("%w: \"log\" is not an object", errSyntax)
		}
		return s.object(func(key string) error {
			switch key {
			case "creator":
				v, err := s.keepValue()
				if err == nil && v != nil {
					info.Creator = clip(gjson.GetBytes(v, "name").String(), 100)
					info.Producer = producerOf(info.Creator)
				}
				return err
			case "entries":
				sawEntries = true
				if c, ok := s.peek(); ok && c != '[' {
					return fmt.Errorf("%w: \"log.entries\" is not an array", errSyntax)
				}
				return s.array(func() error {
					idx := info.Entries
					info.Entries++
					v, err := s.keepValue()
					if err != nil {
						return err
					}
					if idx >= lim.Entries {
						if idx == lim.Entries {
							w.addf("entries", "the HAR has more than %d entries; the rest were not analysed (limit Entries)", lim.Entries)
						}
						return nil
					}
					if v == nil {
						w.addf("entry-bytes", "entry %d is larger than %d bytes and was not analysed (limit EntryBytes)", idx, lim.EntryBytes)
						fn(Exchange{Index: idx, Response: Message{}, ClientError: "entry too large to analyse"})
						return nil
					}
					fn(harEntry(v, idx, lim, w))
					return nil
				})
			default:
				return s.skipValue()
			}
		})
	})
	if s.err != nil {
		return info, fmt.Errorf("read error: %w", s.err)
	}
	if s.overInput {
		w.addf("input-bytes", "the input is larger than %d bytes; only its start was read (limit InputBytes)", lim.InputBytes)
		if err != nil {
			err = nil
		}
	}
	if err == nil && !sawLog {
		return info, errNotHAR
	}
	if err == nil && !sawEntries {
		return info, fmt.Errorf("%w: no \"log.entries\"", errNotHAR)
	}
	if errors.Is(err, errTruncated) && info.Entries > 0 {
		w.addf("truncated", "the HAR ends early (truncated?): %d complete entries were recovered", countComplete(info.Entries))
	}
	return info, err
}

// countComplete: the entry being read when the file ended is counted but incomplete.
func countComplete(n int) int { return max(n-1, 0) }

var errNotHAR = errors.New("not a HAR file: no \"log\" object")

// producerOf maps log.creator.name to a short producer id.
func producerOf(creator string) string {
	c := strings.ToLower(creator)
	for _, p := range [...]struct{ sub, id string }{
		{"webinspector", "chrome"}, {"chrome", "chrome"}, {"edge", "edge"},
		{"firefox", "firefox"}, {"webkit", "safari"}, {"safari", "safari"},
		{"charles", "charles"}, {"fiddler", "fiddler"}, {"insomnia", "insomnia"},
		{"mitmproxy", "mitmproxy"}, {"playwright", "playwright"}, {"browsermob", "browsermob"},
		{"http toolkit", "httptoolkit"}, {"proxyman", "proxyman"}, {"postman", "postman"},
		{"burp", "burp"}, {"internet explorer", "ie"}, {"puppeteer", "puppeteer"}, {"why401", "why401"},
	} {
		if strings.Contains(c, p.sub) {
			return p.id
		}
	}
	return ""
}

// fields collects the members of a JSON object in one pass (gjson's Get
// would rescan the object for every key). Keys not asked for are skipped.
func fields(obj gjson.Result, into map[string]*gjson.Result) {
	obj.ForEach(func(k, v gjson.Result) bool {
		if p, ok := into[k.Str]; ok && !p.Exists() {
			*p = v
		}
		return true
	})
}

// harEntry converts one entry. It never fails: wrong types read as empty values.
func harEntry(v []byte, idx int, lim Limits, w *warnings) Exchange {
	ex := Exchange{Index: idx}
	var req, resp, resourceType, fetchType, entryErr, fulfilled, started gjson.Result
	fields(gjson.ParseBytes(v), map[string]*gjson.Result{"request": &req, "response": &resp, "_resourceType": &resourceType,
		"_fetchType": &fetchType, "_error": &entryErr, "_wasFulfilled": &fulfilled, "startedDateTime": &started})

	var method, url, proto, headers, cookies, postData gjson.Result
	fields(req, map[string]*gjson.Result{"method": &method, "url": &url, "httpVersion": &proto, "headers": &headers, "cookies": &cookies, "postData": &postData})
	r := &Message{
		Method: clip(method.String(), 32),
		URL:    clip(url.String(), 8192),
		Proto:  clip(proto.String(), 32),
	}
	r.Fields = dropPseudo(harHeaders(headers, lim, w), r)
	if !r.Has("Cookie") {
		if c := harCookieHeader(cookies); c != "" {
			r.Fields = append(r.Fields, Field{Name: "Cookie", Value: c})
		}
	}
	if pd := postData.Get("text"); pd.Exists() {
		r.Body = capBytes(pd.String(), lim.BodyBytes)
	}
	ex.Request = r

	var status, statusText, rproto, rheaders, rcookies, content, rerr, failure gjson.Result
	fields(resp, map[string]*gjson.Result{"status": &status, "statusText": &statusText, "httpVersion": &rproto, "headers": &rheaders,
		"cookies": &rcookies, "content": &content, "_error": &rerr, "_failureText": &failure})
	m := Message{
		Status: statusOf(status),
		Reason: clip(statusText.String(), 200),
		Proto:  clip(rproto.String(), 32),
	}
	m.Fields = dropPseudo(harHeaders(rheaders, lim, w), &m)
	if !m.Has("Set-Cookie") {
		rcookies.ForEach(func(_, c gjson.Result) bool {
			if n := c.Get("name").String(); n != "" {
				m.Fields = append(m.Fields, Field{Name: "Set-Cookie", Value: n + "=" + c.Get("value").String()})
			}
			return true
		})
	}
	ex.ResourceType = clip(firstString(resourceType, fetchType), 40)
	ex.ClientError = clip(firstString(rerr, failure, entryErr), 200)
	ex.Mocked = fulfilled.Bool()
	if started.Type == gjson.String {
		if t, err := time.Parse(time.RFC3339Nano, started.Str); err == nil {
			ex.Started = t
		}
	}
	if content.IsObject() && worthBody(&m, content.Get("mimeType").String()) {
		harBody(&m, content, lim, w)
	}
	ex.Response = m
	return ex
}

func firstString(rs ...gjson.Result) string {
	for _, r := range rs {
		if s := r.String(); s != "" {
			return s
		}
	}
	return ""
}

func statusOf(r gjson.Result) int {
	var n int64
	switch r.Type {
	case gjson.Number:
		n = r.Int()
	case gjson.String:
		n, _ = strconv.ParseInt(strings.TrimSpace(r.Str), 10, 64)
	}
	if n < 0 || n > 999 {
		return 0
	}
	return int(n)
}

// harHeaders accepts [{name,value}], [[n,v]], {n:v} and ["n: v"] forms.
func harHeaders(h gjson.Result, lim Limits, w *warnings) []Field {
	var out []Field
	add := func(n, v string) {
		if n == "" {
			return
		}
		if len(out) >= lim.HeaderFields {
			w.addf("header-fields", "a message had more than %d header fields; the rest were ignored (limit HeaderFields)", lim.HeaderFields)
			return
		}
		if len(v) > lim.HeaderBytes {
			w.addf("header-bytes", "header %q was longer than %d bytes and was cut (limit HeaderBytes)", clip(n, 64), lim.HeaderBytes)
			v = v[:lim.HeaderBytes]
		}
		out = append(out, Field{Name: clip(n, 256), Value: v})
	}
	if h.IsObject() {
		h.ForEach(func(k, v gjson.Result) bool { add(k.String(), v.String()); return len(out) < lim.HeaderFields })
		return out
	}
	h.ForEach(func(_, v gjson.Result) bool {
		switch {
		case v.IsObject():
			add(v.Get("name").String(), v.Get("value").String())
		case v.IsArray():
			add(v.Get("0").String(), v.Get("1").String())
		case v.Type == gjson.String:
			n, val, _ := strings.Cut(v.Str, ":")
			add(strings.TrimSpace(n), strings.TrimSpace(val))
		}
		return len(out) <= lim.HeaderFields
	})
	return out
}

// dropPseudo removes ":authority"-style fields, using them to fill the message.
func dropPseudo(fs []Field, m *Message) []Field {
	out := fs[:0]
	rebuild := m.URL == ""
	for _, f := range fs {
		if !strings.HasPrefix(f.Name, ":") {
			out = append(out, f)
			continue
		}
		switch strings.ToLower(f.Name) {
		case ":status":
			if m.Status == 0 {
				m.Status = atoi3(f.Value)
			}
		case ":method":
			if m.Method == "" {
				m.Method = f.Value
			}
		case ":authority", ":path", ":scheme":
			if rebuild || !strings.Contains(m.URL, "://") {
				m.URL = rebuildURL(m.URL, strings.ToLower(f.Name), f.Value)
			}
		}
	}
	return out
}

func harCookieHeader(c gjson.Result) string {
	var b strings.Builder
	c.ForEach(func(_, v gjson.Result) bool {
		n := v.Get("name").String()
		if n == "" {
			return true
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(n + "=" + v.Get("value").String())
		return b.Len() < 16<<10
	})
	return b.String()
}

// worthBody decides whether a response body can matter. Images, scripts and
// large successful responses are not decoded nor scanned.
func worthBody(m *Message, mime string) bool {
	if m.Status >= 400 || m.Status == 0 {
		return true
	}
	mime = strings.ToLower(mime)
	if mime == "" {
		mime = strings.ToLower(m.Get("Content-Type"))
	}
	// 200 challenge pages (F5, Imperva, Anubis), 202 AWS WAF, Slack's 200 ok:false.
	return strings.Contains(mime, "html") || strings.Contains(mime, "json") || strings.Contains(mime, "text/plain") || mime == ""
}

// harBody decodes content.text into m.Body, at most lim.BodyBytes.
func harBody(m *Message, c gjson.Result, lim Limits, w *warnings) {
	t := c.Get("text")
	if !t.Exists() {
		return
	}
	text := t.String()
	if c.Get("encoding").String() == "base64" {
		// Decode only what will be scanned.
		n := min(len(text), (lim.BodyBytes/3+1)*4)
		src := strings.TrimRight(text[:n-n%4], "=")
		if b, err := base64.RawStdEncoding.DecodeString(src); err == nil {
			m.Body = b
			m.BodyTruncated = len(text) > n
		} else if b, err := base64.RawURLEncoding.DecodeString(src); err == nil {
			m.Body = b
		} else {
			// Firefox sometimes labels plain text as base64.
			w.add("base64", "a body marked base64 was not valid base64 and was read as text")
			m.Body = capBytes(text, lim.BodyBytes)
		}
	} else {
		m.Body = capBytes(text, lim.BodyBytes)
		m.BodyTruncated = len(text) > lim.BodyBytes
	}
	if len(m.Body) > lim.BodyBytes {
		m.Body, m.BodyTruncated = m.Body[:lim.BodyBytes], true
	}
	if m.BodyTruncated {
		w.addf("body-bytes", "a body was longer than %d bytes; only its start was scanned (limit BodyBytes)", lim.BodyBytes)
	}
	decodeBody(m, lim, w)
}

func capBytes(s string, n int) []byte {
	if len(s) > n {
		s = s[:n]
	}
	return []byte(s)
}
