package knowledge

import (
	"errors"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// loadFolder is the loader of a folder of knowledge files of one format
// (vendors/, apis/): each *.json of fsys, named dir/<name> in messages, is
// read by decode, which returns the value and its id. A file that fails
// drops only itself: its error names it, the errors are joined (and noted
// for Err), and the files that loaded are kept, sorted by id. Ids are
// unique: a second file with an id fails.
//
// The files are read one after the other into one buffer: decode must not
// keep data (jsonfill copies what it decodes), so a start touches the
// memory of one file, not a fresh copy of them all.
func loadFolder[T any](dir string, fsys fs.FS, decode func(file string, data []byte) (T, string, error)) ([]T, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, noteErr(errors.New("analyzer: " + dir + ": " + err.Error()))
	}
	type item struct {
		v  T
		id string
	}
	var items []item
	var errs []error
	var buf []byte
	seen := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		file := dir + "/" + e.Name()
		data, err := readInto(fsys, e.Name(), &buf)
		if err != nil {
			errs = append(errs, errors.New("analyzer: "+file+": "+err.Error()))
			continue
		}
		v, id, err := decode(file, data)
		switch {
		case err != nil:
			errs = append(errs, err)
		case id == "":
			errs = append(errs, errors.New("analyzer: "+file+": no id"))
		case seen[id] != "":
			errs = append(errs, errors.New("analyzer: "+file+": duplicate id "+strconv.Quote(id)+" (also "+seen[id]+")"))
		default:
			seen[id] = file
			items = append(items, item{v, id})
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].id < items[j].id })
	out := make([]T, len(items))
	for i := range items {
		out[i] = items[i].v
	}
	return out, noteErr(errors.Join(errs...))
}

// readInto reads the file name of fsys into *buf (grown as needed) and
// returns its bytes, valid until the next call.
func readInto(fsys fs.FS, name string, buf *[]byte) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if n := int(st.Size()); cap(*buf) < n {
		*buf = make([]byte, n, max(n, 32<<10))
	}
	data := (*buf)[:st.Size()]
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, err
	}
	return data, nil
}

// loadErrs are the errors of the knowledge loaded so far (noteErr).
var (
	loadErrsMu sync.Mutex
	loadErrs   []error
)

// noteErr records a loader's error for Err and returns it.
func noteErr(err error) error {
	if err != nil {
		loadErrsMu.Lock()
		loadErrs = append(loadErrs, err)
		loadErrsMu.Unlock()
	}
	return err
}

// Err is every error met so far loading the embedded knowledge (a file
// that does not decode, a duplicate id, a rule that fails its checks):
// nil in a sound build. The knowledge loads as the analysis needs it, so a
// front end asks after analysing (the CLI prints it and exits 2) rather
// than go on silently with files missing.
func Err() error {
	loadErrsMu.Lock()
	defer loadErrsMu.Unlock()
	return errors.Join(loadErrs...)
}

// loader is sync.OnceValues for one knowledge file's loader: its error is
// noted for Err.
func loader[T any](load func() (T, error)) func() (T, error) {
	return sync.OnceValues(func() (T, error) {
		v, err := load()
		return v, noteErr(err)
	})
}
