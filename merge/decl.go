package merge

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/internal/hclfast"
)

// declNode is a node of a declaration tree: an option, or a namespace of
// named children. The top-level configuration has one tree, and each
// submodule type one more (spec section 3).
type declNode struct {
	path     Path // from the tree's root
	children map[string]*declNode
	opt      *optDecl   // non-nil: this node is an option
	names    []string   // sorted children names, filled by freeze
	all      []*optDecl // of a submodule tree's root: its options, filled by freeze
}

func newNamespace(p Path) *declNode { return &declNode{path: p} }

// add makes c the child k of n.
func (n *declNode) add(k string, c *declNode) {
	if n.children == nil {
		n.children = map[string]*declNode{}
	}
	n.children[k] = c
}

// optDecl is one option with all its declarations merged.
type optDecl struct {
	path        Path
	t           *typ
	def         hcl.Expression // the default, nil when none
	defMod      *module
	defRange    hcl.Range
	defaultText string
	desc        string
	descRange   *hcl.Range
	example     hcl.Expression
	exRange     *hcl.Range
	readOnly    bool
	internal    bool
	decls       []hcl.Range
	top         bool // declared in the top-level tree
	idx         int  // index among the top-level options, or in its submodule tree's all
}

var optionSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type", Required: true}, {Name: "default"}, {Name: "defaultText"},
		{Name: "description"}, {Name: "example"}, {Name: "readOnly"}, {Name: "internal"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "option", LabelNames: []string{"path"}}},
}

// optBlock is an option block read once at load: its attributes and its
// type (a template, copied for each evaluation since extensions add to it).
type optBlock struct {
	defRange hcl.Range // the block's header
	rel      Path      // the label, parsed

	desc, defaultText       string
	hasDesc, hasDefaultText bool
	readOnly, internal      bool
	descRange               hcl.Range

	syn    [nOptAttrs]*hclfast.Attribute // native syntax: in the body; forget copies out those kept
	js     [nOptAttrs]*hcl.Attribute     // JSON syntax
	t      *typ
	diags  hcl.Diagnostics
	nested []*optBlock
}

// The attributes of an option block, in optionSchema's order.
const (
	aType = iota
	aDefault
	aDefaultText
	aDescription
	aExample
	aReadOnly
	aInternal
	nOptAttrs
)

// optHeader is what readOptBlock reads of an option block's header.
type optHeader struct {
	label              string
	defRange, labelRng hcl.Range
}

// headerOf is the header of an option block of any syntax, with one label.
func headerOf(b *hcl.Block) optHeader {
	return optHeader{label: b.Labels[0], defRange: b.DefRange, labelRng: b.LabelRanges[0]}
}

// nativeHeader is headerOf for a block of native syntax.
func nativeHeader(b *hclfast.Block) optHeader {
	return optHeader{label: b.Labels[0], defRange: b.DefRange(), labelRng: b.LabelRange(0)}
}

// readOptBlock reads an option block and the blocks nested in it. A native
// syntax body is read in place, without the copies Content makes, since a
// large configuration has tens of thousands of option blocks.
func readOptBlock(h optHeader, body hcl.Body) *optBlock {
	ob := &optBlock{defRange: h.defRange}
	var native []*hclfast.Block // nested blocks of native syntax
	var nested []*hcl.Block     // of any other syntax
	if sb, ok := body.(*hclfast.Body); ok {
		for j := range sb.Attributes {
			a := &sb.Attributes[j]
			n := a.Name
			i := optAttrIndex(n)
			if i < 0 {
				ob.diags = append(ob.diags, newDiag(summaryBadDecl,
					fmt.Sprintf("An option block takes no attribute %q; it takes type, default, defaultText, description, example, readOnly and internal%s", n, hintOrPeriod(didYouMean(n, optAttrNames()))),
					a.NameRange()))
				continue
			}
			ob.syn[i] = a
		}
		for i := range sb.Blocks {
			nb := &sb.Blocks[i]
			if nb.Type != "option" || len(nb.Labels) != 1 {
				ob.diags = append(ob.diags, newDiag(summaryBadDecl,
					"An option block may only hold option blocks, each with one label: the path of the nested option.", nb.DefRange()))
				continue
			}
			native = append(native, nb)
		}
		if ob.syn[aType] == nil {
			ob.diags = append(ob.diags, newDiag(summaryBadDecl, "An option block needs a type.", h.defRange))
		}
	} else {
		content, diags := body.Content(optionSchema)
		ob.diags = diags
		for n, a := range content.Attributes {
			ob.js[optAttrIndex(n)] = a
		}
		nested = content.Blocks
	}
	label := h.label
	rel, err := parseDotted(label)
	if err != nil {
		ob.diags = append(ob.diags, newDiag(summaryBadDecl, fmt.Sprintf("The option path %q is not a path: %v.", label, err), h.labelRng))
		return ob
	}
	ob.rel = rel
	str := func(i int) (string, bool) {
		a, ok := ob.get(i)
		if !ok {
			return "", false
		}
		v, d := literalValue(a.Expr)
		if d.HasErrors() || v.Type() != cty.String || v.IsNull() || !v.IsKnown() {
			ob.diags = append(ob.diags, newDiag(summaryBadDecl, fmt.Sprintf("The %s of option %s must be a literal string.", a.Name, label), a.Expr.Range()))
			return "", false
		}
		return v.AsString(), true
	}
	ob.desc, ob.hasDesc = str(aDescription)
	ob.defaultText, ob.hasDefaultText = str(aDefaultText)
	flag := func(i int) bool {
		a, ok := ob.get(i)
		if !ok {
			return false
		}
		v, d := literalValue(a.Expr)
		if d.HasErrors() || v.Type() != cty.Bool || v.IsNull() || !v.IsKnown() {
			ob.diags = append(ob.diags, newDiag(summaryBadDecl, fmt.Sprintf("The %s of option %s must be true or false.", a.Name, label), a.Expr.Range()))
			return false
		}
		return v.True()
	}
	ob.readOnly = flag(aReadOnly)
	ob.internal = flag(aInternal)
	if a, ok := ob.get(aType); ok {
		t, tdiags := parseType(a.Expr)
		ob.t = t
		ob.diags = append(ob.diags, tdiags...)
	}
	for _, nb := range native {
		ob.nested = append(ob.nested, readOptBlock(nativeHeader(nb), nb.Body))
	}
	for _, nb := range nested {
		ob.nested = append(ob.nested, readOptBlock(headerOf(nb), nb.Body))
	}
	ob.forget()
	return ob
}

