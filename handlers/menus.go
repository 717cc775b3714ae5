package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/menusync/menusync"
)

// ScanInfo says what the photo path can do, for GET /v1/config.
type ScanInfo struct {
	Available  bool
	Languages  []string
	MaxBytes   int64
	RetryAfter time.Duration // how long a client should wait when busy
}

// MaxMenuText bounds a pasted menu (POST /v1/menus/parse): 500 dishes
// of a few lines each, with room to spare. nginx allows the same.
const MaxMenuText = 256 << 10

// MaxScanUploads bounds the photos a replica receives at once: each is
// held in memory (up to 8 MiB) until a reader takes it. Past it, 503
// scan_busy.
const MaxScanUploads = 16

// menuItemInput is a dish as clients send it: a draft's item sent back
// as it came (its line and both price forms included) or written by
// hand. The price is exact either way: priceMinor in minor units of the
// room's currency, or price as a decimal in major units ("12.50", or the
// JSON number 12.5, read from its text, never through a float).
type menuItemInput struct {
	ID             string                  `json:"id"`
	Name           string                  `json:"name"`
	Price          *amountText             `json:"price"`
	PriceMinor     *int64                  `json:"priceMinor"`
	Description    string                  `json:"description"`
	Names          map[string]string       `json:"names"`
	SuggestedNames map[string]string       `json:"suggestedNames"`
	Romanized      string                  `json:"romanized"`
	Glossary       *menusync.GlossaryMatch `json:"glossary"`
	Line           int                     `json:"line"` // a draft's; ignored
}

// amountText holds a price as its text: a JSON string, or a JSON number
// as written.
type amountText string

func (a *amountText) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	} else {
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		s = n.String()
	}
	*a = amountText(s)
	return nil
}

// menuOf turns clients' dishes into the domain's, prices in minor units
// of cur. What the machine makes (suggestions, romanization, the glossary
// match) is made here again: a client's copy is ignored.
func (s *Server) menuOf(in []menuItemInput, cur menusync.Currency) ([]menusync.MenuItem, error) {
	if len(in) > menusync.MaxMenuItems {
		return nil, menusync.Invalidf("menu has %d items; the limit is %d", len(in), menusync.MaxMenuItems)
	}
	out := make([]menusync.MenuItem, len(in))
	for i, it := range in {
		m := menusync.MenuItem{ID: it.ID, Name: it.Name, PriceMinor: it.PriceMinor, Description: it.Description, Names: it.Names}
		if it.Price != nil {
			p, err := menusync.ParseAmount(string(*it.Price), cur)
			if err != nil {
				return nil, menusync.Invalidf("menu[%d].price: %s", i, err.Error())
			}
			if it.PriceMinor != nil && *it.PriceMinor != p {
				return nil, menusync.Invalidf("menu[%d]: price %s and priceMinor %d disagree", i, *it.Price, *it.PriceMinor)
			}
			m.PriceMinor = &p
		}
		if s.menus != nil {
			s.menus.Annotate(&m)
		}
		out[i] = m
	}
	return out, nil
}

// currencyOf reads an optional ISO 4217 code.
func currencyOf(code string) (menusync.Currency, error) {
	if code == "" {
		return menusync.Currency{Digits: 2}, nil
	}
	return menusync.ParseCurrency(strings.ToUpper(code))
}

type parseRequest struct {
	Text     string `json:"text"`
	Currency string `json:"currency"`
	Lang     string `json:"lang"`
}

// parseMenu reads pasted text into a draft; nothing is created.
func (s *Server) parseMenu(w http.ResponseWriter, r *http.Request) {
	var req parseRequest
	if err := s.decodeLimit(w, r, &req, MaxMenuText); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := currencyOf(req.Currency); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.menus.Parse(req.Text, strings.ToUpper(req.Currency), req.Lang))
}

// scanMenu reads a photo of a menu into a draft: the body is the image
// (image/jpeg, image/png, image/webp), or a multipart form with the
// image in a part named "image". The currency and language hints come in
// the query (?currency=KRW&lang=ko) or as form fields.
func (s *Server) scanMenu(w http.ResponseWriter, r *http.Request) {
	info := s.menus.ScanInfo()
	if !info.Available {
		s.fail(w, r, errOCRUnavailable)
		return
	}
	if r.ContentLength > info.MaxBytes+64<<10 {
		s.fail(w, r, imageTooLarge(info.MaxBytes))
		return
	}
	select {
	case s.scanUploads <- struct{}{}:
		defer func() { <-s.scanUploads }()
	default:
		setRetryAfter(w, info.RetryAfter.Round(time.Second))
		s.fail(w, r, errScanUploads)
		return
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(scanUploadTimeout))
	body := http.MaxBytesReader(w, r.Body, info.MaxBytes+64<<10)
	q := r.URL.Query()
	currency, lang := q.Get("currency"), q.Get("lang")
	ct := r.Header.Get("Content-Type")
	img := body
	mt, params, _ := mime.ParseMediaType(ct)
	if mt == "multipart/form-data" {
		part, cur, lng, err := imagePart(multipart.NewReader(body, params["boundary"]))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		defer part.Close()
		img, ct = part, part.Header.Get("Content-Type")
		if ct == "application/octet-stream" {
			ct = "" // what browsers and curl say of a file they do not know: sniff it
		}
		currency, lang = firstNonEmpty(cur, currency), firstNonEmpty(lng, lang)
	}
	if _, err := currencyOf(currency); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.menus.Scan(r.Context(), img, ct, strings.ToUpper(currency), lang)
	if err != nil {
		err = uploadError(err, info.MaxBytes)
		if isScanBusy(err) {
			setRetryAfter(w, info.RetryAfter.Round(time.Second))
		}
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// uploadError says what went wrong with the upload itself (too large,
// too slow, cut off) rather than with the image.
func uploadError(err error, maxBytes int64) error {
	var (
		mbe *http.MaxBytesError
		ne  net.Error
	)
	switch {
	case errors.As(err, &mbe):
		return imageTooLarge(maxBytes)
	case errors.As(err, &ne) && ne.Timeout():
		return errBodyTimeout
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, multipart.ErrMessageTooLarge):
		return errUploadCut
	}
	return err
}

// scanUploadTimeout bounds the upload of a photo: 8 MiB on a slow
// mobile link.
const scanUploadTimeout = 60 * time.Second

// imagePart finds the form's image part; text fields before it may give
// the currency and language.
func imagePart(mr *multipart.Reader) (img *multipart.Part, currency, lang string, err error) {
	for range 8 {
		p, err := mr.NextPart()
		if err != nil {
			return nil, "", "", newError(http.StatusBadRequest, codeBadImage, "the form has no part named image")
		}
		switch p.FormName() {
		case "image", "file", "photo":
			return p, currency, lang, nil
		case "currency", "lang":
			b := make([]byte, 36)
			n, _ := p.Read(b)
			if p.FormName() == "currency" {
				currency = strings.TrimSpace(string(b[:n]))
			} else {
				lang = strings.TrimSpace(string(b[:n]))
			}
		}
		p.Close()
	}
	return nil, "", "", newError(http.StatusBadRequest, codeBadImage, "the form has no part named image among its first parts")
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func imageTooLarge(limit int64) error {
	return newError(http.StatusRequestEntityTooLarge, codeImageTooLarge, fmt.Sprintf("the photo is larger than %d bytes; send a smaller one", limit))
}
