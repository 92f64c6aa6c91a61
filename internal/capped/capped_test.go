package capped

import (
	"io"
	"strings"
	"testing"
)

func TestReader(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int64
		want string
		hit  bool
	}{
		{"abcdef", 3, "abc", true},
		{"abc", 3, "abc", false}, // exactly N: nothing was cut
		{"ab", 3, "ab", false},
		{"", 0, "", false},
		{"a", 0, "", true},
	} {
		hits := 0
		r := &Reader{R: strings.NewReader(c.in), N: c.n, OnHit: func() { hits++ }}
		got, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		io.ReadAll(r) // read again past the end: OnHit stays called once
		if string(got) != c.want || r.Hit != c.hit || hits != map[bool]int{true: 1}[c.hit] {
			t.Errorf("Reader(%q, %d) = %q, hit %v (OnHit %d times), want %q, hit %v", c.in, c.n, got, r.Hit, hits, c.want, c.hit)
		}
	}
}