// literalValue is x.Value(nil), taking a literal's value directly.
func literalValue(x hcl.Expression) (cty.Value, hcl.Diagnostics) {
	if v, ok := literal(x); ok {
		return v, nil
	}
	return x.Value(nil)
}

// forget drops the attributes only readOptBlock reads, and copies the
// native syntax ones it keeps out of their body, so the body's syntax is
// freed: a large configuration has tens of thousands of option blocks.
func (ob *optBlock) forget() {
	if a, ok := ob.get(aDescription); ok {
		ob.descRange = a.Range
	}
	for _, i := range [...]int{aType, aDefaultText, aDescription, aReadOnly, aInternal} {
		ob.syn[i], ob.js[i] = nil, nil
	}
	for _, i := range [...]int{aDefault, aExample} {
		if a := ob.syn[i]; a != nil {
			c := *a
			ob.syn[i] = &c
		}
	}
}

// get returns attribute i of the block, if it is set.
func (ob *optBlock) get(i int) (hcl.Attribute, bool) {
	if a := ob.syn[i]; a != nil {
		return hcl.Attribute{Name: a.Name, Expr: a.Expr, Range: a.SrcRange(), NameRange: a.NameRange()}, true
	}
	if a := ob.js[i]; a != nil {
		return *a, true
	}
	return hcl.Attribute{}, false
}

func optAttrIndex(n string) int {
	for i, a := range optionSchema.Attributes {
		if a.Name == n {
			return i
		}
	}
	return -1
}

func optAttrNames() []string {
	var out []string
	for _, a := range optionSchema.Attributes {
		out = append(out, a.Name)
	}
	return out
}

// clone copies a type, with new empty submodule trees. A type with no
// submodule is never changed, so it is shared instead.
func (t *typ) clone() *typ {
	if t.subTree() == nil {
		return t
	}
	c := *t
	if t.sub != nil {
		c.sub = newNamespace(nil)
	}
	if len(t.elems) > 0 {
		c.elems = make([]*typ, len(t.elems))
		for i, e := range t.elems {
			c.elems[i] = e.clone()
		}
	}
	return &c
}

