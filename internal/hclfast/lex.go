package hclfast

import "bytes"

// kind is the kind of a token of the subset.
type kind uint8

const (
	kEOF     kind = iota
	kNewline      // a newline, or a line comment with the newline that ends it
	kIdent
	kNumber
	kString // a whole quoted string, both quotes included
	kEqual  // =
	kOBrace
	kCBrace
	kOBrack
	kCBrack
	kOParen
	kCParen
	kComma
	kDot
	kColon
	kQuestion
	kBang
	kPlus
	kMinus
	kStar
	kSlash
	kPercent
	kLess
	kGreater
	kLessEq
	kGreaterEq
	kEqualOp // ==
	kNotEqual
	kAnd
	kOr
)

// token is one token: its kind, where it starts (line, column, byte) and
// the byte after its end. A token other than a newline never spans lines.
type token struct {
	kind       kind
	esc        bool // a string holding a backslash escape
	line, col  int32
	start, end int32
}

// single maps the bytes that are a token by themselves to their kinds.
var single = [128]kind{
	'=': kEqual, '{': kOBrace, '}': kCBrace, '[': kOBrack, ']': kCBrack,
	'(': kOParen, ')': kCParen, ',': kComma, '.': kDot, ':': kColon,
	'?': kQuestion, '!': kBang, '+': kPlus, '-': kMinus, '*': kStar,
	'/': kSlash, '%': kPercent, '<': kLess, '>': kGreater,
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isIdentByte(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '-'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// lex appends the tokens of src to toks, ending with an EOF token. It
// reports false when src holds anything outside the subset, including
// anything hclsyntax's scanner would turn into an error. Block comments
// and a last line comment without a newline are left out: the parser
// never sees them, as hclsyntax's never does.
func lex(src []byte, toks []token) ([]token, bool) {
	if len(src) >= 1<<31-1 {
		return toks, false
	}
	line, lineStart := int32(1), 0
	emit := func(k kind, start, end int) {
		toks = append(toks, token{kind: k, line: line, col: int32(start-lineStart) + 1, start: int32(start), end: int32(end)})
	}
	n := len(src)
	i := 0
	for i < n {
		c := src[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '\n':
			emit(kNewline, i, i+1)
			i++
			line, lineStart = line+1, i
		case c == '#' || c == '/' && i+1 < n && src[i+1] == '/':
			j := bytes.IndexByte(src[i:], '\n')
			if j < 0 {
				// A comment at the very end without a newline: hclsyntax's
				// parser skips it.
				if !plain(src[i:]) {
					return toks, false
				}
				i = n
				break
			}
			if !plain(src[i : i+j]) {
				return toks, false
			}
			emit(kNewline, i, i+j+1)
			i += j + 1
			line, lineStart = line+1, i
		case c == '/' && i+1 < n && src[i+1] == '*':
			j := bytes.Index(src[i+2:], []byte("*/"))
			if j < 0 {
				return toks, false
			}
			end := i + 2 + j + 2
			body := src[i:end]
			for k, b := range body {
				switch {
				case b == '\n':
					line, lineStart = line+1, i+k+1
				case b >= 0x80 || b == '\r':
					return toks, false
				}
			}
			i = end
		case isIdentStart(c):
			j := i + 1
			for j < n && isIdentByte(src[j]) {
				j++
			}
			emit(kIdent, i, j)
			i = j
		case isDigit(c):
			j := number(src, i)
			if j < n && (src[j] == '.' || isIdentByte(src[j])) {
				return toks, false
			}
			emit(kNumber, i, j)
			i = j
		case c == '"':
			j, esc, ok := quoted(src, i)
			if !ok {
				return toks, false
			}
			emit(kString, i, j)
			toks[len(toks)-1].esc = esc
			i = j
		default:
			if c >= 0x80 {
				return toks, false
			}
			var next byte
			if i+1 < n {
				next = src[i+1]
			}
			var k kind
			switch {
			case c == '=' && next == '=':
				k = kEqualOp
			case c == '!' && next == '=':
				k = kNotEqual
			case c == '<' && next == '=':
				k = kLessEq
			case c == '>' && next == '=':
				k = kGreaterEq
			case c == '&' && next == '&':
				k = kAnd
			case c == '|' && next == '|':
				k = kOr
			case c == '=' && next == '>', c == ':' && next == ':', c == '.' && next == '.',
				c == '<' && next == '<', c == '*' && next == '*':
				// for expressions, namespaced functions, expanded
				// arguments, heredocs: left to hclsyntax.
				return toks, false
			default:
				k = single[c]
				if k == kEOF {
					return toks, false
				}
				emit(k, i, i+1)
				i++
				continue
			}
			emit(k, i, i+2)
			i += 2
		}
	}
	emit(kEOF, n, n)
	return toks, true
}

// plain reports whether b holds only printable ASCII and tabs.
func plain(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 || c < ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// number returns the end of the number literal at src[i], as hclsyntax's
// scanner delimits it: digits, dots and exponents, not ending in a dot.
func number(src []byte, i int) int {
	n := len(src)
	j := i + 1
	end := j
	for j < n {
		c := src[j]
		switch {
		case isDigit(c):
			j++
			end = j
		case c == '.':
			j++
		case (c == 'e' || c == 'E') && j+1 < n && isDigit(src[j+1]):
			j += 2
			end = j
		case (c == 'e' || c == 'E') && j+2 < n && (src[j+1] == '+' || src[j+1] == '-') && isDigit(src[j+2]):
			j += 3
			end = j
		default:
			return end
		}
	}
	return end
}

// quoted returns the byte after the closing quote of the string opened at
// src[i], and whether it holds a backslash. It reports false for a string
// hclsyntax would read as a template with sequences, or as an error: one
// without its closing quote on the same line, or holding ${, %{, bytes
// outside printable ASCII and tabs, or an escape next to a $ or %.
func quoted(src []byte, i int) (end int, esc, ok bool) {
	n := len(src)
	var dollar bool
	for j := i + 1; j < n; j++ {
		c := src[j]
		switch {
		case c == '"':
			if esc && dollar {
				return 0, false, false
			}
			return j + 1, esc, true
		case c == '\\':
			esc = true
			j++
			if j >= n || src[j] < ' ' || src[j] >= 0x80 {
				return 0, false, false
			}
		case c == '$' || c == '%':
			dollar = true
			if j+1 < n && src[j+1] == '{' {
				return 0, false, false
			}
		case c >= 0x80 || c < ' ' && c != '\t':
			return 0, false, false
		}
	}
	return 0, false, false
}
