package analyzer

import (
	"strings"
	"unicode/utf8"
)

// Printable returns s as a text writer may print it: every character a
// capture could use to forge a line of a report or to drive a terminal is
// written as a visible escape — C0 controls and DEL (\n, \r, \t, \x1b…),
// C1 controls (\u0085, \u009b…), the Unicode line and paragraph
// separators, the bidirectional controls that make text read in another
// order (\u202e, \u2066…), and bytes that are not UTF-8 (\xe9). Everything
// else, other scripts included, is kept. Every text writer (the report's
// and the comparison's text and markdown, the CLI's table and summaries)
// passes each value it quotes through it: a capture can then neither add
// a line (a fake fix step, a fake difference, a fake table row) nor set a
// terminal's title or colours. Printable ASCII, the common case, returns
// s without allocating.
func Printable(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return s[:i] + escapePrintable(s, i)
		}
	}
	return s
}

// escapePrintable is s[i:] with Printable's escapes (s[i] is not
// printable ASCII).
func escapePrintable(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s) - i + 16)
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
			i++
			continue
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x80:
			b.WriteString(`\x`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && n == 1:
				b.WriteString(`\x`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&15])
			case hiddenRune(r):
				b.WriteString(`\u`)
				for shift := 12; shift >= 0; shift -= 4 {
					b.WriteByte(hexDigits[r>>shift&15])
				}
			default:
				b.WriteString(s[i : i+n])
			}
			i += n
			continue
		}
		i++
	}
	return b.String()
}

// hiddenRune tells a rune Printable escapes beyond ASCII: C1 controls, the
// line and paragraph separators, and the bidirectional controls (ALM,
// LRM, RLM, LRE…RLO, LRI…PDI).
func hiddenRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029,
		r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
