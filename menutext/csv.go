package menutext

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/language"
)

// A CSV menu must start with a header naming a "name" column; without one
// the text is read as pasted lines, because a pasted line such as
// "Bibimbap, 12.50" cannot be told from a headerless CSV row.
var csvDelims = []rune{',', ';', '\t'} // ';' is what spreadsheets write where ',' is the decimal point

// csvHeader reports whether the first non-blank line is a CSV header and
// which delimiter it uses.
func csvHeader(text string) (rune, bool) {
	first := text
	for {
		l, rest, more := strings.Cut(first, "\n")
		if strings.TrimSpace(l) != "" || !more {
			first = l
			break
		}
		first = rest
	}
	for _, d := range csvDelims {
		r := csv.NewReader(strings.NewReader(first))
		r.Comma = d
		rec, err := r.Read()
		if err != nil || len(rec) < 2 {
			continue
		}
		for _, h := range rec {
			if strings.EqualFold(strings.TrimSpace(h), "name") {
				return d, true
			}
		}
	}
	return 0, false
}

type column int

const (
	colIgnore column = iota
	colID
	colName
	colPrice
	colDescription
	colCurrency
	colTranslation
)

func readCSV(text string, delim rune, st *state) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = delim
	r.FieldsPerRecord = -1 // checked here, with a useful message
	header, err := r.Read()
	if err != nil {
		st.warn(1, CodeBadRow, "the CSV header could not be read: "+err.Error())
		return
	}
	headerLine, _ := r.FieldPos(0)
	kinds := make([]column, len(header))
	tags := make([]string, len(header))
	priceCol := -1
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case h == "id":
			kinds[i] = colID
		case h == "name":
			kinds[i] = colName
		case h == "price":
			kinds[i], priceCol = colPrice, i
		case h == "description":
			kinds[i] = colDescription
		case h == "currency":
			kinds[i] = colCurrency
		case strings.HasPrefix(h, "name_"):
			tag, err := language.Parse(strings.ReplaceAll(h[len("name_"):], "_", "-"))
			if err != nil {
				st.warn(headerLine, CodeBadLang, fmt.Sprintf("column “%s”: “%s” is not a BCP 47 language tag; column ignored", short(header[i]), short(h[len("name_"):])))
				continue
			}
			kinds[i], tags[i] = colTranslation, tag.String()
		default:
			st.warn(headerLine, CodeUnknownField, fmt.Sprintf("column “%s” is not one we read (id, name, price, description, currency, name_<lang>); ignored", short(header[i])))
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			st.warn(line, CodeBadRow, "row skipped: "+csvReason(err))
			continue
		}
		line, _ := r.FieldPos(0)
		if allBlank(rec) {
			continue
		}
		merged := ""
		if n := len(rec); n > len(header) {
			if rec, merged = mergeThousands(rec, len(header), priceCol); rec == nil {
				st.warn(line, CodeBadRow, fmt.Sprintf("row skipped: it has %d fields but the header has %d; quote fields that contain “%c”", n, len(header), delim))
				continue
			}
		}
		readCSVRow(rec, kinds, tags, line, merged, st)
		if st.full {
			return
		}
	}
}

func readCSVRow(rec []string, kinds []column, tags []string, line int, merged string, st *state) {
	var name, id, desc, price, cur string
	var names [][2]string
	for i, v := range rec {
		if i >= len(kinds) {
			break
		}
		v = strings.TrimSpace(v)
		switch kinds[i] {
		case colID:
			id = v
		case colName:
			name = v
		case colPrice:
			price = v
		case colDescription:
			desc = v
		case colCurrency:
			cur = v
		case colTranslation:
			names = append(names, [2]string{tags[i], v})
		}
	}
	if name == "" {
		st.warn(line, CodeNoName, "row without a name: skipped")
		return
	}
	e := st.newEntry(line)
	if e == nil {
		return
	}
	e.id, e.name, e.desc = id, name, desc
	for _, n := range names {
		addName(e, n[0], n[1])
	}
	if merged != "" {
		e.warn(CodePriceAmbiguous, fmt.Sprintf("the price was split by an unquoted “,”; read as “%s” — quote it in the file", short(merged)))
	}
	readCell(e, price)
	if cur != "" {
		addCurrencyField(e, cur)
	}
}

// mergeThousands repairs the commonest broken row, an unquoted "12,000"
// in the price column, which the header's field count exposes. Anything
// else with extra fields is not guessed at.
func mergeThousands(rec []string, want, priceCol int) ([]string, string) {
	extra := len(rec) - want
	if priceCol < 0 || priceCol+extra >= len(rec) {
		return nil, ""
	}
	head := strings.TrimSpace(rec[priceCol])
	if head == "" || !isDigit(rune(head[len(head)-1])) {
		return nil, ""
	}
	joined := rec[priceCol]
	for _, g := range rec[priceCol+1 : priceCol+1+extra] {
		if len(g) != 3 || !strings.ContainsFunc(g, isDigit) || strings.IndexFunc(g, func(r rune) bool { return !isDigit(r) }) >= 0 {
			return nil, ""
		}
		joined += "," + g
	}
	out := append(append(append([]string{}, rec[:priceCol]...), joined), rec[priceCol+1+extra:]...)
	return out, strings.TrimSpace(joined)
}

func allBlank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			return "a “\"” inside a field that is not quoted; quote the field and double the quote (\"\")"
		case errors.Is(pe.Err, csv.ErrQuote):
			return "a quoted field is not closed"
		}
		return pe.Err.Error()
	}
	return err.Error()
}
