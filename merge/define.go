package merge

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/internal/hclfast"
	"github.com/strata-build/strata/priority"
)

// thunk is a definition's value before evaluation: an expression, the body
// of a block, or a value already computed.
type thunk struct {
	x    hcl.Expression
	body hcl.Body
	v    *cty.Value // rare: a thunk is most often syntax
}

func valThunk(v cty.Value) thunk { return thunk{v: &v} }

// val is the value of a value thunk, cty.NilVal for syntax.
func (th thunk) val() cty.Value {
	if th.v == nil {
		return cty.NilVal
	}
	return *th.v
}

// scope is where a thunk is evaluated: its module (for locals and
// relative paths) and the submodule element it is inside (for name and
// self).
type scope struct {
	mod  *module
	inst *instance
}

// cond is one mkIf or when condition. What it gives is kept by the
// evaluator (condState), so that definitions can be shared.
type cond struct {
	x   hcl.Expression
	v   cty.Value // a condition that came as a value
	sc  *scope
	rng hcl.Range
}

// condState is what one evaluation found of a cond.
type condState struct {
	done  bool
	busy  bool
	res   int8 // 1 true, 0 false, -1 error
	diags hcl.Diagnostics
	rd    reads // what it read, when tracking
}

// def is one definition of an option, as the define phase finds it: th is
// the value at sub below the option; the wrappers found while pushing it
// down apply at the option itself (spec section 4).
type def struct {
	sub   Path
	th    thunk
	sc    *scope
	conds []*cond
	prio  priority.Priority
	order priority.Order
	rng   hcl.Range
}

// item is one entry of an object-like thunk: keys are the path it defines
// below the object (one key for an attribute, more for a labelled block).
type item struct {
	keys []string
	th   thunk
	rng  hcl.Range
}

// wrappers are the property functions met while pushing a value down.
type wrappers struct {
	conds []*cond
	prio  priority.Priority
	order priority.Order
}

func (w wrappers) withCond(c *cond) wrappers {
	n := make([]*cond, len(w.conds), len(w.conds)+1)
	copy(n, w.conds)
	w.conds = append(n, c)
	return w
}

// propCall returns the property function called by a thunk's syntax, or nil.
func propCall(th thunk) *hclsyntax.FunctionCallExpr {
	if call, ok := th.x.(*hclsyntax.FunctionCallExpr); ok && propNames[call.Name] {
		return call
	}
	return nil
}

// objectLike reports whether a thunk's syntax is an object (a block body,
// an object constructor, or a JSON object), so it can be taken apart without
// evaluating it.
func objectLike(th thunk) bool {
	if th.body != nil {
		return true
	}
	switch x := th.x.(type) {
	case nil:
		v := th.val()
		return v != cty.NilVal && v.IsKnown() && !v.IsNull() && isObject(v.Type())
	case *hclsyntax.ObjectConsExpr:
		return true
	case hclsyntax.Expression:
		return false
	default:
		_, diags := hcl.ExprMap(x)
		return !diags.HasErrors()
	}
}

// listLike reports whether a thunk's syntax is a list constructor.
func listLike(th thunk) bool {
	switch x := th.x.(type) {
	case nil:
		v := th.val()
		return th.body == nil && v != cty.NilVal && v.IsKnown() && !v.IsNull() && isList(v.Type())
	case *hclsyntax.TupleConsExpr:
		return true
	case hclsyntax.Expression:
		return false
	default:
		v, diags := x.Value(nil)
		if diags.HasErrors() {
			return false
		}
		_, ldiags := hcl.ExprList(x)
		return !ldiags.HasErrors() && isList(v.Type())
	}
}

// isNullSyntax reports whether a thunk is the literal null.
func isNullSyntax(th thunk) bool {
	if lit, ok := th.x.(*hclsyntax.LiteralValueExpr); ok {
		return lit.Val.IsNull()
	}
	v := th.val()
	return th.x == nil && th.body == nil && v != cty.NilVal && v.IsNull()
}

// rangeOf is the place of a thunk.
func (th thunk) rangeOf(fallback hcl.Range) hcl.Range {
	switch {
	case th.x != nil:
		return th.x.Range()
	case th.body != nil:
		if b, ok := th.body.(*hclfast.Body); ok {
			return b.SrcRange()
		}
	}
	return fallback
}

