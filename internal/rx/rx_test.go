package rx

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// same compares every rx method with regexp's on one input. It returns
// false when rx rejects the pattern; it fails when rx accepts a pattern
// regexp rejects.
func same(t testing.TB, pattern, input string) bool {
	t.Helper()
	re, err := Compile(pattern)
	std, serr := regexp.Compile(pattern)
	if err != nil {
		return false
	}
	if serr != nil {
		t.Fatalf("rx accepts %q, regexp rejects it: %v", pattern, serr)
	}
	if got, want := re.NumSubexp(), std.NumSubexp(); got != want {
		t.Fatalf("%q: NumSubexp %d, regexp %d", pattern, got, want)
	}
	b := []byte(input)
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s(%q, %q):\n rx     %v\n regexp %v", what, pattern, input, got, want)
		}
	}
	check("FindStringSubmatchIndex", re.FindStringSubmatchIndex(input), std.FindStringSubmatchIndex(input))
	check("FindSubmatchIndex", re.FindSubmatchIndex(b), std.FindSubmatchIndex(b))
	check("FindStringIndex", re.FindStringIndex(input), std.FindStringIndex(input))
	check("FindIndex", re.FindIndex(b), std.FindIndex(b))
	check("MatchString", re.MatchString(input), std.MatchString(input))
	check("Match", re.Match(b), std.Match(b))
	check("FindStringSubmatch", re.FindStringSubmatch(input), std.FindStringSubmatch(input))
	check("FindSubmatch", re.FindSubmatch(b), std.FindSubmatch(b))
	check("FindString", re.FindString(input), std.FindString(input))
	check("Find", re.Find(b), std.Find(b))
	return true
}

