package detect

import (
	"strings"
	"why401/analyzer/internal/capture"
	"why401/internal/ascii"
)

// Challenge is one challenge of a WWW-Authenticate or Proxy-Authenticate
// field (RFC 9110 §11.6.1, §11.7.1): a scheme with either a token68 or a
// list of auth-params.
type Challenge struct {
	Scheme  string // as sent; compare with strings.EqualFold
	Token68 string
	Params  []Param
}

// Param is one auth-param; Name is lower-cased (names are case-insensitive).
type Param struct {
	Name, Value string
}

// Param returns the named parameter's value and whether it was present.
func (c Challenge) Param(name string) (string, bool) {
	for _, p := range c.Params {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// Get returns the named parameter's value, or "".
func (c Challenge) Get(name string) string { v, _ := c.Param(name); return v }

// ParseChallenges parses the values of one or more challenge fields.
//
// Grammar (RFC 9110 §11): challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ],
// several challenges per field and across fields. A quoted-string-aware split on
// top-level commas yields elements; "token = …" is a parameter of the current
// challenge, a bare token or "token SP …" starts a new one. It accepts the
// malformed forms real servers send: a comma right after the scheme
// ("Bearer, error=…"), no comma between parameters (`realm="x" charset="UTF-8"`),
// no space after commas, empty values, unterminated quotes. It reads at most
// maxParams parameters in all and reports whether it stopped early.
func ParseChallenges(fields []string, maxParams int) (out []Challenge, truncated bool) {
	params := 0
	for _, f := range fields {
		p := chParser{s: f}
		for {
			p.skipSepAndSpace()
			if p.i >= len(p.s) {
				break
			}
			start := p.i
			tok := p.token()
			if tok == "" {
				p.skipElement() // junk: skip to the next top-level comma
				if p.i == start {
					p.i++
				}
				continue
			}
			p.skipSpace()
			if p.peek() == '=' && len(out) > 0 {
				// A parameter of the current challenge ("Bearer, error=…" or a missing comma).
				if params >= maxParams {
					return out, true
				}
				p.i++
				out[len(out)-1].Params = append(out[len(out)-1].Params, Param{Name: ascii.Lower(tok), Value: p.value()})
				params++
				continue
			}
			ch := Challenge{Scheme: tok}
			// After the scheme: a token68, or the first auth-param, or nothing.
			if p.peek() != ',' && p.i < len(p.s) {
				if t68, ok := p.token68(); ok {
					ch.Token68 = t68
				} else {
					for p.i < len(p.s) && p.peek() != ',' {
						at := p.i
						name := p.token()
						if name == "" {
							p.skipElement()
							break
						}
						p.skipSpace()
						if p.peek() != '=' {
							// "Newauth realm" without "=": a new challenge begins here.
							p.i = at
							break
						}
						if params >= maxParams {
							out = append(out, ch)
							return out, true
						}
						p.i++
						ch.Params = append(ch.Params, Param{Name: ascii.Lower(name), Value: p.value()})
						params++
						p.skipSpace()
					}
				}
			}
			out = append(out, ch)
		}
	}
	return out, false
}

type chParser struct {
	s string
	i int
}

func (p *chParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *chParser) skipSpace() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *chParser) skipSepAndSpace() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == ',') {
		p.i++
	}
}

func (p *chParser) token() string {
	start := p.i
	for p.i < len(p.s) && capture.IsTokenChar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

// token68 reads a token68 when the rest of the element is one (§11.2):
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=", then end or comma.
func (p *chParser) token68() (string, bool) {
	j := p.i
	for j < len(p.s) && isToken68Char(p.s[j]) {
		j++
	}
	if j == p.i {
		return "", false
	}
	k := j
	for k < len(p.s) && p.s[k] == '=' {
		k++
	}
	e := k
	for e < len(p.s) && (p.s[e] == ' ' || p.s[e] == '\t') {
		e++
	}
	if e < len(p.s) && p.s[e] != ',' {
		return "", false // "realm=…": a parameter list
	}
	if k > j && e < len(p.s) {
		// "abc=, …" is an empty parameter more often than a token68 with padding
		// when the next element is a parameter; keep it a token68 only at the end
		// of the field or before another scheme.
		rest := strings.TrimLeft(p.s[e+1:], " \t,")
		q := chParser{s: rest}
		if q.token() != "" {
			q.skipSpace()
			if q.peek() == '=' {
				return "", false
			}
		}
	}
	t := p.s[p.i:k]
	p.i = k
	return t, true
}

func isToken68Char(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~+/", c) >= 0
}

// value reads a token or a quoted-string (with \-escapes); an unterminated
// quote takes the rest of the field.
func (p *chParser) value() string {
	p.skipSpace()
	if p.peek() != '"' {
		start := p.i
		for p.i < len(p.s) && p.s[p.i] != ',' && p.s[p.i] != ' ' && p.s[p.i] != '\t' {
			p.i++
		}
		return p.s[start:p.i]
	}
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '\\' && p.i+1 < len(p.s):
			b.WriteByte(p.s[p.i+1])
			p.i += 2
		case c == '"':
			p.i++
			return b.String()
		default:
			// Copy the run up to the next quote or backslash at once.
			j := p.i
			for j < len(p.s) && p.s[j] != '"' && p.s[j] != '\\' {
				j++
			}
			if j == p.i { // a lone trailing backslash
				j++
			}
			b.WriteString(p.s[p.i:j])
			p.i = j
		}
	}
	return b.String()
}

// skipElement moves to the next top-level comma, honouring quoted strings.
func (p *chParser) skipElement() {
	for p.i < len(p.s) && p.s[p.i] != ',' {
		if p.s[p.i] == '"' {
			p.i++
			p.value0()
			continue
		}
		p.i++
	}
}

// value0 skips the rest of a quoted string whose opening quote was consumed.
func (p *chParser) value0() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case '\\':
			p.i += 2
		case '"':
			p.i++
			return
		default:
			p.i++
		}
	}
}
