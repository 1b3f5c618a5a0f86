package config

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestCheckIDsAreConfigurable ties the check ids the code reports to the
// list sev.yaml's checks: section accepts (Checks), the way a linter's
// rule types are one table: every literal id passed to diag's Add or Warn
// anywhere in sev is in Checks, every id in Checks is reported somewhere,
// and docs/format.md documents each one.
func TestCheckIDsAreConfigurable(t *testing.T) {
	used := map[string][]string{}
	fset := token.NewFileSet()
	var files []*ast.File
	consts := map[string]string{} // every string constant named Check…, by name
	err := filepath.WalkDir("..", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		if strings.Contains(filepath.ToSlash(p), "/ghaction/") || strings.Contains(filepath.ToSlash(p), "/importer/") {
			return nil // findings about GitHub's event file or an import's mapping file, not the repository
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, f)
		for name, v := range stringConsts(f) {
			if strings.HasPrefix(strings.ToLower(name), "check") {
				consts[name] = v
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if kv, ok := n.(*ast.KeyValueExpr); ok { // diag.Diagnostic{..., Check: id}
				if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Check" {
					if id := idOf(kv.Value, consts); id != "" {
						used[id] = append(used[id], fset.Position(kv.Pos()).String())
					}
				}
				return true
			}
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 3 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Add" && sel.Sel.Name != "Warn") {
				return true
			}
			if !isPos(call.Args[0]) {
				return true
			}
			if id := idOf(call.Args[1], consts); id != "" {
				used[id] = append(used[id], fset.Position(call.Pos()).String())
			}
			return true
		})
	}
	if len(used) < 30 {
		t.Fatalf("found only %d check ids in the code; the scan is broken", len(used))
	}
	for id, where := range used {
		if !slices.Contains(Checks, id) {
			t.Errorf("check id %q (%s) is not in config.Checks, so sev.yaml cannot set its level", id, where[0])
		}
	}
	format, err := os.ReadFile("../../docs/format.md")
	if err != nil {
		t.Skip("docs/format.md is not here")
	}
	for _, id := range Checks {
		if used[id] == nil && !indirect[id] {
			t.Errorf("check id %q is in config.Checks but nothing reports it", id)
		}
		if !strings.Contains(string(format), "`"+id+"`") {
			t.Errorf("docs/format.md does not document the check %q", id)
		}
	}
}

// indirect are ids reported through a variable the scan cannot follow:
// "unknown-" and the vocabulary's kind (incident.checkKnown).
var indirect = map[string]bool{"unknown-tag": true, "unknown-service": true, "unknown-role": true}

// idOf is the check id an expression names: a string literal or a check
// constant.
func idOf(e ast.Expr, consts map[string]string) string {
	switch a := e.(type) {
	case *ast.BasicLit:
		if a.Kind == token.STRING {
			id, _ := strconv.Unquote(a.Value)
			return id
		}
	case *ast.Ident:
		return consts[a.Name]
	case *ast.SelectorExpr:
		return consts[a.Sel.Name]
	}
	return ""
}

// isPos reports whether an expression reads like a diag.Pos.
func isPos(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.CompositeLit:
		if s, ok := x.Type.(*ast.SelectorExpr); ok {
			return s.Sel.Name == "Pos"
		}
		if id, ok := x.Type.(*ast.Ident); ok {
			return id.Name == "Pos"
		}
	case *ast.Ident, *ast.CallExpr, *ast.SelectorExpr:
		return true
	}
	return false
}

// stringConsts are a file's string constants.
func stringConsts(f *ast.File) map[string]string {
	out := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						out[n.Name], _ = strconv.Unquote(lit.Value)
					}
				}
			}
		}
	}
	return out
}
