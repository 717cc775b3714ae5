package glossary

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// The glossary tables are tab-separated with a header row. Columns are
// found by their header name, not their position, so a table may reorder
// them or leave optional ones out.

type row struct {
	line  int
	cols  map[string]int
	cells []string
}

func (r row) get(col string) string {
	i, ok := r.cols[col]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

func readTSV(rd io.Reader, required ...string) ([]row, error) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var cols map[string]int
	var rows []row
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cells := strings.Split(text, "\t")
		if cols == nil {
			cols = map[string]int{}
			for i, c := range cells {
				cols[strings.TrimSpace(c)] = i
			}
			for _, c := range required {
				if _, ok := cols[c]; !ok {
					return nil, fmt.Errorf("header lacks column %q", c)
				}
			}
			continue
		}
		if len(cells) > len(cols) {
			return nil, fmt.Errorf("line %d: %d cells for %d columns", line, len(cells), len(cols))
		}
		r := row{line: line, cols: cols, cells: cells}
		for _, c := range required {
			if r.get(c) == "" {
				return nil, fmt.Errorf("line %d: empty %s", line, c)
			}
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if cols == nil {
		return nil, fmt.Errorf("no header row")
	}
	return rows, nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
