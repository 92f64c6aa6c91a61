package capture

import "time"

// The date forms captures carry, read with the time package. A zone
// abbreviation counts as UTC whatever the machine's zone (ParseInLocation
// with UTC: GMT and UTC are offset 0, any other abbreviation gets offset 0
// too), so the CLI, the worker and the page read a capture alike; a
// numeric offset is applied.

// HTTPDateLayouts are those responseDate tries, in order (RFC 9110 §5.6.7:
// IMF-fixdate, RFC 850, asctime; then two forms servers also send).
var HTTPDateLayouts = [...]string{time.RFC1123, "Monday, 02-Jan-06 15:04:05 MST", time.ANSIC, time.RFC1123Z, time.RFC3339}

// CookieDateLayouts are those a Set-Cookie Expires is read with, in order.
var CookieDateLayouts = [...]string{time.RFC1123, "Mon, 02-Jan-2006 15:04:05 MST", "Monday, 02-Jan-06 15:04:05 MST", time.ANSIC}

// ParseFirst reads s with the first of layouts that accepts it.
func ParseFirst(layouts []string, s string) (time.Time, bool) {
	for _, layout := range layouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseRFC3339 reads a timestamp (HAR startedDateTime, WARC-Date) as
// time.RFC3339Nano, which accepts what time.RFC3339 does.
func parseRFC3339(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(time.RFC3339Nano, s, time.UTC)
	return t, err == nil
}

// FormatRFC3339 writes t in UTC, to the second.
func FormatRFC3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// gmt is the zone time.ParseInLocation(time.RFC1123, "… GMT", time.UTC) gives.
var gmt = time.FixedZone("GMT", 0)

// ParseHTTPDate reads an HTTP date (Date, Retry-After, Expires) with
// HTTPDateLayouts. The IMF-fixdate every server sends ("Sun, 06 Nov 1994
// 08:49:37 GMT") is read by hand first: time.Parse is ~3 % of the analyzer's
// CPU in WebAssembly. The result is the one time.ParseInLocation gives
// (FuzzParseHTTPDate holds them equal).
func ParseHTTPDate(s string) (time.Time, bool) {
	if t, ok := imfFixdate(s); ok {
		return t, true
	}
	return ParseFirst(HTTPDateLayouts[:], s)
}

const imfDays, imfMonths = "SunMonTueWedThuFriSat", "JanFebMarAprMayJunJulAugSepOctNovDec"

// imfFixdate reads exactly "Www, DD Mon YYYY HH:MM:SS GMT" with the names in
// their usual case; anything else is left to time.Parse.
func imfFixdate(s string) (time.Time, bool) {
	if len(s) != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
		s[19] != ':' || s[22] != ':' || s[25:] != " GMT" {
		return time.Time{}, false
	}
	day := -1
	for i := 0; i < len(imfDays); i += 3 {
		if s[:3] == imfDays[i:i+3] {
			day = i
		}
	}
	month := 0
	for i := 0; i < len(imfMonths); i += 3 {
		if s[8:11] == imfMonths[i:i+3] {
			month = i/3 + 1
		}
	}
	num := func(a, b int) int {
		n := 0
		for _, c := range []byte(s[a:b]) {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	d, y, hh, mm, ss := num(5, 7), num(12, 16), num(17, 19), num(20, 22), num(23, 25)
	if day < 0 || month == 0 || d < 1 || y < 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(month), d, hh, mm, ss, 0, time.UTC)
	if t.Day() != d { // 31 Apr, 29 Feb 2023: time.Parse says "day out of range"
		return time.Time{}, false
	}
	return t.In(gmt), true
}
