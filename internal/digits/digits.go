// Package digits reads the whole numbers of the two hand-written JSON
// readers on hot paths (handlers' token claims, rooms' member records),
// which accept only the exact shape their own writers produce and leave
// anything else to encoding/json.
package digits

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
