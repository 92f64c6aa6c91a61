package analyzer

import "time"

// Dates without the time package's Parse and Format, which weigh ~45 KB in
// the page's wasm. Each layout accepts what time.Parse accepts for it
// (dates_test.go compares them, FuzzDates too) and yields the same instant:
// a zone abbreviation counts as UTC (time.Parse fabricates a zone with offset
// 0 for one the local zone does not know, and the page runs in UTC), a
// numeric offset is applied. Only instants leave this file: time.Unix values.

// A layout is a string of field codes and literal bytes.
//
//	a Mon      A Monday   b Jan   o 01 (month)   d 02   _ _2   y 06   Y 2006
//	H 15       M 04       S 05    F .999999999   z MST  Z -0700   I Z07:00
//
// Every other byte is literal; a space matches one or more spaces.
const (
	layoutRFC1123     = "a, d b Y H:M:S z" // time.RFC1123
	layoutRFC1123Z    = "a, d b Y H:M:S Z" // time.RFC1123Z
	layoutRFC850      = "A, d-b-y H:M:S z" // "Monday, 02-Jan-06 15:04:05 MST"
	layoutCookie      = "a, d-b-Y H:M:S z" // "Mon, 02-Jan-2006 15:04:05 MST"
	layoutANSIC       = "a b _ H:M:S Y"    // time.ANSIC
	layoutRFC3339     = "Y-o-dTH:M:SI"     // time.RFC3339
	layoutRFC3339Nano = "Y-o-dTH:M:SFI"    // time.RFC3339Nano
)

// httpDateLayouts are those responseDate tries, in order.
var httpDateLayouts = [...]string{layoutRFC1123, layoutRFC850, layoutANSIC, layoutRFC1123Z, layoutRFC3339}

// cookieDateLayouts are those a Set-Cookie Expires is read with, in order.
var cookieDateLayouts = [...]string{layoutRFC1123, layoutCookie, layoutRFC850, layoutANSIC}

