package rx

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// Limits. maxRepeat is regexp's; the others are stricter than regexp's so
// that rx never accepts a pattern regexp rejects.
const (
	maxRepeat = 1000 // {n,m} bounds, and their product when nested
	maxDepth  = 100  // parenthesis nesting
	maxInst   = 5000 // compiled program size (also in compile's error message)
	maxRune   = utf8.MaxRune
)

// Parser flags.
const (
	flagI = 1 << iota // (?i) case folding
	flagM             // (?m) ^ and $ match at line ends
	flagS             // (?s) . matches \n
	flagU             // (?U) ungreedy
)

// Empty-width assertions (an assert node's n, an empty instruction's arg).
const (
	emptyBeginLine = 1 << iota
	emptyEndLine
	emptyBeginText
	emptyEndText
	emptyWordBoundary
	emptyNoWordBoundary
)

// Node kinds.
const (
	opNoMatch = iota
	opEmpty   // matches the empty string
	opClass   // one rune in runes (sorted, merged lo,hi pairs)
	opAssert  // empty-width assertion n
	opCapture // group n
	opConcat
	opAlt
	opStar
	opPlus
	opQuest
	opRepeat // {min,max}; max -1: unbounded
)

type node struct {
	op        uint8
	nongreedy bool
	n         int // capture index, assertion flags
	min, max  int
	runes     []rune
	sub       []*node
}

func errorf(msg, expr string) error {
	return errors.New("rx: " + msg + ": `" + expr + "`")
}

type parser struct {
	src   string
	pos   int
	flags int
	ncap  int
	depth int
}

func parse(src string) (*node, int, error) {
	if !utf8.ValidString(src) {
		return nil, 0, errors.New("rx: invalid UTF-8 in pattern")
	}
	p := &parser{src: src}
	n, err := p.alt()
	if err != nil {
		return nil, 0, err
	}
	if p.pos < len(src) { // only a ')' stops alt
		return nil, 0, errorf("unexpected )", src)
	}
	return n, p.ncap, nil
}

func (p *parser) more() bool { return p.pos < len(p.src) }

func (p *parser) alt() (*node, error) {
	var subs []*node
	for {
		n, err := p.concat()
		if err != nil {
			return nil, err
		}
		subs = append(subs, n)
		if p.more() && p.src[p.pos] == '|' {
			p.pos++
			continue
		}
		if len(subs) == 1 {
			return n, nil
		}
		return &node{op: opAlt, sub: subs}, nil
	}
}

func (p *parser) concat() (*node, error) {
	var subs []*node
	for p.more() && p.src[p.pos] != '|' && p.src[p.pos] != ')' {
		start := p.pos
		n, err := p.atom()
		if err != nil {
			return nil, err
		}
		if n == nil { // a flag group such as (?i)
			if p.atRepeat() {
				return nil, errorf("repetition operator after a flag group is not supported", p.src[start:p.pos+1])
			}
			continue
		}
		if n, err = p.repeat(n); err != nil {
			return nil, err
		}
		subs = append(subs, n)
	}
	switch len(subs) {
	case 0:
		return &node{op: opEmpty}, nil
	case 1:
		return subs[0], nil
	}
	return &node{op: opConcat, sub: subs}, nil
}

// atRepeat reports whether a repetition operator starts at p.pos.
func (p *parser) atRepeat() bool {
	if !p.more() {
		return false
	}
	switch p.src[p.pos] {
	case '*', '+', '?':
		return true
	case '{':
		_, _, _, ok := p.counts()
		return ok
	}
	return false
}

// counts parses {n}, {n,} or {n,m} at p.pos; a bound too large is -1.
func (p *parser) counts() (min, max, end int, ok bool) {
	s := p.src[p.pos+1:]
	var rest string
	if min, rest, ok = parseInt(s); !ok {
		return
	}
	ok = false
	if rest == "" {
		return
	}
	if rest[0] != ',' {
		max = min
	} else {
		rest = rest[1:]
		if rest == "" {
			return
		}
		if rest[0] == '}' {
			max = -1
		} else {
			var ok1 bool
			if max, rest, ok1 = parseInt(rest); !ok1 {
				return
			}
			if max < 0 {
				min = -1
			}
		}
	}
	if rest == "" || rest[0] != '}' {
		return
	}
	return min, max, len(p.src) - len(rest) + 1, true
}

