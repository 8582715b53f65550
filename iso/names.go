package iso

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Name length limits.
const (
	isoFileMax = 30 // ECMA-119 7.5.1: name plus extension of a level 2/3 file identifier
	isoDirMax  = 31 // ECMA-119 7.6.3: level 2/3 directory identifier
	jolietMax  = 64 // Joliet: 64 UCS-2 code units per identifier
)

// isoChar maps a byte to a d-character (ECMA-119 7.4.1, Appendix A).
func isoChar(c byte) byte {
	switch {
	case c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_':
		return c
	case c >= 'a' && c <= 'z':
		return c - 'a' + 'A'
	}
	return '_'
}

func isoMap(s string) string {
	b := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		b[i] = isoChar(s[i])
	}
	return string(b)
}

// splitExt splits a name at its last dot; a leading dot does not start an
// extension.
func splitExt(name string) (base, ext string, hasExt bool) {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		return name, "", false
	}
	return name[:i], name[i+1:], true
}

// isoCandidate returns the ISO 9660 identifier for name with collision
// number n (0: none): "NAME.EXT;1" for files, "NAME" for directories.
func isoCandidate(name string, dir bool, n int) string {
	suffix := ""
	if n > 0 {
		suffix = strconv.Itoa(n)
	}
	if dir {
		b := isoMap(name)
		if len(b)+len(suffix) > isoDirMax {
			b = b[:isoDirMax-len(suffix)]
		}
		if b == "" && suffix == "" {
			b = "_"
		}
		return b + suffix
	}
	base, ext, _ := splitExt(name)
	base, ext = isoMap(base), isoMap(ext)
	if len(ext) > 8 && len(base)+len(ext) > isoFileMax {
		ext = ext[:8]
	}
	if len(base)+len(suffix)+len(ext) > isoFileMax {
		base = base[:max(0, isoFileMax-len(ext)-len(suffix))]
	}
	base += suffix
	if base == "" && ext == "" {
		base = "_"
	}
	return base + "." + ext + ";1"
}

// jolietCandidate returns the Joliet identifier (UTF-16 big endian) for name
// with collision number n (0: none).
func jolietCandidate(name string, n int) []byte {
	var units []uint16
	for len(name) > 0 {
		r, size := utf8.DecodeRuneInString(name)
		name = name[size:]
		switch {
		case r < 0x20, r > 0xFFFF, r >= 0xD800 && r < 0xE000,
			r == '*', r == '/', r == ':', r == ';', r == '?', r == '\\':
			r = '_'
		}
		units = append(units, uint16(r))
	}
	var suffix []uint16
	if n > 0 {
		for _, c := range strconv.Itoa(n) {
			suffix = append(suffix, uint16(c))
		}
	}
	// Split off an extension of at most 16 units so shortening keeps it.
	var ext []uint16
	for i := len(units) - 1; i > 0 && len(units)-i <= 16; i-- {
		if units[i] == '.' {
			ext = units[i:]
			units = units[:i]
			break
		}
	}
	if len(units)+len(suffix)+len(ext) > jolietMax {
		units = units[:max(0, jolietMax-len(ext)-len(suffix))]
	}
	all := append(append(append([]uint16(nil), units...), suffix...), ext...)
	if len(all) > jolietMax {
		all = all[:jolietMax]
	}
	b := make([]byte, 2*len(all))
	for i, u := range all {
		b[2*i], b[2*i+1] = byte(u>>8), byte(u)
	}
	return b
}

// jolietString encodes s as UCS-2 big endian for volume descriptor fields.
func jolietString(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		b[2*i], b[2*i+1] = byte(c>>8), byte(c)
	}
	return b
}