// items takes apart an object-like thunk into its entries, in source
// order. For a config body, the reserved when attribute is skipped when
// skipWhen is set.
func (e *evaluator) items(th thunk, sc *scope, skipWhen bool) ([]item, hcl.Diagnostics) {
	var out []item
	var diags hcl.Diagnostics
	switch {
	case th.body != nil:
		if its, ok := sc.mod.items[th.body]; ok {
			return its, nil
		}
		if b, ok := th.body.(*hclfast.Body); ok {
			out = make([]item, 0, len(b.Attributes)+len(b.Blocks))
			for i := range b.Attributes {
				a := &b.Attributes[i]
				if skipWhen && a.Name == "when" {
					continue
				}
				out = append(out, item{keys: e.keys(a.Name), th: thunk{x: a.Expr}, rng: a.SrcRange()})
			}
			for i := range b.Blocks {
				blk := &b.Blocks[i]
				keys := append(e.keys(blk.Type), blk.Labels...)
				out = append(out, item{keys: keys, th: thunk{body: blk.Body}, rng: blk.DefRange()})
			}
			sortItems(out)
			return out, nil
		}
		attrs, d := th.body.JustAttributes()
		diags = append(diags, d...)
		for n, a := range attrs {
			if skipWhen && n == "when" {
				continue
			}
			out = append(out, item{keys: e.keys(n), th: thunk{x: a.Expr}, rng: a.Range})
		}
		sortItems(out)
		return out, diags
	case th.x != nil:
		pairs, d := hcl.ExprMap(th.x)
		if d.HasErrors() {
			return nil, d
		}
		for _, p := range pairs {
			k, kd := e.evalKey(p.Key, sc)
			if kd.HasErrors() {
				diags = append(diags, kd...)
				continue
			}
			out = append(out, item{keys: e.keys(k), th: thunk{x: p.Value}, rng: hcl.RangeBetween(p.Key.Range(), p.Value.Range())})
		}
		return out, diags
	default:
		v := th.val()
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			out = append(out, item{keys: e.keys(k.AsString()), th: valThunk(ev)})
		}
		return out, nil
	}
}

// sortItems puts items in source order.
func sortItems(its []item) {
	slices.SortStableFunc(its, func(a, b item) int { return cmp.Compare(a.rng.Start.Byte, b.rng.Start.Byte) })
}

// keys returns a one-key path from the evaluator's current block of
// strings; appending to it copies it.
func (e *evaluator) keys(k string) []string {
	if len(e.strs) == 0 {
		e.strs = make([]string, 256)
	}
	p := e.strs[:1:1]
	e.strs = e.strs[1:]
	p[0] = k
	return p
}

// evalKey evaluates an object key: a bare name or string stays literal.
func (e *evaluator) evalKey(x hcl.Expression, sc *scope) (string, hcl.Diagnostics) {
	var v cty.Value
	var diags hcl.Diagnostics
	if k, ok := x.(*hclsyntax.ObjectConsKeyExpr); ok && !k.ForceNonLiteral {
		if name := hcl.ExprAsKeyword(k.Wrapped); name != "" {
			return name, nil
		}
	}
	if len(varsOf(x, sc.mod)) == 0 {
		e.evals++
		v, diags = x.Value(e.base)
	} else {
		v, diags = e.evalExpr(x, sc)
	}
	if diags.HasErrors() {
		return "", diags
	}
	if v.Type() != cty.String || v.IsNull() || !v.IsKnown() {
		return "", hcl.Diagnostics{newDiag(summaryBadDefinition, "An object key must be a string.", x.Range())}
	}
	return v.AsString(), nil
}

// itemsOfValue takes apart a thunk that must be an object, evaluating it
// when its syntax does not show the object.
func (e *evaluator) objectItems(th thunk, sc *scope) ([]item, bool, hcl.Diagnostics) {
	if objectLike(th) {
		its, diags := e.items(th, sc, false)
		return its, true, diags
	}
	v, diags := e.thunkValue(th, sc)
	if diags.HasErrors() || !v.IsKnown() {
		return nil, true, diags
	}
	if v.IsNull() || !isObject(v.Type()) {
		return nil, false, nil
	}
	its, d := e.items(valThunk(v), sc, false)
	return its, true, d
}

