package menutext

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// looksJSON: a JSON menu starts with "{" or with "[" followed by an item,
// while "[식사]" or "[Mains]" starts a pasted menu with a heading.
func looksJSON(text string) bool {
	t := strings.TrimLeft(text, " \t\r\n")
	if strings.HasPrefix(t, "{") {
		return true
	}
	if !strings.HasPrefix(t, "[") {
		return false
	}
	t = strings.TrimLeft(t[1:], " \t\r\n")
	return t == "" || t[0] == '{' || t[0] == ']'
}

// lineIndex turns byte offsets into line numbers; offsets only grow, so
// counting from the last one keeps the whole read linear.
type lineIndex struct {
	text string
	off  int
	line int
}

func (x *lineIndex) at(off int) int {
	off = min(max(off, x.off), len(x.text))
	x.line += strings.Count(x.text[x.off:off], "\n")
	x.off = off
	return x.line
}

// start skips the whitespace and comma after off: where the next value
// actually begins, so an item is reported on its own line.
func (x *lineIndex) start(off int) int {
	for off < len(x.text) && strings.IndexByte(" \t\r\n,", x.text[off]) >= 0 {
		off++
	}
	return x.at(off)
}

type jsonReader struct {
	dec     *json.Decoder
	lines   *lineIndex
	st      *state
	unknown map[string]bool // fields already reported
}

func readJSON(text string, st *state) {
	jr := &jsonReader{dec: json.NewDecoder(strings.NewReader(text)), lines: &lineIndex{text: text, line: 1}, st: st,
		unknown: map[string]bool{}}
	jr.dec.UseNumber()
	if err := jr.document(); err != nil {
		jr.syntax(err)
		return
	}
	if _, err := jr.dec.Token(); err != io.EOF && !st.full {
		jr.st.warn(jr.lines.at(int(jr.dec.InputOffset())), CodeBadJSON, "text after the end of the JSON menu was ignored")
	}
}

func (jr *jsonReader) syntax(err error) {
	off := int(jr.dec.InputOffset())
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset)
	}
	msg := err.Error()
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		msg = "the JSON ends too early"
	}
	jr.st.warn(jr.lines.at(off), CodeBadJSON, "the JSON could not be read from here on ("+msg+"); items before it were kept")
}

// document reads [ items ] or { "currency": "KRW", "menu": [ items ] }.
func (jr *jsonReader) document() error {
	tok, err := jr.dec.Token()
	if err != nil {
		return err
	}
	if tok == json.Delim('[') {
		return jr.items()
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("a menu must be an array of items or an object with “menu”")
	}
	for jr.dec.More() {
		keyTok, err := jr.dec.Token()
		if err != nil {
			return err
		}
		key, _ := keyTok.(string)
		line := jr.lines.start(int(jr.dec.InputOffset()))
		switch key {
		case "menu":
			tok, err := jr.dec.Token()
			if err != nil {
				return err
			}
			if tok != json.Delim('[') {
				return fmt.Errorf("“menu” must be an array of items")
			}
			if err := jr.items(); err != nil || jr.st.full {
				return err
			}
		case "currency":
			var code string
			if err := jr.dec.Decode(&code); err != nil {
				return fmt.Errorf("“currency” must be a string like \"KRW\": %w", err)
			}
			jr.st.docCurrency, jr.st.docCurrencyLine = strings.TrimSpace(code), line
		default:
			var skip json.RawMessage
			if err := jr.dec.Decode(&skip); err != nil {
				return err
			}
			jr.unknownField(line, key)
		}
	}
	_, err = jr.dec.Token() // }
	return err
}

// items reads the elements of an array whose "[" was just read.
func (jr *jsonReader) items() error {
	for jr.dec.More() {
		line := jr.lines.start(int(jr.dec.InputOffset()))
		var raw json.RawMessage
		if err := jr.dec.Decode(&raw); err != nil {
			return err
		}
		jr.item(raw, line)
		if jr.st.full {
			return nil
		}
	}
	_, err := jr.dec.Token() // ]
	return err
}

