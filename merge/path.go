package merge

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Path is the path of an option, or of a part of a value, one element per
// segment: fileSystems."/".fsType is Path{"fileSystems", "/", "fsType"}.
type Path []string

// ParsePath parses a path written as error messages print it: segments
// separated by dots, each an identifier or a quoted string in HCL's (and
// Go's) escaping, such as fileSystems."/".fsType. The empty string is the
// empty path (the whole configuration).
func ParsePath(s string) (Path, error) {
	var p Path
	if s == "" {
		return p, nil
	}
	i := 0
	for {
		if i >= len(s) {
			return nil, fmt.Errorf("merge: path %q ends with a dot", s)
		}
		if s[i] == '"' {
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return nil, fmt.Errorf("merge: path %q has an unterminated quote", s)
			}
			seg, err := strconv.Unquote(s[i : j+1])
			if err != nil {
				return nil, fmt.Errorf("merge: path %q: bad quoted segment %s: %w", s, s[i:j+1], err)
			}
			p = append(p, seg)
			i = j + 1
		} else {
			j := i
			for j < len(s) && s[j] != '.' && s[j] != '"' {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("merge: path %q has an empty segment at offset %d", s, i)
			}
			p = append(p, s[i:j])
			i = j
		}
		if i == len(s) {
			return p, nil
		}
		if s[i] != '.' {
			return nil, fmt.Errorf("merge: path %q: want a dot at offset %d", s, i)
		}
		i++
	}
}

// errEmptySegment is returned by parseDotted for a name like "a..b".
var errEmptySegment = errors.New("empty segment")

// String returns the path as error messages print it, with segments that
// are not identifiers quoted as NixOS quotes them.
func (p Path) String() string {
	var b strings.Builder
	for i, s := range p {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(quoteSegment(s))
	}
	return b.String()
}

// quoteSegment returns s as is when it is a Nix identifier, quoted otherwise.
func quoteSegment(s string) string {
	if isIdent(s) {
		return s
	}
	return strconv.Quote(s)
}

// isIdent reports whether s is a Nix identifier: a letter or underscore,
// then letters, digits, underscores, dashes and apostrophes.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '\''):
		default:
			return false
		}
	}
	return true
}

// child returns a new path with seg appended; p is never shared.
func (p Path) child(seg ...string) Path {
	q := make(Path, len(p), len(p)+len(seg))
	copy(q, p)
	return append(q, seg...)
}

// parseDotted splits the label of an option block, which is a path.
func parseDotted(s string) (Path, error) {
	p, err := ParsePath(s)
	if err != nil {
		return nil, err
	}
	if len(p) == 0 {
		return nil, errEmptySegment
	}
	return p, nil
}
