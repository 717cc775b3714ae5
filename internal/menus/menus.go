// Package menus turns what a party brings into draft menus: pasted text
// and files through menutext, photos through ocr and then menutext, and
// every dish through the glossary for names in other languages and a
// romanization. It is the one place the three meet, so the web app, the
// CLI and the photo path get the same reading.
package menus

import (
	"context"
	"io"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/glossary"
	"github.com/menusync/menusync/handlers"
	"github.com/menusync/menusync/menutext"
	"github.com/menusync/menusync/ocr"
)

// Reader reads menus. Scanner may be nil (no OCR configured).
type Reader struct {
	glossary *glossary.Glossary
	scanner  *ocr.Tesseract
}

// New returns a Reader with the given glossary and scanner.
func New(g *glossary.Glossary, scanner *ocr.Tesseract) *Reader {
	return &Reader{glossary: g, scanner: scanner}
}

// Annotate fills the dish's glossary suggestions and romanization: names
// in the glossary's languages where the dish has none of its own, and how
// to say the printed name.
func (r *Reader) Annotate(it *menusync.MenuItem) {
	if it.Romanized == "" {
		if rom, complete := r.glossary.Romanize(it.Name); complete && rom != "" {
			it.Romanized = rom
		}
	}
	m, ok := r.glossary.Lookup(it.Name)
	if !ok {
		return
	}
	it.Glossary = &menusync.GlossaryMatch{Entry: m.Entry.ID, Kind: m.Kind.String(), Modifier: m.Modifier}
	for _, lang := range glossary.Languages() {
		s := m.Suggestion(lang)
		if s == "" || s == it.Name || it.Names[lang] != "" || it.SuggestedNames[lang] != "" {
			continue
		}
		if it.SuggestedNames == nil {
			it.SuggestedNames = map[string]string{}
		}
		it.SuggestedNames[lang] = s
	}
}

// Parse reads pasted text into a draft.
func (r *Reader) Parse(text, currency, lang string) menusync.Draft {
	return r.draft(menutext.Parse(text, menutext.Options{Currency: currency, Lang: lang}))
}

// Scan reads a photo, then its text as Parse does. The language the
// photo was read in is the parser's hint too.
func (r *Reader) Scan(ctx context.Context, img io.Reader, contentType, currency, lang string) (menusync.Draft, error) {
	if r.scanner == nil {
		return menusync.Draft{}, ocr.ErrUnavailable
	}
	res, err := r.scanner.Scan(ctx, img, contentType, ocr.Hint{Lang: lang})
	if err != nil {
		return menusync.Draft{}, err
	}
	d := r.draft(menutext.Parse(res.Text, menutext.Options{Currency: currency, Lang: res.Lang}))
	d.Format, d.Lang = "photo", res.Lang
	d.Lines = make([]menusync.ScannedLine, len(res.Lines))
	for i, l := range res.Lines {
		d.Lines[i] = menusync.ScannedLine{Text: l.Text, Confidence: l.Confidence}
	}
	return d, nil
}

// ScanInfo reports what the scanner can do.
func (r *Reader) ScanInfo() handlers.ScanInfo {
	if r.scanner == nil || !r.scanner.Available() {
		return handlers.ScanInfo{}
	}
	return handlers.ScanInfo{Available: true, Languages: r.scanner.Languages(), MaxBytes: r.scanner.Config().MaxBytes,
		RetryAfter: max(r.scanner.RetryAfter(), time.Second)}
}

func (r *Reader) draft(p menutext.Draft) menusync.Draft {
	d := menusync.Draft{Currency: p.Currency, Format: p.Format, Items: make([]menusync.DraftItem, len(p.Items)),
		Warnings: make([]menusync.DraftWarning, len(p.Warnings))}
	cur := menusync.Currency{Digits: 2}
	if c, err := menusync.ParseCurrency(p.Currency); err == nil {
		cur = c
	}
	d.CurrencyDigits = cur.Digits
	menu := make([]menusync.MenuItem, len(p.Items))
	for i, it := range p.Items {
		menu[i] = menusync.MenuItem{ID: it.ID, Name: it.Name, PriceMinor: it.PriceMinor, Description: it.Description, Names: it.Names}
	}
	// Dishes without an id get numbers no dish of the draft has, so the
	// draft can be sent back as a menu as it is.
	menu, _ = menusync.AssignIDs(menu, nil, 1)
	for i, it := range p.Items {
		mi := menu[i]
		r.Annotate(&mi)
		di := menusync.DraftItem{MenuItem: mi, Line: it.Line}
		if it.PriceMinor != nil {
			di.Price = menusync.FormatAmount(*it.PriceMinor, cur)
		}
		d.Items[i] = di
	}
	for i, w := range p.Warnings {
		d.Warnings[i] = menusync.DraftWarning{Line: w.Line, Code: w.Code, Message: w.Message}
	}
	return d
}
