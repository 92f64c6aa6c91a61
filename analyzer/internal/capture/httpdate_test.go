package capture

import (
	"testing"
	"time"
)

func TestParseDates(t *testing.T) {
	want := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	for _, c := range []struct {
		layouts []string
		in      string
		want    time.Time
		ok      bool
	}{
		{HTTPDateLayouts[:], "Sun, 06 Nov 1994 08:49:37 GMT", want, true},
		{HTTPDateLayouts[:], "Sunday, 06-Nov-94 08:49:37 GMT", want, true},
		{HTTPDateLayouts[:], "Sun Nov  6 08:49:37 1994", want, true},
		{HTTPDateLayouts[:], "Sun, 06 Nov 1994 10:49:37 +0200", want, true},
		{HTTPDateLayouts[:], "1994-11-06T09:49:37+01:00", want, true},
		{HTTPDateLayouts[:], "Sun, 06 Nov 1994 08:49:37 PST", want, true}, // an abbreviation is read as UTC
		{HTTPDateLayouts[:], "sun, 06 nov 1994 08:49:37 GMT", want, true},
		{HTTPDateLayouts[:], "Sun, 06 Nov 1994 25:49:37 GMT", time.Time{}, false},
		{HTTPDateLayouts[:], "yesterday", time.Time{}, false},
		{CookieDateLayouts[:], "Sun, 06-Nov-1994 08:49:37 GMT", want, true},
		{CookieDateLayouts[:], "", time.Time{}, false},
	} {
		got, ok := ParseFirst(c.layouts, c.in)
		if ok != c.ok || !got.Equal(c.want) {
			t.Errorf("parseFirst(%q) = %v %v, want %v %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if got, ok := parseRFC3339("2026-11-27T06:18:24.123456+00:00"); !ok || got.UnixNano() != time.Date(2026, 11, 27, 6, 18, 24, 123456000, time.UTC).UnixNano() {
		t.Errorf("parseRFC3339: %v %v", got, ok)
	}
	if _, ok := parseRFC3339("2026-11-27 06:18:24"); ok {
		t.Error("parseRFC3339 read a timestamp without T and zone")
	}
	if got := FormatRFC3339(want.In(time.FixedZone("X", 3600)).Add(500 * time.Millisecond)); got != "1994-11-06T08:49:37Z" {
		t.Errorf("formatRFC3339 = %q", got)
	}
}