// pushDown places one item below node (whose full path is base) and emits
// the definitions it makes to the options it reaches (spec section 4).
// What is pushed down is checked against the declarations even under a
// false condition (spec section 5).
func (e *evaluator) pushDown(node *declNode, base Path, it item, w wrappers, sc *scope, emit func(*optDecl, *def)) hcl.Diagnostics {
	for i, k := range it.keys {
		c := node.children[k]
		if c == nil {
			return e.undeclared(node, base.child(it.keys[:i]...), k, it.rng)
		}
		node = c
		if c.opt != nil {
			// Items are never changed, so sub may share their keys.
			emit(c.opt, e.newDef(def{sub: it.keys[i+1:], th: it.th, sc: sc, conds: w.conds, prio: w.prio, order: w.order, rng: it.rng}))
			return nil
		}
	}
	return e.pushNamespace(node, base.child(it.keys...), it.th, it.rng, w, sc, emit)
}

// pushNamespace pushes a thunk given for a namespace into the options below
// it, with the wrappers around it.
func (e *evaluator) pushNamespace(node *declNode, base Path, th thunk, rng hcl.Range, w wrappers, sc *scope, emit func(*optDecl, *def)) hcl.Diagnostics {
	if call := propCall(th); call != nil {
		var diags hcl.Diagnostics
		switch call.Name {
		case "mkIf":
			if len(call.Args) != 2 {
				return hcl.Diagnostics{newDiag(summaryBadDefinition, "mkIf takes a condition and a value.", call.Range())}
			}
			c := &cond{x: call.Args[0], sc: sc, rng: call.Args[0].Range()}
			return e.pushNamespace(node, base, thunk{x: call.Args[1]}, rng, w.withCond(c), sc, emit)
		case "mkMerge":
			tup, ok := oneArg(call.Args).(*hclsyntax.TupleConsExpr)
			if !ok {
				return e.pushOpaque(node, base, th, rng, w, sc, emit)
			}
			for _, x := range tup.Exprs {
				diags = append(diags, e.pushNamespace(node, base, thunk{x: x}, rng, w, sc, emit)...)
			}
			return diags
		default:
			nw, val, d := e.wrapperArgs(call, w, sc, base)
			if d.HasErrors() {
				return d
			}
			return e.pushNamespace(node, base, val, rng, nw, sc, emit)
		}
	}
	if th.x == nil && th.body == nil && isProp(th.val()) {
		p := propOf(th.val())
		switch p.fn {
		case "mkIf":
			c := &cond{v: p.cond, sc: sc, rng: rng}
			return e.pushNamespace(node, base, valThunk(p.val), rng, w.withCond(c), sc, emit)
		case "mkMerge":
			var diags hcl.Diagnostics
			if p.val.IsKnown() && !p.val.IsNull() && isList(p.val.Type()) {
				for it := p.val.ElementIterator(); it.Next(); {
					_, ev := it.Element()
					diags = append(diags, e.pushNamespace(node, base, valThunk(ev), rng, w, sc, emit)...)
				}
			}
			return diags
		default:
			nw, d := e.applyProp(p, w, base, rng)
			if d.HasErrors() {
				return d
			}
			return e.pushNamespace(node, base, valThunk(p.val), rng, nw, sc, emit)
		}
	}
	if objectLike(th) {
		its, diags := e.items(th, sc, false)
		for _, it := range its {
			if it.rng == (hcl.Range{}) {
				it.rng = rng
			}
			diags = append(diags, e.pushDown(node, base, it, w, sc, emit)...)
		}
		return diags
	}
	return e.pushOpaque(node, base, th, rng, w, sc, emit)
}

