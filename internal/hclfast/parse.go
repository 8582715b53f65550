package hclfast

import (
	"bytes"
	"fmt"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// ParseConfig parses src, the contents of the file filename, as
// hclsyntax.ParseConfig(src, filename, hcl.InitialPos) does, and returns
// what it returns with the body as a *Body (see the package documentation
// for the Nav field). It is safe for concurrent use.
//
// The names and strings of the syntax tree share src's memory, as the
// returned file's Bytes does: the caller must not change src afterwards.
//
// A file larger than maxFileSize (2 GiB less two bytes) is not parsed: it
// gets a "File too large" error and an empty body.
//
// A file whose syntax nests more than maxNesting deep is not parsed: the
// diagnostic says where it passes the limit, and the file's body is
// empty. hclsyntax's parser recurses once or more per level, so a file
// nested a few hundred thousand deep would exhaust the stack, which ends
// the process.
func ParseConfig(src []byte, filename string) (*hcl.File, hcl.Diagnostics) {
	return parseConfig(src, filename, maxFileSize)
}

// parseConfig is ParseConfig with the largest file it parses as a
// parameter, for tests.
func parseConfig(src []byte, filename string, maxSize int) (*hcl.File, hcl.Diagnostics) {
	if len(src) > maxSize {
		return tooLarge(src, filename, maxSize)
	}
	f, ok, deepAt := parseSubset(src, filename)
	if ok {
		return f, nil
	}
	if deepAt < 0 {
		deepAt = nesting(src)
	}
	if deepAt >= 0 {
		return tooDeep(src, filename, deepAt)
	}
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if f != nil {
		if sb, ok := f.Body.(*hclsyntax.Body); ok {
			f.Body = fromSyntax(sb)
		}
	}
	return f, diags
}

// maxFileSize is the size of the largest file ParseConfig parses: the
// places of its syntax are held in 32-bit numbers.
const maxFileSize = 1<<31 - 2

// tooLarge is ParseConfig's answer for a file larger than maxSize.
func tooLarge(src []byte, filename string, maxSize int) (*hcl.File, hcl.Diagnostics) {
	at := hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos}
	return &hcl.File{Body: emptyBody(filename), Bytes: src}, hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "File too large",
		Detail:   fmt.Sprintf("This file is %d bytes long; strata parses files of at most %d bytes.", len(src), maxSize),
		Subject:  &at,
	}}
}

// emptyBody is the body of a file that was not parsed.
func emptyBody(filename string) *Body {
	empty := hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos}
	return fromSyntax(&hclsyntax.Body{Attributes: hclsyntax.Attributes{}, Blocks: hclsyntax.Blocks{}, SrcRange: empty, EndRange: empty})
}

// maxNesting is how deeply a file's brackets, braces, parentheses, blocks
// and prefix operators may nest.
const maxNesting = 10000

// nesting returns the offset of the first bracket, brace or parenthesis
// of src nested more than maxNesting deep, or -1. It reads bytes, not
// tokens (it runs on files outside the subset, whose strings and comments
// it does not know), which is enough for what it guards against.
func nesting(src []byte) int {
	depth := 0
	for i, c := range src {
		switch c {
		case '(', '[', '{':
			if depth++; depth > maxNesting {
				return i
			}
		case ')', ']', '}':
			depth = max(depth-1, 0)
		}
	}
	return -1
}

// tooDeep is ParseConfig's answer for a file nested too deeply at offset.
func tooDeep(src []byte, filename string, offset int) (*hcl.File, hcl.Diagnostics) {
	line := 1 + bytes.Count(src[:offset], []byte("\n"))
	lineStart := bytes.LastIndexByte(src[:offset], '\n') + 1
	start := hcl.Pos{Line: line, Column: utf8.RuneCount(src[lineStart:offset]) + 1, Byte: offset}
	end := hcl.Pos{Line: line, Column: start.Column + 1, Byte: offset + 1}
	at := hcl.Range{Filename: filename, Start: start, End: end}
	return &hcl.File{
			Body:  emptyBody(filename),
			Bytes: src,
		}, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Nested too deeply",
			Detail:   fmt.Sprintf("This file nests brackets, braces, parentheses, blocks or operators more than %d deep; strata does not parse it.", maxNesting),
			Subject:  &at,
		}}
}

