package glossary

// Coverage measures how much of a menu the glossary can name.
type Coverage struct {
	Dishes int // names looked up
	Exact  int // matched exactly
	Head   int // matched by their head
	// Named counts the matched names whose entry has a name in every
	// language asked for.
	Named int
}

// Share is the fraction of dishes that got a name in every language asked
// for, exact and head matches together.
func (c Coverage) Share() float64 {
	if c.Dishes == 0 {
		return 0
	}
	return float64(c.Named) / float64(c.Dishes)
}

// ExactShare is Share counting exact matches only.
func (c Coverage) ExactShare() float64 {
	if c.Dishes == 0 {
		return 0
	}
	return float64(c.Exact) / float64(c.Dishes)
}

// Add sums two measurements, to report several menus together.
func (c Coverage) Add(d Coverage) Coverage {
	return Coverage{c.Dishes + d.Dishes, c.Exact + d.Exact, c.Head + d.Head, c.Named + d.Named}
}

// Coverage looks each printed name up and counts what came back.
func (g *Glossary) Coverage(names []string, langs ...string) Coverage {
	var c Coverage
	for _, name := range names {
		c.Dishes++
		m, ok := g.Lookup(name)
		if !ok {
			continue
		}
		if m.Kind == Exact {
			c.Exact++
		} else {
			c.Head++
		}
		named := true
		for _, l := range langs {
			if m.Entry.NameIn(l) == "" {
				named = false
			}
		}
		if named {
			c.Named++
		}
	}
	return c
}