// pushOpaque handles a namespace value whose syntax is not an object: it is
// evaluated now when it needs no option value, and an error otherwise.
func (e *evaluator) pushOpaque(node *declNode, base Path, th thunk, rng hcl.Range, w wrappers, sc *scope, emit func(*optDecl, *def)) hcl.Diagnostics {
	if th.x != nil && !e.needsConfig(th.x, sc.mod, 0) {
		v, diags := e.evalExpr(th.x, sc)
		if diags.HasErrors() {
			return diags
		}
		if v.IsKnown() && !v.IsNull() && (isObject(v.Type()) || isProp(v)) {
			return e.pushNamespace(node, base, valThunk(v), rng, w, sc, emit)
		}
		return e.namespaceValue(base, th, v, rng)
	}
	if th.x == nil && th.body == nil {
		return e.namespaceValue(base, th, th.val(), rng)
	}
	if lit, ok := th.x.(*hclsyntax.LiteralValueExpr); ok {
		return e.namespaceValue(base, th, lit.Val, rng)
	}
	if _, ok := th.x.(*hclsyntax.TemplateExpr); ok {
		return e.namespaceValue(base, th, cty.UnknownVal(cty.String), rng)
	}
	if _, ok := th.x.(*hclsyntax.TupleConsExpr); ok {
		return e.namespaceValue(base, th, cty.EmptyTupleVal, rng)
	}
	return hcl.Diagnostics{newDiag(summaryNamespace,
		fmt.Sprintf("%s is a namespace, not an option: write its value as an object or a block so that it can be pushed down to the options below it, or define those options one by one. An expression that reads option values cannot be pushed down.", base),
		th.rangeOf(rng))}
}

func (e *evaluator) namespaceValue(base Path, th thunk, v cty.Value, rng hcl.Range) hcl.Diagnostics {
	return hcl.Diagnostics{newDiag(summaryNamespace,
		fmt.Sprintf("%s is a namespace of options, not an option, so it takes an object with the options below it; at %s it is given a %s. Options below it: %s.",
			base, where(rng), typeName(v), e.optionsBelow(base, 5)), rng)}
}

// optionsBelow lists up to n option paths below a top-level namespace.
func (e *evaluator) optionsBelow(p Path, n int) string {
	node := e.top
	for _, s := range p {
		if node.children[s] == nil {
			return "none"
		}
		node = node.children[s]
	}
	var names []string
	walkOptions(node, func(o *optDecl) {
		if len(names) < n {
			names = append(names, o.path.String())
		}
	})
	if len(names) == 0 {
		return "none"
	}
	return fmt.Sprint(names)
}

// wrapperArgs reads an override or order call pushed down through a
// namespace and returns the wrappers with it applied, and its value.
func (e *evaluator) wrapperArgs(call *hclsyntax.FunctionCallExpr, w wrappers, sc *scope, base Path) (wrappers, thunk, hcl.Diagnostics) {
	n := call.Name
	want := 1
	if n == "mkOverride" || n == "mkOrder" {
		want = 2
	}
	if len(call.Args) != want {
		return w, thunk{}, hcl.Diagnostics{newDiag(summaryBadDefinition, fmt.Sprintf("%s takes %d argument(s).", n, want), call.Range())}
	}
	val := thunk{x: call.Args[want-1]}
	if inner := propCall(val); inner != nil && inner.Name != "mkMerge" {
		if isOrderFn(n) != isOrderFn(inner.Name) || inner.Name == "mkIf" {
			if inner.Name == "mkIf" || (!isOrderFn(n) && !isOrderFn(inner.Name)) {
				return w, thunk{}, hcl.Diagnostics{e.nestedWrapper(n, inner.Name, base, call.Range())}
			}
		} else {
			return w, thunk{}, hcl.Diagnostics{e.nestedWrapper(n, inner.Name, base, call.Range())}
		}
	}
	switch {
	case n == "mkOverride":
		p, d := e.intArg(call.Args[0], sc, 0, 9999, "mkOverride's priority")
		if d.HasErrors() {
			return w, thunk{}, d
		}
		w.prio = priority.Priority(p)
	case n == "mkOrder":
		o, d := e.intArg(call.Args[0], sc, -1<<31, 1<<31-1, "mkOrder's order")
		if d.HasErrors() {
			return w, thunk{}, d
		}
		w.order = priority.Order(o)
	case fixedPrio[n] != 0:
		w.prio = fixedPrio[n]
	default:
		w.order = fixedOrder[n]
	}
	return w, val, nil
}

