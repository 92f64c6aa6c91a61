package knowledge

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestRatioRuleChecked: a ratio rule needs two names, a name and no from;
// less and scale only go with a ratio.
func TestRatioRuleChecked(t *testing.T) {
	assert.NoError(t, compileParams("x.json", []ParamRule{{Name: "w", Ratio: []string{"a", "b"}, Less: "c", Scale: 2}}))
	for _, r := range []ParamRule{
		{Name: "w", Ratio: []string{"a"}},
		{Ratio: []string{"a", "b"}},
		{Name: "w", Ratio: []string{"a", "b"}, From: "request.host"},
		{Name: "w", From: "request.host", Less: "c"},
		{Name: "w", From: "request.host", Scale: 1000},
	} {
		assert.Error(t, compileParams("x.json", []ParamRule{r}), "%+v", r)
	}
}
