package analyzer

import (
	"strings"

	"why401/analyzer/internal/capture"
)

// prefix starts the text of every error the analyzer returns, as Go
// convention has it for a package's errors ("analyzer: the input is empty").
const prefix = "analyzer: "

// Message is err's text as a person reads it at a door — the CLI's standard
// error, an {"error": …} record of the CLI, the worker, the page or the
// stream: without the "analyzer: " prefix that Go callers see ("the input is
// empty", not "analyzer: the input is empty"). errors.Is and errors.As work
// on err itself; Message is only for showing it. A nil err gives "".
func Message(err error) string {
	if err == nil {
		return ""
	}
	return strings.TrimPrefix(err.Error(), prefix)
}

// prefixed is err with the package prefix, once (errors.Is still sees err).
func prefixed(err error) error {
	if strings.HasPrefix(err.Error(), prefix) {
		return err
	}
	return capture.WrapErr(prefix+err.Error(), err)
}