// parseFirst reads s with the first of layouts that accepts it.
func parseFirst(layouts []string, s string) (time.Time, bool) {
	for _, layout := range layouts {
		if t, ok := parseDate(layout, s); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseRFC3339 reads a timestamp as time.Parse(time.RFC3339Nano, s) does
// (time.RFC3339 accepts the same).
func parseRFC3339(s string) (time.Time, bool) {
	if t, ok := parseRFC3339Strict(s); ok {
		return t, true
	}
	return parseDate(layoutRFC3339Nano, s)
}

// parseRFC3339Strict reads the usual form, 2006-01-02T15:04:05[.frac](Z|±07:00),
// quickly; parseDate accepts all it accepts, with the same result, and more.
func parseRFC3339Strict(s string) (time.Time, bool) {
	if len(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		x := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return -1
			}
			x = x*10 + int(c-'0')
		}
		return x
	}
	year, month, day, hour, min, sec := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2)
	if year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(month, year) || hour < 0 || hour > 23 || min < 0 || min > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	v := s[19:]
	nsec := 0
	if len(v) >= 2 && v[0] == '.' && isDigitAt(v, 1) {
		nsec, v = fraction(v)
	}
	offset := 0
	switch {
	case v == "Z":
	case len(v) == 6 && (v[0] == '+' || v[0] == '-') && v[3] == ':':
		hh, mm := num(len(s)-5, 2), num(len(s)-2, 2)
		if hh < 0 || hh > 23 || mm < 0 || mm > 59 {
			return time.Time{}, false
		}
		offset = (hh*60 + mm) * 60
		if v[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	secs := daysFromCivil(int64(year), month, day)*86400 + int64(hour*3600+min*60+sec-offset)
	return time.Unix(secs, int64(nsec)), true
}

var (
	shortDays   = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	longDays    = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	shortMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// parseDate reads s with one layout.
func parseDate(layout, s string) (time.Time, bool) {
	year, month, day, hour, min, sec, nsec, offset := 0, 0, 0, 0, 0, 0, 0, 0
	v := s
	ok := true
	for li := 0; li < len(layout); li++ {
		switch c := layout[li]; c {
		case 'a', 'A', 'b':
			var i int
			switch c {
			case 'a': // the day name is checked, then ignored (as time.Parse does)
				_, v, ok = lookupName(shortDays[:], v)
			case 'A':
				_, v, ok = lookupName(longDays[:], v)
			default:
				i, v, ok = lookupName(shortMonths[:], v)
				month = i + 1
			}
		case 'o':
			month, v, ok = twoDigits(v, true)
			ok = ok && month >= 1 && month <= 12
		case 'd':
			day, v, ok = twoDigits(v, true)
		case '_':
			if len(v) > 0 && v[0] == ' ' {
				v = v[1:]
			}
			day, v, ok = twoDigits(v, false)
		case 'y':
			if len(v) < 2 {
				return time.Time{}, false
			}
			year, ok = smallInt(v[:2])
			v = v[2:]
			if year >= 69 {
				year += 1900
			} else {
				year += 2000
			}
		case 'Y':
			if len(v) < 4 || !isDigitAt(v, 0) {
				return time.Time{}, false
			}
			year, ok = smallInt(v[:4])
			v = v[4:]
		case 'H':
			hour, v, ok = twoDigits(v, false)
			ok = ok && hour < 24
		case 'M':
			min, v, ok = twoDigits(v, true)
			ok = ok && min < 60
		case 'S':
			sec, v, ok = twoDigits(v, true)
			ok = ok && sec < 60
			// A fraction the layout does not ask for is read all the same.
			if ok && (li+1 >= len(layout) || layout[li+1] != 'F') && len(v) >= 2 && (v[0] == '.' || v[0] == ',') && isDigitAt(v, 1) {
				nsec, v = fraction(v)
			}
		case 'F':
			if len(v) >= 2 && (v[0] == '.' || v[0] == ',') && isDigitAt(v, 1) {
				nsec, v = fraction(v)
			}
		case 'z':
			if len(v) >= 3 && v[:3] == "UTC" {
				v = v[3:]
				break
			}
			n := zoneLen(v)
			if n == 0 {
				return time.Time{}, false
			}
			v = v[n:]
		case 'I':
			if len(v) >= 1 && v[0] == 'Z' {
				v = v[1:]
				break
			}
			if len(v) < 6 || v[3] != ':' {
				return time.Time{}, false
			}
			offset, ok = zoneOffset(v[0], v[1:3], v[4:6])
			v = v[6:]
		case 'Z':
			if len(v) < 5 {
				return time.Time{}, false
			}
			offset, ok = zoneOffset(v[0], v[1:3], v[3:5])
			v = v[5:]
		case ' ':
			if len(v) > 0 && v[0] != ' ' {
				return time.Time{}, false
			}
			for len(v) > 0 && v[0] == ' ' {
				v = v[1:]
			}
		default:
			if len(v) == 0 || v[0] != c {
				return time.Time{}, false
			}
			v = v[1:]
		}
		if !ok {
			return time.Time{}, false
		}
	}
	if v != "" || day < 1 || day > daysInMonth(month, year) {
		return time.Time{}, false
	}
	secs := daysFromCivil(int64(year), month, day)*86400 + int64(hour*3600+min*60+sec-offset)
	return time.Unix(secs, int64(nsec)), true
}

// lookupName matches one of names at the start of v, in any case.
func lookupName(names []string, v string) (int, string, bool) {
	for i, n := range names {
		if len(v) < len(n) {
			continue
		}
		same := true
		for j := 0; j < len(n) && same; j++ {
			a, b := v[j], n[j]
			if a != b {
				a, b = a|0x20, b|0x20
				same = a == b && a >= 'a' && a <= 'z'
			}
		}
		if same {
			return i, v[len(n):], true
		}
	}
	return -1, v, false
}

func isDigitAt(s string, i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }

// twoDigits reads one or two digits (two when fixed).
func twoDigits(s string, fixed bool) (int, string, bool) {
	if !isDigitAt(s, 0) {
		return 0, s, false
	}
	if !isDigitAt(s, 1) {
		if fixed {
			return 0, s, false
		}
		return int(s[0] - '0'), s[1:], true
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), s[2:], true
}

// smallInt reads a short decimal with an optional sign, all of s.
func smallInt(s string) (int, bool) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// fraction reads a decimal fraction ("." or "," and digits) as nanoseconds;
// digits past the ninth are skipped.
func fraction(v string) (int, string) {
	n := 1
	for n < len(v) && v[n] >= '0' && v[n] <= '9' {
		n++
	}
	ns, scale := 0, 1000000000
	for i := 1; i < n && i < 10; i++ {
		scale /= 10
		ns += int(v[i]-'0') * scale
	}
	return ns, v[n:]
}

// zoneOffset reads ±hh and mm as seconds east of UTC. As time.Parse, it
// accepts hours up to 24 and minutes up to 60.
func zoneOffset(sign byte, hh, mm string) (int, bool) {
	h, _, ok1 := twoDigits(hh, true)
	m, _, ok2 := twoDigits(mm, true)
	if !ok1 || !ok2 || h > 24 || m > 60 || sign != '+' && sign != '-' {
		return 0, false
	}
	off := (h*60 + m) * 60
	if sign == '-' {
		off = -off
	}
	return off, true
}

// zoneLen returns the length of the zone abbreviation time.Parse would
// take at the start of v, or 0: "GMT" with an optional ±hours, ±hh (hours
// up to 23), ChST, MeST, WITA, three upper-case letters, or four or five
// ending in T.
func zoneLen(v string) int {
	if len(v) < 3 {
		return 0
	}
	if len(v) >= 4 && (v[:4] == "ChST" || v[:4] == "MeST") {
		return 4
	}
	if v[:3] == "GMT" {
		return 3 + signedHours(v[3:])
	}
	if v[0] == '+' || v[0] == '-' {
		return signedHours(v)
	}
	n := 0
	for n < 6 && n < len(v) && v[n] >= 'A' && v[n] <= 'Z' {
		n++
	}
	switch {
	case n == 3,
		n == 4 && (v[3] == 'T' || v[:4] == "WITA"),
		n == 5 && v[4] == 'T':
		return n
	}
	return 0
}

// signedHours returns the length of a sign and digits worth at most 23 at
// the start of v, or 0.
func signedHours(v string) int {
	if v == "" || v[0] != '+' && v[0] != '-' {
		return 0
	}
	n, x := 1, 0
	for n < len(v) && v[n] >= '0' && v[n] <= '9' {
		if x <= 23 {
			x = x*10 + int(v[n]-'0')
		}
		n++
	}
	if n == 1 || x > 23 {
		return 0
	}
	return n
}

func isLeapYear(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysInMonth(m, y int) int {
	switch m {
	case 2:
		if isLeapYear(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// daysFromCivil returns the days from 1970-01-01 to y-m-d in the proleptic
// Gregorian calendar (year 0 exists, as in the time package).
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400 // [0, 399]
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(days int64) (y int64, m, d int) {
	z := days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097 // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// formatRFC3339 writes t in UTC as t.UTC().Format(time.RFC3339) does.
func formatRFC3339(t time.Time) string {
	secs := t.Unix()
	days := floorDiv(secs, 86400)
	rest := int(secs - days*86400)
	y, m, d := civilFromDays(days)
	var b [40]byte
	n := 0
	if y < 0 {
		b[0] = '-'
		n = 1
		y = -y
	}
	w := 4 // the year has at least four digits
	for p := int64(10000); p <= y && w < 20; p *= 10 {
		w++
	}
	for i := n + w - 1; i >= n; i-- {
		b[i] = byte('0' + y%10)
		y /= 10
	}
	n += w
	for k, f := range [...]int{m, d, rest / 3600, rest / 60 % 60, rest % 60} {
		b[n] = "--T::"[k]
		n++
		b[n], b[n+1] = byte('0'+f/10), byte('0'+f%10)
		n += 2
	}
	b[n] = 'Z'
	return string(b[:n+1])
}
