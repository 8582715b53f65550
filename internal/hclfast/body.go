package hclfast

import (
	"slices"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Body is the body of a file or of a block, as ParseConfig returns it:
// hclsyntax's Body in a compact form. Its attributes and blocks are held
// in two slices, in source order, rather than a map and a slice of
// pointers, and its source ranges in a quarter of the space; a module's
// bodies are mostly read once and dropped, so this saves most of the
// memory a parse allocates.
//
// Body implements hcl.Body. Those methods (Content, PartialContent,
// JustAttributes, MissingItemRange) are hclsyntax's own, run on the tree
// Syntax returns, so their results and diagnostics are hclsyntax's.
// A Body is safe for concurrent use; nothing may change its fields.
type Body struct {
	// Attributes are the body's attributes in source order, their names
	// distinct. Nil where hclsyntax's Attributes map would be nil.
	Attributes []Attribute
	// Blocks are the body's blocks in source order. Nil where
	// hclsyntax's Blocks would be nil.
	Blocks []Block

	filename string
	src, end span
	syn      atomic.Pointer[hclsyntax.Body]
}

// Attribute is an attribute of a Body: hclsyntax.Attribute in compact
// form.
type Attribute struct {
	Name string
	Expr hclsyntax.Expression

	filename         string
	src, name, equal span
}

// Block is a block of a Body: hclsyntax.Block in compact form.
type Block struct {
	Type   string
	Labels []string
	Body   *Body

	filename          string
	typ, open, closer span
	labels            []span
}

// pos and span are hcl.Pos and hcl.Range without the file name, in
// 32-bit numbers (ParseConfig does not parse files of 2 GiB or more).
type pos struct{ line, col, byt int32 }

type span struct{ start, end pos }

func (p pos) hcl() hcl.Pos { return hcl.Pos{Line: int(p.line), Column: int(p.col), Byte: int(p.byt)} }

func (s span) rng(filename string) hcl.Range {
	return hcl.Range{Filename: filename, Start: s.start.hcl(), End: s.end.hcl()}
}

func posOf(p hcl.Pos) pos { return pos{int32(p.Line), int32(p.Column), int32(p.Byte)} }

func spanOf(r hcl.Range) span { return span{posOf(r.Start), posOf(r.End)} }

// SrcRange is the range of the whole body, as hclsyntax.Body's SrcRange.
func (b *Body) SrcRange() hcl.Range { return b.src.rng(b.filename) }

// EndRange is hclsyntax.Body's EndRange: an empty range at its end.
func (b *Body) EndRange() hcl.Range { return b.end.rng(b.filename) }

// Attribute returns the attribute called name, or nil.
func (b *Body) Attribute(name string) *Attribute {
	for i := range b.Attributes {
		if b.Attributes[i].Name == name {
			return &b.Attributes[i]
		}
	}
	return nil
}

// SrcRange is the range of the whole attribute.
func (a *Attribute) SrcRange() hcl.Range { return a.src.rng(a.filename) }

// NameRange is the range of the attribute's name.
func (a *Attribute) NameRange() hcl.Range { return a.name.rng(a.filename) }

// EqualsRange is the range of the attribute's equals sign.
func (a *Attribute) EqualsRange() hcl.Range { return a.equal.rng(a.filename) }

// AsHCLAttribute returns the attribute as an *hcl.Attribute, as
// hclsyntax.Attribute's method of that name does.
func (a *Attribute) AsHCLAttribute() *hcl.Attribute {
	return &hcl.Attribute{Name: a.Name, Expr: a.Expr, Range: a.SrcRange(), NameRange: a.NameRange()}
}

// TypeRange is the range of the block's type.
func (b *Block) TypeRange() hcl.Range { return b.typ.rng(b.filename) }

// LabelRange is the range of label i.
func (b *Block) LabelRange(i int) hcl.Range { return b.labels[i].rng(b.filename) }

// OpenBraceRange is the range of the block's opening brace.
func (b *Block) OpenBraceRange() hcl.Range { return b.open.rng(b.filename) }

// DefRange is the range of the block's header, from its type to its last
// label, as hclsyntax.Block's method of that name.
func (b *Block) DefRange() hcl.Range {
	last := b.typ
	if len(b.labels) > 0 {
		last = b.labels[len(b.labels)-1]
	}
	return hcl.RangeBetween(b.typ.rng(b.filename), last.rng(b.filename))
}

// AsHCLBlock returns the block as an *hcl.Block whose Body is b.Body, as
// hclsyntax.Block's method of that name does.
func (b *Block) AsHCLBlock() *hcl.Block {
	return &hcl.Block{
		Type:        b.Type,
		Labels:      b.Labels,
		Body:        b.Body,
		DefRange:    b.DefRange(),
		TypeRange:   b.TypeRange(),
		LabelRanges: b.labelRanges(),
	}
}

// labelRanges are the ranges of the labels, nil where hclsyntax's are.
func (b *Block) labelRanges() []hcl.Range {
	if b.labels == nil {
		return nil
	}
	out := make([]hcl.Range, len(b.labels))
	for i, s := range b.labels {
		out[i] = s.rng(b.filename)
	}
	return out
}

// Syntax returns the body as hclsyntax's tree, the one hclsyntax's parser
// builds for it, made on the first call and shared by later ones.
func (b *Body) Syntax() *hclsyntax.Body {
	if s := b.syn.Load(); s != nil {
		return s
	}
	s := &hclsyntax.Body{SrcRange: b.SrcRange(), EndRange: b.EndRange()}
	if b.Attributes != nil {
		s.Attributes = make(hclsyntax.Attributes, len(b.Attributes))
		for i := range b.Attributes {
			a := &b.Attributes[i]
			s.Attributes[a.Name] = &hclsyntax.Attribute{
				Name:        a.Name,
				Expr:        a.Expr,
				SrcRange:    a.SrcRange(),
				NameRange:   a.NameRange(),
				EqualsRange: a.EqualsRange(),
			}
		}
	}
	if b.Blocks != nil {
		s.Blocks = make(hclsyntax.Blocks, len(b.Blocks))
		for i := range b.Blocks {
			blk := &b.Blocks[i]
			s.Blocks[i] = &hclsyntax.Block{
				Type:            blk.Type,
				Labels:          blk.Labels,
				Body:            blk.Body.Syntax(),
				TypeRange:       blk.TypeRange(),
				LabelRanges:     blk.labelRanges(),
				OpenBraceRange:  blk.OpenBraceRange(),
				CloseBraceRange: blk.closer.rng(blk.filename),
			}
		}
	}
	b.syn.CompareAndSwap(nil, s)
	return b.syn.Load()
}

// fromSyntax is a Body holding the tree s, which hclsyntax's parser built
// (Syntax returns s itself).
func fromSyntax(s *hclsyntax.Body) *Body {
	b := &Body{filename: s.SrcRange.Filename, src: spanOf(s.SrcRange), end: spanOf(s.EndRange)}
	if s.Attributes != nil {
		b.Attributes = make([]Attribute, 0, len(s.Attributes))
		for _, a := range s.Attributes {
			b.Attributes = append(b.Attributes, Attribute{
				Name:     a.Name,
				Expr:     a.Expr,
				filename: a.SrcRange.Filename,
				src:      spanOf(a.SrcRange),
				name:     spanOf(a.NameRange),
				equal:    spanOf(a.EqualsRange),
			})
		}
		slices.SortFunc(b.Attributes, func(x, y Attribute) int { return int(x.src.start.byt) - int(y.src.start.byt) })
	}
	if s.Blocks != nil {
		b.Blocks = make([]Block, len(s.Blocks))
		for i, blk := range s.Blocks {
			var labels []span
			if blk.LabelRanges != nil {
				labels = make([]span, len(blk.LabelRanges))
				for j, r := range blk.LabelRanges {
					labels[j] = spanOf(r)
				}
			}
			b.Blocks[i] = Block{
				Type:     blk.Type,
				Labels:   blk.Labels,
				Body:     fromSyntax(blk.Body),
				filename: blk.TypeRange.Filename,
				typ:      spanOf(blk.TypeRange),
				open:     spanOf(blk.OpenBraceRange),
				closer:   spanOf(blk.CloseBraceRange),
				labels:   labels,
			}
		}
	}
	b.syn.Store(s)
	return b
}

// Content is hclsyntax.Body's Content on Syntax's tree.
func (b *Body) Content(schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	return b.Syntax().Content(schema)
}

// PartialContent is hclsyntax.Body's PartialContent on Syntax's tree.
func (b *Body) PartialContent(schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Body, hcl.Diagnostics) {
	return b.Syntax().PartialContent(schema)
}

// JustAttributes is hclsyntax.Body's JustAttributes on Syntax's tree.
func (b *Body) JustAttributes() (hcl.Attributes, hcl.Diagnostics) {
	return b.Syntax().JustAttributes()
}

// MissingItemRange is hclsyntax.Body's MissingItemRange.
func (b *Body) MissingItemRange() hcl.Range {
	r := b.SrcRange()
	r.End = r.Start
	return r
}