func isOrderFn(n string) bool { return n == "mkOrder" || n == "mkBefore" || n == "mkAfter" }

func (e *evaluator) nestedWrapper(outer, inner string, p Path, rng hcl.Range) *hcl.Diagnostic {
	return newDiag(summaryWrapper,
		fmt.Sprintf("In the definition of %s, %s is applied directly to %s. Conditions go outside overrides, as in mkIf(c, mkForce(v)), and an override cannot wrap another override.", p, outer, inner),
		rng)
}

// applyProp applies an override or order prop to wrappers.
func (e *evaluator) applyProp(p *prop, w wrappers, base Path, rng hcl.Range) (wrappers, hcl.Diagnostics) {
	switch p.fn {
	case "mkOverride", "mkOrder":
		if !isWhole(p.cond) {
			return w, hcl.Diagnostics{newDiag(summaryBadDefinition, fmt.Sprintf("In the definition of %s, %s takes a whole number first.", base, p.fn), rng)}
		}
		n, _ := p.cond.AsBigFloat().Int64()
		if p.fn == "mkOverride" {
			if n < 0 || n > 9999 {
				return w, hcl.Diagnostics{newDiag(summaryBadDefinition, fmt.Sprintf("In the definition of %s, mkOverride's priority %d is outside 0..9999.", base, n), rng)}
			}
			w.prio = priority.Priority(n)
		} else {
			w.order = priority.Order(n)
		}
	default:
		if pr, ok := fixedPrio[p.fn]; ok {
			w.prio = pr
		} else {
			w.order = fixedOrder[p.fn]
		}
	}
	return w, nil
}

// intArg evaluates a whole number argument.
func (e *evaluator) intArg(x hcl.Expression, sc *scope, lo, hi int64, what string) (int64, hcl.Diagnostics) {
	v, diags := e.evalExpr(x, sc)
	if diags.HasErrors() {
		return 0, diags
	}
	if !isWhole(v) {
		return 0, hcl.Diagnostics{newDiag(summaryBadDefinition, fmt.Sprintf("%s must be a whole number, not %s.", what, typeName(v)), x.Range())}
	}
	n, _ := v.AsBigFloat().Int64()
	if n < lo || n > hi {
		return 0, hcl.Diagnostics{newDiag(summaryBadDefinition, fmt.Sprintf("%s must be between %d and %d, not %d.", what, lo, hi, n), x.Range())}
	}
	return n, nil
}

// undeclared reports a definition of a path no option declares, with the
// nearest declared names.
func (e *evaluator) undeclared(node *declNode, base Path, k string, rng hcl.Range) hcl.Diagnostics {
	var cands []string
	for _, n := range node.sortedNames() {
		cands = append(cands, base.child(n).String())
	}
	full := base.child(k)
	hint := didYouMean(full.String(), cands)
	return hcl.Diagnostics{newDiag(summaryUndeclared,
		fmt.Sprintf("The option %s does not exist, but %s defines it%s", full, where(rng), hintOrPeriod(hint)), rng)}
}

func hintOrPeriod(h string) string {
	if h == "" {
		return "."
	}
	return h
}

// define walks every config block of every module, in definition order,
// and gives each top-level option its definitions. With a Cache, what a
// module defines is kept with the declaration tree and replayed by later
// evaluations, unless pushing it down evaluated an expression (whose
// value may depend on the arguments or functions of the evaluation).
func (e *evaluator) define() hcl.Diagnostics {
	cache := e.cfg.Cache
	if cache == nil && !e.cfg.serial && len(e.cfg.Functions) == 0 && runtime.GOMAXPROCS(0) >= 2 {
		if diags, ok := e.defineHalves(); ok {
			e.halved = true
			return diags
		}
	}
	var diags hcl.Diagnostics
	var rec *modDefs
	emit := func(o *optDecl, d *def) {
		oi := e.topOpts[o.idx]
		oi.defs = append(oi.defs, d)
		if rec != nil {
			rec.emits = append(rec.emits, emitted{idx: o.idx, d: d})
		}
	}
	for _, m := range e.mods {
		if cache != nil {
			if md := cache.modDefs(e.decls, m); md != nil {
				for _, em := range md.emits {
					oi := e.topOpts[em.idx]
					oi.defs = append(oi.defs, em.d)
				}
				continue
			}
			rec = &modDefs{}
		}
		evals := e.evals
		md := e.defineModule(m, emit)
		diags = append(diags, md...)
		if rec != nil && len(md) == 0 && e.evals == evals {
			cache.keepModDefs(e.decls, m, rec)
		}
		rec = nil
		if cache == nil {
			// The module is this evaluation's alone and nothing reads its
			// config blocks again: the syntax around the definitions
			// (namespace blocks) is freed.
			m.configs = nil
		}
	}
	return diags
}

