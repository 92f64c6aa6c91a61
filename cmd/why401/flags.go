package main

import (
	"errors"
	"strconv"
	"strings"
)

// A GNU-style flag parser, in place of spf13/pflag: pflag imports net (for
// its IP flags), which made the CLI a cgo binary with a C stack and a
// malloc arena on every thread (under a 1 GiB address-space limit it died
// of "out of memory" on tiny inputs). It parses the way pflag did, with
// its error texts: --name=value, --name value, -n value, -nvalue, -n=value,
// -abc for several one-letter booleans (the last may take a value), a
// boolean as --name or --name=false, flags before or after the arguments,
// "--" ends the flags, "-" is an argument (standard input).
// TestNoNetLinked keeps net (and cgo) out of the binary.

// flagKind is what a flag holds.
type flagKind int

const (
	boolFlag flagKind = iota
	stringFlag
	intFlag
)

// cliFlag is one defined flag.
type cliFlag struct {
	Name, Shorthand string
	kind            flagKind
	b               *bool
	s               *string
	i               *int
	changed         bool // set by the arguments
}

// display is how errors name the flag: "-j, --jobs" or "--url".
func (f *cliFlag) display() string {
	if f.Shorthand != "" {
		return "-" + f.Shorthand + ", --" + f.Name
	}
	return "--" + f.Name
}

func (f *cliFlag) set(value string) error {
	var err error
	switch f.kind {
	case boolFlag:
		var v bool
		if v, err = strconv.ParseBool(value); err != nil {
			err = errors.New("must be true or false")
		} else {
			*f.b = v
		}
	case intFlag:
		var v int64
		if v, err = strconv.ParseInt(value, 0, 0); err != nil {
			err = errors.New("must be an integer")
		} else {
			*f.i = int(v)
		}
	default:
		*f.s = value
	}
	if err != nil {
		return errors.New("invalid argument " + strconv.Quote(value) + " for " + strconv.Quote(f.display()) + " flag: " + err.Error())
	}
	f.changed = true
	return nil
}

// flagSet is a set of flags and the arguments left after parsing.
type flagSet struct {
	flags []*cliFlag
	args  []string
}

func (fs *flagSet) define(f *cliFlag) { fs.flags = append(fs.flags, f) }

// BoolVarP defines a boolean flag (short may be "").
func (fs *flagSet) BoolVarP(p *bool, name, short string, value bool) {
	*p = value
	fs.define(&cliFlag{Name: name, Shorthand: short, kind: boolFlag, b: p})
}

// StringVarP defines a string flag.
func (fs *flagSet) StringVarP(p *string, name, short, value string) {
	*p = value
	fs.define(&cliFlag{Name: name, Shorthand: short, kind: stringFlag, s: p})
}

// IntVarP defines an integer flag (decimal, or 0x…/0o…/0b… as strconv reads them).
func (fs *flagSet) IntVarP(p *int, name, short string, value int) {
	*p = value
	fs.define(&cliFlag{Name: name, Shorthand: short, kind: intFlag, i: p})
}

// Lookup returns the flag of that long name, or nil.
func (fs *flagSet) Lookup(name string) *cliFlag {
	for _, f := range fs.flags {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func (fs *flagSet) short(c byte) *cliFlag {
	for _, f := range fs.flags {
		if len(f.Shorthand) == 1 && f.Shorthand[0] == c {
			return f
		}
	}
	return nil
}

// Changed reports whether the arguments set the flag of that long name.
func (fs *flagSet) Changed(name string) bool {
	f := fs.Lookup(name)
	return f != nil && f.changed
}

// VisitAll calls fn for each flag, in the order defined.
func (fs *flagSet) VisitAll(fn func(*cliFlag)) {
	for _, f := range fs.flags {
		fn(f)
	}
}

// Args are the arguments that are not flags.
func (fs *flagSet) Args() []string { return fs.args }

// Parse reads args; the first error stops it.
func (fs *flagSet) Parse(args []string) error {
	fs.args = make([]string, 0, len(args))
	for len(args) > 0 {
		s := args[0]
		args = args[1:]
		switch {
		case len(s) < 2 || s[0] != '-':
			fs.args = append(fs.args, s)
		case s == "--":
			fs.args = append(fs.args, args...)
			return nil
		case s[1] == '-':
			var err error
			if args, err = fs.long(s, args); err != nil {
				return err
			}
		default:
			var err error
			if args, err = fs.shorts(s, args); err != nil {
				return err
			}
		}
	}
	return nil
}

// long reads "--name", "--name=value" or "--name value".
func (fs *flagSet) long(s string, args []string) ([]string, error) {
	name := s[2:]
	if name == "" || name[0] == '-' || name[0] == '=' {
		return args, errors.New("bad flag syntax: " + s)
	}
	name, value, hasValue := strings.Cut(name, "=")
	f := fs.Lookup(name)
	switch {
	case f == nil:
		return args, errors.New("unknown flag: --" + name)
	case hasValue:
	case f.kind == boolFlag:
		value = "true"
	case len(args) > 0:
		value, args = args[0], args[1:]
	default:
		return args, errors.New("flag needs an argument: --" + name)
	}
	return args, f.set(value)
}

// shorts reads "-v", "-vh", "-fjson", "-f json", "-f=json", "-vfjson".
func (fs *flagSet) shorts(s string, args []string) ([]string, error) {
	letters := s[1:]
	for len(letters) > 0 {
		c := letters[0]
		f := fs.short(c)
		if f == nil {
			return args, errors.New("unknown shorthand flag: " + strconv.QuoteRune(rune(c)) + " in -" + letters)
		}
		var value string
		switch {
		case len(letters) > 2 && letters[1] == '=':
			value, letters = letters[2:], ""
		case f.kind == boolFlag:
			value, letters = "true", letters[1:]
		case len(letters) > 1:
			value, letters = letters[1:], ""
		case len(args) > 0:
			value, args, letters = args[0], args[1:], ""
		default:
			return args, errors.New("flag needs an argument: " + strconv.QuoteRune(rune(c)) + " in -" + letters)
		}
		if err := f.set(value); err != nil {
			return args, err
		}
	}
	return args, nil
}