func parseInt(s string) (n int, rest string, ok bool) {
	if s == "" || s[0] < '0' || s[0] > '9' || len(s) >= 2 && s[0] == '0' && s[1] >= '0' && s[1] <= '9' {
		return 0, s, false
	}
	i := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n >= 0 {
			n = n*10 + int(s[i]-'0')
			if n >= 1e8 {
				n = -1 // too large
			}
		}
	}
	return n, s[i:], true
}

func (p *parser) repeat(n *node) (*node, error) {
	if !p.more() {
		return n, nil
	}
	start := p.pos
	op, min, max := uint8(opStar), 0, -1
	switch p.src[p.pos] {
	case '*':
		p.pos++
	case '+':
		op, min = opPlus, 1
		p.pos++
	case '?':
		op, max = opQuest, 1
		p.pos++
	case '{':
		lo, hi, end, ok := p.counts()
		if !ok {
			return n, nil // a literal {
		}
		if lo < 0 || lo > maxRepeat || hi > maxRepeat || hi >= 0 && lo > hi {
			return nil, errorf("invalid repeat count", p.src[start:end])
		}
		op, min, max = opRepeat, lo, hi
		p.pos = end
	default:
		return n, nil
	}
	ng := false
	if p.more() && p.src[p.pos] == '?' {
		p.pos++
		ng = true
	}
	if p.flags&flagU != 0 {
		ng = !ng
	}
	if p.atRepeat() {
		return nil, errorf("invalid nested repetition operator", p.src[start:p.pos+1])
	}
	r := &node{op: op, min: min, max: max, nongreedy: ng, sub: []*node{n}}
	if op == opRepeat && (min >= 2 || max >= 2) && !repeatValid(r, maxRepeat) {
		return nil, errorf("invalid repeat count", p.src[start:p.pos])
	}
	return r, nil
}

// repeatValid reports whether nested {n,m} repeats stay within n copies of
// the innermost expression (regexp's rule).
func repeatValid(n *node, limit int) bool {
	if n.op == opRepeat {
		m := n.max
		if m == 0 {
			return true
		}
		if m < 0 {
			m = n.min
		}
		if m > limit {
			return false
		}
		if m > 0 {
			limit /= m
		}
	}
	for _, s := range n.sub {
		if !repeatValid(s, limit) {
			return false
		}
	}
	return true
}

func (p *parser) atom() (*node, error) {
	c := p.src[p.pos]
	switch c {
	case '(':
		return p.group()
	case '[':
		return p.class()
	case '.':
		p.pos++
		if p.flags&flagS != 0 {
			return &node{op: opClass, runes: []rune{0, maxRune}}, nil
		}
		return &node{op: opClass, runes: []rune{0, '\n' - 1, '\n' + 1, maxRune}}, nil
	case '^':
		p.pos++
		if p.flags&flagM != 0 {
			return &node{op: opAssert, n: emptyBeginLine}, nil
		}
		return &node{op: opAssert, n: emptyBeginText}, nil
	case '$':
		p.pos++
		if p.flags&flagM != 0 {
			return &node{op: opAssert, n: emptyEndLine}, nil
		}
		return &node{op: opAssert, n: emptyEndText}, nil
	case '*', '+', '?':
		return nil, errorf("missing argument to repetition operator", p.src[p.pos:p.pos+1])
	case '{':
		if _, _, end, ok := p.counts(); ok {
			return nil, errorf("missing argument to repetition operator", p.src[p.pos:end])
		}
	case '\\':
		return p.escapeAtom()
	}
	r, w := utf8.DecodeRuneInString(p.src[p.pos:])
	p.pos += w
	return p.runeSet(appendRange(nil, r, r, p.flags), p.src[p.pos-w:p.pos])
}

// runeSet makes a class node from unsorted ranges, checking the fold marker.
func (p *parser) runeSet(rs []rune, expr string) (*node, error) {
	if len(rs) == 1 { // appendRange's marker: a non-ASCII rune under (?i)
		u := []byte("U+")
		for sh := 20; sh >= 0; sh -= 4 {
			if d := rs[0] >> sh & 15; d != 0 || sh < 16 || len(u) > 2 {
				u = append(u, "0123456789ABCDEF"[d])
			}
		}
		return nil, errorf("(?i) on the non-ASCII character "+string(u)+" is not supported", expr)
	}
	return &node{op: opClass, runes: clean(rs)}, nil
}

