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
