package analyzer

import (
	"strings"
	"why401/analyzer/internal/knowledge"

	"why401/analyzer/internal/verdict"

	"why401/analyzer/internal/detect"

	"runtime"
	"sync"

	"why401/analyzer/internal/capture"
)

// analyzeHAR reads a HAR's entries and analyses them. Converting an entry and
// running its detectors (stage 2 without the story) depend on that entry
// alone, so they run on every core, in batches; the story, the verdict, the
// fixes and the report then run in capture order on one goroutine. Memory
// stays bounded: at most a few batches are in flight. Under wasm (one
// thread) the same work runs inline.
func analyzeHAR(s *capture.JSONScanner, lim capture.Limits, w *capture.Warnings, st *captureState, o *output) (capture.HARInfo, error) {
	out := func(ex *capture.Exchange, sigs []detect.Signal) { o.emit(ex, conclude(ex, sigs, st)) }
	workers := runtime.GOMAXPROCS(0)
	// wasm has one thread: the constant lets the compiler leave the
	// parallel pipeline below out of the page's and the worker's wasm.
	if runtime.GOARCH == "wasm" || workers < 2 {
		return capture.ReadHAREntries(s, lim, w, func(idx int, raw []byte, producer string) {
			ex := capture.HAREntry(raw, s.Bounds(), idx, lim, w)
			ex.Producer = producer
			out(&ex, detect.Signals(&ex, lim, w))
		})
	}

	type result struct {
		exs  []capture.Exchange
		sigs [][]detect.Signal
		w    capture.Warnings
	}
	type batch struct {
		first    int
		producer string
		buf      []byte
		ends     []int // raw i is buf[ends[i-1]:ends[i]]; -1 marks an entry too large to keep
		bounds   []uint32
		bends    []int // the string bounds of raw i are bounds[bends[i-1]:bends[i]]
		out      chan *result
	}
	// A batch is 256 entries or 1 MiB: on a HAR of large bodies, 4 MiB
	// batches held 24 MB more heap in flight (peak 70 against 46 MB on the
	// chrome bench HAR) and cost more CPU in page faults.
	const batchEntries, batchBytes = 256, 1 << 20
	// At most inFlight batches hold entries at once: the one being filled,
	// those queued, those being converted. Their buffers are a fixed set,
	// made when first needed and recycled once a worker has converted a
	// batch (the exchanges copy what they keep): a big HAR is copied into
	// the same few buffers, not into fresh ones that must be zeroed and
	// paged in every few megabytes, and memory stays flat however long the
	// file. One more than the workers keeps them busy: 2*workers+2 cost the
	// same CPU and 18 MB more peak on the compact bench HAR.
	inFlight := workers + 1
	jobs := make(chan *batch, workers)
	order := make(chan *batch, inFlight)
	// The string bounds the scanner recorded go with each entry, in a
	// buffer recycled with the batch's.
	type bufs struct {
		buf    []byte
		bounds []uint32
	}
	free := make(chan bufs, inFlight)
	for i := 0; i < inFlight; i++ {
		free <- bufs{} // made at first use (newBuf)
	}
	// A buffer is made batchBytes large, or as large as what is left of
	// an input of known size when that is less (a small HAR pays for no
	// more than it holds), or as large as one entry that does not fit: a
	// buffer is never grown by appending (doubling copies), and one grown
	// past 2*batchBytes by a huge entry is let go when its batch is done.
	newBuf := func(need int) []byte {
		size := batchBytes
		if left := s.Left(); left >= 0 {
			size = int(min(int64(size), left+1))
		}
		return make([]byte, 0, max(need, size))
	}

	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				r := &result{exs: make([]capture.Exchange, len(b.ends)), sigs: make([][]detect.Signal, len(b.ends))}
				start, bstart := 0, 0
				for i, end := range b.ends {
					var raw []byte
					if end >= 0 {
						raw = b.buf[start:end]
						start = end
					}
					bounds := b.bounds[bstart:b.bends[i]]
					bstart = b.bends[i]
					r.exs[i] = capture.HAREntry(raw, bounds, b.first+i, lim, &r.w)
					r.exs[i].Producer = b.producer
					r.sigs[i] = detect.Signals(&r.exs[i], lim, &r.w)
				}
				if cap(b.buf) > 2*batchBytes {
					b.buf = nil // made for a huge entry: let go, made again when needed
				}
				if cap(b.bounds) > batchBytes/8 {
					b.bounds = nil // (a batch holds at most ~batchBytes/12 of them)
				}
				free <- bufs{b.buf, b.bounds[:0]}
				b.buf, b.bounds = nil, nil
				b.out <- r
			}
		}()
	}
	done := make(chan struct{})
	var later capture.Warnings // warnings of the entries, merged in capture order
	go func() {
		defer close(done)
		for b := range order {
			r := <-b.out
			for i := range r.exs {
				out(&r.exs[i], r.sigs[i])
			}
			later.Merge(&r.w)
		}
	}()

	var cur *batch
	flush := func() {
		if cur == nil {
			return
		}
		order <- cur
		jobs <- cur
		cur = nil
	}
	info, err := capture.ReadHAREntries(s, lim, w, func(idx int, raw []byte, producer string) {
		if cur != nil && (cur.producer != producer || len(cur.buf)+len(raw) > cap(cur.buf)) {
			flush()
		}
		if cur == nil {
			f := <-free
			cur = &batch{first: idx, producer: producer, buf: f.buf[:0], bounds: f.bounds, ends: make([]int, 0, batchEntries), bends: make([]int, 0, batchEntries), out: make(chan *result, 1)}
		}
		if raw == nil {
			cur.ends = append(cur.ends, -1)
		} else {
			cur.bounds = append(cur.bounds, s.Bounds()...)
			if len(cur.buf)+len(raw) > cap(cur.buf) { // (only when cur.buf is empty)
				cur.buf = newBuf(len(raw))
			}
			cur.buf = append(cur.buf, raw...)
			cur.ends = append(cur.ends, len(cur.buf))
		}
		cur.bends = append(cur.bends, len(cur.bounds))
		if len(cur.ends) >= batchEntries || len(cur.buf) >= batchBytes {
			flush()
		}
	})
	flush()
	close(jobs)
	close(order)
	<-done
	wg.Wait()
	w.Merge(&later)
	return info, err
}

