package capture

import (
	"bytes"
	"slices"
	"strings"
)

// This file keeps what a pasted terminal holds besides the exchange out of
// a curl transcript's body: curl's progress meter (printed to stderr and
// interleaved with the transcript when both streams are pasted) and the
// user's next shell prompt or comment after the transfer ended.

// cutProgress removes curl's progress meter from a transcript line: its two
// heading lines ("  % Total    % Received % Xferd  Average Speed …" and
// "Dload  Upload   Total …") and its rows ("100 12848  100 12848    0     0
// 91241      0 --:--:-- …  91773"), several of which curl glues with "\r"
// and the last of which may be glued to the next stderr line ("…     0* Host
// x was resolved."). It returns what is left of the line and whether
// anything was removed.
func cutProgress(line []byte) ([]byte, bool) {
	if bytes.IndexByte(line, ':') < 0 && !bytes.Contains(line, []byte("Total")) && !bytes.Contains(line, []byte("Dload")) {
		return line, false // every meter line holds one of these
	}
	if progressHeading(line) {
		return nil, true
	}
	if bytes.IndexByte(line, '\r') < 0 {
		if rest, ok := progressRow(line); ok {
			return rest, true
		}
		return line, false
	}
	var out []byte
	cut, first := false, true
	for rest := line; rest != nil; {
		seg := rest
		if i := bytes.IndexByte(rest, '\r'); i >= 0 {
			seg, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if progressHeading(seg) {
			cut = true
			continue
		}
		if rest, ok := progressRow(seg); ok {
			cut, seg = true, rest
		}
		if len(seg) == 0 {
			continue
		}
		if !first {
			out = append(out, '\r')
		}
		out, first = append(out, seg...), false
	}
	if !cut {
		return line, false
	}
	return out, true
}

// progressHeading tells the meter's two heading lines.
func progressHeading(s []byte) bool {
	t := bytes.TrimSpace(s)
	return bytes.HasPrefix(t, []byte("% Total")) && bytes.Contains(t, []byte("% Received")) ||
		bytes.HasPrefix(t, []byte("Dload")) && bytes.Contains(t, []byte("Upload")) && bytes.Contains(t, []byte("Speed"))
}

// progressRow reads one meter row at the start of s: three percentages,
// five sizes, three times and the current speed; it returns what follows
// the row.
func progressRow(s []byte) ([]byte, bool) {
	i := 0
	for f := 0; f < 12; f++ {
		j := i
		for j < len(s) && s[j] == ' ' {
			j++
		}
		if j == len(s) || (f > 0 && j == i) {
			return nil, false
		}
		k := j
		if f == 11 {
			for k < len(s) && (isDigit(s[k]) || s[k] == '.') {
				k++
			}
			// A unit, unless it begins the text glued after the row
			// ("…   403Export limit reached").
			if k < len(s) && strings.IndexByte("kMGTPE", s[k]) >= 0 && (k+1 == len(s) || s[k+1] < 'a' || s[k+1] > 'z') {
				k++
			}
		} else {
			for k < len(s) && s[k] != ' ' {
				k++
			}
		}
		tok := s[j:k]
		var ok bool
		switch f {
		case 0, 2, 4:
			ok = len(tok) <= 3 && allDigits(tok) && atoi3(string(tok)) <= 100
		case 8, 9, 10:
			ok = meterTime(tok)
		default:
			ok = meterSize(tok)
		}
		if !ok {
			return nil, false
		}
		i = k
	}
	return s[i:], true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s []byte) bool {
	for _, c := range s {
		if !isDigit(c) {
			return false
		}
	}
	return len(s) > 0
}

// meterSize: "0", "12848", "1024k", "12.3M".
func meterSize(s []byte) bool {
	if len(s) > 1 && strings.IndexByte("kMGTPE", s[len(s)-1]) >= 0 {
		s = s[:len(s)-1]
	}
	if len(s) == 0 || len(s) > 6 || !isDigit(s[0]) {
		return false
	}
	dot := false
	for _, c := range s {
		switch {
		case c == '.' && !dot:
			dot = true
		case !isDigit(c):
			return false
		}
	}
	return true
}

// meterTime: "--:--:--" or "0:00:01".
func meterTime(s []byte) bool {
	if string(s) == "--:--:--" {
		return true
	}
	colons := 0
	for i, c := range s {
		switch {
		case c == ':' && i > 0 && s[i-1] != ':':
			colons++
		case !isDigit(c):
			return false
		}
	}
	return colons == 2 && isDigit(s[0]) && isDigit(s[len(s)-1])
}

// closingInfo tells curl -v's lines that end a transfer: "Connection #0 to
// host x left intact", "Closing connection", "shutting down connection #0".
func closingInfo(s string) bool {
	return strings.HasPrefix(s, "Connection #") && strings.HasSuffix(strings.TrimSpace(s), "left intact") ||
		strings.HasPrefix(s, "Closing connection") ||
		strings.HasPrefix(s, "shutting down connection")
}

// gluedClosing finds curl's closing line glued to the end of a body that
// had no final line break ({"error":"x"}* Connection #0 to host x left
// intact): the index where it starts, or -1.
func gluedClosing(line []byte) int {
	i := bytes.LastIndex(line, []byte("* "))
	if i <= 0 || !closingInfo(string(line[i+2:])) {
		return -1
	}
	return i
}

// promptCommand reads a shell prompt at the start of a line ("$ ", "% ",
// "# ", "user@host:~/dir$ ") and returns the command's words after it; ok
// is false when the line does not start with a prompt.
func promptCommand(line []byte) (words []string, ok bool) {
	s := string(line)
	switch {
	case s == "$" || s == "%" || s == "#":
		return nil, true
	case strings.HasPrefix(s, "$ ") || strings.HasPrefix(s, "% ") || strings.HasPrefix(s, "# "):
		return strings.Fields(s[2:]), true
	}
	// user@host:~/dir$ cmd, [user@host dir]$ cmd
	at := strings.IndexByte(s, '@')
	if at <= 0 || strings.ContainsAny(s[:at], " \t\"'<>{}") {
		return nil, false
	}
	for i := at; i < len(s) && i < at+120; i++ {
		c := s[i]
		if (c == '$' || c == '#' || c == '%' || c == '>') && (i+1 == len(s) || s[i+1] == ' ') {
			return strings.Fields(s[i+1:]), true
		}
		if c == ' ' && !strings.HasPrefix(s, "[") {
			return nil, false
		}
	}
	return nil, false
}

// shellLine tells a line that is the user's terminal, not the response
// body: a prompt starting the next curl command anywhere, and after curl's
// closing line (closed) any prompt or "#" comment. A body that merely holds
// a "# heading" or "$ example" line before curl said the transfer ended
// stays whole.
func shellLine(line []byte, closed bool) bool {
	words, ok := promptCommand(line)
	if closed {
		return ok || bytes.HasPrefix(line, []byte("#"))
	}
	return ok && len(words) > 0 && (words[0] == "curl" || strings.HasSuffix(words[0], "/curl"))
}

// curlOutput is the file a curl command line writes the body to (-o FILE,
// --output FILE, -oFILE, --output=FILE), or "".
func curlOutput(line string) string {
	v, _ := curlOption(line, "-o", "--output")
	return v
}

// curlOption is the value of a curl command line's option, given short
// ("-o FILE", "-oFILE") or long ("--output FILE", "--output=FILE"), its
// quotes trimmed; ok is false when the line is not a curl command (curl
// first, or second after a prompt word) or does not give the option a value.
func curlOption(line, short, long string) (v string, ok bool) {
	f := strings.Fields(line)
	i := slices.Index(f, "curl")
	if i < 0 || i > 1 {
		return "", false
	}
	for j := i + 1; j < len(f); j++ {
		a := f[j]
		switch {
		case a == short || a == long:
			if j+1 >= len(f) {
				return "", false
			}
			return strings.Trim(f[j+1], "'\""), true
		case strings.HasPrefix(a, long+"="):
			return strings.Trim(a[len(long)+1:], "'\""), true
		case strings.HasPrefix(a, short) && len(a) > len(short) && a[len(short)] != '-':
			return strings.Trim(a[len(short):], "'\""), true
		}
	}
	return "", false
}

// showsFile tells a command that prints a file (cat, head, less, more,
// bat) whose last argument is name: the body curl -o wrote, shown after
// the transcript.
func showsFile(words []string, name string) bool {
	if name == "" || name == "-" || len(words) < 2 {
		return false
	}
	switch words[0] {
	case "cat", "head", "less", "more", "bat", "batcat":
	default:
		return false
	}
	return strings.Trim(words[len(words)-1], "'\"") == name
}