// defineHalves does what define does without a Cache, on two goroutines:
// each pushes down the config blocks of one half of the modules (in
// order, split where half the blocks are on either side) for an evaluator
// of its own, noting what it defines; the options then get the first
// half's definitions and the second's, so in the order define gives them.
// Pushing down evaluates only what reads no option (spec section 9.3,
// item 11). Where an evaluation would read one after all, that option
// would hold the definitions of the modules before only, which a half does
// not have: defineHalves then reports false having changed nothing, and
// define does it all on one goroutine.
func (e *evaluator) defineHalves() (hcl.Diagnostics, bool) {
	total := 0
	for _, m := range e.mods {
		total += len(m.configs)
	}
	cut, sum := len(e.mods), 0
	for i, m := range e.mods {
		sum += len(m.configs)
		if 2*sum >= total {
			cut = i + 1
			break
		}
	}
	if sum == 0 || sum == total {
		return nil, false // one side would have nothing to do
	}
	type half struct {
		mods    []*module
		emits   []emitted
		diags   hcl.Diagnostics
		evals   int
		touched bool
	}
	halves := [2]half{{mods: e.mods[:cut]}, {mods: e.mods[cut:]}}
	var wg sync.WaitGroup
	for i := range halves {
		h := &halves[i]
		v := &evaluator{
			cfg: e.cfg, mods: e.mods, top: e.top, base: e.base, args: e.args,
			decls: e.decls, topOpts: e.topOpts, defining: true,
			insts: map[string]*instance{}, single: map[*optInst]cty.Value{},
		}
		wg.Go(func() {
			emit := func(o *optDecl, d *def) { h.emits = append(h.emits, emitted{idx: o.idx, d: d}) }
			for _, m := range h.mods {
				h.diags = append(h.diags, v.defineModule(m, emit)...)
			}
			h.evals, h.touched = v.evals, v.touched
		})
	}
	wg.Wait()
	if halves[0].touched || halves[1].touched {
		return nil, false
	}
	var diags hcl.Diagnostics
	for _, h := range halves {
		for _, em := range h.emits {
			oi := e.topOpts[em.idx]
			oi.defs = append(oi.defs, em.d)
		}
		diags = append(diags, h.diags...)
		e.evals += h.evals
	}
	for _, m := range e.mods {
		// As in define: nothing reads the config blocks again.
		m.configs = nil
	}
	return diags, true
}

// defineModule pushes down the config blocks of one module.
func (e *evaluator) defineModule(m *module, emit func(*optDecl, *def)) hcl.Diagnostics {
	var diags hcl.Diagnostics
	sc := &scope{mod: m}
	for _, blk := range m.configs {
		w := wrappers{}
		if nb, ok := blk.Body.(*hclfast.Body); ok {
			if a := nb.Attribute("when"); a != nil {
				w = w.withCond(&cond{x: a.Expr, sc: sc, rng: a.SrcRange()})
			}
		} else if attrs, _ := blk.Body.JustAttributes(); attrs["when"] != nil {
			a := attrs["when"]
			w = w.withCond(&cond{x: a.Expr, sc: sc, rng: a.Range})
		}
		its, d := e.items(thunk{body: blk.Body}, sc, true)
		diags = append(diags, d...)
		for _, it := range its {
			diags = append(diags, e.pushDown(e.top, nil, it, w, sc, emit)...)
		}
	}
	return diags
}
