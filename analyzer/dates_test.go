package analyzer

import (
	"math/rand"
	"strings"
	"testing"
	"time"
)

// dates.go replaced time.Parse and Format; these tests hold it to them.

// dateLayouts pairs each layout of dates.go with the time package's.
var dateLayouts = []struct{ ours, std string }{
	{layoutRFC1123, time.RFC1123},
	{layoutRFC1123Z, time.RFC1123Z},
	{layoutRFC850, "Monday, 02-Jan-06 15:04:05 MST"},
	{layoutCookie, "Mon, 02-Jan-2006 15:04:05 MST"},
	{layoutANSIC, time.ANSIC},
	{layoutRFC3339, time.RFC3339},
	{layoutRFC3339Nano, time.RFC3339Nano},
}

var dateSamples = []string{
	"Mon, 02 Jan 2006 15:04:05 GMT", "Sun, 06 Nov 1994 08:49:37 GMT", "sun, 06 nov 1994 08:49:37 GMT", "SUN, 06 NOV 1994 08:49:37 UTC",
	"Thu, 29 Feb 2024 23:59:59 GMT", "Thu, 29 Feb 2023 23:59:59 GMT", "Mon, 31 Apr 2024 00:00:00 GMT", "Mon, 00 Jan 2024 00:00:00 GMT",
	"Mon, 02 Jan 2006 24:00:00 GMT", "Mon, 02 Jan 2006 23:60:00 GMT", "Mon, 02 Jan 2006 23:59:60 GMT", "Mon, 02 Jan 2006 1:04:05 GMT",
	"Mon, 02 Jan 2006 15:04:05.123 GMT", "Mon, 02 Jan 2006 15:04:05,5 GMT", "Mon, 02 Jan 2006 15:04:05. GMT", "Mon, 2 Jan 2006 15:04:05 GMT",
	"Mon,  02  Jan  2006  15:04:05  GMT", "Mon,02 Jan 2006 15:04:05 GMT", "Mon, 02 Jan 2006 15:04:05 PST", "Mon, 02 Jan 2006 15:04:05 CEST",
	"Mon, 02 Jan 2006 15:04:05 ABCDT", "Mon, 02 Jan 2006 15:04:05 ABCDE", "Mon, 02 Jan 2006 15:04:05 ChST", "Mon, 02 Jan 2006 15:04:05 WITA",
	"Mon, 02 Jan 2006 15:04:05 GMT+3", "Mon, 02 Jan 2006 15:04:05 GMT-11", "Mon, 02 Jan 2006 15:04:05 GMT+24", "Mon, 02 Jan 2006 15:04:05 GMT+",
	"Mon, 02 Jan 2006 15:04:05 +03", "Mon, 02 Jan 2006 15:04:05 +0000", "Mon, 02 Jan 2006 15:04:05 +0023", "Mon, 02 Jan 2006 15:04:05 +0200",
	"Mon, 02 Jan 2006 15:04:05 -0700", "Mon, 02 Jan 2006 15:04:05 -2400", "Mon, 02 Jan 2006 15:04:05 +2401", "Mon, 02 Jan 2006 15:04:05 +0060",
	"Mon, 02 Jan 2006 15:04:05 +0061", "Mon, 02 Jan 2006 15:04:05 Z", "Mon, 02 Jan 2006 15:04:05 GMT ", "Mon, 02 Jan 2006 15:04:05 gmt",
	"Monday, 02-Jan-06 15:04:05 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Friday, 31-Dec-99 23:59:59 GMT", "Friday, 01-Jan-68 00:00:00 GMT",
	"Friday, 01-Jan-69 00:00:00 GMT", "Monday, 02-Jan--1 15:04:05 GMT", "Monday, 02-Jan-+5 15:04:05 GMT", "Monday, 02-Jan-1 15:04:05 GMT",
	"Mon, 02-Jan-2006 15:04:05 GMT", "Thu, 01-Jan-1970 00:00:01 GMT", "Wed, 21-Oct-2015 07:28:00 GMT",
	"Mon Jan  2 15:04:05 2006", "Mon Jan 2 15:04:05 2006", "Mon Jan 02 15:04:05 2006", "Sun Nov  6 08:49:37 1994", "Mon Jan 2 15:04:05.999 2006",
	"2006-01-02T15:04:05Z", "2006-01-02T15:04:05.999999999Z", "2006-01-02T15:04:05.1234567891234Z", "2006-01-02T15:04:05,5Z",
	"2006-01-02T15:04:05+07:00", "2006-01-02T15:04:05-07:30", "2006-01-02T15:04:05+24:00", "2006-01-02T15:04:05+23:60", "2006-01-02T15:04:05+0700",
	"2006-01-02T15:04:05", "2006-01-02t15:04:05Z", "2006-01-02T15:04:05z", "2006-1-02T15:04:05Z", "2006-13-02T15:04:05Z", "2006-00-02T15:04:05Z",
	"2006-01-02T5:04:05Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "2024-02-29T12:00:00.5+01:00", "2023-02-29T12:00:00Z",
	"2006-01-02T15:04:05.Z", "2006-01-02T15:04:05.123", "+006-01-02T15:04:05Z", "2026-11-27T06:18:24.123456+00:00", "", " ", "Mon",
}

