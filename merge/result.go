package merge

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// evaluate runs the load, declare and define phases and checks the
// assertions.
func evaluate(ctx context.Context, c *Config, names []string) (*Result, hcl.Diagnostics) {
	if len(names) == 0 {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summaryImport, Detail: "No module to evaluate was given."}}
	}
	ld := c.load(ctx, names)
	diags := ld.diags
	if diags.HasErrors() {
		return nil, sortDiags(diags)
	}
	args := map[string]cty.Value{}
	for k, v := range c.Args {
		args[k] = v
	}
	e := &evaluator{
		cfg:    c,
		mods:   ld.mods,
		top:    newNamespace(nil),
		base:   &hcl.EvalContext{Functions: c.functions()},
		args:   cty.ObjectVal(args),
		insts:  map[string]*instance{},
		single: map[*optInst]cty.Value{},
	}
	// Declare, in load order: the modules with option blocks make the
	// tree, which a Cache keeps for the next evaluation over them.
	var optMods []*module
	for i := len(e.mods) - 1; i >= 0; i-- {
		if len(e.mods[i].options) > 0 {
			optMods = append(optMods, e.mods[i])
		}
	}
	var ds *declSet
	if c.Cache != nil {
		ds = c.Cache.declSet(optMods)
	}
	if ds == nil {
		ds = buildDecls(optMods)
		if c.Cache != nil && len(ds.diags) == 0 {
			c.Cache.keepDeclSet(ds)
		}
	}
	if c.Cache == nil {
		// The modules are this evaluation's alone, and the tree holds what
		// it needs of their option blocks.
		for _, m := range optMods {
			m.options = nil
		}
	}
	e.decls, e.top = ds, ds.top
	diags = append(diags, ds.diags...)
	e.topOpts = optInsts(len(ds.decls), func(i int) optInst {
		return optInst{decl: ds.decls[i], path: ds.decls[i].path}
	})
	if diags.HasErrors() {
		return nil, sortDiags(diags)
	}
	diags = append(diags, e.define()...)
	if diags.HasErrors() {
		return nil, sortDiags(diags)
	}
	if c.Cache != nil && len(c.Functions) == 0 {
		// Values merged before are taken over where nothing they were
		// computed from changed. Extra functions may not be pure.
		e.startTracking()
	}
	r := &Result{e: e}
	// Check: assertions and warnings, all of them (spec section 1).
	for i := len(e.mods) - 1; i >= 0; i-- {
		m := e.mods[i]
		if err := ctx.Err(); err != nil {
			return nil, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summaryCancelled, Detail: err.Error()})
		}
		for _, b := range m.asserts {
			diags = append(diags, e.check(m, b, true)...)
		}
		for _, b := range m.warns {
			ds := e.check(m, b, false)
			for _, d := range ds {
				if d.Severity == hcl.DiagWarning {
					r.warnings = append(r.warnings, d)
				}
			}
			diags = append(diags, ds...)
		}
	}
	e.keep()
	r.warnings = sortDiags(r.warnings)
	diags = sortDiags(diags)
	if diags.HasErrors() {
		return nil, diags
	}
	return r, diags
}

var checkSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "condition", Required: true}, {Name: "message", Required: true},
}}

