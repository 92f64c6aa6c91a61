package rx

import (
	"bytes"
	"regexp"
	"slices"
	"testing"
)

// Shipped patterns (as vendor.go compiles them) benchmarked on 256 KiB bodies.
var benchPatterns = []struct{ name, pattern string }{
	{"cloudflare-ray", `Ray ID: (?:<strong[^>]*>|<code>)?([0-9a-f]{16})`},
	{"akamai-ref", `(18(?:\.|&#46;)[0-9a-f]+(?:\.|&#46;)[0-9]{10}(?:\.|&#46;)[0-9a-f]+)`},
	{"human-ref-i", `(?i)reference ID:?\s*(?:<[^>]+>\s*)*#?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`},
	{"f5-rule-i", `(?i)support ID is:?\s*(?:<[^>]+>\s*)*[0-9]{8,22}`},
	{"kasada-rule-i", `(?i)/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/(?:ips|p)\.js`},
	{"radware-case-i", `(?i)case number:?\s*(?:<[^>]+>\s*)*([0-9A-Za-z-]{4,40})`},
}

// filler is 256 KiB of the golden cases that do not match any benchmarked pattern.
func filler(b *testing.B) []byte {
	var stds []*regexp.Regexp
	for _, p := range benchPatterns {
		stds = append(stds, regexp.MustCompile(p.pattern))
	}
	var out []byte
	bodies := caseBodies(b)
	for len(out) < 256<<10 {
		for _, body := range bodies {
			if !slices.ContainsFunc(stds, func(re *regexp.Regexp) bool { return re.Match(body) }) {
				out = append(out, body...)
			}
		}
	}
	return out[:256<<10]
}

func BenchmarkBody(b *testing.B) {
	fill := filler(b)
	tail := []byte(`<p>Ray ID: <strong class="x">8f1e2d3c4b5a6978</strong> Reference #18.6f2d1002.1700000000.1a2b3c
Reference ID: #0b7e7c2a-1d3f-4e5a-9b8c-7d6e5f4a3b2c. Your support ID is: 1234567890123.
<script src="/0b7e7c2a-1d3f-4e5a-9b8c-7d6e5f4a3b2c/0b7e7c2a-1d3f-4e5a-9b8c-7d6e5f4a3b2c/ips.js"></script> Case Number: AB-1234</p>`)
	late := append(append([]byte(nil), fill[:len(fill)-len(tail)]...), tail...)
	for _, p := range benchPatterns {
		re, std := MustCompile(p.pattern), regexp.MustCompile(p.pattern)
		for _, body := range []struct {
			name string
			data []byte
		}{{"nomatch", fill}, {"late", late}} {
			if !bytes.Equal(flat(re.FindSubmatch(body.data)), flat(std.FindSubmatch(body.data))) {
				b.Fatalf("%s on %s: rx and regexp differ", p.name, body.name)
			}
			b.Run(p.name+"/"+body.name+"/rx", func(b *testing.B) {
				b.SetBytes(int64(len(body.data)))
				for b.Loop() {
					re.FindSubmatch(body.data)
				}
			})
			b.Run(p.name+"/"+body.name+"/regexp", func(b *testing.B) {
				b.SetBytes(int64(len(body.data)))
				for b.Loop() {
					std.FindSubmatch(body.data)
				}
			})
		}
	}
}

func flat(bs [][]byte) []byte { return bytes.Join(bs, []byte{0}) }

// BenchmarkHeader: a name_regex on header names, the per-field hot path.
func BenchmarkHeader(b *testing.B) {
	names := []string{"content-type", "x-ab12cd34-a", "set-cookie", "x-frame-options", "x-kpsdk-ct", "server"}
	const p = `(?i)^x-[a-z0-9]{8}-[abcdfz]$`
	re, std := MustCompile(p), regexp.MustCompile(p)
	b.Run("rx", func(b *testing.B) {
		for b.Loop() {
			for _, n := range names {
				re.MatchString(n)
			}
		}
	})
	b.Run("regexp", func(b *testing.B) {
		for b.Loop() {
			for _, n := range names {
				std.MatchString(n)
			}
		}
	})
}