// captureState is what one analysis carries from exchange to exchange: the
// story (stage 2's cross-entry part, before each verdict) and the summary
// (stage 5's, after each report).
type captureState struct {
	story *detect.Story
	sum   *summarizer
}

func newCaptureState() *captureState {
	return &captureState{story: detect.NewStory(), sum: newSummarizer()}
}

// analyzeExchange runs stages 2 to 5 on one exchange.
func analyzeExchange(ex *capture.Exchange, lim capture.Limits, w *capture.Warnings, st *captureState) ExchangeReport {
	return conclude(ex, detect.Signals(ex, lim, w), st)
}

// conclude runs, in capture order, the story (stage 2's cross-entry part),
// the verdict, the fixes and the report, each once: the report it returns
// is final, and is what Options.OnExchange streams.
func conclude(ex *capture.Exchange, own []detect.Signal, st *captureState) ExchangeReport {
	ctx := st.story.Context(ex, own)
	v := verdict.Decide(append(own, ctx...))
	v.Status = ex.Response.Status
	if ex.Request != nil {
		v.Method = ex.Request.Method
		v.ProxyAuthSent = strings.TrimSpace(ex.Request.Get("Proxy-Authorization")) != ""
	}
	st.story.Learn(ex, v.Kind, v.Cause, v.Vendor)
	var r ExchangeReport
	if v.Kind == knowledge.KindOK {
		// Nothing to explain beyond the status: skip fixes and the secret
		// inventory (the URL is masked by MaskURL on its own).
		r = build(ex, v, nil, nil)
	} else {
		fixes := verdict.WithoutCaptureMore(verdict.Fixes(v), ex)
		if v.Scheme == "bearer" && detect.GrantRequest(ex) {
			// A call to a token endpoint (grant_type in the body) presents
			// a password, a code or a refresh token, not a bearer token:
			// the label is left open rather than wrong.
			v.Scheme = ""
		}
		if v.Scheme == "cookie" && len(v.Decisive) > 0 && v.Decisive[0].ID == "login-form-failed" {
			// A login form refused the user name and password it was
			// posted, not the session cookie (its fix says so).
			v.Scheme = ""
		}
		r = build(ex, v, fixes, detect.CollectSecrets(ex))
	}
	st.sum.Add(ex, own, ctx, v, &r)
	return r
}
