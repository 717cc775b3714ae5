package webapp_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/internal/menuimage"
	"github.com/menusync/menusync/internal/testproc"
)

const (
	secret = "web-app-test-secret-0123456789abcdef"
	// public is the address phones open (MENUSYNC_PUBLIC_URL): share
	// links and the QR code carry it, not the address the host used.
	public = "https://menusync.example"
)

// The printed menu the host photographs.
var koreanMenu = []menuimage.Dish{
	{Name: "비빔밥", Price: "12,000원"}, {Name: "김치찌개", Price: "9,000원"}, {Name: "불고기", Price: "15,000원"},
	{Name: "해물파전", Price: "14,000원"}, {Name: "떡볶이", Price: "6,000원"}, {Name: "잡채", Price: "11,000원"},
}

// party is the dinner: a host and three guests, each on their phone.
type party struct {
	t        *testing.T
	base     string
	reps     []*testproc.Replica
	a        *audit
	host     *phone
	guests   []*phone
	roomID   string
	started  time.Time
	recorded []string
}

// TestPartyApp is a dinner at a Korean restaurant, through the repo's
// nginx in front of two replicas and Redis: the host photographs the
// printed menu (the camera input fed a rendered JPEG), checks the draft
// and opens the table; three guests join with phones in Japanese,
// Spanish and (switched by hand) Traditional Chinese; they pick, note,
// share a dish, name a dish in Spanish, say they are done; the host sets
// a service charge and locks the order, shows the staff card; both
// replicas restart mid-dinner and every phone recovers; the host closes
// the table. Every screen is captured at 390×844 in light and dark and
// checked with axe-core.
func TestPartyApp(t *testing.T) {
	p := startParty(t)
	p.openTableFromPhoto()
	p.join()
	p.splitStreams()
	p.pick()
	p.sleep()
	p.nameADish()
	p.done()
	p.summaryMatchesServer()
	p.hostControls()
	p.staffCard()
	p.restart()
	p.editMenu()
	p.handOver()
	p.close()
	t.Logf("the dinner took %v:\n  %s", time.Since(p.started).Round(time.Millisecond), strings.Join(p.recorded, "\n  "))
}

func startParty(t *testing.T) *party {
	p := &party{t: t, started: time.Now()}
	rd := testproc.StartRedis(t)
	var ups []string
	for i := 1; i <= 2; i++ {
		rep := testproc.StartReplica(t, fmt.Sprintf("replica-%d", i), "REDIS_URL="+rd.URL(), "MENUSYNC_SECRET="+secret,
			"MENUSYNC_PUBLIC_URL="+public)
		p.reps = append(p.reps, rep)
		ups = append(ups, rep.Addr)
	}
	p.base = testproc.StartNginx(t, ups...).URL()
	p.a = newAudit(t)
	t.Cleanup(p.a.write)
	b := browser(t, 4*time.Minute)
	p.host = newPhone(t, b, "Hana (en)", "en-GB,en")
	p.guests = []*phone{
		newPhone(t, b, "Yuki (ja)", "ja-JP,ja"),
		newPhone(t, b, "Lucía (es)", "es-ES,es"),
		newPhone(t, b, "Wei (zh-Hant, by hand)", "en-US,en"),
	}
	return p
}

func (p *party) note(format string, args ...any) {
	p.recorded = append(p.recorded, fmt.Sprintf(format, args...))
}

