package capture

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWarningsList(t *testing.T) {
	var w Warnings
	w.Add("a", "first 1")
	w.Add("a", "second 2")
	w.Add("b", "once")
	for range 10 {
		w.Add("c", "many")
	}
	assert.Equal(t, []string{"first 1 (and 1 more like it)", "once", "many (and 9 more like it)"}, w.List())
}
