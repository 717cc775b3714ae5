package handlers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestErrorCodesMatchTheSpec: the codes of errors.go, plus those the
// shipped nginx config answers with itself, are exactly the enum of
// Problem.code in openapi.yaml, in both directions.
func TestErrorCodesMatchTheSpec(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ours []string
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Names) == 1 && len(vs.Values) == 1 {
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING && vs.Names[0].Name[:4] == "code" {
				s, _ := strconv.Unquote(lit.Value)
				ours = append(ours, s)
			}
		}
		return true
	})
	conf, err := os.ReadFile("../nginx/menusync-server.conf")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`"code":"([a-z_]+)"`).FindAllSubmatch(conf, -1) {
		if c := string(m[1]); !slices.Contains(ours, c) {
			ours = append(ours, c)
		}
	}
	b, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Components struct {
			Schemas struct {
				Problem struct {
					Properties struct {
						Code struct {
							Enum []string `yaml:"enum"`
						} `yaml:"code"`
					} `yaml:"properties"`
				} `yaml:"Problem"`
			} `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	enum := spec.Components.Schemas.Problem.Properties.Code.Enum
	for _, c := range ours {
		if !slices.Contains(enum, c) {
			t.Errorf("code %q is sent but not in openapi.yaml's Problem.code enum", c)
		}
	}
	for _, c := range enum {
		if !slices.Contains(ours, c) {
			t.Errorf("openapi.yaml lists code %q that nothing sends", c)
		}
	}
	if len(ours) < 25 {
		t.Fatalf("found only %d codes: the test reads errors.go wrongly", len(ours))
	}
}
