package codeshape

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// maxFuncLines is the longest a function may be, from its func line to
// its closing brace, outside tests and generated code.
const maxFuncLines = 60

func repoRoot(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// goFiles walks the repository's Go files (not node_modules, not hidden).
func goFiles(t *testing.T, fn func(path string, f *ast.File, fset *token.FileSet)) {
	root := repoRoot(t)
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fn(rel, f, fset)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNoLongFunctions(t *testing.T) {
	goFiles(t, func(path string, f *ast.File, fset *token.FileSet) {
		if strings.HasSuffix(path, "_test.go") || ast.IsGenerated(f) {
			return
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if n := fset.Position(fd.End()).Line - fset.Position(fd.Pos()).Line + 1; n > maxFuncLines {
				t.Errorf("%s: %s is %d lines; split it (at most %d)", path, fd.Name.Name, n, maxFuncLines)
			}
		}
	})
}

func TestEveryPackageHasADocComment(t *testing.T) {
	packages := map[string]bool{}
	goFiles(t, func(path string, f *ast.File, _ *token.FileSet) {
		if strings.HasSuffix(path, "_test.go") {
			return
		}
		dir := filepath.Dir(path)
		if _, seen := packages[dir]; !seen {
			packages[dir] = false
		}
		if f.Doc != nil && (strings.HasPrefix(f.Doc.Text(), "Package ") || strings.HasPrefix(f.Doc.Text(), "Command ")) {
			packages[dir] = true
		}
	})
	for dir, documented := range packages {
		if !documented {
			t.Errorf("%s: no package doc comment (put it in doc.go)", dir)
		}
	}
}

func TestGofmt(t *testing.T) {
	goFiles(t, func(path string, _ *ast.File, _ *token.FileSet) {
		src, err := os.ReadFile(filepath.Join(repoRoot(t), path))
		if err != nil {
			t.Fatal(err)
		}
		if out, err := format.Source(src); err != nil || !bytes.Equal(out, src) {
			t.Errorf("%s is not gofmt-ed (gofmt -w %s)", path, path)
		}
	})
}

// TestLayers: the domain (the module root) imports nothing of this
// project's and no Redis; the Go client, which others import, pulls in no
// Redis either.
func TestLayers(t *testing.T) {
	deps := func(pkg string) []string {
		cmd := exec.Command("go", "list", "-deps", pkg)
		cmd.Dir = repoRoot(t)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	for _, d := range deps(".") {
		if strings.HasPrefix(d, "github.com/menusync/menusync/") || strings.Contains(d, "redis") {
			t.Errorf("the domain depends on %s", d)
		}
	}
	for _, d := range deps("./client") {
		if strings.Contains(d, "redis") {
			t.Errorf("the Go client depends on %s", d)
		}
	}
}