func TestTable(t *testing.T) {
	cases := []struct{ pattern, input string }{
		{`a+b`, "xxaab"},
		{`(?i)ray id: ([0-9a-f]{4})`, "foo RAY ID: 00fF"},
		{`(a*)*`, "b"},
		{`(a*)+`, "b"},
		{`(a|ab)(c|bcd)(d*)`, "abcd"},
		{`(|a)*`, "aa"},
		{`(|a)+`, "aa"},
		{`(a?)*?b`, "aab"},
		{`^x-[a-z0-9]{8}-[abcdfz]$`, "x-abcd1234-a"},
		{`(?i)^x-[a-z0-9]{8}-[abcdfz]$`, "X-ABCD1234-Z\n"},
		{`(?i)-anubis-auth$`, "example.org-Anubis-Auth"},
		{`(?i)k`, "\u212a"},
		{`(?i)s`, "\u017f"},
		{`(?i)\x{212a}`, "k"},
		{`(?i)[^k]`, "\u212ak"},
		{`(?i)\W`, "\u212a!"},
		{`(?i)[a-z]+`, "Straße"},
		{`.`, "\xff"},
		{`[^a]`, "\xe2\x82"},
		{`\x{fffd}`, "a\xffb"},
		{`a.c`, "a\nc abc"},
		{`(?s)a.c`, "a\nc"},
		{`[^a]`, "\n"},
		{`(?m)^b$`, "a\nb\nc"},
		{`^b$`, "a\nb\nc"},
		{`\bfoo\b`, "a foo."},
		{`\Bo\B`, "foo"},
		{`\Aa|b\z`, "ab"},
		{`a{2,4}?`, "aaaaa"},
		{`(?U)a+`, "aaa"},
		{`(?U)a+?`, "aaa"},
		{`(a){0}b`, "ab"},
		{`(?:a{2}){3}`, "aaaaaaa"},
		{`x*`, ""},
		{``, "abc"},
		{`a|`, "b"},
		{`()`, ""},
		{`[]a]+`, "]a]"},
		{`[^]a]`, "]ab"},
		{`[a-]+`, "-a-"},
		{`[a-c-e]+`, "-ea"},
		{`[[:alpha:]]+`, "12abC3"},
		{`[[:^alpha:][:digit:]]+`, "ab12-;c"},
		{`\d+\s\w+`, "x 12 ab_9"},
		{`[\d\-x]+`, "a1-x2"},
		{`\.\"\ \_`, `."  _`},
		{`\x41\x{42}\101\0`, "ABA\x00"},
		{`a{,2}`, "a{,2}"},
		{`a{01}`, "a{01}"},
		{`{`, "{"},
		{`a{2}{`, "aa{"},
		{`18(?:\.|&#46;)[0-9a-f]+(?:\.|&#46;)[0-9]{10}(?:\.|&#46;)[0-9a-f]+`, "Reference #18&#46;6f2d1002&#46;1700000000&#46;1a2b3c"},
		{`(?i)event ID:?\s*(?:<[^>]+>\s*)*([0-9a-f]{6,40})`, "Event ID: <b> <i>ABCDEF1234</i>"},
		{`Ray ID: (?:<strong[^>]*>|<code>)?([0-9a-f]{16})`, "Ray ID: <strong class=x>8f1e2d3c4b5a6978</strong>"},
		{`(a+)(b+)?`, "aac"},
		{`(a)|(b)`, "b"},
		{`(?i)Δ|x`, "x"},
	}
	for _, c := range cases {
		if !same(t, c.pattern, c.input) {
			_, err := Compile(c.pattern)
			if !strings.Contains(c.pattern, "Δ") {
				t.Errorf("%q: %v", c.pattern, err)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	cases := []struct{ pattern, msg string }{
		{`(a)\1`, "backreference"},
		{`(?=a)`, "lookahead"},
		{`(?!a)`, "lookahead"},
		{`(?<=a)b`, "lookbehind"},
		{`(?<!a)b`, "lookbehind"},
		{`(?P<x>a)`, "named group"},
		{`(?<x>a)`, "named group"},
		{`\pL`, `Unicode class \p`},
		{`[\P{Greek}]`, `Unicode class \P`},
		{`\Qa.b\E`, `\Q`},
		{`\C`, `\C`},
		{`(?i)é`, "non-ASCII"},
		{`(?i)[à-ÿ]`, "non-ASCII"},
		{`(?i:x[\x{100}-\x{10ffff}])`, "non-ASCII"},
		{`a{1001}`, "invalid repeat count"},
		{`(a{100}){100}`, "invalid repeat count"},
		{`((((a{10}){10}){10}){10})`, "invalid repeat count"},
		{`[0-9a-f]{1000}[0-9a-f]{1000}[0-9a-f]{1000}[0-9a-f]{1000}[0-9a-f]{1000}`, "too large"},
		{strings.Repeat("(", 200) + strings.Repeat(")", 200), "nests too deeply"},
		{`a**`, "nested repetition"},
		{`a*{2}`, "nested repetition"},
		{`*a`, "missing argument"},
		{`a|*`, "missing argument"},
		{`{2}`, "missing argument"},
		{`a(?i)*`, "flag group"},
		{`(a`, "missing closing )"},
		{`a)`, "unexpected )"},
		{`[a`, "missing closing ]"},
		{`[z-a]`, "invalid character class range"},
		{`[[:foo:]]`, "invalid character class range"},
		{`\`, "trailing backslash"},
		{`\q`, "invalid escape"},
		{`\x{110000}`, "invalid escape"},
		{`[\b]`, "invalid escape"},
		{`(?x)`, "Perl syntax"},
		{`(?i-)`, "Perl syntax"},
		{"\xff", "UTF-8"},
	}
	for _, c := range cases {
		_, err := Compile(c.pattern)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Compile(%q) = %v, want an error naming %q", c.pattern, err, c.msg)
		}
		if len(c.pattern) < 80 {
			t.Logf("%-40q %v", c.pattern, err)
		}
	}
	if _, err := Compile(`[0-9a-f]{1000}`); err != nil {
		t.Errorf("{1000} rejected: %v", err)
	}
}

// vendorPatterns reads the shipped patterns as vendor.go compiles them:
// rule regex and name_regex with (?i) in front, reference regex as written.
func vendorPatterns(t testing.TB) []string {
	files, _ := filepath.Glob("../../analyzer/vendors/*.json")
	if len(files) == 0 {
		t.Fatal("no vendor files")
	}
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v struct {
			Rules []struct {
				Regex     string `json:"regex"`
				NameRegex string `json:"name_regex"`
			} `json:"rules"`
			Reference []struct {
				Regex string `json:"regex"`
			} `json:"reference"`
		}
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, r := range v.Rules {
			for _, p := range []string{r.Regex, r.NameRegex} {
				if p != "" {
					out = append(out, "(?i)"+p)
				}
			}
		}
		for _, r := range v.Reference {
			if r.Regex != "" {
				out = append(out, r.Regex)
			}
		}
	}
	return out
}

// caseBodies returns the golden case inputs (block pages, headers, HARs).
func caseBodies(t testing.TB) [][]byte {
	var out [][]byte
	for _, ext := range []string{"http", "txt", "har"} {
		files, _ := filepath.Glob("../../analyzer/testdata/cases/*/*." + ext)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, data)
		}
	}
	if len(out) == 0 {
		t.Fatal("no golden cases")
	}
	return out
}

func TestVendorPatternsCompile(t *testing.T) {
	pats := vendorPatterns(t)
	for _, p := range pats {
		if _, err := Compile(p); err != nil {
			t.Errorf("%q: %v", p, err)
		}
	}
	t.Logf("%d vendor patterns compile", len(pats))
}

// TestVendorPatternsDiff: every shipped pattern against regexp, on every
// golden case file and on generated near-matches.
func TestVendorPatternsDiff(t *testing.T) {
	bodies := caseBodies(t)
	rnd := rand.New(rand.NewPCG(1, 2))
	n := 0
	for _, p := range vendorPatterns(t) {
		for _, b := range bodies {
			same(t, p, string(b))
			n++
		}
		tree, _, _ := parse(p)
		for range 300 {
			s := mutate(rnd, genMatch(rnd, tree, nil))
			same(t, p, s)
			same(t, p, "<p>"+s+"</p>"+s)
			n += 2
		}
	}
	t.Logf("%d comparisons", n)
}

// genMatch appends a string that tends to match n.
func genMatch(rnd *rand.Rand, n *node, out []byte) []byte {
	switch n.op {
	case opClass:
		if len(n.runes) == 0 {
			return out
		}
		i := rnd.IntN(len(n.runes)/2) * 2
		lo, hi := n.runes[i], n.runes[i+1]
		r := lo
		switch rnd.IntN(4) {
		case 0:
			r = hi
		case 1:
			r = lo + rune(rnd.Int64N(int64(min(hi-lo, 200))+1))
		}
		if r == 0x10ffff || r >= 0xd800 && r < 0xe000 {
			r = 'x'
		}
		return utf8.AppendRune(out, r)
	case opCapture:
		return genMatch(rnd, n.sub[0], out)
	case opConcat:
		for _, s := range n.sub {
			out = genMatch(rnd, s, out)
		}
	case opAlt:
		return genMatch(rnd, n.sub[rnd.IntN(len(n.sub))], out)
	case opStar, opPlus, opQuest, opRepeat:
		lo, hi := 0, 3
		switch n.op {
		case opPlus:
			lo = 1
		case opQuest:
			hi = 1
		case opRepeat:
			lo, hi = n.min, n.max
			if hi < 0 {
				hi = lo + 3
			}
		}
		for k := lo + rnd.IntN(hi-lo+1); k > 0; k-- {
			out = genMatch(rnd, n.sub[0], out)
		}
	}
	return out
}

// mutate damages s a little: drop, duplicate or change a byte, flip case,
// or insert an invalid byte.
func mutate(rnd *rand.Rand, s []byte) string {
	b := append([]byte(nil), s...)
	for k := rnd.IntN(3); k > 0 && len(b) > 0; k-- {
		i := rnd.IntN(len(b))
		switch rnd.IntN(6) {
		case 0:
			b = append(b[:i], b[i+1:]...)
		case 1:
			b = append(b[:i+1], b[i:]...)
		case 2:
			b[i] ^= 0x20
		case 3:
			b[i] = "aZ0 \n-_<>#.:\xff"[rnd.IntN(13)]
		case 4:
			b = append(b[:i], append([]byte("\u212a\u017f"), b[i:]...)...)
		}
	}
	return string(b)
}

// genPattern builds a pattern from the supported grammar (plus a few
// unsupported bits, which rx must reject), driven by next.
func genPattern(next func(n int) int, depth int) string {
	atom := func() string {
		switch next(14) {
		case 0:
			return "."
		case 1:
			return [...]string{`\d`, `\w`, `\s`, `\D`, `\W`, `\S`}[next(6)]
		case 2:
			return [...]string{`^`, `$`, `\b`, `\B`, `\A`, `\z`}[next(6)]
		case 3:
			var b strings.Builder
			b.WriteString("[")
			if next(2) == 0 {
				b.WriteString("^")
			}
			for k := next(3) + 1; k > 0; k-- {
				switch next(5) {
				case 0:
					b.WriteString([...]string{"a-c", "A-Z", "0-9", "k-t", "\\x00-\\x{10ffff}", "-", "\\-", "]"}[next(8)])
				case 1:
					b.WriteString([...]string{`\d`, `\w`, `\s`, `\W`, "[:alpha:]", "[:^space:]", "[:punct:]"}[next(7)])
				default:
					b.WriteString([...]string{"a", "b", "K", "s", "\u212a", "\u017f", "\n", "é", "_", "."}[next(10)])
				}
			}
			b.WriteString("]")
			return b.String()
		case 4, 5:
			if depth <= 0 {
				return "a"
			}
			return [...]string{"(", "(?:", "(?i:", "(?-i:", "(?s:", "(?m:", "(?U:"}[next(7)] + genPattern(next, depth-1) + ")"
		case 6:
			return [...]string{"(?i)", "(?m)", "(?s)", "(?U)", "(?i-s)"}[next(5)] + "a"
		default:
			return [...]string{"a", "b", "A", "k", "s", "\u212a", "\u017f", "\\.", "-", " ", "\\n", "é", "\\x{fffd}", "ab"}[next(14)]
		}
	}
	var b strings.Builder
	for k := next(4) + 1; k > 0; k-- {
		b.WriteString(atom())
		if next(3) == 0 {
			b.WriteString([...]string{"*", "+", "?", "{2}", "{0,2}", "{1,}", "{0}", "*?", "+?", "??", "{2,3}?"}[next(11)])
		}
		if next(6) == 0 {
			b.WriteString("|")
		}
	}
	return b.String()
}

func genInput(next func(n int) int) string {
	const alphabet = "aabbAkKsS \n0_-.\u212a\u017fé\xff"
	var b []byte
	for k := next(12); k > 0; k-- {
		i := next(len(alphabet))
		b = append(b, alphabet[i])
	}
	return string(b)
}

func TestGenerated(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	next := func(n int) int { return rnd.IntN(n) }
	accepted, rejected := 0, 0
	for range 20000 {
		p := genPattern(next, 3)
		if _, err := Compile(p); err != nil {
			rejected++
			continue
		}
		accepted++
		tree, _, _ := parse(p)
		for range 8 {
			same(t, p, genInput(next))
			same(t, p, mutate(rnd, genMatch(rnd, tree, nil)))
		}
	}
	t.Logf("%d generated patterns accepted, %d rejected (unsupported)", accepted, rejected)
}

// FuzzRx compares rx with regexp. The pattern is either given, or, when gen
// is not empty, built from gen by the grammar generator.
func FuzzRx(f *testing.F) {
	for _, p := range vendorPatterns(f) {
		f.Add(p, []byte(nil), "Ray ID: 0123456789abcdef")
	}
	f.Add("", []byte{1, 2, 3, 4, 5, 6, 7}, "aAkK\u212a")
	f.Fuzz(func(t *testing.T, pattern string, gen []byte, input string) {
		if len(gen) > 0 {
			i := 0
			next := func(n int) int {
				if i >= len(gen) {
					return 0
				}
				i++
				return int(gen[i-1]) % n
			}
			pattern = genPattern(next, 3)
		}
		if len(pattern) > 200 || len(input) > 4096 {
			return
		}
		same(t, pattern, input)
	})
}

// TestHostile: linear time and bounded memory on 256 KiB inputs with nested
// and large repeats; the results agree with regexp's on a 32 KiB slice.
func TestHostile(t *testing.T) {
	as := strings.Repeat("a", 256<<10)
	for _, p := range []string{`(a*)*b`, `(a|a)*b`, `(a+)+$`, `(?:a?){20}a{20}`, `a{1000}b`, `(x+x+)+y`,
		`([a-z]*)*\d`, `(?i)(a|aa)*c`, `\w{300}b`, `(?:(a*)|b)*c`, `.*.*=.*`} {
		re, err := Compile(p)
		if err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		start := time.Now()
		re.FindStringSubmatchIndex(as)
		d := time.Since(start)
		t.Logf("%-20q on 256 KiB of a: %v", p, d)
		if d > 20*time.Second {
			t.Errorf("%q took %v", p, d)
		}
		same(t, p, as[:32<<10])
	}
}
