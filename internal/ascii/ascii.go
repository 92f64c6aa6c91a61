// Package ascii lowers text the way HTTP compares it: A–Z only.
//
// strings.ToLower and bytes.ToLower fold Unicode: the Kelvin sign "K"
// (U+212A, three bytes) becomes "k" (one byte), "İ" (U+0130, two bytes)
// becomes "i̇" (three bytes), and each invalid UTF-8 byte becomes U+FFFD
// (three bytes). An index found in their result is then not an index into
// the text it was lowered from, and slicing the original by it cuts it in
// the wrong place or panics (FuzzAnalyze found said.challengeParam doing
// so). They also make "\u212Aey" equal "key", which no server that
// compares names ASCII-case-insensitively (RFC 9110 §5.1) does.
//
// Lower keeps every byte that is not A–Z, so the result has the length and
// the offsets of its input, and it copies only when there is a letter to
// lower.
package ascii

// Lower returns s with the letters A–Z lowered, every other byte as it is.
// Not inlined: a call, as strings.ToLower was, at each of its ~150 call
// sites (inlined, it added 11 KB gzip to the page's wasm).
//
//go:noinline
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = LowerByte(b[j])
			}
			return string(b)
		}
	}
	return s
}

// LowerBytes returns a lowered copy of b (A–Z only), of b's length.
func LowerBytes(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = LowerByte(c)
	}
	return out
}

// LowerByte lowers c when it is A–Z.
func LowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Index is the index of the first instance of word (lower-case ASCII) in
// s, A–Z in s matched in any case, or -1: strings.Index(Lower(s), word)
// without the copy. Not inlined, as Lower (Contains is, as a call to it).
//
//go:noinline
func Index[T ~string | ~[]byte](s T, word string) int {
	for i := 0; i+len(word) <= len(s); i++ {
		j := 0
		for j < len(word) && LowerByte(s[i+j]) == word[j] {
			j++
		}
		if j == len(word) {
			return i
		}
	}
	return -1
}

// Contains: s holds word (lower-case ASCII), A–Z in s matched in any case.
func Contains[T ~string | ~[]byte](s T, word string) bool { return Index(s, word) >= 0 }

// HasPrefix: s starts with prefix (lower-case ASCII), A–Z in s matched in
// any case. Not inlined, as Lower.
//
//go:noinline
func HasPrefix[T ~string | ~[]byte](s T, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for j := 0; j < len(prefix); j++ {
		if LowerByte(s[j]) != prefix[j] {
			return false
		}
	}
	return true
}

// EqualFold: a and b are equal with A–Z matched in any case, every other
// byte exactly. strings.EqualFold folds Unicode: it makes "\u212Aey" (the
// Kelvin sign) equal "key" and "ſ" (U+017F) equal "s", which no HTTP peer
// does with a header, parameter, cookie or scheme name. Not inlined, as
// Lower.
//
//go:noinline
func EqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if LowerByte(a[i]) != LowerByte(b[i]) {
			return false
		}
	}
	return true
}

// HasSuffix: s ends with suffix (lower-case ASCII), A–Z in s matched in
// any case.
func HasSuffix[T ~string | ~[]byte](s T, suffix string) bool {
	return len(s) >= len(suffix) && HasPrefix(s[len(s)-len(suffix):], suffix)
}
