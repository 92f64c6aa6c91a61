package capture

import "strconv"

// Warnings collects the report's Warnings. The same kind of warning is said
// once, with a count, so a HAR of a million entries cannot flood the report.
type Warnings struct {
	order []string
	count map[string]int
	first map[string]string
}

// Add records a warning. key groups repeats; text is what the first one says.
func (w *Warnings) Add(key, text string) {
	if w.count == nil {
		w.count = map[string]int{}
		w.first = map[string]string{}
	}
	if w.count[key] == 0 {
		w.order = append(w.order, key)
		w.first[key] = text
	}
	w.count[key]++
}

// Addf is add with a message in the printf style the readers use. It
// knows only %d, %s, %q, %v and %% on ints, int64s, strings and errors
// (TestWarnfVerbs checks every call in the package), which is all a
// warning needs and spares the page wasm fmt.
func (w *Warnings) Addf(key, format string, args ...any) {
	w.Add(key, warnf(format, args...))
}

// warnf formats like fmt.Sprintf for the verbs and types addf allows;
// anything else is written as %!verb(?) so it shows in tests.
func warnf(format string, args ...any) string {
	b := make([]byte, 0, len(format)+32)
	n := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i+1 == len(format) {
			b = append(b, "%!(NOVERB)"...)
			break
		}
		i++
		switch verb := format[i]; {
		case verb == '%':
			b = append(b, '%')
		case n == len(args):
			b = append(b, "%!"+string(verb)+"(MISSING)"...)
		default:
			b = append(b, warnArg(verb, args[n])...)
			n++
		}
	}
	return string(b)
}

// warnArg is one argument of warnf.
func warnArg(verb byte, a any) string {
	if e, ok := a.(error); ok {
		a = e.Error()
	}
	switch v := a.(type) {
	case string:
		switch verb {
		case 's', 'v':
			return v
		case 'q':
			return strconv.Quote(v)
		}
	case int:
		if verb == 'd' || verb == 'v' {
			return strconv.Itoa(v)
		}
	case int64:
		if verb == 'd' || verb == 'v' {
			return strconv.FormatInt(v, 10)
		}
	case nil:
		if verb == 'v' {
			return "<nil>"
		}
	}
	return "%!" + string(verb) + "(?)"
}

func (w *Warnings) List() []string {
	out := make([]string, 0, len(w.order))
	for _, k := range w.order {
		s := w.first[k]
		if n := w.count[k]; n > 1 {
			s += " (and " + strconv.Itoa(n-1) + " more like it)"
		}
		out = append(out, s)
	}
	return out
}

// Merge adds o's warnings (with their counts) after w's own.
func (w *Warnings) Merge(o *Warnings) {
	for _, k := range o.order {
		if w.count == nil {
			w.count = map[string]int{}
			w.first = map[string]string{}
		}
		if w.count[k] == 0 {
			w.order = append(w.order, k)
			w.first[k] = o.first[k]
		}
		w.count[k] += o.count[k]
	}
}
