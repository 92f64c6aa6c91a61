// Package rx is a small regular expression engine for the page's wasm: the
// subset of RE2 syntax the vendor files use, with regexp's leftmost-first
// semantics and submatches, in time linear in the input (a Pike VM) and a
// fraction of regexp's code size.
//
// Supported: literals, . [...] [^...] (ranges, escapes, [:alpha:] and the
// other ASCII classes), \d \D \s \S \w \W, ^ $ \A \z \b \B, (...) (?:...),
// |, * + ? {n} {n,} {n,m} and their lazy forms, the flags i m s U as
// (?flags) and (?flags:...), escapes \. \" \n \t \x41 \x{263a} \0 \101.
// (?i) folds ASCII letters plus K/U+212A and S/U+017F, like regexp;
// a non-ASCII letter under (?i) is a compile error (folding it needs
// Unicode tables). Not supported, each a compile error naming it:
// backreferences, lookaround, named groups, \p{..}, \Q..\E, \C.
package rx

import (
	"bytes"
	"strconv"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"
)

// Regexp is a compiled expression, safe for concurrent use.
type Regexp struct {
	expr     string
	prog     []inst
	classes  []class
	start    uint32
	nsub     int
	anchored bool   // matches start at 0 only
	prefix   []byte // every match starts with these bytes (exact prefix)…
	lits     []lit  // …or these runes (a prefix with case-folded letters)
	firsts   []byte // the bytes such a prefix can start with
	empty    bool   // the program has assertions
	cache    atomic.Pointer[machine]
}

// Compile parses expr; on error the message names the construct at fault.
func Compile(expr string) (*Regexp, error) {
	n, nsub, err := parse(expr)
	if err != nil {
		return nil, err
	}
	n = simplify(n)
	prog, classes, start, err := compile(n)
	if err != nil {
		return nil, err
	}
	re := &Regexp{expr: expr, prog: prog, classes: classes, start: start, nsub: nsub, anchored: anchored(n)}
	lits, _ := prefix(n, nil)
	for _, l := range lits {
		if l.fold {
			re.lits = lits
		}
		re.prefix = utf8.AppendRune(re.prefix, l.r)
	}
	if re.lits != nil {
		re.prefix = nil
		f := lits[0]
		re.firsts = utf8.AppendRune(nil, f.r)[:1]
		if f.fold {
			re.firsts = append(re.firsts, byte(f.r)-32)
			if sp := special(f.r); sp != 0 {
				re.firsts = append(re.firsts, utf8.AppendRune(nil, sp)[0])
			}
		}
	}
	for _, in := range prog {
		re.empty = re.empty || in.op == iEmpty
	}
	return re, nil
}

// MustCompile is Compile that panics on error.
func MustCompile(expr string) *Regexp {
	re, err := Compile(expr)
	if err != nil {
		panic("rx: Compile(" + strconv.Quote(expr) + "): " + err.Error())
	}
	return re
}

func (re *Regexp) String() string { return re.expr }

// NumSubexp is the number of parenthesized groups.
func (re *Regexp) NumSubexp() int { return re.nsub }

func (re *Regexp) Match(b []byte) bool { return re.exec(b, 0) != nil }

func (re *Regexp) MatchString(s string) bool { return re.exec(sbytes(s), 0) != nil }

func (re *Regexp) FindIndex(b []byte) []int { return re.exec(b, 2) }

func (re *Regexp) FindStringIndex(s string) []int { return re.exec(sbytes(s), 2) }

func (re *Regexp) FindSubmatchIndex(b []byte) []int { return re.exec(b, 2*re.nsub+2) }

func (re *Regexp) FindStringSubmatchIndex(s string) []int {
	return re.exec(sbytes(s), 2*re.nsub+2)
}

func (re *Regexp) Find(b []byte) []byte {
	a := re.FindIndex(b)
	if a == nil {
		return nil
	}
	return b[a[0]:a[1]:a[1]]
}

func (re *Regexp) FindString(s string) string {
	if a := re.FindStringIndex(s); a != nil {
		return s[a[0]:a[1]]
	}
	return ""
}

// FindSubmatch returns the match and its groups; a group that did not take
// part is nil.
func (re *Regexp) FindSubmatch(b []byte) [][]byte {
	a := re.FindSubmatchIndex(b)
	if a == nil {
		return nil
	}
	out := make([][]byte, len(a)/2)
	for i := range out {
		if a[2*i] >= 0 {
			out[i] = b[a[2*i]:a[2*i+1]:a[2*i+1]]
		}
	}
	return out
}

