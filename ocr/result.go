package ocr

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Result is what a scan read.
type Result struct {
	// Text is the lines joined by "\n".
	Text string
	// Lines in reading order, empty ones left out. Within a line, a wide
	// gap (where a dotted leader was, or between two columns of a
	// two-column menu) is a single tab; other word gaps are one space.
	Lines []Line
	// Lang is the language read, as a BCP 47 tag ("ko", "zh-Hant"): the
	// hint's, or the detected one ("" when detection found no script and
	// the text has no Vietnamese letters or no letters at all).
	Lang string
}

// Line is one line of text with tesseract's confidence in it.
type Line struct {
	Text string
	// Confidence is the mean of tesseract's word confidences, weighted by
	// their length, from 0 to 1. Dish names read right scored 0.8–0.97 on
	// the fixtures; garbage from a photo's edge scores far lower.
	Confidence float64
}

// tsvLine is a line of tesseract's TSV output: its words and their
// confidences.
type tsvLine struct {
	words []string
	conf  float64 // weighted mean, 0–100
}

// parseTSV groups TSV word rows (level 5) by line. Columns: level
// page_num block_num par_num line_num word_num left top width height
// conf text.
func parseTSV(tsv string) []tsvLine {
	var out []tsvLine
	var key string
	var sum, n float64
	flush := func() {
		if len(out) > 0 && n > 0 {
			out[len(out)-1].conf = sum / n
		}
		sum, n = 0, 0
	}
	for _, row := range strings.Split(tsv, "\n") {
		f := strings.Split(row, "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		text := strings.TrimSpace(f[11])
		conf, err := strconv.ParseFloat(f[10], 64)
		if text == "" || err != nil || conf < 0 {
			continue
		}
		if k := strings.Join(f[1:5], "/"); k != key {
			flush()
			key = k
			out = append(out, tsvLine{})
		}
		l := &out[len(out)-1]
		l.words = append(l.words, text)
		w := float64(utf8.RuneCountInString(text))
		sum += conf * w
		n += w
	}
	flush()
	return out
}

// lines pairs tesseract's text output, which has its own word spacing
// (right for every script: no spaces inside a Japanese or Thai word, and
// several where a gap is wide), with the TSV's confidences. The two come
// from the same page iterator, so their non-empty lines match one to
// one; if they ever do not, the TSV words are joined by themselves.
func lines(txt, tsv string) []Line {
	tl := parseTSV(tsv)
	var texts []string
	for _, l := range strings.Split(txt, "\n") {
		if l = strings.TrimSpace(strings.Trim(l, "\f")); l != "" {
			texts = append(texts, l)
		}
	}
	if len(texts) != len(tl) {
		texts = texts[:0]
		for _, l := range tl {
			texts = append(texts, joinWords(l.words))
		}
	}
	out := make([]Line, 0, len(tl))
	for i, l := range tl {
		if t := cleanLine(texts[i]); t != "" {
			out = append(out, Line{Text: t, Confidence: l.conf / 100})
		}
	}
	return out
}

// joinWords joins TSV words with a space, except between two letters of
// scripts written without spaces, where tesseract's "words" are pieces.
func joinWords(words []string) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(words[i-1])
			next, _ := utf8.DecodeRuneInString(w)
			if !(unspaced(prev) && unspaced(next)) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(w)
	}
	return b.String()
}

func unspaced(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Hangul)
}

var (
	wideGap = regexp.MustCompile(` {2,}`)
	// "12,.000": tesseract sometimes reads a comma's tail as a period too.
	doubleSep = regexp.MustCompile(`(\d)([.,])[.,]+(\d)`)
)

// cleanLine turns a wide gap into a tab, drops the second of two
// separators inside a number, and repairs Thai SARA AM, which tesseract
// writes as NIKHAHIT + SARA AA ("ตํา"); people type, and dictionaries
// spell, the single letter ("ตำ").
func cleanLine(s string) string {
	s = wideGap.ReplaceAllString(strings.TrimSpace(s), "\t")
	s = doubleSep.ReplaceAllString(s, "$1$2$3")
	return strings.ReplaceAll(s, "\u0e4d\u0e32", "\u0e33")
}

// meanConfidence weighs each line's confidence by its length.
func meanConfidence(ls []Line) float64 {
	var sum, n float64
	for _, l := range ls {
		w := float64(utf8.RuneCountInString(l.Text))
		sum += l.Confidence * w
		n += w
	}
	if n == 0 {
		return 0
	}
	return sum / n
}
