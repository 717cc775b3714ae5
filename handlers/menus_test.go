package handlers_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/handlers"
	"github.com/menusync/menusync/internal/app"
	"github.com/menusync/menusync/internal/menuimage"
	"github.com/menusync/menusync/internal/testproc"
)

var koreanMenu = menuimage.Menu{Script: menuimage.KR, Title: "한식당 메뉴", Dishes: []menuimage.Dish{
	{Name: "비빔밥", Price: "12,000원"}, {Name: "김치찌개", Price: "9,000원"}, {Name: "해물파전", Price: "15,000원"},
	{Name: "불고기", Price: "18,000원"}, {Name: "냉면", Price: "10,000원"},
}}

// koreanPhoto is the menu as a phone stores it: a JPEG turned on its
// side with EXIF orientation 6, slightly askew and noisy.
func koreanPhoto(t *testing.T) []byte {
	t.Helper()
	if err := menuimage.FontsInstalled(); err != nil {
		testproc.Missing(t, "Noto fonts", "fonts-noto-cjk fonts-noto-core")
	}
	img, err := koreanMenu.Render()
	if err != nil {
		t.Fatal(err)
	}
	shot := menuimage.AddNoise(menuimage.Rotate(img, 1.2), 8)
	return menuimage.WithEXIF(menuimage.JPEG(menuimage.ToRGBA(menuimage.Stored(shot, 6)), 88), 6, "II")
}

func wantDishes(t *testing.T, d menusync.Draft) {
	t.Helper()
	got := map[string]int64{}
	for _, it := range d.Items {
		if it.PriceMinor != nil {
			got[it.Name] = *it.PriceMinor
		}
	}
	want := map[string]int64{"비빔밥": 12000, "김치찌개": 9000, "해물파전": 15000, "불고기": 18000, "냉면": 10000}
	for name, p := range want {
		if got[name] != p {
			t.Errorf("%s: price %d, want %d (draft %+v)", name, got[name], p, d.Items)
		}
	}
	if d.Currency != "KRW" {
		t.Errorf("currency %q, want KRW", d.Currency)
	}
}

func TestScanAPhoto(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	var cfg struct {
		Capabilities struct {
			Scan          bool
			ScanLanguages []string
		}
	}
	f.do("GET", "/v1/config", "", nil).json(t, &cfg)
	if !cfg.Capabilities.Scan || !strings.Contains(strings.Join(cfg.Capabilities.ScanLanguages, " "), "ko") {
		testproc.Missing(t, "tesseract with Korean data", "tesseract-ocr tesseract-ocr-kor")
	}
	photo := koreanPhoto(t)
	r := f.do("POST", "/v1/menus/scan?lang=ko", "", photo, "Content-Type", "image/jpeg")
	if r.status != http.StatusOK {
		t.Fatalf("scan: %d %s", r.status, r.body)
	}
	var d menusync.Draft
	r.json(t, &d)
	wantDishes(t, d)
	if d.Format != "photo" || d.Lang != "ko" || len(d.Lines) < 5 || d.Items[0].Romanized == "" {
		t.Fatalf("draft: %+v", d)
	}
	// The same photo from a form, language detected.
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("currency", "KRW")
	w, _ := mw.CreateFormFile("image", "menu.jpg")
	_, _ = w.Write(photo)
	_ = mw.Close()
	r = f.do("POST", "/v1/menus/scan", "", b.Bytes(), "Content-Type", mw.FormDataContentType())
	if r.status != http.StatusOK {
		t.Fatalf("scan a form: %d %s", r.status, r.body)
	}
	d = menusync.Draft{}
	r.json(t, &d)
	wantDishes(t, d)
}

func TestScanRefusals(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	f.want(f.do("POST", "/v1/menus/scan?lang=ko", "", []byte("not an image at all"), "Content-Type", "text/plain"), 415, "unsupported_image")
	bomb := menuimage.PNG(image.NewGray(image.Rect(0, 0, 1, 1)))
	binary.BigEndian.PutUint32(bomb[16:], 60000) // IHDR width, height
	binary.BigEndian.PutUint32(bomb[20:], 60000)
	binary.BigEndian.PutUint32(bomb[29:], crc32.ChecksumIEEE(bomb[12:29]))
	f.want(f.do("POST", "/v1/menus/scan?lang=ko", "", bomb, "Content-Type", "image/png"), 413, "image_too_large")
	big := make([]byte, 9<<20)
	copy(big, menuimage.PNG(image.NewGray(image.Rect(0, 0, 8, 8))))
	f.want(f.do("POST", "/v1/menus/scan?lang=ko", "", big, "Content-Type", "image/png"), 413, "image_too_large")
	f.want(f.do("POST", "/v1/menus/scan?lang=tlh", "", menuimage.PNG(image.NewGray(image.Rect(0, 0, 8, 8))), "Content-Type", "image/png"), 422, "invalid_value")
	f.want(f.do("POST", "/v1/menus/scan?currency=XYZ", "", menuimage.PNG(image.NewGray(image.Rect(0, 0, 8, 8))), "Content-Type", "image/png"), 422, "invalid_value")
}

