package knowledge

import (
	"errors"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"sync"
)

// folderFS is what loadFolder reads: an embed.FS (or, in the tests, an
// fstest.MapFS). Its methods, not io/fs's ReadDir and ReadFile functions,
// which would link a sort of DirEntry into the page's wasm.
type folderFS interface {
	ReadDir(name string) ([]fs.DirEntry, error)
	ReadFile(name string) ([]byte, error)
	Open(name string) (fs.File, error)
}

// loadFolder is the loader of a folder of knowledge files of one format
// (vendors/, apis/): each *.json of fsys, named dir/<name> in messages, is
// given to decode (its bytes valid during the call only: decode copies
// what it keeps), which reads it and returns its id and keep, which adds
// it to the caller's list. A file that fails drops only itself: its error
// names it, and the errors are joined (and noted for Err); ids are unique,
// a second file with an id fails. Not generic: each instantiation weighed
// ~3 KB gzip in the page's wasm.
func loadFolder(dir string, fsys folderFS, decode func(file string, data []byte) (id string, keep func(), err error)) error {
	entries, err := fsys.ReadDir(".")
	if err != nil {
		return noteErr(errors.New("analyzer: " + dir + ": " + err.Error()))
	}
	var errs []string
	seen := map[string]string{}
	// Every file is read into one buffer, reused: the decoders copy what
	// they keep. ReadFile made a fresh copy of each (the 58 API files,
	// 350 KB, for their heads alone): 20 % of a small capture's analysis
	// in a new process went to paging those copies in (bench/startup.sh).
	var buf []byte
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		file := dir + "/" + e.Name()
		data, err := readInto(fsys, e.Name(), &buf)
		if err != nil {
			errs = append(errs, "analyzer: "+file+": "+err.Error())
			continue
		}
		id, keep, err := decode(file, data)
		switch {
		case err != nil:
			errs = append(errs, err.Error())
		case id == "":
			errs = append(errs, "analyzer: "+file+": no id")
		case seen[id] != "":
			errs = append(errs, "analyzer: "+file+": duplicate id "+strconv.Quote(id)+" (also "+seen[id]+")")
		default:
			seen[id] = file
			keep()
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return noteErr(errors.New(strings.Join(errs, "\n")))
}

// readInto reads the file name of fsys into *buf, grown when it is too
// small, and returns it: valid until the next call.
func readInto(fsys folderFS, name string, buf *[]byte) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	n := int(info.Size())
	if n < 0 || n > 64<<20 {
		return nil, errors.New("file too large")
	}
	if cap(*buf) < n {
		*buf = make([]byte, max(n, 2*cap(*buf)))
	}
	data := (*buf)[:n]
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

// NoteErr records an error of the knowledge's compiling stage (detect's
// vendor rules) for Err, and returns it.
func NoteErr(err error) error { return noteErr(err) }

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
	if len(loadErrs) == 0 {
		return nil
	}
	msgs := make([]string, len(loadErrs))
	for i, err := range loadErrs {
		msgs[i] = err.Error()
	}
	return errors.New(strings.Join(msgs, "\n"))
}

// loader is sync.OnceValues for one knowledge file's loader: its error is
// noted for Err.
func loader[T any](load func() (T, error)) func() (T, error) {
	return sync.OnceValues(func() (T, error) {
		v, err := load()
		return v, noteErr(err)
	})
}