// check evaluates one assert (isAssert) or warn block.
func (e *evaluator) check(m *module, b *hcl.Block, isAssert bool) hcl.Diagnostics {
	content, diags := b.Body.Content(checkSchema)
	if diags.HasErrors() {
		return diags
	}
	sc := &scope{mod: m}
	cx := content.Attributes["condition"]
	v, diags := e.evalExpr(cx.Expr, sc)
	if diags.HasErrors() {
		return diags
	}
	if !v.IsKnown() {
		return nil
	}
	if v.IsNull() || v.Type() != cty.Bool {
		return hcl.Diagnostics{newDiag(summaryCondition, fmt.Sprintf("The condition of a %s block must be a bool, not %s.", b.Type, typeName(v)), cx.Expr.Range(), b.DefRange)}
	}
	if v.True() == isAssert {
		return nil
	}
	mx := content.Attributes["message"]
	msg, mdiags := e.evalExpr(mx.Expr, sc)
	if mdiags.HasErrors() {
		return mdiags
	}
	text := ""
	if msg.IsKnown() && !msg.IsNull() && msg.Type() == cty.String {
		text = msg.AsString()
	} else {
		text = showValue(msg)
	}
	rng := b.DefRange
	if isAssert {
		return hcl.Diagnostics{newDiag(summaryAssertion, fmt.Sprintf("%s (assert at %s)", text, where(rng)), rng, cx.Expr.Range())}
	}
	d := newDiag(summaryWarning, fmt.Sprintf("%s (warn at %s)", text, where(rng)), rng, cx.Expr.Range())
	d.Severity = hcl.DiagWarning
	return hcl.Diagnostics{d}
}

// getPath finds the value at p: an option, a namespace or a part of an
// option's value.
func (e *evaluator) getPath(p Path) (cty.Value, hcl.Diagnostics) {
	node := e.top
	for i, s := range p {
		c := node.children[s]
		if c == nil {
			return cty.NilVal, e.undeclared(node, p[:i], s, hcl.Range{Filename: "<path>"})
		}
		node = c
		if c.opt != nil {
			v, has, diags := e.value(e.topOpts[c.opt.idx], hcl.Range{})
			if diags.HasErrors() {
				return cty.NilVal, diags
			}
			if !has {
				return cty.NilVal, diags
			}
			for j := i + 1; j < len(p); j++ {
				if !v.IsKnown() || v.IsNull() || !isObject(v.Type()) || !v.Type().HasAttribute(p[j]) {
					return cty.NilVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summaryNoSuchPath,
						Detail: fmt.Sprintf("The value of %s has no attribute %s.", p[:j], quoteSegment(p[j]))}}
				}
				v = v.GetAttr(p[j])
			}
			return v, diags
		}
	}
	e.prefetch(node, false)
	return e.treeValue(node, nil, hcl.Range{})
}

// Get returns the value at path, written as in error messages
// (fileSystems."/".fsType): an option, a namespace (an object of the
// options below it) or a part of an option's value (a key of an attrsOf, an
// attribute of a submodule). The empty path is the whole configuration.
// The value is cty.NilVal when the diagnostics hold an error.
func (r *Result) Get(path string) (cty.Value, hcl.Diagnostics) {
	p, err := ParsePath(path)
	if err != nil {
		return cty.NilVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summaryNoSuchPath, Detail: err.Error()}}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	v, diags := r.e.getPath(p)
	r.e.keep()
	diags = sortDiags(diags)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	return v, diags
}

// JSON returns the JSON of the value at path (see Get), with object keys
// sorted and whole numbers printed as integers: what strata eval --attr
// prints.
func (r *Result) JSON(path string) ([]byte, hcl.Diagnostics) {
	if p, err := ParsePath(path); err == nil {
		r.mu.Lock()
		node := r.e.namespaceAt(p)
		if node != nil {
			// A namespace is written from the option tree, without
			// building its value first.
			r.e.prefetch(node, true)
			var b []byte
			if len(p) == 0 {
				// The whole configuration is about as long as last time;
				// the first time, guess from the number of options, as a
				// large slice grows by a quarter at a time, which
				// allocates about five times its final length.
				size := r.e.decls.jsonSize.Load()
				if size == 0 {
					size = jsonPerOption * int64(len(r.e.topOpts))
				}
				b = make([]byte, 0, size)
			}
			b, diags := r.e.appendTreeJSON(b, node)
			r.e.json = nil
			if len(p) == 0 && !diags.HasErrors() {
				r.e.decls.jsonSize.Store(int64(len(b) + len(b)/16))
			}
			r.e.keep()
			r.mu.Unlock()
			diags = sortDiags(diags)
			if diags.HasErrors() {
				return nil, diags
			}
			return b, diags
		}
		r.mu.Unlock()
	}
	v, diags := r.Get(path)
	if diags.HasErrors() {
		return nil, diags
	}
	return appendJSONValue(nil, v, false), diags
}

