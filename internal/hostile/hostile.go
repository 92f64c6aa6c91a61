// Package hostile generates inputs built to hurt a capture reader: huge
// lines, deep nesting, compression bombs, truncation, junk. Every door (the
// analyzer, the CLI, the page's wasm, the worker) is tested against them;
// `go run ./internal/hostile/cmd -o DIR` writes them out as files.
package hostile

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand"
	"strings"
)

// Case is one hostile input. Big ones are generated on demand.
type Case struct {
	Name string
	// Size is roughly how many bytes Data returns.
	Size int
	Data func() []byte
}

func rep(s string, n int) string { return strings.Repeat(s, n) }

func har(entries string) []byte {
	return []byte(`{"log":{"version":"1.2","creator":{"name":"hostile","version":"1"},"entries":[` + entries + `]}}`)
}

const entry401 = `{"request":{"method":"GET","url":"https://a.example/x","headers":[{"name":"Authorization","value":"Bearer abc.def.ghi"}]},"response":{"status":401,"headers":[{"name":"WWW-Authenticate","value":"Bearer error=\"invalid_token\""}],"content":{"mimeType":"application/json","text":"{}"}}}`

// Cases returns the hostile corpus. small=true leaves out the inputs over 8 MB.
func Cases(small bool) []Case {
	cs := []Case{
		{"empty", 0, func() []byte { return nil }},
		{"whitespace", 3, func() []byte { return []byte(" \n\t") }},
		{"random-binary", 1 << 16, func() []byte {
			b := make([]byte, 1<<16)
			rand.New(rand.NewSource(1)).Read(b)
			return b
		}},
		{"nul-bytes", 64, func() []byte { return []byte("HTTP/1.1 401 X\x00\x00\nA\x00: b\x00\n\n\x00\x00\x00") }},
		{"invalid-utf8", 64, func() []byte {
			return []byte("HTTP/1.1 401 \xff\xfe\nWWW-Authenticate: Basic realm=\"\xc3\x28\xa0\xa1\"\nX-\xe2\x82: \xf0\x28\x8c\xbc\n\n\xed\xa0\x80body")
		}},
		{"status-absurd", 64, func() []byte {
			return []byte("HTTP/1.1 99999999999999999999 Nope\nA: b\n\nHTTP/1.1 -401 X\n\nHTTP/1.1 000 Zero\n\n")
		}},
		{"json-nested-200000", 400_000, func() []byte {
			return []byte(`{"log":{"entries":[` + rep("[", 200_000) + rep("]", 200_000) + `]}}`)
		}},
		{"json-nested-objects", 1_000_000, func() []byte {
			return []byte(`{"log":{"entries":[{"request":` + rep(`{"a":`, 200_000) + `1` + rep("}", 200_000) + `}]}}`)
		}},
		{"challenge-100000-params", 1_800_000, func() []byte {
			var b strings.Builder
			b.WriteString("HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer ")
			for i := 0; i < 100_000; i++ {
				fmt.Fprintf(&b, "p%d=\"v\", ", i)
			}
			b.WriteString("\n\n")
			return []byte(b.String())
		}},
		{"unterminated-quote-backslashes", 200_000, func() []byte {
			return []byte("HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm=\"" + rep(`\`, 100_000) + rep(`\"`, 50_000) + "\n\n")
		}},
		{"har-unterminated-string-backslashes", 200_000, func() []byte {
			return []byte(`{"log":{"entries":[{"request":{"url":"` + rep(`\`, 199_999))
		}},
		{"header-10000-fields", 200_000, func() []byte {
			var b strings.Builder
			b.WriteString("HTTP/1.1 401 X\n")
			for i := 0; i < 10_000; i++ {
				fmt.Fprintf(&b, "Set-Cookie: c%d=v%d; Path=/\n", i, i)
			}
			b.WriteString("\n")
			return []byte(b.String())
		}},
		{"body-json-nested-20000", 300_000, func() []byte {
			// A JSON body (and a request-id header) nested 20,000 deep:
			// gjson's validator recursed once per level, which under
			// js/wasm overflowed the JS engine's stack (the page's and
			// the npm package's analyzer threw; issue 31).
			return []byte("HTTP/1.1 403 Forbidden\nContent-Type: application/json\nX-Request-Id: " + rep(`{"a":`, 10_000) + "1" + rep("}", 10_000) +
				"\n\n" + rep("[", 20_000) + rep("]", 20_000) + "\n\n" + "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n" + `{"error":` + rep(`{"a":`, 20_000) + "1" + rep("}", 20_000) + "}")
		}},
		{"wrong-json-types", 2000, func() []byte {
			return har(`{"request":5,"response":"x"},{"request":{"method":[],"url":{},"headers":{"a":{"b":1}},"cookies":"c","postData":7},"response":{"status":true,"headers":[1,null,[],{"name":5}],"content":{"text":[],"encoding":{}}}},null,"str",[1,2],{"startedDateTime":12,"_error":{}}`)
		}},
		{"invalid-base64-bodies", 2000, func() []byte {
			return har(`{"request":{"method":"GET","url":"https://a.example/","headers":[]},"response":{"status":403,"headers":[],"content":{"mimeType":"text/html","text":"%%%%not-base64====","encoding":"base64"}}}`)
		}},
		{"truncated-har", 300, func() []byte { b := har(entry401 + "," + entry401); return b[:len(b)*2/3] }},
		{"har-trailing-garbage", 600, func() []byte { return append(har(entry401), []byte("}}]]garbage\x00")...) }},
		{"gzip-bomb-body", 1 << 20, func() []byte {
			var z bytes.Buffer
			w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
			w.Write(make([]byte, 64<<20))
			w.Close()
			return append([]byte("HTTP/1.1 403 Forbidden\nContent-Encoding: gzip\nContent-Type: text/html\n\n"), z.Bytes()...)
		}},
		{"warc-gz-folded-header", 3 << 10, func() []byte {
			// Issue 31: a header folded over 128,000 lines in a WARC
			// record (under a KB gzipped) took 8 s of CPU, copied whole
			// for each line, with no HeaderBytes bound.
			var b bytes.Buffer
			warcRecord(&b, 1, "response", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic\r\nX-Folded: a\r\n"+rep(" b\r\n", 128_000)+"\r\n")
			return gzipBytes(b.Bytes())
		}},
		{"har-gz-bomb", 1 << 20, func() []byte {
			var z bytes.Buffer
			w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
			w.Write([]byte(`{"log":{"entries":[` + entry401 + `,{"request":{"url":"`))
			zero := make([]byte, 1<<20)
			for i := range zero {
				zero[i] = 'a'
			}
			for i := 0; i < 256; i++ {
				w.Write(zero)
			}
			w.Write([]byte(`"}}]}}`))
			w.Close()
			return z.Bytes()
		}},
	}
	big := []Case{
		{"header-line-50MB", 50 << 20, func() []byte {
			return []byte("HTTP/1.1 401 Unauthorized\nX-Big: " + rep("a", 50<<20) + "\nWWW-Authenticate: Basic realm=\"r\"\n\n")
		}},
		{"har-million-entries", 40 << 20, func() []byte {
			var b bytes.Buffer
			b.WriteString(`{"log":{"entries":[`)
			for i := 0; i < 1_000_000; i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(`{"request":{},"response":{"status":200}}`)
			}
			b.WriteString(`]}}`)
			return b.Bytes()
		}},
		{"body-30MB-html", 30 << 20, func() []byte {
			return []byte("HTTP/1.1 403 Forbidden\nContent-Type: text/html\n\n<html>" + rep("<div>captcha challenge</div>", 1<<20))
		}},
	}
	if !small {
		cs = append(cs, big...)
	}
	return cs
}
