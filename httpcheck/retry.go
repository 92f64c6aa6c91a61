package httpcheck

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryAfter is how long the response asks the client to wait: Retry-After
// (seconds or an HTTP date), else the first rate-limit reset header —
// RateLimit-Reset, X-RateLimit-Reset, X-Rate-Limit-Reset (seconds, or epoch
// seconds), the reset= of a combined RateLimit field, or the durations of
// X-RateLimit-Reset-Requests/-Tokens ("6m0s"). Dates and epochs are measured
// from the response's Date when it has one (the server's clock), else from
// now. 0 when none says.
func retryAfter(h http.Header, now time.Time) time.Duration {
	base := now
	if t, err := http.ParseTime(h.Get("Date")); err == nil {
		base = t
	}
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if d, ok := seconds(v); ok {
			return d
		}
		if t, err := http.ParseTime(v); err == nil {
			return positive(t.Sub(base))
		}
	}
	for _, k := range []string{"Ratelimit-Reset", "X-Ratelimit-Reset", "X-Rate-Limit-Reset"} {
		if d, ok := reset(h.Get(k), base); ok {
			return d
		}
	}
	for _, part := range strings.Split(h.Get("Ratelimit"), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		if strings.EqualFold(strings.TrimSpace(k), "reset") {
			if d, ok := reset(v, base); ok {
				return d
			}
		}
	}
	for _, k := range []string{"X-Ratelimit-Reset-Requests", "X-Ratelimit-Reset-Tokens"} {
		if d, err := time.ParseDuration(strings.TrimSpace(h.Get(k))); err == nil {
			return positive(d)
		}
	}
	return 0
}

// reset reads a reset value: delta seconds, or epoch seconds (milliseconds
// past 1e12) measured from base.
func reset(v string, base time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, false
	}
	switch {
	case f > 1e12:
		return positive(time.UnixMilli(int64(f)).Sub(base)), true
	case f > 1e9:
		return positive(time.Unix(int64(f), 0).Sub(base)), true
	}
	return time.Duration(f * float64(time.Second)), true
}

// seconds reads Retry-After's delta-seconds (digits only, RFC 9110 §10.2.3).
func seconds(v string) (time.Duration, bool) {
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}

func positive(d time.Duration) time.Duration { return max(d, 0) }
