package inflate

// Decoding tables. A table is a slice of uint32 entries indexed by the next
// `root` bits of the stream (least significant first, as DEFLATE packs them);
// codes longer than root bits go through a link to a subtable indexed by the
// bits that follow. An entry is
//
//	value<<16 | extra<<8 | flags | n
//
// where n (5 bits) is the full code length to consume (0: no code has these
// bits), flags says what the value is, and extra is the number of extra bits
// that follow a length or distance code (for a link: the subtable's index width).
const (
	fLen  = 0x20 // value is a length (or distance) base; extra bits follow
	fEOB  = 0x40 // end of block
	fLink = 0x80 // value is the subtable offset; extra is its width
	nMask = 0x1f
)

const (
	litRoot  = 10
	distRoot = 8
	clRoot   = 7
	maxBits  = 15
)

var (
	lenBase = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
		35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
		3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
		257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
		7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// Kinds of alphabet, for the entry of each symbol.
const (
	kindLit  = iota // 0..255 literal, 256 end of block, 257..285 length; 286, 287 invalid
	kindDist        // 0..29 distance; 30, 31 invalid
	kindCL          // code-length alphabet: the symbol itself
)

func symEntry(kind int, sym int, n int) uint32 {
	switch kind {
	case kindLit:
		switch {
		case sym < 256:
			return uint32(sym)<<16 | uint32(n)
		case sym == 256:
			return fEOB | uint32(n)
		case sym < 286:
			i := sym - 257
			return uint32(lenBase[i])<<16 | uint32(lenExtra[i])<<8 | fLen | uint32(n)
		}
		return 0 // 286, 287: only in the fixed code, never valid
	case kindDist:
		if sym < 30 {
			return uint32(distBase[sym])<<16 | uint32(distExtra[sym])<<8 | fLen | uint32(n)
		}
		return 0
	}
	return uint32(sym)<<16 | uint32(n)
}

func reverse(code uint32, n int) uint32 {
	var r uint32
	for i := 0; i < n; i++ {
		r = r<<1 | code&1
		code >>= 1
	}
	return r
}

// build fills t (reusing its storage) with the decoding table of the code
// lengths lens. It accepts what compress/flate accepts: a complete code, an
// empty one (all lengths zero: any lookup then fails) or a single code of
// length 1 (its other bit pattern fails). It reports false otherwise.
func build(t []uint32, lens []uint8, kind int, root int) ([]uint32, bool) {
	var count [maxBits + 1]int
	for _, n := range lens {
		count[n]++
	}
	count[0] = 0
	max := 0
	for n := maxBits; n > 0; n-- {
		if count[n] != 0 {
			max = n
			break
		}
	}
	size := 1 << root
	t = append(t[:0], make([]uint32, size)...)
	if max == 0 {
		return t, true
	}
	// Completeness: the Kraft sum must be exactly one.
	left := 1
	for n := 1; n <= maxBits; n++ {
		left <<= 1
		left -= count[n]
		if left < 0 {
			return t, false // over-subscribed
		}
	}
	if left != 0 && !(max == 1 && count[1] == 1) {
		return t, false // incomplete
	}
	// Symbols sorted by (length, symbol): canonical order.
	var offs [maxBits + 2]int
	for n := 1; n <= maxBits; n++ {
		offs[n+1] = offs[n] + count[n]
	}
	var sorted [320]uint16
	for s, n := range lens {
		if n != 0 {
			sorted[offs[n]] = uint16(s)
			offs[n]++
		}
	}
	total := offs[maxBits+1]
	// Walk the codes in canonical order: code is the next code value (MSB
	// first) at length n.
	code := uint32(0)
	n := 1
	var rem [maxBits + 1]int
	copy(rem[:], count[:])
	subPrefix := ^uint32(0) // root-bit prefix (reversed) of the current subtable
	subOff, subBits := 0, 0
	for i := 0; i < total; i++ {
		for rem[n] == 0 {
			n++
			code <<= 1
		}
		rem[n]--
		e := symEntry(kind, int(sorted[i]), n)
		if n <= root {
			r := reverse(code, n)
			for j := int(r); j < size; j += 1 << n {
				t[j] = e
			}
		} else {
			prefix := reverse(code>>(n-root), root)
			if prefix != subPrefix {
				// A new subtable: as wide as the codes under this prefix need.
				subPrefix = prefix
				subBits = n - root
				avail := 1 << subBits
				for subBits+root < max {
					c := rem[subBits+root]
					if subBits+root == n {
						c++ // the current code, already counted out
					}
					avail -= c
					if avail <= 0 {
						break
					}
					subBits++
					avail <<= 1
				}
				subOff = len(t)
				t = append(t, make([]uint32, 1<<subBits)...)
				t[prefix] = uint32(subOff)<<16 | uint32(subBits)<<8 | fLink | uint32(root)
			}
			r := reverse(code, n) >> root
			for j := int(r); j < 1<<subBits; j += 1 << (n - root) {
				t[subOff+j] = e
			}
		}
		code++
	}
	return t, true
}