func (jr *jsonReader) unknownField(line int, key string) {
	if !jr.unknown[key] {
		jr.unknown[key] = true
		jr.st.warn(line, CodeUnknownField, fmt.Sprintf("field “%s” is not one we read (id, name, price, description, names, name_<lang>, currency); ignored", short(key)))
	}
}

func (jr *jsonReader) item(raw json.RawMessage, line int) {
	fields, name, ok := jr.itemFields(raw, line)
	if !ok {
		return
	}
	e := jr.st.newEntry(line)
	if e == nil {
		return
	}
	e.name = name
	cur := ""
	for _, key := range sortedKeys(fields) {
		if code := jr.field(e, line, key, fields[key]); code != "" {
			cur = code
		}
	}
	if cur != "" {
		addCurrencyField(e, cur) // after the price, which it qualifies
	}
}

// itemFields decodes an item that is an object with a name; anything else
// is reported and skipped.
func (jr *jsonReader) itemFields(raw json.RawMessage, line int) (fields map[string]json.RawMessage, name string, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&fields); err != nil || fields == nil {
		jr.st.warn(line, CodeBadRow, "item is not an object with a name: skipped")
		return nil, "", false
	}
	if v, has := fields["name"]; !has || json.Unmarshal(v, &name) != nil || strings.TrimSpace(name) == "" {
		jr.st.warn(line, CodeNoName, "item without a name (a non-empty string): skipped")
		return nil, "", false
	}
	return fields, strings.TrimSpace(name), true
}

// field reads one field of an item into e. A valid "currency" is returned
// instead, for the caller to apply once the price is read.
func (jr *jsonReader) field(e *entry, line int, key string, v json.RawMessage) (currency string) {
	switch {
	case key == "name":
	case key == "id":
		itemID(e, v)
	case key == "price":
		jr.price(e, v)
	case key == "description":
		if string(v) != "null" && json.Unmarshal(v, &e.desc) != nil {
			e.warn(CodeBadRow, "“description” must be a string; ignored")
		}
		e.desc = strings.TrimSpace(e.desc)
	case key == "names":
		itemNames(e, v)
	case strings.HasPrefix(key, "name_"):
		var s string
		if json.Unmarshal(v, &s) != nil {
			e.warn(CodeBadRow, fmt.Sprintf("“%s” must be a string; ignored", short(key)))
		}
		addName(e, key[len("name_"):], s)
	case key == "currency":
		var code string
		if json.Unmarshal(v, &code) != nil || strings.TrimSpace(code) == "" {
			e.warn(CodeBadRow, "“currency” must be a string like \"KRW\"; ignored")
			return ""
		}
		return code
	default:
		jr.unknownField(line, key)
	}
	return ""
}

// itemID reads "id": exporters write it as a string or as a number.
func itemID(e *entry, v json.RawMessage) {
	var n json.Number
	if json.Unmarshal(v, &e.id) != nil {
		if json.Unmarshal(v, &n) == nil {
			e.id = n.String()
		} else {
			e.warn(CodeBadRow, "“id” must be a string or a number; ignored")
		}
	}
	e.id = strings.TrimSpace(e.id)
}

// itemNames reads "names", translations by language tag, in tag order so
// that warnings come out the same every time.
func itemNames(e *entry, v json.RawMessage) {
	var names map[string]string
	if string(v) != "null" && json.Unmarshal(v, &names) != nil {
		e.warn(CodeBadRow, "“names” must be an object of language tag → name; ignored")
	}
	for _, tag := range sortedKeys(names) {
		addName(e, tag, names[tag])
	}
}

// price reads a JSON price: a number from its literal text, a string as
// written on a menu, or null for none.
func (jr *jsonReader) price(e *entry, v json.RawMessage) {
	var s string
	var n json.Number
	switch {
	case string(v) == "null":
	case json.Unmarshal(v, &s) == nil:
		readCell(e, s)
	case json.Unmarshal(v, &n) == nil:
		readNumber(e, n.String())
	default:
		e.priceIssue = true
		e.warn(CodePriceUnreadable, "“price” must be a number or a string; not read")
	}
}
