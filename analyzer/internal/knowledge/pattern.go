package knowledge

import (
	"errors"
	"regexp"
	"strconv"
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

func (p *Pattern) Match(b []byte) bool                  { return p.Re().Match(b) }
func (p *Pattern) MatchString(s string) bool            { return p.Re().MatchString(s) }
func (p *Pattern) FindSubmatch(b []byte) [][]byte       { return p.Re().FindSubmatch(b) }
func (p *Pattern) FindStringSubmatch(s string) []string { return p.Re().FindStringSubmatch(s) }
func (p *Pattern) SubexpNames() []string                { return p.Re().SubexpNames() }
func (p *Pattern) NumSubexp() int                       { return p.Re().NumSubexp() }
