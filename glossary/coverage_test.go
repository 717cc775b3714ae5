package glossary

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readMenu(t testing.TB, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var dishes []string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			dishes = append(dishes, line)
		}
	}
	return dishes
}

// coverageFloors are the measured shares (dishes with an English and a
// Japanese name, exact or head match) rounded down, so that a change that
// loses dishes fails. The menus hold dishes the glossary lacks on purpose.
var coverageFloors = map[string]float64{
	"01-korean-bbq.txt":  0.86,
	"02-bunsik.txt":      0.95,
	"03-hanjeongsik.txt": 0.90,
	"04-gukbap.txt":      1.00,
	"05-ramen.txt":       0.81,
	"06-izakaya.txt":     0.73,
	"07-chinese.txt":     0.85,
	"08-taiwanese.txt":   0.89,
	"09-thai.txt":        0.83,
	"10-vietnamese.txt":  0.82,
}

const totalCoverageFloor = 0.87

func TestCoverageOnMenus(t *testing.T) {
	g := Default()
	files, err := filepath.Glob("testdata/menus/*.txt")
	if err != nil || len(files) != 10 {
		t.Fatalf("want 10 menus, got %d (%v)", len(files), err)
	}
	var total Coverage
	for _, f := range files {
		dishes := readMenu(t, f)
		if len(dishes) < 10 || len(dishes) > 25 {
			t.Errorf("%s: %d dishes, want 10 to 25", f, len(dishes))
		}
		c := g.Coverage(dishes, "en", "ja")
		total = total.Add(c)
		name := filepath.Base(f)
		t.Logf("%-20s %2d dishes: %2d exact, %2d head, named in en+ja %3.0f%% (exact only %3.0f%%)",
			name, c.Dishes, c.Exact, c.Head, 100*c.Share(), 100*c.ExactShare())
		for _, d := range dishes {
			if _, ok := g.Lookup(d); !ok {
				t.Logf("    not found: %s", d)
			}
		}
		floor, ok := coverageFloors[name]
		if !ok {
			t.Errorf("%s has no floor", name)
		}
		if c.Share() < floor {
			t.Errorf("%s: coverage %.2f below the floor %.2f", name, c.Share(), floor)
		}
	}
	t.Logf("all menus: %d dishes, %d exact, %d head, named in en+ja %.0f%% (exact only %.0f%%)",
		total.Dishes, total.Exact, total.Head, 100*total.Share(), 100*total.ExactShare())
	if total.Share() < totalCoverageFloor {
		t.Errorf("total coverage %.2f below %.2f", total.Share(), totalCoverageFloor)
	}
}