// checkDate compares parseDate with time.ParseInLocation(…, UTC): with no
// local zone to look abbreviations up in, it fabricates offset-0 zones,
// as the page (which runs in UTC) does.
func checkDate(t *testing.T, s string) {
	t.Helper()
	for _, l := range dateLayouts {
		got, ok := parseDate(l.ours, s)
		want, err := time.ParseInLocation(l.std, s, time.UTC)
		if ok != (err == nil) || ok && !got.Equal(want) {
			t.Errorf("parse %q as %q: %v %v, time: %v %v", s, l.std, got, ok, want, err)
		}
	}
	got, ok := parseRFC3339(s)
	want, err := time.ParseInLocation(time.RFC3339Nano, s, time.UTC)
	if ok != (err == nil) || ok && !got.Equal(want) {
		t.Errorf("parseRFC3339(%q) = %v %v, time: %v %v", s, got, ok, want, err)
	}
}

func TestDatesSamples(t *testing.T) {
	for _, s := range dateSamples {
		checkDate(t, s)
	}
	if time.Local.String() == "UTC" {
		// time.Parse itself then agrees.
		for _, s := range dateSamples {
			got, ok := parseRFC3339(s)
			want, err := time.Parse(time.RFC3339Nano, s)
			if ok != (err == nil) || ok && !got.Equal(want) {
				t.Errorf("parseRFC3339(%q) = %v %v, time.Parse %v %v", s, got, ok, want, err)
			}
		}
	}
}

// TestDatesRandom formats random instants with each layout, then mangles them.
func TestDatesRandom(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	zones := []*time.Location{time.UTC, time.FixedZone("PST", -8*3600), time.FixedZone("", 5*3600+1800), time.FixedZone("CEST", 7200)}
	for i := 0; i < 20000; i++ {
		tm := time.Unix(r.Int63n(4e9)-1e9, r.Int63n(1e9)).In(zones[r.Intn(len(zones))])
		for _, l := range dateLayouts {
			s := tm.Format(l.std)
			checkDate(t, s)
			b := []byte(s)
			b[r.Intn(len(b))] = " 0123456789+-:.,TZGMTaAzZ"[r.Intn(25)]
			checkDate(t, string(b))
			checkDate(t, s[:r.Intn(len(s))])
		}
		if t.Failed() {
			return
		}
	}
}

func TestFormatRFC3339(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	check := func(tm time.Time) {
		if got, want := formatRFC3339(tm), tm.UTC().Format(time.RFC3339); got != want {
			t.Errorf("formatRFC3339(%v) = %q, want %q", tm, got, want)
		}
	}
	check(time.Time{})
	check(unixTime(1e15))
	check(unixTime(-1e15))
	check(time.Unix(-62135596800, 0))
	check(time.Unix(-62135596801, 0))
	check(time.Unix(-62167219200, 0)) // year 0
	check(time.Unix(253402300800, 0)) // year 10000
	for i := 0; i < 100000; i++ {
		var sec int64
		switch i % 3 {
		case 0:
			sec = r.Int63n(2e15) - 1e15
		case 1:
			sec = r.Int63n(1e10) - 5e9
		default:
			sec = r.Int63n(4e9)
		}
		check(time.Unix(sec, r.Int63n(1e9)).In(time.FixedZone("X", r.Intn(50000)-25000)))
	}
	for y := -1000; y <= 3000; y++ {
		for _, m := range []time.Month{1, 2, 3, 12} {
			tm := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
			check(tm)
			check(tm.Add(-time.Second))
			if got := daysFromCivil(int64(y), int(m), 1) * 86400; got != tm.Unix() {
				t.Fatalf("daysFromCivil(%d, %d, 1) = %d days, want %d", y, m, got/86400, tm.Unix()/86400)
			}
		}
	}
}

// FuzzDates compares parseDate with the time package over all layouts.
func FuzzDates(f *testing.F) {
	for _, s := range dateSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkDate(t, s)
		if len(s) <= 40 && !strings.ContainsAny(s, "\x00") {
			// The same text after a valid date's prefix reaches deeper fields.
			checkDate(t, "Mon, 02 Jan 2006 "+s)
			checkDate(t, "2006-01-02T"+s)
		}
	})
}

func BenchmarkDates(b *testing.B) {
	const d = "Tue, 15 Nov 1994 08:12:31 GMT"
	b.Run("parseDate", func(b *testing.B) {
		for b.Loop() {
			parseDate(layoutRFC1123, d)
		}
	})
	b.Run("time.Parse", func(b *testing.B) {
		for b.Loop() {
			time.Parse(time.RFC1123, d)
		}
	})
	const r = "2026-11-27T06:18:24.123456Z"
	b.Run("parseRFC3339", func(b *testing.B) {
		for b.Loop() {
			parseRFC3339(r)
		}
	})
	b.Run("time.Parse3339", func(b *testing.B) {
		for b.Loop() {
			time.Parse(time.RFC3339Nano, r)
		}
	})
	tm := time.Unix(1700000000, 0)
	b.Run("formatRFC3339", func(b *testing.B) {
		for b.Loop() {
			formatRFC3339(tm)
		}
	})
	b.Run("time.Format", func(b *testing.B) {
		for b.Loop() {
			tm.UTC().Format(time.RFC3339)
		}
	})
}
