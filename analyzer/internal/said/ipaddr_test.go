package said

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
)

// asNetip is what clientIP took before ipLiteral: netip's canonical form
// of a specified address.
func asNetip(s string) string {
	if a, err := netip.ParseAddr(s); err == nil && !a.IsUnspecified() {
		return a.String()
	}
	return ""
}

var ipLiteralCases = []string{
	"", ".", ":", "%", "%eth0", "::", "::%eth0", "0::0", "0::0%z", "0.0.0.0", "::ffff:0.0.0.0",
	"1.2.3.4", "255.255.255.255", "256.1.1.1", "01.2.3.4", "0.2.3.4", "1.2.3", "1.2.3.4.5",
	"1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4%eth0", "1.2.3.4:80", "203.0.113.7",
	"2001:db8::7", "2001:DB8::7", "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8:0:0:1:0:0:1",
	"2001:db8::1:0:0:1", "1:0:0:2:0:0:0:3", "0:0:1:0:0:1:0:0", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9",
	"1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7", "1::2::3", "1:::2", ":1::2", "1::2:", "12345::1", "fffff::",
	"::ffff:1.2.3.4", "::FFFF:192.0.2.1%en0", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4",
	"::ffff:01.2.3.4", "::ffff:1.2.3", "fe80::1%eth0", "fe80::1%", "fe80::1%%", "fe80::1%a%b", "::1",
	"::1:0:0:0", "1:0::", "0:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:0", "1::", "::x", "1:2:3:4:5:6:7:8%",
	"2001:db8::7]", "[2001:db8::7", "g::1",
}

func TestIPLiteralAsNetip(t *testing.T) {
	for _, s := range ipLiteralCases {
		assert.Equal(t, asNetip(s), ipLiteral(s), "%q", s)
	}
}

func FuzzIPLiteral(f *testing.F) {
	for _, s := range ipLiteralCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ipLiteral(s), asNetip(s); got != want {
			t.Fatalf("ipLiteral(%q) = %q, netip says %q", s, got, want)
		}
	})
}