func (re *Regexp) FindStringSubmatch(s string) []string {
	a := re.FindStringSubmatchIndex(s)
	if a == nil {
		return nil
	}
	out := make([]string, len(a)/2)
	for i := range out {
		if a[2*i] >= 0 {
			out[i] = s[a[2*i]:a[2*i+1]]
		}
	}
	return out
}

// sbytes views s as bytes without copying; rx only reads its input.
func sbytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

func lower(c byte) byte {
	if c-'A' < 26 {
		return c + 32
	}
	return c
}

// index returns the first position ≥ from where the prefix occurs, or -1.
func (re *Regexp) index(next *[3]int, in []byte, from int) int {
	if re.lits == nil {
		if i := bytes.Index(in[from:], re.prefix); i >= 0 {
			return from + i
		}
		return -1
	}
	// Candidates are the next occurrences of the bytes the prefix can start
	// with; each is searched once per run (next), so the scan stays linear.
	for {
		i := len(in)
		for k, c := range re.firsts {
			if next[k] < from {
				next[k] = len(in)
				if j := bytes.IndexByte(in[from:], c); j >= 0 {
					next[k] = from + j
				}
			}
			i = min(i, next[k])
		}
		if i == len(in) {
			return -1
		}
		if re.hasPrefix(in[i:]) {
			return i
		}
		from = i + 1
	}
}

// hasPrefix reports whether in starts with the case-folded prefix.
func (re *Regexp) hasPrefix(in []byte) bool {
	j := 0
	for _, l := range re.lits {
		if !l.fold {
			var buf [utf8.UTFMax]byte
			e := utf8.AppendRune(buf[:0], l.r)
			if !bytes.HasPrefix(in[j:], e) {
				return false
			}
			j += len(e)
			continue
		}
		if j < len(in) && lower(in[j]) == byte(l.r) {
			j++
			continue
		}
		sp := special(l.r)
		if sp == 0 {
			return false
		}
		var buf [utf8.UTFMax]byte
		e := utf8.AppendRune(buf[:0], sp)
		if !bytes.HasPrefix(in[j:], e) {
			return false
		}
		j += len(e)
	}
	return true
}

// machine is the Pike VM's state, reused between calls.
type machine struct {
	q0, q1   queue
	free     [][]int
	startcap []int
	matchcap []int
	matched  bool
}

type entry struct {
	pc   uint32
	live bool  // a rune or match instruction: a thread
	cap  []int // its capture slots
}

// queue is a sparse set of program positions in priority order.
type queue struct {
	sparse []uint32
	dense  []entry
}

func (q *queue) has(pc uint32) bool {
	j := q.sparse[pc]
	return j < uint32(len(q.dense)) && q.dense[j].pc == pc
}

const endOfText rune = -1

func decode(in []byte, pos int) (rune, int) {
	if pos >= len(in) {
		return endOfText, 0
	}
	if c := in[pos]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRune(in[pos:])
}

func isWord(r rune) bool {
	return r >= 0 && r < utf8.RuneSelf && (isAlnum(byte(r)) || r == '_')
}

// flags are the assertions true between runes r1 and r2.
func (re *Regexp) flags(r1, r2 rune) uint32 {
	var f uint32
	if !re.empty {
		return 0
	}
	if r1 < 0 {
		f |= emptyBeginText | emptyBeginLine
	} else if r1 == '\n' {
		f |= emptyBeginLine
	}
	if r2 < 0 {
		f |= emptyEndText | emptyEndLine
	} else if r2 == '\n' {
		f |= emptyEndLine
	}
	if isWord(r1) != isWord(r2) {
		f |= emptyWordBoundary
	} else {
		f |= emptyNoWordBoundary
	}
	return f
}

func (re *Regexp) machine() *machine {
	if m := re.cache.Swap(nil); m != nil {
		return m
	}
	n := len(re.prog)
	return &machine{
		q0: queue{sparse: make([]uint32, n), dense: make([]entry, 0, n)},
		q1: queue{sparse: make([]uint32, n), dense: make([]entry, 0, n)},
	}
}