// parsers keeps parsers, with their token buffers, between files.
var parsers = sync.Pool{New: func() any { return new(parser) }}

// parseSubset parses src with the subset parser, reporting false when the
// file is outside the subset or has an error. When it gave up because the
// file nests too deeply, deepAt is the offset of the token where it did,
// otherwise -1.
func parseSubset(src []byte, filename string) (f *hcl.File, ok bool, deepAt int) {
	p := parsers.Get().(*parser)
	defer func() {
		if r := recover(); r != nil {
			if _, isBail := r.(bailout); !isBail {
				panic(r)
			}
			f, ok, deepAt = nil, false, p.deepAt
		}
		p.src, p.filename, p.text = nil, "", ""
		p.toks = p.toks[:0]
		clear(p.attrs)
		clear(p.blocks)
		p.attrs, p.blocks = p.attrs[:0], p.blocks[:0]
		parsers.Put(p)
	}()
	toks, lexed := lex(src, p.toks[:0])
	p.toks = toks
	if !lexed {
		return nil, false, -1
	}
	p.src, p.filename, p.next, p.newlines = src, filename, 0, true
	p.text = unsafe.String(unsafe.SliceData(src), len(src))
	p.depth, p.deepAt = 0, -1
	body := p.body(kEOF)
	return &hcl.File{Body: body, Bytes: src}, true, -1
}

// bailout is what the parser panics with to give up on a file; parseSubset
// recovers it, as go/parser and text/template do with theirs.
type bailout struct{}

// parser is a recursive-descent parser for the subset, a copy in
// behaviour of hclsyntax's parser on valid input: its functions follow
// the structure of hclsyntax's, so that each node gets the ranges
// hclsyntax gives it, and it gives up wherever hclsyntax would report an
// error or parse something outside the subset.
type parser struct {
	src      []byte
	text     string // src as a string (sharing its memory): names and strings are its substrings
	filename string
	toks     []token
	attrs    []Attribute // the attributes of the bodies being parsed
	blocks   []Block     // the blocks of the bodies being parsed
	next     int         // index of the next token to read
	newlines bool        // whether newlines are tokens here (hclsyntax's stack top)
	depth    int         // how deeply the parser has recursed
	deepAt   int         // where it gave up for recursing too deeply, or -1
}

func (p *parser) fail() { panic(bailout{}) }

// enter counts one more level of recursion, giving up past maxNesting;
// its caller decrements p.depth when it returns.
func (p *parser) enter() {
	if p.depth++; p.depth > maxNesting {
		p.deepAt = int(p.toks[max(p.next-1, 0)].start)
		p.fail()
	}
}

// peekAt returns the next token (skipping newlines where they are not
// tokens) and the index after it.
func (p *parser) peekAt() (token, int) {
	for i := p.next; i < len(p.toks); i++ {
		t := p.toks[i]
		if t.kind == kNewline && !p.newlines {
			continue
		}
		return t, i + 1
	}
	return p.toks[len(p.toks)-1], len(p.toks)
}

func (p *parser) peek() token {
	t, _ := p.peekAt()
	return t
}

func (p *parser) read() token {
	t, next := p.peekAt()
	p.next = next
	return t
}

// prevSpan is the span of the token read last, or of the next one before
// any was read; prevRange is its range.
func (p *parser) prevSpan() span {
	if p.next == 0 {
		return p.span(p.peek())
	}
	return p.span(p.toks[p.next-1])
}

func (p *parser) prevRange() hcl.Range { return p.prevSpan().rng(p.filename) }

func (p *parser) pos(line, col, byt int32) hcl.Pos {
	return hcl.Pos{Line: int(line), Column: int(col), Byte: int(byt)}
}

// span is a token's place: a newline (or line comment) ends at the start
// of the next line, any other token on its own line; rng is its range.
func (p *parser) span(t token) span {
	end := pos{t.line, t.col + t.end - t.start, t.end}
	if t.kind == kNewline {
		end = pos{t.line + 1, 1, t.end}
	}
	return span{pos{t.line, t.col, t.start}, end}
}

func (p *parser) rng(t token) hcl.Range { return p.span(t).rng(p.filename) }