// declare adds the option block ob of module m to the tree root, whose
// options have paths prefix+label (prefix names the submodule for
// messages). types holds the types without a submodule declared so far,
// by spelling.
func declare(root *declNode, prefix Path, m *module, ob *optBlock, types map[string]*typ) hcl.Diagnostics {
	b := ob
	diags := append(hcl.Diagnostics(nil), ob.diags...)
	rel := ob.rel
	if ob.t == nil || rel == nil {
		return diags
	}
	full := rel
	if len(prefix) > 0 {
		full = prefix.child(rel...)
	}
	t := ob.t.clone()
	if t.subTree() == nil {
		// Such a type is never changed, and its spelling is what makes
		// two declarations' types the same (see below): one value serves
		// every option of that type.
		if it, ok := types[t.src]; ok {
			t = it
		} else {
			types[t.src] = t
		}
	}
	node := root
	for i, s := range rel {
		if node.opt != nil {
			return append(diags, newDiag(summaryDeclared,
				fmt.Sprintf("The option %s is declared inside the option %s (declared at %s); an option cannot hold options. Use a submodule type for nested options.",
					full, prefix.child(rel[:i]...), where(node.opt.decls[0])), b.defRange, node.opt.decls[0]))
		}
		c := node.children[s]
		if c == nil {
			// A node's path from the root is a prefix of rel, which is
			// never changed: the node shares it.
			c = newNamespace(rel[: i+1 : i+1])
			node.add(s, c)
		}
		node = c
	}
	if node.opt == nil && len(node.children) > 0 {
		var inner *optDecl
		walkOptions(node, func(o *optDecl) {
			if inner == nil {
				inner = o
			}
		})
		return append(diags, newDiag(summaryDeclared,
			fmt.Sprintf("The option %s is declared where options below it are declared already (%s, declared at %s).", full, prefix.child(inner.path...), where(inner.decls[0])),
			b.defRange, inner.decls[0]))
	}
	o := node.opt
	if o == nil {
		o = &optDecl{path: node.path, t: t}
		node.opt = o
	} else if o.t.src != t.src {
		return append(diags, newDiag(summaryDeclared,
			fmt.Sprintf("The option %s is declared at %s with type %s and again at %s with type %s; declarations of one option must have the same type (submodule types are extended).",
				full, where(o.decls[0]), o.t.src, where(b.defRange), t.src), b.defRange, o.decls[0]))
	}
	dup := func(what string, prev hcl.Range, now hcl.Range) {
		diags = append(diags, newDiag(summaryDeclared,
			fmt.Sprintf("The option %s is declared at %s and at %s, and both declarations give a %s; at most one may.", full, where(prev), where(now), what),
			b.defRange, prev))
	}
	prevDecl := hcl.Range{}
	if len(o.decls) > 0 {
		prevDecl = o.decls[0]
	}
	o.decls = append(o.decls, b.defRange)
	if a, ok := ob.get(aDefault); ok {
		if o.def != nil {
			dup("default", prevDecl, b.defRange)
		} else {
			o.def, o.defMod, o.defRange = a.Expr, m, a.Range
		}
	}
	if ob.hasDesc {
		if o.descRange != nil {
			dup("description", prevDecl, b.defRange)
		} else {
			r := ob.descRange
			o.desc, o.descRange = ob.desc, &r
		}
	}
	if ob.hasDefaultText {
		o.defaultText = ob.defaultText
	}
	if a, ok := ob.get(aExample); ok {
		if o.example != nil {
			dup("example", prevDecl, b.defRange)
		} else {
			r := a.Range
			o.example, o.exRange = a.Expr, &r
		}
	}
	o.readOnly = o.readOnly || ob.readOnly
	o.internal = o.internal || ob.internal
	if len(ob.nested) > 0 {
		sub := o.t.subTree()
		if sub == nil {
			return append(diags, newDiag(summaryBadDecl,
				fmt.Sprintf("The option %s has nested option blocks but its type %s has no submodule.", full, o.t.src), ob.nested[0].defRange, b.defRange))
		}
		subPrefix := full
		if _, keyed := o.t.findSub(); keyed {
			subPrefix = full.child("<name>")
		}
		for _, nb := range ob.nested {
			diags = append(diags, declare(sub, subPrefix, m, nb, types)...)
		}
	}
	return diags
}

// walkOptions calls f for every option below n, in sorted order.
func walkOptions(n *declNode, f func(*optDecl)) {
	if n.opt != nil {
		f(n.opt)
		return
	}
	for _, k := range n.sortedNames() {
		walkOptions(n.children[k], f)
	}
}

// sortedNames returns the names of n's children, sorted.
func (n *declNode) sortedNames() []string {
	if n.names != nil && len(n.names) == len(n.children) {
		return n.names
	}
	names := make([]string, 0, len(n.children))
	for k := range n.children {
		names = append(names, k)
	}
	sort.Strings(names)
	n.names = names
	return names
}

// freeze fills the sorted names of every node, so later reads need no
// writes (a Result is read concurrently).
func (n *declNode) freeze() {
	n.sortedNames()
	for _, c := range n.children {
		c.freeze()
	}
	if n.opt != nil {
		if s := n.opt.t.subTree(); s != nil {
			s.freezeSub()
		}
		for _, e := range n.opt.t.elems {
			freezeType(e)
		}
	}
}

// freezeSub freezes the root of a submodule tree and numbers its options.
func (n *declNode) freezeSub() {
	n.freeze()
	n.all = collectOpts(n)
	if n.all == nil {
		n.all = []*optDecl{} // frozen: nothing writes it later
	}
	for i, o := range n.all {
		o.idx = i
	}
}

func freezeType(t *typ) {
	if t.sub != nil {
		t.sub.freezeSub()
	}
	for _, e := range t.elems {
		freezeType(e)
	}
}

// didYouMean returns ", did you mean X?" naming the closest candidates, or
// "" when none is close.
func didYouMean(name string, candidates []string) string {
	best := 1 << 30
	var picks []string
	for _, c := range candidates {
		d := levenshtein(strings.ToLower(name), strings.ToLower(c))
		limit := max(2, len(name)/3)
		if d > limit {
			continue
		}
		if d < best {
			best, picks = d, []string{c}
		} else if d == best {
			picks = append(picks, c)
		}
	}
	if len(picks) == 0 {
		return ""
	}
	if len(picks) > 3 {
		picks = picks[:3]
	}
	return "; did you mean " + strings.Join(picks, " or ") + "?"
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
