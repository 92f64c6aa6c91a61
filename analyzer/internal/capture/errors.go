package capture

import "errors"

// Sentinel errors, for errors.Is; the analyzer hands them on as its own.
var (
	// ErrNoResponse: the input holds no HTTP response the analyzer could find.
	ErrNoResponse = errors.New("analyzer: no HTTP response found (expected a status line such as \"HTTP/1.1 401 Unauthorized\", a curl -i/-v transcript or a HAR file)")
	// ErrRequestOnly: a request was pasted without its response.
	ErrRequestOnly = errors.New("analyzer: the input holds a request but no response; paste the response too (curl -i or curl -v shows it)")
)

// ChainError is fmt.Errorf("…%w", err) without fmt: msg is the whole text,
// err what errors.Is and errors.As see.
type ChainError struct {
	msg string
	err error
}

func (e *ChainError) Error() string { return e.msg }
func (e *ChainError) Unwrap() error { return e.err }

// ChainErr prefixes err's text and wraps err.
func ChainErr(prefix string, err error) error {
	return &ChainError{msg: prefix + err.Error(), err: err}
}

// WrapErr is an error whose text is msg and that errors.Is sees as err.
func WrapErr(msg string, err error) error { return &ChainError{msg: msg, err: err} }
