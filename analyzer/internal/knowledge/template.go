package knowledge

import (
	"iter"
	"strings"
)

// Fill fills a template of the data files (fixes.json's titles, steps and
// code; an API rule's derive and value templates) from params. It
// replaces {{name}} placeholders (double braces, so that code snippets keep
// their own braces); it reports false when a named value is missing or empty.
// {{name|text}} writes text when the value is missing (a placeholder for
// what the capture does not show: {{proxy_url|http://PROXY_HOST:PORT}}).
func Fill(s string, params map[string]string) (string, bool) {
	if !strings.Contains(s, "{{") {
		return s, true
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		j := strings.Index(s[i+2:], "}}")
		if j < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		name := s[i+2 : i+2+j]
		// {{?name}} keeps the step only when name is known, {{!name}} only
		// when it is not; either writes nothing (a step whose condition
		// does not hold is not said: no CONNECT advice on a GET).
		if len(name) > 1 && (name[0] == '?' || name[0] == '!') && isParamName(name[1:]) {
			if (params[name[1:]] != "") != (name[0] == '?') {
				return "", false
			}
			b.WriteString(s[:i])
			s = s[i+2+j+2:]
			continue
		}
		// {{name|fallback}}: the fallback text when the capture does not say.
		name, fallback, hasFallback := strings.Cut(name, "|")
		if !isParamName(name) {
			b.WriteString(s[:i+2])
			s = s[i+2:]
			continue
		}
		val, ok := params[name]
		if !ok || val == "" {
			if !hasFallback {
				return "", false
			}
			val = fallback
		}
		b.WriteString(s[:i])
		b.WriteString(val)
		s = s[i+2+j+2:]
	}
}

func isParamName(n string) bool {
	if n == "" || len(n) > 40 {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Params yields the name of each {{placeholder}} in a template, as written
// before any |fallback ("?name" and "!name" for conditions): what a fix
// would quote from the capture.
func Params(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for {
			i := strings.Index(s, "{{")
			if i < 0 {
				return
			}
			j := strings.Index(s[i+2:], "}}")
			if j < 0 {
				return
			}
			name, _, _ := strings.Cut(s[i+2:i+2+j], "|")
			if !yield(name) {
				return
			}
			s = s[i+2+j+2:]
		}
	}
}
