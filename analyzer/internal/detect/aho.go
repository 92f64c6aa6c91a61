package detect

import "why401/internal/ascii"

// matcher finds many literal patterns in one pass over a body (Aho–Corasick),
// ASCII case-insensitively. It is built once from every body word of every
// vendor file, so the cost of a scan does not grow with the number of rules.
type matcher struct {
	class  [256]uint8 // byte → alphabet class; 0 = a byte no pattern uses
	nclass int
	// next is the full DFA: next[row+class] is the next state's row
	// (state*nclass), with outBit set when that state ends a pattern, so
	// the scan loop needs no multiply and no second lookup per byte.
	next    []int32
	out     [][]int32
	nstates int
}

func newMatcher(patterns []string) *matcher {
	m := &matcher{}
	// Alphabet: the distinct (lower-cased) bytes of the patterns.
	n := 1
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			c := ascii.LowerByte(p[i])
			if m.class[c] == 0 {
				if n == 255 {
					continue
				}
				m.class[c] = uint8(n)
				n++
			}
		}
	}
	for c := 'A'; c <= 'Z'; c++ {
		m.class[c] = m.class[c+32]
	}
	m.nclass = n
	// Trie.
	goTo := [][]int32{make([]int32, n)}
	m.out = [][]int32{nil}
	for pi, p := range patterns {
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := m.class[ascii.LowerByte(p[i])]
			if goTo[s][c] == 0 {
				goTo = append(goTo, make([]int32, n))
				m.out = append(m.out, nil)
				goTo[s][c] = int32(len(goTo) - 1)
			}
			s = goTo[s][c]
		}
		m.out[s] = append(m.out[s], int32(pi))
	}
	// Failure links by BFS, folded into a full transition table.
	fail := make([]int32, len(goTo))
	queue := make([]int32, 0, len(goTo))
	for c := 0; c < n; c++ {
		if s := goTo[0][c]; s != 0 {
			queue = append(queue, s)
		}
	}
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		for c := 0; c < n; c++ {
			s := goTo[r][c]
			if s == 0 {
				goTo[r][c] = goTo[fail[r]][c]
				continue
			}
			queue = append(queue, s)
			fail[s] = goTo[fail[r]][c]
			m.out[s] = append(m.out[s], m.out[fail[s]]...)
		}
	}
	m.nstates = len(goTo)
	m.next = make([]int32, len(goTo)*n)
	for s, row := range goTo {
		for c, t := range row {
			v := t * int32(n)
			if len(m.out[t]) > 0 {
				v |= outBit
			}
			m.next[s*n+c] = v
		}
	}
	return m
}

const outBit = -1 << 31

// scan calls hit(pattern index) once per pattern found in text.
func (m *matcher) scan(text []byte, hit func(int)) {
	var seen map[int32]bool
	m.resume(0, text, 0, func(p int32, _ int) {
		if seen == nil {
			seen = map[int32]bool{}
		}
		if !seen[p] {
			seen[p] = true
			hit(int(p))
		}
	})
}

// resume reads text from state row (0 to start; what the last call
// returned to go on) and calls hit(pattern, end) for every pattern that ends
// in text, end counted from base (text's offset in what is read). It
// returns the state at text's end, so a body can be read as far as a
// detector asks, then further.
func (m *matcher) resume(row int32, text []byte, base int, hit func(p int32, end int)) int32 {
	if m == nil || m.nstates <= 1 {
		return 0
	}
	next, class := m.next, &m.class
	for i, c := range text {
		row = next[row+int32(class[c])]
		if row >= 0 {
			continue
		}
		row &^= outBit
		for _, p := range m.out[row/int32(m.nclass)] {
			hit(p, base+i+1)
		}
	}
	return row
}
