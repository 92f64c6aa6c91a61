package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/internal/hostile"
)

// TestHostileCLI runs the hostile corpus through the CLI as files: each
// gives exit 0 with a report, or exit 2 with one line naming the file.
func TestHostileCLI(t *testing.T) {
	dir := t.TempDir()
	for _, c := range hostile.Cases(true) {
		p := filepath.Join(dir, c.Name+".txt")
		require.NoError(t, os.WriteFile(p, c.Data(), 0o644))
		for _, format := range []string{"json", "text", "markdown"} {
			code, out, errOut := runCLI(t, "", "--format", format, p)
			switch code {
			case 0:
				assert.NotEmpty(t, out, "%s (%s): exit 0 without a report", c.Name, format)
			case 2:
				assert.Equal(t, 1, strings.Count(errOut, "\n"), "%s: %q", c.Name, errOut)
				assert.Contains(t, errOut, c.Name)
			default:
				t.Errorf("%s (%s): exit %d", c.Name, format, code)
			}
		}
	}
}
