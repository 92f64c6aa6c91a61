package capture

// Limits bound the work and memory of one analysis. Every limit that is hit
// adds a line to Report.Warnings. The zero value of a field means "use the default".
type Limits struct {
	// InputBytes is the most bytes read from one input (default 2 GiB).
	InputBytes int64
	// EntryBytes is the largest single HAR entry kept (default 64 MiB); larger entries are skipped with a warning.
	EntryBytes int
	// BodyBytes is how much of each body is kept and scanned (default 256 KiB).
	BodyBytes int
	// HeaderFields is the most header fields kept per message (default 500).
	HeaderFields int
	// HeaderBytes is the longest header value kept (default 64 KiB); longer values are cut.
	HeaderBytes int
	// ChallengeParams is the most auth-params parsed from one response's
	// WWW-Authenticate (or Proxy-Authenticate) fields taken together (default 64).
	ChallengeParams int
	// Entries is the most exchanges analysed per input (default 2,000,000).
	Entries int
	// Depth is the deepest JSON nesting accepted (default 256).
	Depth int
	// DecompressedBytes caps gzip/zlib output of compressed inputs (default 4 GiB).
	DecompressedBytes int64
	// MemberBytes is the most one zip member is inflated into memory: the
	// .har of a Playwright HAR zip, and that HAR with the bodies it names
	// (_file) inlined, each use of a body counted (default 128 MiB). A HAR
	// past it is read as far as it goes; bodies past it are not inlined.
	// A text input (held whole) is read up to 64 MiB, or MemberBytes when
	// smaller.
	MemberBytes int64
	// ContainerBytes is the most the members of one zip (HAR zip, WACZ, SAZ)
	// inflate together, a member read twice counted twice (default 1 GiB):
	// it bounds memory and CPU alike.
	ContainerBytes int64
	// Reports is the most exchange reports kept in Report.Exchanges (default
	// Entries): later exchanges are still analysed, counted, summarised and
	// passed to Options.OnExchange, and a warning says how many were left out.
	Reports int
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