// name is the text of a token.
func (p *parser) name(t token) string { return p.text[t.start:t.end] }

// str is the value of a quoted string token and the range of its content.
func (p *parser) str(t token) (string, hcl.Range) {
	r := hcl.Range{
		Filename: p.filename,
		Start:    p.pos(t.line, t.col+1, t.start+1),
		End:      p.pos(t.line, t.col+t.end-t.start-1, t.end-1),
	}
	content := p.src[t.start+1 : t.end-1]
	if len(content) == 0 {
		// hclsyntax places an empty string's one part after its quotes.
		end := p.pos(t.line, t.col+2, t.end)
		return "", hcl.Range{Filename: p.filename, Start: end, End: end}
	}
	if !t.esc {
		return p.text[t.start+1 : t.end-1], r
	}
	s, diags := hclsyntax.ParseStringLiteralToken(hclsyntax.Token{Type: hclsyntax.TokenQuotedLit, Bytes: content, Range: r})
	if diags.HasErrors() {
		p.fail()
	}
	return s, r
}

// body parses the items of a body up to its end token: a file's body
// (end kEOF) or a block's (kCBrace, its opening brace just read). The
// items are gathered on the parser's stacks, above those of the bodies
// around this one, and copied out at its end.
func (p *parser) body(end kind) *Body {
	start := p.prevSpan()
	a0, b0 := len(p.attrs), len(p.blocks)
	var seen map[string]bool // the names so far, once there are many
	var endSpan span
	for {
		next := p.peek()
		if next.kind == end {
			endSpan = p.span(next)
			p.read()
			break
		}
		switch next.kind {
		case kNewline:
			p.read()
		case kIdent:
			ident := p.read()
			switch p.peek().kind {
			case kEqual:
				a := p.attribute(ident, false)
				// hclsyntax reports a second attribute of the same name.
				if seen != nil {
					if seen[a.Name] {
						p.fail()
					}
					seen[a.Name] = true
				} else {
					for i := a0; i < len(p.attrs); i++ {
						if p.attrs[i].Name == a.Name {
							p.fail()
						}
					}
					if len(p.attrs)-a0 == 16 {
						seen = map[string]bool{a.Name: true}
						for i := a0; i < len(p.attrs); i++ {
							seen[p.attrs[i].Name] = true
						}
					}
				}
				p.attrs = append(p.attrs, a)
			case kString, kOBrace, kIdent:
				blk := p.block(ident)
				p.blocks = append(p.blocks, blk)
			default:
				p.fail()
			}
		default:
			p.fail()
		}
	}
	b := &Body{
		Attributes: append(make([]Attribute, 0, len(p.attrs)-a0), p.attrs[a0:]...),
		Blocks:     append(make([]Block, 0, len(p.blocks)-b0), p.blocks[b0:]...),
		filename:   p.filename,
		src:        span{start.start, endSpan.end},
		end:        span{endSpan.end, endSpan.end},
	}
	clear(p.attrs[a0:])
	clear(p.blocks[b0:])
	p.attrs, p.blocks = p.attrs[:a0], p.blocks[:b0]
	return b
}

// attribute parses the rest of an attribute after its name; one in a
// single-line block does not end with a newline.
func (p *parser) attribute(ident token, singleLine bool) Attribute {
	eq := p.read()
	expr := p.expr()
	endSpan := p.prevSpan()
	if !singleLine {
		if end := p.peek(); end.kind != kNewline && end.kind != kEOF {
			p.fail()
		}
		p.read()
	}
	name := p.span(ident)
	return Attribute{
		Name:     p.name(ident),
		Expr:     expr,
		filename: p.filename,
		src:      span{name.start, endSpan.end},
		name:     name,
		equal:    p.span(eq),
	}
}

