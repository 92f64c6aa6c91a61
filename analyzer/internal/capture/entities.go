package capture

import "strings"

// UnescapeEntities decodes the HTML character references block pages put in
// reference ids, as html.UnescapeString does: numeric ones (&#46; &#x2E;,
// the semicolon optional, Windows-1252 for 0x80–0x9F, U+FFFD for the
// invalid) and the named amp, lt, gt, quot, apos and nbsp. Other names are
// left as written.
func UnescapeEntities(s string) string {
	i := strings.IndexByte(s, '&')
	if i < 0 {
		return s
	}
	var b strings.Builder
	for i >= 0 {
		b.WriteString(s[:i])
		s = s[i:]
		r, n := entityAt(s)
		if n == 0 {
			b.WriteByte('&')
			s = s[1:]
		} else {
			b.WriteRune(r)
			s = s[n:]
		}
		i = strings.IndexByte(s, '&')
	}
	b.WriteString(s)
	return b.String()
}

// entityAt reads the character reference at s (s[0] is '&'): its rune and
// length, or n == 0 when there is none.
func entityAt(s string) (r rune, n int) {
	if len(s) <= 1 {
		return 0, 0
	}
	i := 1
	if s[i] == '#' {
		if len(s) <= 3 {
			return 0, 0
		}
		i++
		base := rune(10)
		if s[i] == 'x' || s[i] == 'X' {
			base = 16
			i++
		}
		x := rune(0)
		for i < len(s) {
			c := s[i]
			i++
			d := rune(-1)
			switch {
			case c >= '0' && c <= '9':
				d = rune(c - '0')
			case base == 16 && c >= 'a' && c <= 'f':
				d = rune(c-'a') + 10
			case base == 16 && c >= 'A' && c <= 'F':
				d = rune(c-'A') + 10
			}
			if d >= 0 {
				x = base*x + d
				continue
			}
			if c != ';' {
				i--
			}
			break
		}
		if i <= 3 {
			return 0, 0
		}
		switch {
		case 0x80 <= x && x <= 0x9F:
			x = cp1252[x-0x80]
		case x == 0 || 0xD800 <= x && x <= 0xDFFF || x > 0x10FFFF || x < 0:
			x = '\uFFFD'
		}
		return x, i
	}
	j := i
	for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
		j++
	}
	name := s[1:j]
	if j < len(s) && s[j] == ';' {
		if r := namedEntity(name, true); r != 0 {
			return r, j + 1
		}
	}
	// Without a semicolon, the longest known name that starts the run.
	for k := min(len(name), 4); k > 1; k-- {
		if r := namedEntity(name[:k], false); r != 0 {
			return r, k + 1
		}
	}
	return 0, 0
}

// namedEntity is the handful of named references found in block pages; apos
// needs its semicolon.
func namedEntity(name string, semicolon bool) rune {
	switch name {
	case "amp", "AMP":
		return '&'
	case "lt", "LT":
		return '<'
	case "gt", "GT":
		return '>'
	case "quot", "QUOT":
		return '"'
	case "nbsp":
		return '\u00A0'
	case "apos":
		if semicolon {
			return '\''
		}
	}
	if !semicolon {
		return 0
	}
	// Typography of block pages' footers and reason lines ("Ray ID: … &bull;
	// time"), only with their semicolon.
	switch name {
	case "bull":
		return '\u2022'
	case "middot":
		return '\u00B7'
	case "mdash":
		return '\u2014'
	case "ndash":
		return '\u2013'
	case "hellip":
		return '\u2026'
	case "copy":
		return '\u00A9'
	case "reg":
		return '\u00AE'
	case "laquo":
		return '\u00AB'
	case "raquo":
		return '\u00BB'
	case "lsquo":
		return '\u2018'
	case "rsquo":
		return '\u2019'
	}
	return 0
}

// cp1252 maps the references &#128;–&#159; as HTML does (Windows-1252).
var cp1252 = [32]rune{
	'\u20AC', '\u0081', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021',
	'\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008D', '\u017D', '\u008F',
	'\u0090', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014',
	'\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\u009D', '\u017E', '\u0178',
}