func (p *parser) group() (*node, error) {
	start := p.pos
	if p.depth >= maxDepth {
		return nil, errorf("expression nests too deeply", p.src[start:])
	}
	p.pos++
	capIndex := 0
	flags := p.flags
	if p.more() && p.src[p.pos] == '?' {
		rest := p.src[p.pos+1:]
		if rest != "" {
			what := ""
			switch rest[0] {
			case '=', '!':
				what = "lookahead"
			case 'P':
				what = "named group"
			case '<':
				what = "named group"
				if strings.HasPrefix(rest, "<=") || strings.HasPrefix(rest, "<!") {
					what = "lookbehind"
				}
			}
			if what != "" {
				return nil, errorf(what+" is not supported", p.src[start:])
			}
		}
		i := p.pos + 1
		neg, saw := false, false
	flagLoop:
		for i < len(p.src) {
			c := p.src[i]
			i++
			bit := 0
			switch c {
			case 'i':
				bit = flagI
			case 'm':
				bit = flagM
			case 's':
				bit = flagS
			case 'U':
				bit = flagU
			case '-':
				if neg {
					break flagLoop
				}
				neg, saw = true, false
				continue
			case ':', ')':
				if neg && !saw {
					break flagLoop
				}
				p.pos = i
				if c == ')' {
					p.flags = flags
					return nil, nil
				}
				capIndex = -1
				break flagLoop
			default:
				break flagLoop
			}
			saw = true
			if neg {
				flags &^= bit
			} else {
				flags |= bit
			}
		}
		if capIndex == 0 {
			return nil, errorf("invalid or unsupported Perl syntax", p.src[start:i])
		}
	} else {
		p.ncap++
		capIndex = p.ncap
	}
	saved := p.flags
	p.flags = flags
	p.depth++
	n, err := p.alt()
	if err != nil {
		return nil, err
	}
	p.depth--
	if !p.more() {
		return nil, errorf("missing closing )", p.src[start:])
	}
	p.pos++ // ')'
	p.flags = saved
	if capIndex > 0 {
		n = &node{op: opCapture, n: capIndex, sub: []*node{n}}
	}
	return n, nil
}

func (p *parser) escapeAtom() (*node, error) {
	if p.pos+1 < len(p.src) {
		kind := -1
		switch p.src[p.pos+1] {
		case 'A':
			kind = emptyBeginText
		case 'z':
			kind = emptyEndText
		case 'b':
			kind = emptyWordBoundary
		case 'B':
			kind = emptyNoWordBoundary
		}
		if kind >= 0 {
			p.pos += 2
			return &node{op: opAssert, n: kind}, nil
		}
	}
	start := p.pos
	rs, ok, err := p.perlClass(nil)
	if err != nil {
		return nil, err
	}
	if ok {
		return &node{op: opClass, runes: clean(rs)}, nil
	}
	r, err := p.escape()
	if err != nil {
		return nil, err
	}
	return p.runeSet(appendRange(nil, r, r, p.flags), p.src[start:p.pos])
}

// posixClasses holds the ASCII ranges of [:name:] as lo,hi byte pairs,
// after each name.
var posixClasses = [...]string{
	"alnum", "09AZaz",
	"alpha", "AZaz",
	"ascii", "\x00\x7f",
	"blank", "\t\t  ",
	"cntrl", "\x00\x1f\x7f\x7f",
	"digit", "09",
	"graph", "!~",
	"lower", "az",
	"print", " ~",
	"punct", "!/:@[`{~",
	"space", "\t\r  ",
	"upper", "AZ",
	"word", "09AZ__az",
	"xdigit", "09AFaf",
}

// named appends the (folded, possibly negated) ranges of a named class.
func (p *parser) named(rs []rune, pairs string, negate bool) []rune {
	var g []rune
	for i := 0; i < len(pairs); i += 2 {
		g = appendRange(g, rune(pairs[i]), rune(pairs[i+1]), p.flags)
	}
	g = clean(g)
	if negate {
		g = negateClass(g)
	}
	return append(rs, g...)
}

