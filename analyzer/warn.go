package analyzer

import "fmt"

// warnings collects the report's warnings. The same kind of warning is said
// once, with a count, so a HAR of a million entries cannot flood the report.
type warnings struct {
	order []string
	count map[string]int
	first map[string]string
}

// add records a warning. key groups repeats; text is what the first one says.
func (w *warnings) add(key, text string) {
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

func (w *warnings) addf(key, format string, args ...any) {
	w.add(key, fmt.Sprintf(format, args...))
}

func (w *warnings) list() []string {
	out := make([]string, 0, len(w.order))
	for _, k := range w.order {
		s := w.first[k]
		if n := w.count[k]; n > 1 {
			s = fmt.Sprintf("%s (and %d more like it)", s, n-1)
		}
		out = append(out, s)
	}
	return out
}

// merge adds o's warnings (with their counts) after w's own.
func (w *warnings) merge(o *warnings) {
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