// openTableFromPhoto: a photo of the printed menu becomes the draft,
// the draft becomes the room, dish for dish and won for won.
func (p *party) openTableFromPhoto() {
	t, h := p.t, p.host
	img, err := menuimage.Menu{Script: menuimage.KR, Title: "한식당 메뉴", Dishes: koreanMenu}.Render()
	if err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "menu.jpg")
	if err := os.WriteFile(photo, menuimage.JPEG(menuimage.ToRGBA(img), 90), 0o644); err != nil {
		t.Fatal(err)
	}
	h.do("open the app", chromedp.Navigate(p.base+"/"), chromedp.WaitVisible(chromedp.CSS(`label[for="photo"]`)))
	p.a.screen(h, "01-start")
	took := time.Now()
	h.do("take the photo", chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{photo}, chromedp.NodeReady))
	h.waitJS("the draft", `document.querySelectorAll('#draft-items li').length > 0`)
	p.note("photo read into a draft in %v", time.Since(took).Round(time.Millisecond))
	type row struct{ Name, Price string }
	got := eval[[]row](h, `[...document.querySelectorAll('#draft-items li')].map((li) => ({ name: li.querySelector('.draft-name').value, price: li.querySelector('.draft-price').value }))`)
	var want []row
	for _, d := range koreanMenu {
		want = append(want, row{d.Name, strings.TrimSuffix(strings.ReplaceAll(d.Price, ",", ""), "원")})
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the photo read as %v, want %v", got, want)
	}
	if c := eval[string](h, `document.querySelector('#currency').value`); c != "KRW" {
		t.Errorf("currency %q, want KRW", c)
	}
	// Every price field shows the currency's sign, and follows a change
	// of currency.
	signs := `[...document.querySelectorAll('#draft-items .price-sign')].map((s) => s.textContent).join('')`
	if s := eval[string](h, signs); s != strings.Repeat("₩", len(want)) {
		t.Errorf("price signs %q, want ₩ on each of %d", s, len(want))
	}
	h.do("pick yen", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#currency'); s.value = 'JPY'; s.dispatchEvent(new Event('change')); })()`))
	if s := eval[string](h, signs); s != strings.Repeat("¥", len(want)) {
		t.Errorf("price signs after picking JPY %q, want ¥ on each", s)
	}
	h.do("back to won", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#currency'); s.value = 'KRW'; s.dispatchEvent(new Event('change')); })()`))
	p.a.screen(h, "02-preview")
	h.click("#preview-next")
	h.do("name the table", chromedp.WaitVisible(chromedp.CSS("#host-name")),
		chromedp.SendKeys(chromedp.CSS("#host-name"), "Hana"), chromedp.SendKeys(chromedp.CSS("#table-name"), "Gwangjang night"))
	p.a.screen(h, "03-name")
	h.click("#create-btn")
	h.waitJS("the share screen", `document.querySelector('#qr')?.complete && document.querySelector('#qr').naturalWidth > 0`)
	loc := eval[string](h, `location.pathname`)
	p.roomID = strings.TrimPrefix(loc, "/r/")
	if link := h.text("#share-link"); link != public+"/r/"+p.roomID {
		t.Errorf("share link %q, want the public URL %s/r/%s", link, public, p.roomID)
	}
	h.click("#copy-btn")
	h.waitText("#copy-btn", "Copied")
	p.a.screen(h, "04-share")
	h.click("#to-table")
	h.state("live")
	p.checkRoomMenu()
}

// checkRoomMenu: the room's dishes and prices are the printed menu's.
func (p *party) checkRoomMenu() {
	s := p.snapshot()
	if s.Room.Currency != "KRW" || len(s.Room.Menu) != len(koreanMenu) {
		p.t.Fatalf("room %s with %d dishes", s.Room.Currency, len(s.Room.Menu))
	}
	for i, it := range s.Room.Menu {
		price, _ := strconv.ParseInt(strings.TrimSuffix(strings.ReplaceAll(koreanMenu[i].Price, ",", ""), "원"), 10, 64)
		if it.Name != koreanMenu[i].Name || it.PriceMinor == nil || *it.PriceMinor != price {
			p.t.Errorf("dish %d is %q at %v, want %q at %d", i+1, it.Name, it.PriceMinor, koreanMenu[i].Name, price)
		}
	}
	if s.Room.Name != "Gwangjang night" || s.Members[0].Name != "Hana" || s.Room.HostID != s.Members[0].ID {
		p.t.Errorf("room %q, members %v, host %s", s.Room.Name, s.Members, s.Room.HostID)
	}
}

// join: each guest opens the link; the join screen speaks their language.
func (p *party) join() {
	names := []string{"Yuki", "Lucía", "Wei"}
	titles := []string{"テーブルに参加", "Únete a la mesa", "Join the table"}
	for i, g := range p.guests {
		g.do("open the link", chromedp.Navigate(p.base+"/r/"+p.roomID), chromedp.WaitVisible(chromedp.CSS("#join-btn")))
		g.waitText("h1", titles[i])
		// Before a name: the table's name, who is there, and the menu in
		// the reader's language beside the printed names.
		g.waitText("#join-table", "Gwangjang night")
		if n := eval[int](g, `document.querySelectorAll('#join-people li').length`); n != 1+i {
			p.t.Errorf("%s: the join screen shows %d people, want %d", g.name, n, 1+i)
		}
		if n := eval[int](g, `document.querySelectorAll('#join-dishes li').length`); n != len(koreanMenu) {
			p.t.Errorf("%s: the join screen shows %d dishes, want %d", g.name, n, len(koreanMenu))
		}
		if i == 0 {
			g.waitText("#join-dishes li:first-child", "ビビンバ")
			g.waitText("#join-dishes li:first-child", "₩12,000")
			p.a.screen(g, "05-join")
		}
		if i == 2 { // Wei's phone is in English; he picks 繁體中文 by hand
			g.do("switch to Traditional Chinese", chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#lang'); s.value = 'zh-Hant'; s.dispatchEvent(new Event('change')); })()`))
			g.waitText("h1", "加入餐桌")
		}
		g.do("join", chromedp.SendKeys(chromedp.CSS("#name"), names[i]), chromedp.Click(chromedp.CSS("#join-btn")))
		g.state("live")
	}
	for _, want := range []struct {
		p    *phone
		lang string
	}{{p.host, "en"}, {p.guests[0], "ja"}, {p.guests[1], "es"}, {p.guests[2], "zh-Hant"}} {
		if got := eval[string](want.p, `document.documentElement.lang`); got != want.lang {
			p.t.Errorf("%s: <html lang=%q>, want %q", want.p.name, got, want.lang)
		}
	}
	p.host.waitJS("four at the table", `document.querySelectorAll('#people li').length === 4`)
}

// splitStreams makes sure the phones follow the table through both
// replicas (round robin decides; a reload moves a phone).
func (p *party) splitStreams() {
	open := func(r *testproc.Replica) int { return scrape(p.t, r.URL(), "menusync_streams_open") }
	for i := 0; open(p.reps[0]) == 0 || open(p.reps[1]) == 0; i++ {
		if i == 8 {
			p.t.Fatal("the phones' streams never spread over both replicas")
		}
		g := p.guests[i%3]
		g.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#dishes li`)))
		g.state("live")
		testproc.WaitFor(p.t, 10*time.Second, "old stream closed", func() bool { return open(p.reps[0])+open(p.reps[1]) == 4 })
	}
}

func dish(id string) string { return fmt.Sprintf(`#dishes li[data-menu-id="%s"]`, id) }

// pick: everyone picks; one with a note, one for the table.
func (p *party) pick() {
	h, yuki, lucia, wei := p.host, p.guests[0], p.guests[1], p.guests[2]
	h.click(dish("1") + " .plus")
	h.waitText(dish("1")+" .qty", "1")
	h.click(dish("1") + " .plus")
	h.waitText(dish("1")+" .qty", "2")
	h.click(dish("1") + " .note-btn")
	h.do("write a note", chromedp.WaitVisible(chromedp.CSS("#note-input")), chromedp.SendKeys(chromedp.CSS("#note-input"), "no egg"), chromedp.Click(chromedp.CSS("#note-save")))
	clicked := time.Now()
	yuki.click(dish("2") + " .plus")
	h.waitText(dish("2")+" .who", "Yuki ×1")
	p.note("Yuki's pick showed on Hana's phone %v after her tap", time.Since(clicked).Round(time.Millisecond))
	lucia.click(dish("4") + " .plus")
	lucia.waitJS("her pick", `document.querySelector('`+dish("4")+` .dish-mine:not([hidden])')`)
	lucia.click(dish("4") + " .switch")
	// Someone else's pick rewrites nothing a screen reader announces.
	yuki.do("watch the live regions", chromedp.Evaluate[chromedp.Void](`(() => {
		window.liveWrites = 0;
		const obs = new MutationObserver((ms) => { window.liveWrites += ms.length; });
		for (const el of document.querySelectorAll('[aria-live], [role=status], [role=alert], [role=log], output')) {
			obs.observe(el, { childList: true, subtree: true, characterData: true, attributes: true });
		}
	})()`))
	wei.click(dish("3") + " .plus")
	yuki.waitText(dish("3")+" .who", "Wei ×1")
	if n := eval[int](yuki, `window.liveWrites`); n != 0 {
		p.t.Errorf("Wei's pick wrote %d times to live regions on Yuki's phone", n)
	}
	if n := eval[int](yuki, `document.querySelectorAll('[aria-live], [role=status], [role=alert], [role=log], output').length`); n > 2 {
		p.t.Errorf("%d live regions on the table screen, want the announcer and the error toast", n)
	}
	yuki.waitText(dish("1")+" .who", "Hana ×2 — no egg")
	h.waitText(dish("4")+" .who", "Lucía ×1 (for the table)")
	h.waitText(dish("3")+" .who", "Wei ×1")
	// The printed name beside each reader's own: ビビンバ for Yuki, as a
	// suggestion; the Korean marked as Korean.
	yuki.waitText(dish("1")+" .dish-tr", "ビビンバ")
	if got := eval[string](yuki, `document.querySelector('`+dish("1")+` .dish-printed').lang`); got != "ko" {
		p.t.Errorf("printed name lang=%q, want ko", got)
	}
	wei.waitText(dish("1")+" .dish-tr", "拌飯")
	lucia.waitText(dish("1")+" .dish-tr", "Bibimbap")
}

// sleep: Lucía's phone sleeps (its page frozen, as a phone's browser
// freezes a tab it put in the background) while Wei takes a second
// bulgogi; when it wakes it catches up by itself.
func (p *party) sleep() {
	lucia, wei := p.guests[1], p.guests[2]
	if _, err := chromedp.Call(lucia.ctx, page.SetWebLifecycleState, page.SetWebLifecycleStateParams{State: page.SetWebLifecycleStateStateFrozen}); err != nil {
		p.t.Fatal(err)
	}
	wei.click(dish("3") + " .plus")
	p.host.waitText(dish("3")+" .who", "Wei ×2")
	slept := time.Now()
	if _, err := chromedp.Call(lucia.ctx, page.SetWebLifecycleState, page.SetWebLifecycleStateParams{State: page.SetWebLifecycleStateStateActive}); err != nil {
		p.t.Fatal(err)
	}
	lucia.waitText(dish("3")+" .who", "Wei ×2")
	lucia.state("live")
	p.note("Lucía's phone caught up %v after it woke", time.Since(slept).Round(time.Millisecond))
}

// nameADish: Lucía names the bibimbap in Spanish; everyone's copy of the
// menu has it at once (the dishname event), and her phone shows it.
func (p *party) nameADish() {
	lucia := p.guests[1]
	lucia.click(dish("1") + " .tag")
	lucia.do("name it", chromedp.WaitVisible(chromedp.CSS("#dish-name-input")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#dish-name-input').value = ''`), chromedp.SendKeys(chromedp.CSS("#dish-name-input"), "Arroz bibimbap"),
		chromedp.Click(chromedp.CSS("#dish-name-save")))
	lucia.waitText(dish("1")+" .dish-tr", "Arroz bibimbap")
	p.host.waitJS("the Spanish name", `app.state.room.menu[0].names?.es === 'Arroz bibimbap'`)
	if n := eval[int](lucia, `document.querySelectorAll('`+dish("1")+` .tag').length`); n != 0 {
		p.t.Errorf("the named dish still has %d suggestion tags", n)
	}
}

// done: the guests say they are done; the host sees who, then is done too.
func (p *party) done() {
	for _, g := range p.guests {
		g.click("#done-btn")
		g.waitJS("done", `document.querySelector('#done-btn').getAttribute('aria-pressed') === 'true'`)
	}
	p.host.waitText("#done-count", "3 of 4 done")
	p.a.screen(p.guests[0], "06-table-ja")
	p.host.click("#done-btn")
	for _, ph := range append([]*phone{p.host}, p.guests...) {
		ph.waitJS("everyone done", `document.querySelector('#alldone-banner')`)
	}
	p.host.do("scroll to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	p.a.screen(p.host, "06-table")
}

// summaryMatchesServer: each phone's totals and split, kept up to date
// from the events, are the server's to the won.
func (p *party) summaryMatchesServer() {
	want := p.snapshot().Summary
	for _, ph := range append([]*phone{p.host}, p.guests...) {
		raw := eval[string](ph, `JSON.stringify(app.state.summary)`)
		var got menusync.Summary
		if err := json.Unmarshal([]byte(raw), &got); err != nil {
			p.t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			a, _ := json.Marshal(want)
			p.t.Errorf("%s: summary\n%s\nserver:\n%s", ph.name, raw, a)
		}
	}
	h := p.host
	h.click("#bar-summary")
	h.waitJS("the split", `document.querySelectorAll('#summary .person-card').length === 4`)
	if !strings.Contains(h.text("#summary"), "Share of Seafood") {
		p.t.Errorf("the summary has no shared line: %q", h.text("#summary"))
	}
	p.a.screen(h, "07-summary")
	h.click("#summary-dialog .sheet-close")
}

// hostControls: 10% service, then the order locked for the staff.
func (p *party) hostControls() {
	h, yuki := p.host, p.guests[0]
	h.click("#options-btn")
	h.waitJS("the options", `document.querySelector('#options-dialog')`)
	p.a.screen(h, "08-options")
	h.click("#opt-host")
	h.do("10% service", chromedp.WaitVisible(chromedp.CSS("#service-input")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#service-input').value = ''`),
		chromedp.SendKeys(chromedp.CSS("#service-input"), "10"), chromedp.Click(chromedp.CSS("#charges-save")))
	h.waitJS("the service charge", `app.state.room.serviceChargePercent === 10`)
	h.click("#lock-toggle")
	yuki.waitJS("the lock", `document.querySelector('#locked-banner') && document.querySelector('`+dish("1")+` .plus').disabled`)
	p.a.screen(h, "09-host")
	h.click("#host-dialog .sheet-close")
	want := p.snapshot().Summary
	if *want.ServiceMinor != *want.SubtotalMinor/10 {
		p.t.Errorf("service %d of %d", *want.ServiceMinor, *want.SubtotalMinor)
	}
	yuki.waitJS("the total with service", fmt.Sprintf(`app.state.summary.totalMinor === %d`, *want.TotalMinor))
}

// staffCard: the order as printed, large, from the bar in one tap.
func (p *party) staffCard() {
	h := p.host
	h.click("#bar-staff")
	h.waitJS("the order", `document.querySelectorAll('#staff-order .staff-line').length === 4`)
	text := h.text("#staff-order")
	for _, want := range []string{"비빔밥", "no egg", "해물파전", "최종 주문"} {
		if !strings.Contains(text, want) {
			p.t.Errorf("staff card %q lacks %q", text, want)
		}
	}
	if got := eval[string](h, `document.querySelector('#staff-order').lang`); got != "ko" {
		p.t.Errorf("staff card lang=%q, want ko", got)
	}
	p.a.screen(h, "10-staff")
	h.click("#say-btn")
	h.waitText("#staff-order", "bibimbap")
	p.a.screen(h, "11-staff-say")
	h.click("#copy-order")
	h.waitText("#copy-order", "Copied")
	h.click("#staff-card .sheet-close")
}

// restart: both replicas go down mid-dinner; the phones say they are
// reconnecting, come back on their own, and the dinner goes on.
func (p *party) restart() {
	for _, r := range p.reps {
		r.Kill()
	}
	p.host.waitJS("reconnecting", `['reconnecting', 'offline'].includes(document.querySelector('#status').dataset.state)`)
	p.a.screen(p.host, "12-reconnecting")
	down := time.Now()
	for _, r := range p.reps {
		r.Restart(p.t)
	}
	for _, ph := range append([]*phone{p.host}, p.guests...) {
		ph.state("live")
	}
	p.note("every phone live again %v after the replicas were back", time.Since(down).Round(time.Millisecond))
	h, yuki := p.host, p.guests[0]
	h.click("#options-btn")
	h.click("#opt-host")
	h.do("unlock", chromedp.WaitVisible(chromedp.CSS("#lock-toggle")), chromedp.Click(chromedp.CSS("#lock-toggle")))
	yuki.waitJS("unlocked", `!document.querySelector('#locked-banner')`)
	h.click("#host-dialog .sheet-close")
	yuki.click(dish("6") + " .plus")
	h.waitText(dish("6")+" .who", "Yuki ×1")
	want := p.snapshot()
	for _, ph := range append([]*phone{p.host}, p.guests...) {
		ph.waitJS("the room's position", fmt.Sprintf(`app.state.epoch === %q && app.state.version === %d`, want.Epoch, want.Version))
	}
}

// editMenu: the host adds a dish; every phone has it at once.
func (p *party) editMenu() {
	h := p.host
	h.click("#options-btn")
	h.click("#opt-host")
	h.click("#edit-menu")
	h.waitJS("the menu editor", `document.querySelectorAll('#edit-menu li').length === 6`)
	h.click("#menu-editor .btn-ghost")
	h.do("add a dish", chromedp.SendKeys(chromedp.CSS("#em-n-7"), "소주"), chromedp.SendKeys(chromedp.CSS("#em-p-7"), "5000"))
	p.a.screen(h, "13-menu-editor")
	h.click("#menu-editor .sheet-actions .btn-primary")
	for _, g := range p.guests {
		g.waitJS("the new dish", `document.querySelectorAll('#dishes li').length === 7`)
	}
	h.click("#host-dialog .sheet-close")
}

// handOver: Hana hands the table to Yuki, who takes Wei out (his dishes
// stay in the order); Wei's phone says he is no longer at the table.
func (p *party) handOver() {
	h, yuki, wei := p.host, p.guests[0], p.guests[2]
	h.click("#options-btn")
	h.click("#opt-host")
	h.waitJS("the people", `document.querySelectorAll('#host-people li').length === 3`)
	h.click("#host-people li:nth-child(1) .btn-secondary") // Yuki: make host
	h.click("dialog:last-of-type .sheet-actions .btn-primary")
	h.waitJS("no longer host", `!document.querySelector('#host-dialog')`)
	yuki.click("#options-btn")
	yuki.click("#opt-host")
	yuki.waitJS("the people", `document.querySelectorAll('#host-people li').length === 3`)
	yuki.click("#host-people li:nth-child(3) .btn-danger-quiet")    // Wei: remove
	yuki.click("dialog:last-of-type .sheet-actions .btn-secondary") // keep his dishes
	wei.waitText("h1", "你已不在這桌")
	p.a.screen(wei, "14-removed")
	yuki.waitJS("three at the table", `document.querySelectorAll('#people li').length === 3`)
	yuki.click("#host-dialog .sheet-close")
	want := p.snapshot()
	if len(want.Left) != 1 || !strings.Contains(fmt.Sprint(want.Summary.Members), "Wei") {
		p.t.Errorf("Wei's dishes should stay in the order: left %v", want.Left)
	}
	p.host = yuki // the host from now on
	p.guests = []*phone{h, p.guests[1]}
}

// close: the host closes the table with a word; every phone says so,
// shows the way to a new table, and forgets the table.
func (p *party) close() {
	h := p.host
	h.click("#options-btn")
	h.click("#opt-host")
	h.click("#close-table")
	h.do("close the table", chromedp.WaitVisible(chromedp.CSS("#close-words")),
		chromedp.SendKeys(chromedp.CSS("#close-words"), "ごちそうさま!"), chromedp.Click(chromedp.CSS("#close-confirm")))
	for _, ph := range append([]*phone{p.host}, p.guests...) {
		ph.waitText("#host-words", "ごちそうさま!")
		ph.waitJS("storage cleared", fmt.Sprintf(`localStorage.getItem('menusync:%s') === null`, p.roomID))
		// The host controls the host closed it from go with the table.
		ph.waitJS("no sheet left over the closed table", `!document.querySelector('dialog[open]')`)
	}
	p.host.waitText("#start-new", "新しいテーブル")
	p.a.screen(p.host, "15-closed")
}

// snapshot is the room as the server has it (the host's token).
func (p *party) snapshot() *menusync.Snapshot {
	p.t.Helper()
	raw := eval[string](p.host, fmt.Sprintf(`localStorage.getItem('menusync:%s') ?? ''`, p.roomID))
	var me struct{ Token string }
	if err := json.Unmarshal([]byte(raw), &me); err != nil {
		p.t.Fatalf("the host's pass: %q", raw)
	}
	req, _ := http.NewRequest("GET", p.base+"/v1/rooms/"+p.roomID, nil)
	req.Header.Set("Authorization", "Bearer "+me.Token)
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	var s menusync.Snapshot
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&s) != nil {
		p.t.Fatalf("GET room: %d", resp.StatusCode)
	}
	return &s
}

// scrape reads one gauge from a replica's /metrics.
func scrape(t *testing.T, base, name string) int {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == name {
			v, _ := strconv.ParseFloat(f[1], 64)
			return int(v)
		}
	}
	return 0
}
