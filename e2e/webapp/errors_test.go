package webapp_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/menusync/menusync/internal/testproc"
)

// TestJoinATableThatWentAway: the link was opened while the table was
// there, and it is gone by the time the guest taps Join (the embedded
// store restarted). The tap's error goes where busy's onError sends it,
// the screen that says the table is gone, not a toast over a name form
// that can never work; and the button is not left disabled behind it.
func TestJoinATableThatWentAway(t *testing.T) {
	rep := testproc.StartReplica(t, "embedded", "REDIS_URL=")
	roomID := openRoom(t, rep.URL())
	a := newAudit(t)
	t.Cleanup(a.write)
	ph := newPhone(t, browser(t, 60*time.Second), "Malik (en)", "en")
	ph.do("open the link", chromedp.Navigate(rep.URL()+"/r/"+roomID), chromedp.WaitVisible(chromedp.CSS("#name")))
	rep.Restart(t)
	ph.do("join", chromedp.SendKeys(chromedp.CSS("#name"), "Malik"), chromedp.Click(chromedp.CSS("#join-btn")))
	ph.waitText("h1", "This table is not here any more")
	if n := eval[int](ph, `document.querySelectorAll('#name').length`); n != 0 {
		t.Errorf("the gone table still asks for a name")
	}
	a.screen(ph, "18-join-gone")
}
