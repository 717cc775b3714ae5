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
	cols := readHeader(header, headerLine, st)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			st.warn(csvErrorLine(err), CodeBadRow, "row skipped: "+csvReason(err))
			continue
		}
		line, _ := r.FieldPos(0)
		if allBlank(rec) {
			continue
		}
		merged := ""
		if n := len(rec); n > len(header) {
			if rec, merged = mergeThousands(rec, len(header), cols.price); rec == nil {
				st.warn(line, CodeBadRow, fmt.Sprintf("row skipped: it has %d fields but the header has %d; quote fields that contain “%c”", n, len(header), delim))
				continue
			}
		}
		readCSVRow(rec, cols.kinds, cols.tags, line, merged, st)
		if st.full {
			return
		}
	}
}

// csvColumns is what the header says each column holds.
type csvColumns struct {
	kinds []column
	tags  []string // the language of each colTranslation column
	price int      // index of the price column, -1 if there is none
}

// readHeader names the columns. Columns we do not read are reported here,
// once, rather than on every row.
func readHeader(header []string, line int, st *state) csvColumns {
	cols := csvColumns{kinds: make([]column, len(header)), tags: make([]string, len(header)), price: -1}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case h == "id":
			cols.kinds[i] = colID
		case h == "name":
			cols.kinds[i] = colName
		case h == "price":
			cols.kinds[i], cols.price = colPrice, i
		case h == "description":
			cols.kinds[i] = colDescription
		case h == "currency":
			cols.kinds[i] = colCurrency
		case strings.HasPrefix(h, "name_"):
			tag, err := language.Parse(strings.ReplaceAll(h[len("name_"):], "_", "-"))
			if err != nil {
				st.warn(line, CodeBadLang, fmt.Sprintf("column “%s”: “%s” is not a BCP 47 language tag; column ignored", short(header[i]), short(h[len("name_"):])))
				continue
			}
			cols.kinds[i], cols.tags[i] = colTranslation, tag.String()
		default:
			st.warn(line, CodeUnknownField, fmt.Sprintf("column “%s” is not one we read (id, name, price, description, currency, name_<lang>); ignored", short(header[i])))
		}
	}
	return cols
}

// csvErrorLine is the line a broken record starts on, 0 when the reader
// does not say.
func csvErrorLine(err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.StartLine
	}
	return 0
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
