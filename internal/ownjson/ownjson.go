// Package ownjson is what the two hand-written JSON readers on hot paths
// (handlers' token claims, rooms' member records) share. Each accepts
// only the exact shape its own writer produces and leaves anything else
// to encoding/json.
package ownjson

// Cursor walks b, a JSON text, from i.
type Cursor[T string | []byte] struct {
	B T
	I int
}

// Lit takes l if the text goes on with it.
func (c *Cursor[T]) Lit(l string) bool {
	if len(c.B)-c.I < len(l) || string(c.B[c.I:c.I+len(l)]) != l {
		return false
	}
	c.I += len(l)
	return true
}

// Uint takes a whole number in Read's form, of at most maxDigits digits.
func (c *Cursor[T]) Uint(maxDigits int) (uint64, bool) {
	n, end, ok := Read(c.B, c.I, maxDigits)
	c.I = end
	return n, ok
}

// Read reads a whole number at b[i:]: decimal digits, no sign, no leading
// zero, at most maxDigits of them (≤ 18, so it cannot overflow). end is
// where the digits stop; ok is false when the number is not in that
// form.
func Read[T string | []byte](b T, i, maxDigits int) (n uint64, end int, ok bool) {
	end = i
	for end < len(b) && b[end] >= '0' && b[end] <= '9' {
		n = n*10 + uint64(b[end]-'0')
		end++
	}
	d := end - i
	return n, end, d > 0 && d <= maxDigits && (d == 1 || b[i] != '0')
}