// perlClass parses \d \D \s \S \w \W at p.pos, and rejects \p and \P.
func (p *parser) perlClass(rs []rune) ([]rune, bool, error) {
	if p.pos+1 >= len(p.src) || p.src[p.pos] != '\\' {
		return rs, false, nil
	}
	c := p.src[p.pos+1]
	if c == 'p' || c == 'P' {
		return nil, false, errorf("Unicode class \\"+string(c)+" is not supported", p.src[p.pos:min(p.pos+8, len(p.src))])
	}
	var pairs string
	switch c | 0x20 {
	case 'd':
		pairs = "09"
	case 's':
		pairs = "\t\n\f\r  "
	case 'w':
		pairs = "09AZ__az"
	default:
		return rs, false, nil
	}
	p.pos += 2
	return p.named(rs, pairs, c < 'a'), true, nil
}

// escape parses a one-rune escape at p.pos (the backslash).
func (p *parser) escape() (rune, error) {
	start := p.pos
	p.pos++
	if !p.more() {
		return 0, errors.New("rx: trailing backslash at end of expression")
	}
	c, w := utf8.DecodeRuneInString(p.src[p.pos:])
	p.pos += w
	isOct := func() bool { return p.more() && p.src[p.pos] >= '0' && p.src[p.pos] <= '7' }
	switch {
	case c == '0' || c <= '7' && c >= '1' && isOct(): // \0, \01, \012, \12, \123
		r := c - '0'
		for i := 1; i < 3 && isOct(); i++ {
			r = r*8 + rune(p.src[p.pos]-'0')
			p.pos++
		}
		return r, nil
	case c >= '1' && c <= '9':
		return 0, errorf("backreference is not supported", p.src[start:p.pos])
	case c == 'x':
		if p.more() && p.src[p.pos] == '{' {
			i, v := p.pos+1, rune(0)
			for ; i < len(p.src) && unhex(p.src[i]) >= 0 && v <= maxRune; i++ {
				v = v*16 + unhex(p.src[i])
			}
			if i > p.pos+1 && i < len(p.src) && p.src[i] == '}' && v <= maxRune {
				p.pos = i + 1
				return v, nil
			}
		} else if p.pos+1 < len(p.src) && unhex(p.src[p.pos]) >= 0 && unhex(p.src[p.pos+1]) >= 0 {
			p.pos += 2
			return unhex(p.src[p.pos-2])*16 + unhex(p.src[p.pos-1]), nil
		}
	case c == 'a':
		return '\a', nil
	case c == 'f':
		return '\f', nil
	case c == 'n':
		return '\n', nil
	case c == 'r':
		return '\r', nil
	case c == 't':
		return '\t', nil
	case c == 'v':
		return '\v', nil
	case c == 'Q' || c == 'E' || c == 'C':
		return 0, errorf("\\"+string(c)+" is not supported", p.src[start:p.pos])
	case c < utf8.RuneSelf && !isAlnum(byte(c)):
		return c, nil
	}
	return 0, errorf("invalid escape sequence", p.src[start:p.pos])
}

func unhex(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c|0x20 >= 'a' && c|0x20 <= 'f':
		return rune(c|0x20-'a') + 10
	}
	return -1
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

