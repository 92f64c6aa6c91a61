package said

import "strconv"

// ipLiteral is an IPv4 or IPv6 address literal in net/netip's canonical
// form (Addr.String of netip.ParseAddr: RFC 5952 for IPv6, ::ffff:a.b.c.d
// for an IPv4-mapped address, the zone kept), or "" when s is none, or is
// the unspecified address (0.0.0.0 or :: without a zone). Its own few
// lines rather than net/netip, which brought net/netip and unique into the
// page's wasm (~10 KB gzip, issue 35); TestIPLiteralAsNetip and
// FuzzIPLiteral hold it to netip's answers.
func ipLiteral(s string) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '.':
			var b [4]byte
			if !ipv4Fields(s, b[:]) || b == [4]byte{} {
				return ""
			}
			return s // strict dotted decimal is already canonical
		case ':':
			return ipv6Literal(s)
		case '%':
			return ""
		}
	}
	return ""
}

// ipv4Fields reads dotted decimal s (four fields, 0-255, no leading zero)
// into b.
func ipv4Fields(s string, b []byte) bool {
	val, pos, digits := 0, 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if digits == 1 && val == 0 {
				return false
			}
			val = val*10 + int(c-'0')
			digits++
			if val > 255 {
				return false
			}
		case c == '.':
			if i == 0 || i == len(s)-1 || s[i-1] == '.' || pos == 3 {
				return false
			}
			b[pos] = byte(val)
			pos++
			val, digits = 0, 0
		default:
			return false
		}
	}
	if pos < 3 {
		return false
	}
	b[3] = byte(val)
	return true
}

func ipv6Literal(in string) string {
	s, zone, hasZone := in, "", false
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			s, zone, hasZone = s[:i], s[i+1:], true
			if zone == "" {
				return ""
			}
			break
		}
	}
	var ip [16]byte
	ellipsis := -1
	if len(s) >= 2 && s[0] == ':' && s[1] == ':' {
		ellipsis = 0
		s = s[2:]
		if s == "" {
			if !hasZone {
				return "" // the unspecified address
			}
			return "::%" + zone
		}
	}
	i := 0
	for i < 16 {
		off, acc := 0, uint32(0)
	hex:
		for ; off < len(s); off++ {
			c := s[off]
			switch {
			case c >= '0' && c <= '9':
				acc = acc<<4 + uint32(c-'0')
			case c >= 'a' && c <= 'f':
				acc = acc<<4 + uint32(c-'a'+10)
			case c >= 'A' && c <= 'F':
				acc = acc<<4 + uint32(c-'A'+10)
			default:
				break hex
			}
			if off > 3 {
				return ""
			}
		}
		if off == 0 {
			return ""
		}
		if off < len(s) && s[off] == '.' {
			if ellipsis < 0 && i != 12 || i+4 > 16 || !ipv4Fields(s, ip[i:i+4]) {
				return ""
			}
			s = ""
			i += 4
			break
		}
		ip[i], ip[i+1] = byte(acc>>8), byte(acc)
		i += 2
		s = s[off:]
		if s == "" {
			break
		}
		if s[0] != ':' || len(s) == 1 {
			return ""
		}
		s = s[1:]
		if s[0] == ':' {
			if ellipsis >= 0 {
				return ""
			}
			ellipsis = i
			s = s[1:]
			if s == "" {
				break
			}
		}
	}
	if s != "" {
		return ""
	}
	if i < 16 {
		if ellipsis < 0 {
			return ""
		}
		n := 16 - i
		for j := i - 1; j >= ellipsis; j-- {
			ip[j+n] = ip[j]
		}
		clear(ip[ellipsis : ellipsis+n])
	} else if ellipsis >= 0 {
		return ""
	}
	if ip == [16]byte{} && !hasZone {
		return ""
	}
	var out []byte
	if [12]byte(ip[:12]) == [12]byte{10: 0xff, 11: 0xff} {
		out = append(out, "::ffff:"...)
		for k := 12; k < 16; k++ {
			if k > 12 {
				out = append(out, '.')
			}
			out = strconv.AppendUint(out, uint64(ip[k]), 10)
		}
	} else {
		// The first longest run of two or more zero groups becomes "::".
		zs, ze := -1, -1
		for k := 0; k < 8; k++ {
			j := k
			for j < 8 && ip[2*j] == 0 && ip[2*j+1] == 0 {
				j++
			}
			if j-k >= 2 && j-k > ze-zs {
				zs, ze = k, j
			}
		}
		for k := 0; k < 8; k++ {
			if k == zs {
				out = append(out, ':', ':')
				k = ze
				if k >= 8 {
					break
				}
			} else if k > 0 {
				out = append(out, ':')
			}
			out = strconv.AppendUint(out, uint64(ip[2*k])<<8|uint64(ip[2*k+1]), 16)
		}
	}
	if hasZone {
		out = append(out, '%')
		out = append(out, zone...)
	}
	return string(out)
}
