package capture

import (
	"strconv"
)

// Warnings collects the report's Warnings. The same kind of warning is said
// once, with a count, so a HAR of a million entries cannot flood the report.
type Warnings struct {
	order []string
	count map[string]int
	first map[string]string
	// needsFull: the slim build met a compressed body it cannot read; the
	// analysis ends in ErrNeedsFull instead of a report missing that body.
	needsFull bool
}

// NeedsFull tells whether a reader met something only the full build reads
// (always false outside the slim build).
func (w *Warnings) NeedsFull() bool { return w.needsFull }

// Add records a warning. key groups repeats; text is what the first one
// says. Not inlined: the readers call it at some twenty places, each on a
// limit being hit, and every inlined copy weighs in the page's wasm.
//
//go:noinline
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
	w.needsFull = w.needsFull || o.needsFull
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