func (p *parser) class() (*node, error) {
	start := p.pos
	p.pos++ // [
	negate := false
	if p.more() && p.src[p.pos] == '^' {
		negate = true
		p.pos++
	}
	var rs []rune
	for first := true; first || !p.more() || p.src[p.pos] != ']'; first = false {
		if !p.more() {
			return nil, errorf("missing closing ]", p.src[start:])
		}
		if strings.HasPrefix(p.src[p.pos:], "[:") {
			if end := strings.Index(p.src[p.pos+2:], ":]"); end >= 0 {
				name := p.src[p.pos+2 : p.pos+2+end]
				neg := strings.HasPrefix(name, "^")
				name = strings.TrimPrefix(name, "^")
				i := 0
				for i < len(posixClasses) && posixClasses[i] != name {
					i += 2
				}
				if i == len(posixClasses) {
					return nil, errorf("invalid character class range", p.src[p.pos:p.pos+end+4])
				}
				p.pos += end + 4
				rs = p.named(rs, posixClasses[i+1], neg)
				continue
			}
		}
		var ok bool
		var err error
		if rs, ok, err = p.perlClass(rs); err != nil {
			return nil, err
		} else if ok {
			continue
		}
		from := p.pos
		lo, err := p.classChar(start)
		if err != nil {
			return nil, err
		}
		hi := lo
		if p.pos+1 < len(p.src) && p.src[p.pos] == '-' && p.src[p.pos+1] != ']' {
			p.pos++
			if hi, err = p.classChar(start); err != nil {
				return nil, err
			}
			if hi < lo {
				return nil, errorf("invalid character class range", p.src[from:p.pos])
			}
		}
		rs = appendRange(rs, lo, hi, p.flags)
		if len(rs) == 1 {
			return p.runeSet(rs, p.src[from:p.pos])
		}
	}
	p.pos++ // ]
	rs = clean(rs)
	if negate {
		rs = negateClass(rs)
	}
	return &node{op: opClass, runes: rs}, nil
}

func (p *parser) classChar(start int) (rune, error) {
	if !p.more() {
		return 0, errorf("missing closing ]", p.src[start:])
	}
	if p.src[p.pos] == '\\' {
		return p.escape()
	}
	r, w := utf8.DecodeRuneInString(p.src[p.pos:])
	p.pos += w
	return r, nil
}

// appendRange appends lo-hi and, under (?i), its case variants: ASCII
// letters, and K ↔ U+212A KELVIN SIGN, S ↔ U+017F LONG S, the only simple
// folds that cross between ASCII and the rest. A range whose non-ASCII part
// could have other folds, which need Unicode tables, is rejected: it returns
// a single rune (the offending one) that runeSet reports.
func appendRange(rs []rune, lo, hi rune, flags int) []rune {
	rs = append(rs, lo, hi)
	if flags&flagI == 0 {
		return rs
	}
	if hi >= 0x80 {
		switch {
		case lo <= 0x80 && hi == maxRune: // all of non-ASCII: closed under folding
			rs = append(rs, 'K', 'K', 'S', 'S', 'k', 'k', 's', 's')
		case lo == hi && lo == 0x17F:
			rs = append(rs, 'S', 'S', 's', 's')
		case lo == hi && lo == 0x212A:
			rs = append(rs, 'K', 'K', 'k', 'k')
		default:
			return []rune{max(lo, 0x80)}
		}
	}
	if a, b := max(lo, 'A'), min(hi, 'Z'); a <= b {
		rs = append(rs, a+32, b+32)
	}
	if a, b := max(lo, 'a'), min(hi, 'z'); a <= b {
		rs = append(rs, a-32, b-32)
	}
	if lo <= 'k' && hi >= 'k' || lo <= 'K' && hi >= 'K' {
		rs = append(rs, 0x212A, 0x212A)
	}
	if lo <= 's' && hi >= 's' || lo <= 'S' && hi >= 'S' {
		rs = append(rs, 0x17F, 0x17F)
	}
	return rs
}

// clean sorts lo,hi pairs and merges overlapping or adjacent ones.
func clean(rs []rune) []rune {
	// insertion sort on pairs: classes are small
	for i := 2; i < len(rs); i += 2 {
		for j := i; j > 0 && (rs[j] < rs[j-2] || rs[j] == rs[j-2] && rs[j+1] < rs[j-1]); j -= 2 {
			rs[j], rs[j+1], rs[j-2], rs[j-1] = rs[j-2], rs[j-1], rs[j], rs[j+1]
		}
	}
	out := rs[:0]
	for i := 0; i < len(rs); i += 2 {
		lo, hi := rs[i], rs[i+1]
		if n := len(out); n > 0 && lo <= out[n-1]+1 {
			out[n-1] = max(out[n-1], hi)
			continue
		}
		out = append(out, lo, hi)
	}
	return out
}

func negateClass(rs []rune) []rune {
	var out []rune
	next := rune(0)
	for i := 0; i < len(rs); i += 2 {
		if rs[i] > next {
			out = append(out, next, rs[i]-1)
		}
		next = rs[i+1] + 1
	}
	if next <= maxRune {
		out = append(out, next, maxRune)
	}
	return out
}