// block parses the rest of a block after its type.
func (p *parser) block(ident token) Block {
	p.enter()
	var labels []string
	var labelSpans []span
	var open token
labels:
	for {
		t := p.peek()
		switch t.kind {
		case kOBrace:
			open = p.read()
			break labels
		case kString:
			p.read()
			s, _ := p.str(t)
			labels = append(labels, s)
			labelSpans = append(labelSpans, p.span(t))
		case kIdent:
			p.read()
			labels = append(labels, p.name(t))
			labelSpans = append(labelSpans, p.span(t))
		default:
			p.fail()
		}
	}
	var body *Body
	switch p.peek().kind {
	case kNewline, kEOF, kCBrace:
		body = p.body(kCBrace)
	default:
		// A one-line block holding one attribute: foo { bar = baz }. Its
		// body has no Blocks, not even an empty list.
		ident := p.read()
		if ident.kind != kIdent || p.peek().kind != kEqual {
			p.fail()
		}
		a := p.attribute(ident, true)
		body = &Body{
			Attributes: []Attribute{a},
			filename:   p.filename,
			src:        a.src,
			end:        span{a.src.end, a.src.end},
		}
		if p.peek().kind != kCBrace {
			p.fail()
		}
		p.read()
	}
	closer := p.prevSpan()
	if eol := p.peek(); eol.kind != kNewline && eol.kind != kEOF {
		p.fail()
	}
	p.read()
	p.depth--
	return Block{
		Type:     p.name(ident),
		Labels:   labels,
		Body:     body,
		filename: p.filename,
		typ:      p.span(ident),
		open:     p.span(open),
		closer:   closer,
		labels:   labelSpans,
	}
}

// expr parses an expression: hclsyntax's ParseExpression, whose top is
// the conditional operator.
func (p *parser) expr() hclsyntax.Expression {
	p.enter()
	e := p.conditional()
	p.depth--
	return e
}

// conditional parses a conditional expression or what binds tighter.
func (p *parser) conditional() hclsyntax.Expression {
	start := p.rng(p.peek())
	cond := p.binary(p.operand(), 0)
	if p.peek().kind != kQuestion {
		return cond
	}
	p.read()
	t := p.expr()
	if p.peek().kind != kColon {
		p.fail()
	}
	p.read()
	f := p.expr()
	return &hclsyntax.ConditionalExpr{
		Condition:   cond,
		TrueResult:  t,
		FalseResult: f,
		SrcRange:    hcl.RangeBetween(start, f.Range()),
	}
}

// binaryOp is the operation of a binary operator token and its
// precedence level (0 binds least), or nil.
func binaryOp(k kind) (*hclsyntax.Operation, int) {
	switch k {
	case kOr:
		return hclsyntax.OpLogicalOr, 0
	case kAnd:
		return hclsyntax.OpLogicalAnd, 1
	case kEqualOp:
		return hclsyntax.OpEqual, 2
	case kNotEqual:
		return hclsyntax.OpNotEqual, 2
	case kGreater:
		return hclsyntax.OpGreaterThan, 3
	case kGreaterEq:
		return hclsyntax.OpGreaterThanOrEqual, 3
	case kLess:
		return hclsyntax.OpLessThan, 3
	case kLessEq:
		return hclsyntax.OpLessThanOrEqual, 3
	case kPlus:
		return hclsyntax.OpAdd, 4
	case kMinus:
		return hclsyntax.OpSubtract, 4
	case kStar:
		return hclsyntax.OpMultiply, 5
	case kSlash:
		return hclsyntax.OpDivide, 5
	case kPercent:
		return hclsyntax.OpModulo, 5
	}
	return nil, 0
}

// binary parses the binary operators of level min and above that follow
// lhs. hclsyntax descends through one function per level, each left
// associative; climbing the levels from lhs builds the same tree while
// looking at the next token once, not once per level.
func (p *parser) binary(lhs hclsyntax.Expression, min int) hclsyntax.Expression {
	for {
		op, level := binaryOp(p.peek().kind)
		if op == nil || level < min {
			return lhs
		}
		p.read()
		rhs := p.operand()
		for {
			next, nextLevel := binaryOp(p.peek().kind)
			if next == nil || nextLevel <= level {
				break
			}
			rhs = p.binary(rhs, level+1)
		}
		lhs = &hclsyntax.BinaryOpExpr{LHS: lhs, Op: op, RHS: rhs, SrcRange: hcl.RangeBetween(lhs.Range(), rhs.Range())}
	}
}

// operand parses a term and the traversals after it.
func (p *parser) operand() hclsyntax.Expression { return p.traversals(p.term()) }

