package detect

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/analyzer/internal/knowledge"
)

// TestWordLists: every word list a detector asks for is in words.json, in
// the shape it is asked in (words or groups), and follows the format
// (knowledge.CheckWordLists); every list of words.json is asked for by a
// detector (a list nobody reads is a list nobody keeps).
func TestWordLists(t *testing.T) {
	_, err := loadLists()
	require.NoError(t, err)
	require.NoError(t, knowledge.CheckWordLists())
	all, err := knowledge.WordLists()
	require.NoError(t, err)
	asked := map[string]bool{clientErrorsID: true, queryCredentialParamsID: true, keyHostsID: true, wafTriggerInputsID: true, wafMetaCharactersID: true, graphqlCodesID: true, edgeTokensID: true, scopeKeysID: true, challengeHeadersID: true,
		knowledge.PublicIDPrefixesID: true, knowledge.SecretCollectionsID: true} // read by knowledge.PublicID, SecretCollection
	for _, id := range listIDs {
		assert.NotEmpty(t, id)
		assert.False(t, asked[id], "list %q asked for twice", id)
		asked[id] = true
	}
	for id := range all {
		assert.True(t, asked[id], "words.json list %q is read by no detector", id)
	}
}

// TestFixIDs: every fixes.json id the detectors and the verdict ask for is a
// fix of fixes.json. An id is written once, as a constant named fix…; an id
// written as a literal where a signal or the verdict asks for a fix is an
// error here, so that no id escapes this test.
func TestFixIDs(t *testing.T) {
	ids := map[string]string{} // id → where it is declared
	fset := token.NewFileSet()
	for _, dir := range []string{".", "../verdict"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			require.NoError(t, err)
			literal := func(n ast.Node) {
				ast.Inspect(n, func(n ast.Node) bool {
					if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						t.Errorf("%s: fix id %s written as a literal: declare it as a fix… constant", fset.Position(lit.Pos()), lit.Value)
					}
					return true
				})
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.ValueSpec:
					for i, id := range n.Names {
						if strings.HasPrefix(id.Name, "fix") && len(id.Name) > 3 && id.Name[3] >= 'A' && id.Name[3] <= 'Z' && i < len(n.Values) {
							if lit, ok := n.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
								v, err := strconv.Unquote(lit.Value)
								require.NoError(t, err)
								ids[v] = fset.Position(id.Pos()).String()
							}
						}
					}
				case *ast.KeyValueExpr:
					if k, ok := n.Key.(*ast.Ident); ok && k.Name == "FixIDs" {
						literal(n.Value)
					}
				case *ast.AssignStmt:
					for i, lhs := range n.Lhs {
						if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "FixIDs" && i < len(n.Rhs) {
							literal(n.Rhs[i])
						}
					}
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "NamedFix" {
						literal(n)
					}
				case *ast.FuncDecl:
					if strings.HasSuffix(n.Name.Name, "Fix") { // clientFailureFix: returns fix ids
						ast.Inspect(n.Body, func(m ast.Node) bool {
							if r, ok := m.(*ast.ReturnStmt); ok {
								for _, e := range r.Results {
									literal(e)
								}
							}
							return true
						})
					}
				}
				return true
			})
		}
	}
	errs, err := knowledge.WordListByID(clientErrorsID, true)
	require.NoError(t, err)
	for _, g := range errs.Groups {
		ids[g.Value] = "words.json client-errors"
	}
	require.NotEmpty(t, ids)
	var names []string
	for id := range ids {
		names = append(names, id)
	}
	sort.Strings(names)
	for _, id := range names {
		assert.NotNil(t, knowledge.NamedFix(id), "%s: fix id %q is not in fixes.json", ids[id], id)
	}
	// WithoutCaptureMore tells the capture-more fix in a list by its title:
	// a title with no {{param}}, so that filled it stays the same.
	if f := knowledge.NamedFix("capture-more"); assert.NotNil(t, f) {
		assert.NotContains(t, f.Title, "{{")
	}
}
