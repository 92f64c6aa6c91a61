package capture

// Limits bound the work and memory of one analysis: analyzer.Limits, where
// each field is documented (the facade converts one type to the other, so
// the fields stay the same). The zero value of a field means its default.
type Limits struct {
	InputBytes        int64
	EntryBytes        int
	BodyBytes         int
	HeaderFields      int
	HeaderBytes       int
	ChallengeParams   int
	Entries           int
	Depth             int
	DecompressedBytes int64
	MemberBytes       int64
	ContainerBytes    int64
	Reports           int
}

// DefaultLimits returns the limits used when a field of Limits is zero.
func DefaultLimits() Limits { return defaultLimits }

var defaultLimits = Limits{
	InputBytes:        2 << 30,
	EntryBytes:        64 << 20,
	BodyBytes:         256 << 10,
	HeaderFields:      500,
	HeaderBytes:       64 << 10,
	ChallengeParams:   64,
	Entries:           2_000_000,
	Depth:             256,
	DecompressedBytes: 4 << 30,
	MemberBytes:       128 << 20,
	ContainerBytes:    1 << 30,
}

// WithDefaults returns l with every zero field set to its default.
func (l Limits) WithDefaults() Limits {
	d := defaultLimits
	set(&d.InputBytes, l.InputBytes)
	set(&d.EntryBytes, l.EntryBytes)
	set(&d.BodyBytes, l.BodyBytes)
	set(&d.HeaderFields, l.HeaderFields)
	set(&d.HeaderBytes, l.HeaderBytes)
	set(&d.ChallengeParams, l.ChallengeParams)
	set(&d.Entries, l.Entries)
	set(&d.Depth, l.Depth)
	set(&d.DecompressedBytes, l.DecompressedBytes)
	set(&d.MemberBytes, l.MemberBytes)
	set(&d.ContainerBytes, l.ContainerBytes)
	d.Reports = d.Entries
	set(&d.Reports, l.Reports)
	return d
}

// set replaces the default with v when v is given (positive).
func set[T int | int64](dst *T, v T) {
	if v > 0 {
		*dst = v
	}
}
