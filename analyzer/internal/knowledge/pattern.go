package knowledge

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"
)

// Pattern is a regular expression of a knowledge file, compiled on its
// first use: a process that never reaches a rule never pays for its
// expression (compiling the ~200 of the files was a third of a process
// start, bench/startup.sh). The knowledge tests compile every pattern
// (TestPatternsCompile, detect's TestEmbeddedKnowledgeLoads), so an
// embedded file cannot ship one that fails; if one did, it would match
// nothing and its error would be noted for Err, which every door reports.
type Pattern struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
	err  error
	// needs are lower-case ASCII words one of which every match holds
	// (nil: none known), for MayMatchLower.
	needs []string
}

// never matches no text: what a pattern that does not compile stands for
// (compiled then, not at start).
const never = `[^\x00-\x{10FFFF}]`

// NewPattern is src, to be compiled on first use; nil when src is "".
func NewPattern(src string) *Pattern {
	if src == "" {
		return nil
	}
	return &Pattern{src: src}
}

// Re is the compiled expression (nil for a nil Pattern).
func (p *Pattern) Re() *regexp.Regexp {
	if p == nil {
		return nil
	}
	p.once.Do(func() {
		if p.re, p.err = regexp.Compile(p.src); p.err != nil {
			p.re = regexp.MustCompile(never)
			noteErr(errors.New("analyzer: the knowledge pattern " + strconv.Quote(p.src) + " does not compile: " + p.err.Error()))
		} else if t, err := syntax.Parse(p.src, syntax.Perl); err == nil {
			p.needs = needs(t.Simplify())
		}
	})
	return p.re
}

// Err compiles the pattern and returns why it does not compile, or nil.
func (p *Pattern) Err() error {
	p.Re()
	if p == nil {
		return nil
	}
	return p.err
}

// String is the expression's source.
func (p *Pattern) String() string {
	if p == nil {
		return ""
	}
	return p.src
}

// MayMatchLower reports whether the expression can match a text s when
// low holds strings.ToLower(s) and s has no ſ (U+017F, which (?i) folds to
// s and ToLower keeps: the one rune that breaks the rule; the Kelvin sign
// lowers to k): false when low has none of the words every match holds. A
// message rule's expression without words of its own ran on every message
// (the backtracker at each of up to 480 offsets, six such rules: 14 % of a
// 5 MB HAR's CPU in the worker's wasm, node --cpu-prof); a message without
// "scope" is now refused at a substring search.
func (p *Pattern) MayMatchLower(low string) bool {
	if p.Re() == nil || p.needs == nil {
		return true
	}
	for _, w := range p.needs {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

// needs are the lower-cased ASCII literals one of which every match of t
// holds, nil when there are none to name (a class, an optional part, a
// literal beyond ASCII, which (?i) may fold to ASCII: K, the Kelvin sign).
func needs(t *syntax.Regexp) []string {
	switch t.Op {
	case syntax.OpLiteral:
		for _, r := range t.Rune {
			if r >= 0x80 {
				return nil
			}
		}
		return []string{strings.ToLower(string(t.Rune))}
	case syntax.OpCapture, syntax.OpPlus:
		return needs(t.Sub[0])
	case syntax.OpRepeat:
		if t.Min >= 1 {
			return needs(t.Sub[0])
		}
	case syntax.OpConcat:
		// The part whose shortest word is longest.
		var best []string
		bestLen := 0
		for _, sub := range t.Sub {
			ws := needs(sub)
			if ws == nil {
				continue
			}
			shortest := len(ws[0])
			for _, w := range ws {
				shortest = min(shortest, len(w))
			}
			if shortest > bestLen {
				best, bestLen = ws, shortest
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range t.Sub {
			ws := needs(sub)
			if ws == nil {
				return nil
			}
			all = append(all, ws...)
		}
		return all
	}
	return nil
}

func (p *Pattern) Match(b []byte) bool                  { return p.Re().Match(b) }
func (p *Pattern) MatchString(s string) bool            { return p.Re().MatchString(s) }
func (p *Pattern) FindSubmatch(b []byte) [][]byte       { return p.Re().FindSubmatch(b) }
func (p *Pattern) FindStringSubmatch(s string) []string { return p.Re().FindStringSubmatch(s) }
func (p *Pattern) SubexpNames() []string                { return p.Re().SubexpNames() }
func (p *Pattern) NumSubexp() int                       { return p.Re().NumSubexp() }