// traversals parses the attribute steps and indexes after a term.
func (p *parser) traversals(from hclsyntax.Expression) hclsyntax.Expression {
	ret := from
	for {
		switch p.peek().kind {
		case kDot:
			dot := p.read()
			name := p.peek()
			if name.kind != kIdent {
				p.fail() // a legacy index, a splat or an error
			}
			p.read()
			r := hcl.RangeBetween(p.rng(dot), p.rng(name))
			ret = relative(ret, hcl.TraverseAttr{Name: p.name(name), SrcRange: r}, r)
		case kOBrack:
			open := p.read()
			if p.peek().kind == kStar {
				p.fail() // a splat
			}
			saved := p.newlines
			p.newlines = false
			key := p.expr()
			closing := p.read()
			if closing.kind != kCBrack {
				p.fail()
			}
			p.newlines = saved
			r := hcl.RangeBetween(p.rng(open), p.rng(closing))
			if lit, ok := key.(*hclsyntax.LiteralValueExpr); ok {
				ret = relative(ret, hcl.TraverseIndex{Key: lit.Val, SrcRange: r}, r)
			} else if tmpl, ok := key.(*hclsyntax.TemplateExpr); ok && tmpl.IsStringLiteral() {
				v, _ := tmpl.Value(nil)
				ret = relative(ret, hcl.TraverseIndex{Key: v, SrcRange: r}, r)
			} else {
				ret = &hclsyntax.IndexExpr{
					Collection:   ret,
					Key:          key,
					SrcRange:     hcl.RangeBetween(from.Range(), r),
					OpenRange:    p.rng(open),
					BracketRange: r,
				}
			}
		default:
			return ret
		}
	}
}

// relative adds a step to a traversal, or starts a relative traversal
// from an expression that is not one.
func relative(expr hclsyntax.Expression, step hcl.Traverser, r hcl.Range) hclsyntax.Expression {
	switch e := expr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		e.Traversal = append(e.Traversal, step)
		e.SrcRange = hcl.RangeBetween(e.SrcRange, r)
		return e
	case *hclsyntax.RelativeTraversalExpr:
		e.Traversal = append(e.Traversal, step)
		e.SrcRange = hcl.RangeBetween(e.SrcRange, r)
		return e
	}
	return &hclsyntax.RelativeTraversalExpr{Source: expr, Traversal: hcl.Traversal{step}, SrcRange: hcl.RangeBetween(expr.Range(), r)}
}

// term parses an expression term.
func (p *parser) term() hclsyntax.Expression {
	t := p.peek()
	switch t.kind {
	case kOParen:
		p.read()
		saved := p.newlines
		p.newlines = false
		e := p.expr()
		if p.peek().kind != kCParen {
			p.fail()
		}
		closing := p.read()
		p.newlines = saved
		return &hclsyntax.ParenthesesExpr{Expression: e, SrcRange: hcl.RangeBetween(p.rng(t), p.rng(closing))}
	case kNumber:
		p.read()
		v, err := cty.ParseNumberVal(p.name(t))
		if err != nil {
			p.fail()
		}
		return &hclsyntax.LiteralValueExpr{Val: v, SrcRange: p.rng(t)}
	case kIdent:
		p.read()
		if p.peek().kind == kOParen {
			return p.call(t)
		}
		r := p.rng(t)
		switch name := p.name(t); name {
		case "true":
			return &hclsyntax.LiteralValueExpr{Val: cty.True, SrcRange: r}
		case "false":
			return &hclsyntax.LiteralValueExpr{Val: cty.False, SrcRange: r}
		case "null":
			return &hclsyntax.LiteralValueExpr{Val: cty.NullVal(cty.DynamicPseudoType), SrcRange: r}
		default:
			trav := make(hcl.Traversal, 1, 1+p.steps())
			trav[0] = hcl.TraverseRoot{Name: name, SrcRange: r}
			return &hclsyntax.ScopeTraversalExpr{Traversal: trav, SrcRange: r}
		}
	case kString:
		p.read()
		s, r := p.str(t)
		return &hclsyntax.TemplateExpr{
			Parts:    []hclsyntax.Expression{&hclsyntax.LiteralValueExpr{Val: cty.StringVal(s), SrcRange: r}},
			SrcRange: p.rng(t),
		}
	case kMinus, kBang:
		p.read()
		op := hclsyntax.OpNegate
		if t.kind == kBang {
			op = hclsyntax.OpLogicalNot
		}
		p.enter()
		operand := p.operand()
		p.depth--
		return &hclsyntax.UnaryOpExpr{Op: op, Val: operand, SrcRange: hcl.RangeBetween(p.rng(t), operand.Range()), SymbolRange: p.rng(t)}
	case kOBrack:
		return p.tuple()
	case kOBrace:
		return p.object()
	}
	p.fail()
	return nil
}

