package rx

import (
	"errors"
	"unicode/utf8"
)

// simplify rewrites {n,m} into concatenations and options the way regexp
// does (x{2,4} = xx(x(x)?)?), and drops redundant operators (x** = x*):
// the program's shape decides which submatch wins, so it must match
// regexp's for the submatches to agree.
func simplify(n *node) *node {
	switch n.op {
	case opCapture, opConcat, opAlt:
		for i, s := range n.sub { // in place: the tree is ours
			n.sub[i] = simplify(s)
		}
		return n
	case opStar, opPlus, opQuest:
		return simplify1(n.op, n.nongreedy, simplify(n.sub[0]))
	case opRepeat:
		if n.min == 0 && n.max == 0 {
			return &node{op: opEmpty}
		}
		sub := simplify(n.sub[0])
		if n.max == -1 {
			switch n.min {
			case 0:
				return simplify1(opStar, n.nongreedy, sub)
			case 1:
				return simplify1(opPlus, n.nongreedy, sub)
			}
			c := &node{op: opConcat}
			for i := 0; i < n.min-1; i++ {
				c.sub = append(c.sub, sub)
			}
			c.sub = append(c.sub, simplify1(opPlus, n.nongreedy, sub))
			return c
		}
		if n.min == 1 && n.max == 1 {
			return sub
		}
		var prefix *node
		if n.min > 0 {
			prefix = &node{op: opConcat}
			for i := 0; i < n.min; i++ {
				prefix.sub = append(prefix.sub, sub)
			}
		}
		if n.max > n.min {
			suffix := simplify1(opQuest, n.nongreedy, sub)
			for i := n.min + 1; i < n.max; i++ {
				suffix = simplify1(opQuest, n.nongreedy, &node{op: opConcat, sub: []*node{sub, suffix}})
			}
			if prefix == nil {
				return suffix
			}
			prefix.sub = append(prefix.sub, suffix)
		}
		return prefix
	}
	return n
}

func simplify1(op uint8, nongreedy bool, sub *node) *node {
	if sub.op == opEmpty || sub.op == op && sub.nongreedy == nongreedy {
		return sub
	}
	return &node{op: op, nongreedy: nongreedy, sub: []*node{sub}}
}

// Instructions. Program position 0 is always iFail.
const (
	iFail  = iota
	iAlt   // try out, then arg
	iEmpty // assertion arg
	iSave  // capture slot arg
	iNop
	iRune // class arg
	iMatch
)

type inst struct {
	op  uint8
	out uint32
	arg uint32
}

// class is a set of runes: a bitmap for ASCII, sorted lo,hi pairs above.
type class struct {
	ascii [2]uint64
	high  []rune
}

func newClass(rs []rune) class {
	var c class
	for i := 0; i < len(rs); i += 2 {
		lo, hi := rs[i], rs[i+1]
		for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
			c.ascii[r>>6] |= 1 << (r & 63)
		}
		if hi >= utf8.RuneSelf {
			c.high = append(c.high, max(lo, utf8.RuneSelf), hi)
		}
	}
	return c
}

func (c *class) has(r rune) bool {
	if uint32(r) < utf8.RuneSelf {
		return c.ascii[r>>6]&(1<<(r&63)) != 0
	}
	h := c.high
	for len(h) > 8 { // binary search down to a few pairs
		m := len(h) / 4 * 2
		if r < h[m] {
			h = h[:m]
		} else {
			h = h[m:]
		}
	}
	for i := 0; i < len(h); i += 2 {
		if r < h[i] {
			return false
		}
		if r <= h[i+1] {
			return true
		}
	}
	return false
}

// frag is a compiled fragment: its entry, its dangling exits (pc<<1, |1
// for arg) and whether it can match the empty string.
type frag struct {
	i        uint32
	out      []uint32
	nullable bool
}

type compiler struct {
	prog    []inst
	classes []class
	err     error
}

func compile(n *node) ([]inst, []class, uint32, error) {
	c := &compiler{prog: []inst{{op: iFail}}}
	f := c.compile(n)
	m := c.inst(iMatch)
	c.patch(f.out, m.i)
	if c.err != nil {
		return nil, nil, 0, c.err
	}
	return c.prog, c.classes, f.i, nil
}

func (c *compiler) inst(op uint8) frag {
	if len(c.prog) >= maxInst && c.err == nil {
		c.err = errors.New("rx: expression too large: more than " + "5000" + " instructions")
	}
	c.prog = append(c.prog, inst{op: op})
	return frag{i: uint32(len(c.prog) - 1), nullable: true}
}

func (c *compiler) patch(l []uint32, to uint32) {
	for _, h := range l {
		if h&1 == 0 {
			c.prog[h>>1].out = to
		} else {
			c.prog[h>>1].arg = to
		}
	}
}

func (c *compiler) one(op uint8, arg uint32) frag {
	f := c.inst(op)
	c.prog[f.i].arg = arg
	f.out = []uint32{f.i << 1}
	return f
}

func (c *compiler) cat(f1, f2 frag) frag {
	if f1.i == 0 || f2.i == 0 {
		return frag{}
	}
	c.patch(f1.out, f2.i)
	return frag{f1.i, f2.out, f1.nullable && f2.nullable}
}

