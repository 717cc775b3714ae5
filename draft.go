package menusync

// Draft is a menu read from what people bring (pasted lines, a CSV or
// JSON file, a photo), for a person to check and correct before a table
// is opened with it. Nothing is created by reading one.
type Draft struct {
	// Currency is the ISO 4217 code the prices are in: given, or
	// detected from the menu; "" when it could not be decided (a warning
	// says why) or the menu has no prices.
	Currency       string         `json:"currency"`
	CurrencyDigits int            `json:"currencyDigits"`
	Format         string         `json:"format"` // lines, csv, json or photo
	Items          []DraftItem    `json:"items"`
	Warnings       []DraftWarning `json:"warnings"`
	// Lang is the language a photo was read in ("ko", "zh-Hant").
	Lang string `json:"lang,omitempty"`
	// Lines are the photo's recognised lines, for a person to compare.
	Lines []ScannedLine `json:"lines,omitempty"`
}

// DraftItem is one dish of a draft: a MenuItem with its price also
// written out exactly (Price "12000", "12.50"), and the input line it
// came from.
type DraftItem struct {
	MenuItem
	Price string `json:"price,omitempty"`
	Line  int    `json:"line"`
}

// DraftWarning is something the reader was unsure of or left out: a
// person should look at that line. Line 0 is about the whole menu.
type DraftWarning struct {
	Line    int    `json:"line"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ScannedLine is a line of text read from a photo, with the reader's
// confidence in it (0 to 1).
type ScannedLine struct {
	Text       string  `json:"text"`
	Confidence float64 `json:"confidence"`
}