// TestScanWithoutOCR: a server without Tesseract says so before the
// upload, and clients can hide the camera.
func TestScanWithoutOCR(t *testing.T) {
	f := newFixtureOn(t, testproc.StartRedis(t), handlers.Config{}, func(c *app.Config) { c.OCR.Binary = "off" })
	var cfg struct{ Capabilities struct{ Scan bool } }
	f.do("GET", "/v1/config", "", nil).json(t, &cfg)
	if cfg.Capabilities.Scan {
		t.Fatal("capabilities.scan with OCR off")
	}
	r := f.do("POST", "/v1/menus/scan", "", menuimage.PNG(image.NewGray(image.Rect(0, 0, 8, 8))), "Content-Type", "image/png")
	f.want(r, 503, "ocr_unavailable")
	if r.header.Get("Retry-After") == "" {
		t.Fatal("503 without Retry-After")
	}
}

func TestParseAMenu(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	text := "한식당 메뉴\n비빔밥 ........ 12,000원\n김치찌개 9,000원\n해물파전, ₩15,000\n불고기 18.000원\n냉면 10,000원\n"
	r := f.do("POST", "/v1/menus/parse", "", map[string]string{"text": text})
	if r.status != 200 {
		t.Fatalf("parse: %d %s", r.status, r.body)
	}
	var d menusync.Draft
	r.json(t, &d)
	wantDishes(t, d)
	if len(d.Warnings) == 0 || d.Warnings[0].Line != 1 || d.Warnings[0].Code != "heading" {
		t.Fatalf("warnings: %+v", d.Warnings)
	}
	// The draft goes back as a menu as it came.
	menu, _ := json.Marshal(map[string]any{"currency": d.Currency, "creatorName": "Hana", "menu": d.Items})
	if r := f.do("POST", "/v1/rooms", "", menu); r.status != 201 {
		t.Fatalf("a draft sent back as a menu: %d %s", r.status, r.body)
	}
	f.want(f.do("POST", "/v1/menus/parse", "", map[string]string{"text": "x", "currency": "XYZ"}), 422, "invalid_value")
	f.want(f.do("POST", "/v1/menus/parse", "", `{"text":"`+strings.Repeat("x", handlers.MaxMenuText)+`"}`), 413, "body_too_large")
	f.want(f.do("POST", "/v1/menus/parse", "", map[string]string{"text": "x"}, "Content-Type", "text/plain"), 415, "unsupported_media_type")
}

// TestParsePricesAsPrinted: the lines, through the API: the
// right price in the right currency, or a warning, never a silent guess.
func TestParsePricesAsPrinted(t *testing.T) {
	f := newFixture(t, handlers.Config{})
	for _, c := range []struct {
		text, currency string
		minor          int64
	}{
		{"비빔밥, ₩12,000", "KRW", 12000},
		{"김치찌개 9,000원", "KRW", 9000},
		{"비빔밥 ........ 12,000", "KRW", 12000},
		{"Phở bò 12.000 ₫", "VND", 12000},
		{"Coq au vin 1.200,50 €", "EUR", 120050},
		{"ラーメン ¥980", "JPY", 980},
		{"ラーメン 980円", "JPY", 980},
		{"Cheeseburger $12.50", "USD", 1250},
		{"ผัดไทย 120 บาท", "THB", 12000},
		{"Set B: pork with rice, soup 1, 11.5 €", "EUR", 1150},
	} {
		var d menusync.Draft
		r := f.do("POST", "/v1/menus/parse", "", map[string]string{"text": c.text})
		r.json(t, &d)
		var got int64 = -1
		if len(d.Items) == 1 && d.Items[0].PriceMinor != nil {
			got = *d.Items[0].PriceMinor
		}
		if r.status != 200 || d.Currency != c.currency || got != c.minor {
			t.Errorf("%q: %s %d, want %s %d (%s)", c.text, d.Currency, got, c.currency, c.minor, r.body)
		}
	}
}
