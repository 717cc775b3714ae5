package metrics_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/menusync/menusync/handlers"
	"github.com/menusync/menusync/internal/metrics"
	"github.com/menusync/menusync/pubsub"
)

type hub struct{}

func (hub) RoomCount() (int, int) { return 0, 0 }

// TestShedderMetrics: a replica that sheds load says so on /metrics:
// the over windows, the new tables refused, the admission rate and the
// last CPU pressure read.
func TestShedderMetrics(t *testing.T) {
	m := metrics.New(hub{}, &pubsub.Stats{})
	sh := handlers.NewShedder(0, 50)
	m.WatchShedder(sh)
	now := time.Now()
	sh.Tick(now, 0, 80)
	sh.Refusing(now)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		"menusync_shed_windows_total 1\n",
		"menusync_shed_tables_refused_total 1\n",
		"menusync_shed_admission_rate 0.5\n", // nothing came in before: the least rate
		"menusync_shed_cpu_pressure_percent 80\n",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
