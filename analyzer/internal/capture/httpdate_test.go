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

func TestParseHTTPDateMatchesTimeParse(t *testing.T) {
	for _, s := range []string{
		"Sun, 06 Nov 1994 08:49:37 GMT", "Wed, 15 Nov 2023 10:00:00 GMT", "Thu, 29 Feb 2024 23:59:59 GMT",
		"Wed, 29 Feb 2023 10:00:00 GMT", "Wed, 31 Apr 2023 10:00:00 GMT", "Wed, 00 Nov 2023 10:00:00 GMT",
		"Wed, 15 Nov 2023 24:00:00 GMT", "Wed, 15 Nov 2023 10:60:00 GMT", "Wed, 15 Nov 2023 10:00:60 GMT",
		"wed, 15 nov 2023 10:00:00 GMT", "Xyz, 15 Nov 2023 10:00:00 GMT", "Wed, 15 Nox 2023 10:00:00 GMT",
		"Wed, 15 Nov 2023 10:00:00 UTC", "Wed, 15 Nov 2023 10:00:00 +0100", "Wed, 15 Nov 0000 10:00:00 GMT",
		"Wed, 1a Nov 2023 10:00:00 GMT", "Wednesday, 15-Nov-23 10:00:00 GMT", "Wed Nov 15 10:00:00 2023", "",
	} {
		t.Run(s, func(t *testing.T) { sameAsTimeParse(t, s) })
	}
}

func sameAsTimeParse(t *testing.T, s string) {
	got, ok := ParseHTTPDate(s)
	want, wantOK := ParseFirst(HTTPDateLayouts[:], s)
	if ok != wantOK || !got.Equal(want) || got.Location().String() != want.Location().String() ||
		got.Format(time.RFC3339Nano+" MST -0700") != want.Format(time.RFC3339Nano+" MST -0700") {
		t.Fatalf("ParseHTTPDate(%q) = %v, %v; time.Parse: %v, %v", s, got, ok, want, wantOK)
	}
}

func FuzzParseHTTPDate(f *testing.F) {
	f.Add("Sun, 06 Nov 1994 08:49:37 GMT")
	f.Add("Thu, 29 Feb 2024 23:59:59 GMT")
	f.Add("Wed, 31 Apr 2023 10:00:00 GMT")
	f.Fuzz(sameAsTimeParse)
}