func (c *compiler) alt(f1, f2 frag) frag {
	if f1.i == 0 {
		return f2
	}
	if f2.i == 0 {
		return f1
	}
	f := c.inst(iAlt)
	c.prog[f.i].out, c.prog[f.i].arg = f1.i, f2.i
	f.out = append(append([]uint32(nil), f1.out...), f2.out...)
	f.nullable = f1.nullable || f2.nullable
	return f
}

// quest and loop put the preferred branch in out: branch is an iAlt whose
// one arm enters f1 (tried first unless nongreedy) and whose other arm is
// left dangling in the returned frag's out list.
func (c *compiler) branch(f1 frag, nongreedy bool) frag {
	f := c.inst(iAlt)
	if nongreedy {
		c.prog[f.i].arg = f1.i
		f.out = []uint32{f.i << 1}
	} else {
		c.prog[f.i].out = f1.i
		f.out = []uint32{f.i<<1 | 1}
	}
	return f
}

func (c *compiler) quest(f1 frag, nongreedy bool) frag {
	f := c.branch(f1, nongreedy)
	f.out = append(f.out, f1.out...)
	return f
}

func (c *compiler) loop(f1 frag, nongreedy bool) frag {
	f := c.branch(f1, nongreedy)
	c.patch(f1.out, f.i)
	return f
}

func (c *compiler) plus(f1 frag, nongreedy bool) frag {
	return frag{f1.i, c.loop(f1, nongreedy).out, f1.nullable}
}

func (c *compiler) compile(n *node) frag {
	if c.err != nil {
		return frag{}
	}
	switch n.op {
	case opEmpty:
		return c.one(iNop, 0)
	case opClass:
		c.classes = append(c.classes, newClass(n.runes))
		f := c.one(iRune, uint32(len(c.classes)-1))
		f.nullable = false
		return f
	case opAssert:
		return c.one(iEmpty, uint32(n.n))
	case opCapture:
		bra := c.one(iSave, uint32(2*n.n))
		sub := c.compile(n.sub[0])
		ket := c.one(iSave, uint32(2*n.n+1))
		return c.cat(c.cat(bra, sub), ket)
	case opConcat:
		var f frag
		for i, s := range n.sub {
			if i == 0 {
				f = c.compile(s)
			} else {
				f = c.cat(f, c.compile(s))
			}
		}
		return f
	case opAlt:
		var f frag
		for _, s := range n.sub {
			f = c.alt(f, c.compile(s))
		}
		return f
	case opStar:
		f1 := c.compile(n.sub[0])
		if f1.nullable {
			// (x+)? keeps regexp's priority order (golang.org/issue/46123)
			return c.quest(c.plus(f1, n.nongreedy), n.nongreedy)
		}
		return c.loop(f1, n.nongreedy)
	case opPlus:
		return c.plus(c.compile(n.sub[0]), n.nongreedy)
	case opQuest:
		return c.quest(c.compile(n.sub[0]), n.nongreedy)
	}
	return frag{} // opNoMatch
}

// lit is one rune of a literal prefix; fold marks an ASCII letter in either
// case (stored lower case), k and s also matching U+212A and U+017F.
type lit struct {
	r    rune
	fold bool
}

// prefix appends the literal runes that every match of n starts with; done
// reports whether n is only those runes.
func prefix(n *node, out []lit) ([]lit, bool) {
	switch n.op {
	case opEmpty, opAssert: // assertions take no text: the literal still starts the match
		return out, true
	case opClass:
		rs := n.runes
		if len(rs) == 2 && rs[0] == rs[1] && rs[0] != utf8.RuneError {
			return append(out, lit{r: rs[0]}), true
		}
		if (len(rs) == 4 || len(rs) == 6) && rs[0] == rs[1] && rs[2] == rs[3] && rs[0] >= 'A' && rs[0] <= 'Z' && rs[2] == rs[0]+32 {
			// [Aa], or [Kk\x{212A}] / [Ss\x{17F}] as (?i) makes them
			if len(rs) == 4 && rs[0] != 'K' && rs[0] != 'S' || len(rs) == 6 && rs[4] == rs[5] && rs[4] == special(rs[2]) {
				return append(out, lit{r: rs[2], fold: true}), true
			}
		}
	case opCapture:
		return prefix(n.sub[0], out)
	case opConcat:
		for _, s := range n.sub {
			var ok bool
			if out, ok = prefix(s, out); !ok {
				return out, false
			}
		}
		return out, true
	case opPlus:
		out, _ = prefix(n.sub[0], out)
	}
	return out, false
}

// anchored reports whether every match of n starts at the beginning of the text.
func anchored(n *node) bool {
	switch n.op {
	case opAssert:
		return n.n&emptyBeginText != 0
	case opCapture, opConcat:
		return len(n.sub) > 0 && anchored(n.sub[0])
	}
	return false
}

// special is the non-ASCII rune that folds to ASCII letter c, or 0.
func special(c rune) rune {
	switch c {
	case 'k':
		return 0x212A
	case 's':
		return 0x17F
	}
	return 0
}
