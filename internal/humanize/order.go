package humanize

// Compare orders two names as people expect a list to be ordered ("natural order"): runs of
// digits compare as numbers, so bulk2 comes before bulk10, and letters compare without regard
// to ASCII case, so Acme and acme sit together. It returns a negative number when a comes
// first, a positive one when b does, and 0 only when the strings are equal.
//
// Numbers of any length compare correctly (leading zeros are ignored; 007 and 7 tie and the
// shorter spelling comes first), without parsing them into integers that could overflow.
// Bytes outside ASCII compare by value. Account names and site hosts, the strings atlink sorts,
// are ASCII.
//
// github.com/maruel/natural was considered: it is case-sensitive, and in v1.3.0 its fast path
// subtracts two uint64 values and converts the difference to int, which orders "a1" after
// "a9999999999999999999".
func Compare(a, b string) int {
	tie := 0 // the first difference of case or of leading zeros, used when nothing else differs
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			// Skip leading zeros, then the longer run of digits is the larger number.
			si, sj := i, j
			for i < len(a) && a[i] == '0' {
				i++
			}
			for j < len(b) && b[j] == '0' {
				j++
			}
			ni, nj := i, j
			for ni < len(a) && isDigit(a[ni]) {
				ni++
			}
			for nj < len(b) && isDigit(b[nj]) {
				nj++
			}
			if d := (ni - i) - (nj - j); d != 0 {
				return d
			}
			for k := 0; k < ni-i; k++ {
				if a[i+k] != b[j+k] {
					return int(a[i+k]) - int(b[j+k])
				}
			}
			if tie == 0 {
				tie = (ni - si) - (nj - sj) // fewer leading zeros first
			}
			i, j = ni, nj
			continue
		}
		la, lb := lower(ca), lower(cb)
		if la != lb {
			return int(la) - int(lb)
		}
		if tie == 0 && ca != cb {
			tie = int(ca) - int(cb) // upper case before lower case
		}
		i, j = i+1, j+1
	}
	if d := (len(a) - i) - (len(b) - j); d != 0 {
		return d // what remains is longer: a prefix comes first
	}
	return tie
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