// steps counts the attribute steps (.name) right after the token read
// last, to size a traversal.
func (p *parser) steps() int {
	n := 0
	for i := p.next; i+1 < len(p.toks) && p.toks[i].kind == kDot && p.toks[i+1].kind == kIdent; i += 2 {
		n++
	}
	return n
}

// isFor reports whether t is the keyword of a for expression.
func (p *parser) isFor(t token) bool {
	return t.kind == kIdent && p.name(t) == "for"
}

// call parses the rest of a function call after its name.
func (p *parser) call(name token) hclsyntax.Expression {
	open := p.read()
	args, closing := p.elements(kCParen)
	return &hclsyntax.FunctionCallExpr{
		Name:            p.name(name),
		Args:            args,
		NameRange:       p.rng(name),
		OpenParenRange:  p.rng(open),
		CloseParenRange: p.rng(closing),
	}
}

// elements parses the comma-separated expressions of a call's arguments
// or a tuple, a trailing comma allowed, up to and including the closer;
// newlines are not tokens there. It gives up on anything else after an
// expression (an expanded argument, a missing comma).
func (p *parser) elements(closer kind) ([]hclsyntax.Expression, token) {
	saved := p.newlines
	p.newlines = false
	defer func() { p.newlines = saved }()
	var exprs []hclsyntax.Expression
	for {
		if p.peek().kind == closer {
			return exprs, p.read()
		}
		exprs = append(exprs, p.expr())
		next := p.read()
		if next.kind == closer {
			return exprs, next
		}
		if next.kind != kComma {
			p.fail()
		}
	}
}

// openCollection reads the opening bracket or brace of a tuple or object
// constructor, where newlines are not tokens, and gives up on a for
// expression; saved is the newline setting to restore after it.
func (p *parser) openCollection() (open token, saved bool) {
	open = p.read()
	saved = p.newlines
	p.newlines = false
	if p.isFor(p.peek()) {
		p.fail()
	}
	return open, saved
}

// tuple parses a tuple constructor.
func (p *parser) tuple() hclsyntax.Expression {
	open, saved := p.openCollection()
	exprs, closing := p.elements(kCBrack)
	p.newlines = saved
	return &hclsyntax.TupleConsExpr{Exprs: exprs, SrcRange: hcl.RangeBetween(p.rng(open), p.rng(closing)), OpenRange: p.rng(open)}
}

// object parses an object constructor, where newlines separate items.
func (p *parser) object() hclsyntax.Expression {
	open, saved := p.openCollection()
	p.newlines = true
	var items []hclsyntax.ObjectConsItem
	var closing token
	for {
		next := p.peek()
		if next.kind == kNewline {
			p.read()
			continue
		}
		if next.kind == kCBrace {
			closing = p.read()
			break
		}
		key := &hclsyntax.ObjectConsKeyExpr{ForceNonLiteral: next.kind == kOParen}
		key.Wrapped = p.expr()
		if k := p.peek().kind; k != kEqual && k != kColon {
			p.fail()
		}
		p.read()
		items = append(items, hclsyntax.ObjectConsItem{KeyExpr: key, ValueExpr: p.expr()})
		next = p.peek()
		if next.kind == kCBrace {
			closing = p.read()
			break
		}
		if next.kind != kComma && next.kind != kNewline {
			p.fail()
		}
		p.read()
	}
	p.newlines = saved
	return &hclsyntax.ObjectConsExpr{Items: items, SrcRange: hcl.RangeBetween(p.rng(open), p.rng(closing)), OpenRange: p.rng(open)}
}
