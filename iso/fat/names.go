package fat

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// upper maps an ASCII lower-case letter to upper case.
func upper(b byte) byte {
	if 'a' <= b && b <= 'z' {
		return b - 'a' + 'A'
	}
	return b
}

// shortChar reports whether b may appear in an 8.3 short name as this
// package writes them (FAT spec "FAT Directory Structure", DIR_Name; bytes
// of 0x80 and above are left out: their meaning depends on a code page).
func shortChar(b byte) bool {
	switch {
	case 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'()-@^_`{}~", b) >= 0
}

// checkName reports a name that a VFAT long name cannot hold, or that
// readers would change on lookup.
func checkName(name string) error {
	if name == "" || name == "." || name == ".." {
		return fmt.Errorf("name %q is not allowed", name)
	}
	if !utf8.ValidString(name) {
		return fmt.Errorf("name %q is not valid UTF-8", name)
	}
	for _, r := range name {
		if r < 0x20 || strings.ContainsRune(`"*/:<>?\|`, r) {
			return fmt.Errorf("name %q: character %q is not allowed in FAT names", name, r)
		}
		if r > 0xFFFF {
			// Long names are UTF-16 on disk, but UEFI firmware and mtools
			// read them as UCS-2: a surrogate pair would not come back.
			return fmt.Errorf("name %q: character %q (%U) is outside the Basic Multilingual Plane, which UEFI's UCS-2 names cannot hold", name, r, r)
		}
	}
	if strings.HasSuffix(name, ".") || strings.HasSuffix(name, " ") {
		return fmt.Errorf("name %q ends in a period or space, which FAT readers drop", name)
	}
	if n := utf8.RuneCountInString(name); n > maxLongName {
		return fmt.Errorf("name %q is %d characters long; FAT allows %d", name, n, maxLongName)
	}
	return nil
}

// exactShort returns the 11-byte short name of a name that is already a
// valid upper-case 8.3 name, and false for any other name.
func exactShort(name string) ([11]byte, bool) {
	var s [11]byte
	base, ext, dot := strings.Cut(name, ".")
	if len(base) == 0 || len(base) > 8 || len(ext) > 3 || (dot && ext == "") || strings.Contains(ext, ".") {
		return s, false
	}
	for i := 0; i < len(name); i++ {
		if name[i] != '.' && !shortChar(name[i]) {
			return s, false
		}
	}
	fill(&s, base, ext)
	return s, true
}

func fill(s *[11]byte, base, ext string) {
	for i := range s {
		s[i] = ' '
	}
	copy(s[:8], base)
	copy(s[8:], ext)
}

// basis returns the upper-case short name parts made from a long name
// (the FAT spec's "basis-name generation algorithm", simplified: characters
// a short name cannot hold become '_', spaces and periods other than the
// last are dropped), and whether the name lost anything but case.
func basis(name string) (base, ext string, lossy bool) {
	conv := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r == ' ' || r == '.':
				lossy = true
			case r < utf8.RuneSelf && shortChar(upper(byte(r))):
				b.WriteByte(upper(byte(r)))
			default:
				b.WriteByte('_')
				lossy = true
			}
		}
		return b.String()
	}
	trimmed := strings.TrimLeft(name, ". ")
	if trimmed != name {
		lossy = true
	}
	b, e := trimmed, ""
	if i := strings.LastIndexByte(trimmed, '.'); i >= 0 {
		b, e = trimmed[:i], trimmed[i+1:]
	}
	base, ext = conv(b), conv(e)
	if len(base) > 8 {
		base, lossy = base[:8], true
	}
	if len(ext) > 3 {
		ext, lossy = ext[:3], true
	}
	if base == "" {
		base, lossy = "_", true
	}
	return base, ext, lossy
}

// errDirFull is wrapped when a directory needs more than 65536 entries.
var errDirFull = errors.New("directory needs more than 65536 entries")

// assignShortNames gives every node its short name and decides which need
// long name entries, siblings in byte order of their names, and checks
// directory sizes.
func assignShortNames(dir *node) error {
	taken := map[[11]byte]bool{{'.', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '}: true,
		{'.', '.', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '}: true}
	for _, c := range dir.children {
		if s, ok := exactShort(c.name); ok {
			c.short = s
			taken[s] = true
		}
	}
	next := map[[11]byte]int{} // basis -> first numeric tail not yet tried
	for _, c := range dir.children {
		if _, ok := exactShort(c.name); ok {
			c.entries = 1
			continue
		}
		c.long = true
		c.entries = 1 + (len(utf16.Encode([]rune(c.name)))+12)/13
		base, ext, lossy := basis(c.name)
		var s [11]byte
		fill(&s, base, ext)
		if lossy || taken[s] {
			found := false
			key := s
			for n := max(next[key], 1); n < 1000000; n++ {
				tail := "~" + strconv.Itoa(n)
				b := base
				if len(b)+len(tail) > 8 {
					b = b[:8-len(tail)]
				}
				fill(&s, b+tail, ext)
				if !taken[s] {
					found = true
					next[key] = n + 1
					break
				}
			}
			if !found {
				return fmt.Errorf("fat: %s: no free short name", c.path)
			}
		}
		c.short = s
		taken[s] = true
	}
	if n := dirEntriesOf(dir); n > maxDirEntries {
		p := dir.path
		if p == "" {
			p = "the root directory"
		}
		return fmt.Errorf("fat: %s: %w (%d)", p, errDirFull, n)
	}
	for _, c := range dir.children {
		if c.dir {
			if err := assignShortNames(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// dirEntriesOf counts the 32-byte entries of a directory, "." and ".."
// included (the root has neither; its label entry is counted by the caller).
func dirEntriesOf(dir *node) int {
	n := 0
	if dir.parent != nil {
		n = 2
	}
	for _, c := range dir.children {
		n += c.entries
	}
	return n
}

// checksum is the short-name checksum that long name entries carry
// (FAT spec "FAT Long Directory Entries", ChkSum).
func checksum(s [11]byte) byte {
	var sum byte
	for _, b := range s {
		sum = (sum&1)<<7 + sum>>1 + b
	}
	return sum
}