// exec runs the VM and returns the ncap capture positions of the leftmost-
// first match (a non-nil empty slice when ncap is 0), or nil.
func (re *Regexp) exec(in []byte, ncap int) []int {
	// Find the first place a match can start before taking a machine:
	// most calls end here.
	next := [3]int{-1, -1, -1}
	pos := 0
	hasPrefix := len(re.prefix) > 0 || re.lits != nil
	if hasPrefix {
		if re.anchored {
			if re.lits == nil && !bytes.HasPrefix(in, re.prefix) || re.lits != nil && !re.hasPrefix(in) {
				return nil
			}
		} else if pos = re.index(&next, in, 0); pos < 0 {
			return nil
		}
	}
	m := re.machine()
	if len(m.matchcap) != ncap { // thread slots have the width of the last call's
		m.matchcap = make([]int, ncap)
		m.startcap = make([]int, ncap)
		m.free = m.free[:0]
	}
	for i := range m.startcap {
		m.startcap[i] = -1
	}
	m.matched = false
	runq, nextq := &m.q0, &m.q1

	first := pos
	r, w := decode(in, pos)
	r1, w1 := decode(in, pos+w)
	before := endOfText
	if pos > 0 {
		before, _ = utf8.DecodeLastRune(in[:pos])
	}
	for {
		if len(runq.dense) == 0 {
			if m.matched || re.anchored && pos > 0 {
				break
			}
			if hasPrefix && pos > first { // first: already known to be a candidate
				i := re.index(&next, in, pos)
				if i < 0 {
					break
				}
				if i > pos {
					pos = i
					before, _ = utf8.DecodeLastRune(in[:pos])
					r, w = decode(in, pos)
					r1, w1 = decode(in, pos+w)
				}
			}
		}
		if !m.matched && (pos == 0 || !re.anchored) {
			if ncap > 0 {
				m.startcap[0] = pos
			}
			m.add(re, runq, re.start, pos, m.startcap, re.flags(before, r))
		}
		m.step(re, runq, nextq, pos, pos+w, r, re.flags(r, r1))
		if w == 0 || ncap == 0 && m.matched {
			break
		}
		pos += w
		before, r, w = r, r1, w1
		if r != endOfText {
			r1, w1 = decode(in, pos+w)
		}
		runq, nextq = nextq, runq
	}
	m.release(nextq)
	m.release(runq)
	var out []int
	if m.matched {
		out = append(make([]int, 0, ncap), m.matchcap...)
	}
	re.cache.Store(m)
	return out
}

func (m *machine) release(q *queue) {
	for _, e := range q.dense {
		if e.cap != nil {
			m.free = append(m.free, e.cap)
		}
	}
	q.dense = q.dense[:0]
}

// add follows pc's empty transitions at pos in priority order, queueing a
// thread (with a copy of cap) at each rune or match instruction.
func (m *machine) add(re *Regexp, q *queue, pc uint32, pos int, cap []int, cond uint32) {
	for pc != 0 && !q.has(pc) {
		q.sparse[pc] = uint32(len(q.dense))
		q.dense = append(q.dense, entry{pc: pc})
		in := &re.prog[pc]
		switch in.op {
		case iAlt:
			m.add(re, q, in.out, pos, cap, cond)
			pc = in.arg
			continue
		case iEmpty:
			if in.arg&^cond == 0 {
				pc = in.out
				continue
			}
		case iNop:
			pc = in.out
			continue
		case iSave:
			if int(in.arg) < len(cap) {
				old := cap[in.arg]
				cap[in.arg] = pos
				m.add(re, q, in.out, pos, cap, cond)
				cap[in.arg] = old
			} else {
				pc = in.out
				continue
			}
		case iRune, iMatch:
			e := &q.dense[len(q.dense)-1]
			e.live = true
			if len(cap) > 0 {
				var t []int
				if n := len(m.free); n > 0 {
					t, m.free = m.free[n-1], m.free[:n-1]
				} else {
					t = make([]int, len(cap))
				}
				copy(t, cap)
				e.cap = t
			}
		}
		return
	}
}

// step advances runq's threads over rune c (at pos) into nextq.
func (m *machine) step(re *Regexp, runq, nextq *queue, pos, nextPos int, c rune, nextCond uint32) {
	for j := 0; j < len(runq.dense); j++ {
		e := &runq.dense[j]
		if !e.live {
			continue
		}
		in := &re.prog[e.pc]
		if in.op == iMatch {
			if len(e.cap) > 0 {
				copy(m.matchcap, e.cap)
				m.matchcap[1] = pos
			}
			m.matched = true
			break // lower-priority threads are cut; release frees them
		}
		if re.classes[in.arg].has(c) {
			m.add(re, nextq, in.out, nextPos, e.cap, nextCond)
		}
		if e.cap != nil {
			m.free = append(m.free, e.cap)
			e.cap = nil
		}
	}
	m.release(runq)
}