// jsonPerOption is a first guess of the length of the whole
// configuration's JSON per top-level option: scripts/bench-eval's module
// sets print about 51 bytes per option.
const jsonPerOption = 64

// namespaceAt returns the namespace node at p, or nil when p is not one
// (an option, inside an option, or undeclared).
func (e *evaluator) namespaceAt(p Path) *declNode {
	node := e.top
	for _, s := range p {
		node = node.children[s]
		if node == nil || node.opt != nil {
			return nil
		}
	}
	return node
}

// appendTreeJSON writes the value of a tree as treeValue would make it.
func (e *evaluator) appendTreeJSON(b []byte, n *declNode) ([]byte, hcl.Diagnostics) {
	if n.opt != nil {
		o := e.topOpts[n.opt.idx]
		_, has, diags := e.value(o, hcl.Range{})
		if !has || diags.HasErrors() {
			return b, diags
		}
		if e.json != nil && e.json[n.opt.idx] != nil {
			return append(b, e.json[n.opt.idx]...), diags
		}
		return e.appendJSON(b, o), diags
	}
	var diags hcl.Diagnostics
	b = append(b, '{')
	for i, k := range n.sortedNames() {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		var d hcl.Diagnostics
		b, d = e.appendTreeJSON(b, n.children[k])
		diags = append(diags, d...)
	}
	return append(b, '}'), diags
}

// MarshalJSON returns the whole configuration as JSON: every declared
// option, keys sorted, whole numbers as integers. An option used in it
// that has no value is an error, as in NixOS (spec section 7); the error
// is an hcl.Diagnostics.
func (r *Result) MarshalJSON() ([]byte, error) {
	b, diags := r.JSON("")
	if diags.HasErrors() {
		return nil, diags
	}
	return b, nil
}

// appendJSONValue writes v as JSON. Unknown values (which only exist after
// errors) are written as null; short quotes property functions by name.
func appendJSONValue(b []byte, v cty.Value, short bool) []byte {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() {
		return append(b, "null"...)
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return appendJSONString(b, v.AsString())
	case ty == cty.Bool:
		if v.True() {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case ty == cty.Number:
		f := v.AsBigFloat()
		if f.IsInt() {
			if i, acc := f.Int64(); acc == big.Exact {
				return strconv.AppendInt(b, i, 10)
			}
			i, _ := f.Int(nil)
			return i.Append(b, 10)
		}
		x, _ := f.Float64()
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	case isObject(ty):
		b = append(b, '{')
		if ty.IsMapType() {
			// cty iterates the elements of a map in key order.
			i := 0
			for it := v.ElementIterator(); it.Next(); i++ {
				if i > 0 {
					b = append(b, ',')
				}
				k, ev := it.Element()
				b = appendJSONString(b, k.AsString())
				b = append(b, ':')
				b = appendJSONValue(b, ev, short)
			}
			return append(b, '}')
		}
		keys := make([]string, 0, len(ty.AttributeTypes()))
		for k := range ty.AttributeTypes() {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSONValue(b, v.GetAttr(k), short)
		}
		return append(b, '}')
	case isList(ty):
		b = append(b, '[')
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			if i > 0 {
				b = append(b, ',')
			}
			_, ev := it.Element()
			b = appendJSONValue(b, ev, short)
		}
		return append(b, ']')
	case isProp(v):
		p := propOf(v)
		return appendJSONString(b, p.fn+"(...)")
	}
	return append(b, "null"...)
}

func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// ValueJSON returns the JSON of a value as the Result prints it: object
// keys sorted, whole numbers as integers.
func ValueJSON(v cty.Value) ([]byte, error) {
	if v == cty.NilVal {
		return nil, fmt.Errorf("merge: ValueJSON of the nil value")
	}
	return appendJSONValue(nil, v, false), nil
}
