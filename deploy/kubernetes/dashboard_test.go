package kubernetes

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// dashboard is what the tests read of Grafana's dashboard JSON.
type dashboard struct {
	UID    string `json:"uid"`
	Panels []struct {
		Type    string `json:"type"`
		Title   string `json:"title"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
	Templating struct {
		List []struct {
			Name       string `json:"name"`
			Definition string `json:"definition"`
		} `json:"list"`
	} `json:"templating"`
}

// dashboardMetrics returns every metric name the dashboard's queries
// read, each with the first panel that reads it.
func dashboardMetrics(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("components", "monitoring", "dashboards", "menusync.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("dashboard: %v", err)
	}
	if d.UID == "" {
		t.Error("dashboard has no uid: Grafana would make a new one on every import")
	}
	used := map[string]string{}
	for _, p := range d.Panels {
		if p.Type != "row" && len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, target := range p.Targets {
			for _, m := range metricNames(target.Expr) {
				if _, seen := used[m]; !seen {
					used[m] = p.Title
				}
			}
		}
	}
	labelValues := regexp.MustCompile(`label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)`)
	for _, v := range d.Templating.List {
		if m := labelValues.FindStringSubmatch(v.Definition); m != nil {
			used[m[1]] = "variable $" + v.Name
		}
	}
	return used
}

// The issue's list: streams, deliveries, publish-to-delivery latency,
// resyncs, refusals and Redis latency each have a panel.
func TestDashboardCoversTheIssue(t *testing.T) {
	used := dashboardMetrics(t)
	for _, m := range []string{
		"menusync_streams_open", "menusync_events_delivered_total",
		"menusync_publish_to_delivery_seconds_bucket", "menusync_listeners_resynced_total",
		"menusync_streams_refused_total", "menusync_redis_command_seconds_bucket",
	} {
		if _, ok := used[m]; !ok {
			t.Errorf("no panel reads %s", m)
		}
	}
}

// metricNames returns the metric names a PromQL expression reads: its
// identifiers less function and aggregation names, keywords, label names
// (in {...} and in by/without/on/ignoring/group_left/group_right lists),
// string literals, durations and numbers, and Grafana's $variables.
func metricNames(expr string) []string {
	var names []string
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			i = skipString(expr, i)
		case c == '{':
			i = skipPast(expr, i, '}')
		case c == '[':
			i = skipPast(expr, i, ']')
		case c == '$':
			i++
			for i < len(expr) && (isIdent(expr[i]) || expr[i] == '{' || expr[i] == '}') {
				i++
			}
		case isIdent(c) && !isDigit(c):
			j := i
			for j < len(expr) && (isIdent(expr[j]) || expr[j] == ':') {
				j++
			}
			word, k := expr[i:j], j
			for k < len(expr) && expr[k] == ' ' {
				k++
			}
			switch call := k < len(expr) && expr[k] == '('; {
			case call && labelLists[word]:
				j = skipPast(expr, k, ')')
			case call, keywords[word]:
			default:
				if !slices.Contains(names, word) {
					names = append(names, word)
				}
			}
			i = j
		case isDigit(c) || c == '.':
			for i < len(expr) && (isIdent(expr[i]) || expr[i] == '.') {
				i++
			}
		default:
			i++
		}
	}
	return names
}

var labelLists = map[string]bool{"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true}

// keywords, and the aggregation operators, which may stand apart from
// their parenthesis: sum by (le) (...).
var keywords = map[string]bool{"and": true, "or": true, "unless": true, "bool": true, "offset": true, "atan2": true,
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
	"sum": true, "min": true, "max": true, "avg": true, "group": true, "stddev": true, "stdvar": true, "count": true,
	"count_values": true, "bottomk": true, "topk": true, "quantile": true, "limitk": true, "limit_ratio": true}

func isIdent(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func skipString(s string, i int) int {
	q := s[i]
	for i++; i < len(s) && s[i] != q; i++ {
		if s[i] == '\\' && q != '`' {
			i++
		}
	}
	return i + 1
}

// skipPast returns the index after the close that ends what opens at i,
// stepping over strings (a label value may hold a brace).
func skipPast(s string, i int, close byte) int {
	for i++; i < len(s) && s[i] != close; {
		if s[i] == '"' || s[i] == '\'' || s[i] == '`' {
			i = skipString(s, i)
			continue
		}
		i++
	}
	return i + 1
}

func TestMetricNames(t *testing.T) {
	cases := map[string][]string{
		`histogram_quantile(0.99, sum by (le, command) (rate(menusync_redis_command_seconds_bucket{namespace="$namespace", job=~"a}b"}[$__rate_interval])))`: {"menusync_redis_command_seconds_bucket"},
		`sum(rate(a_total[5m] offset 1h)) / on (pod) group_left (node) b_info`:                                                                               {"a_total", "b_info"},
		`sum(x) by (reason) > bool 0 and y unless z`:                                                                                                         {"x", "y", "z"},
		`1 - count(up == 0) / 2e3`: {"up"},
	}
	for expr, want := range cases {
		if got := metricNames(expr); !slices.Equal(got, want) {
			t.Errorf("metricNames(%s) = %v, want %v", expr, got, want)
		}
	}
	if got := strings.Join(metricNames(`sum by (le) (rate(menusync_publish_to_delivery_seconds_bucket{le="0.5"}[1m]))`), ","); got != "menusync_publish_to_delivery_seconds_bucket" {
		t.Errorf("got %s", got)
	}
}
