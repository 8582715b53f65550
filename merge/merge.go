package merge

import (
	"cmp"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/priority"
)

// ddef is a discharged definition: its conditions held and its wrappers are
// read, so what is left is a value with a priority and an order.
type ddef struct {
	th        thunk
	sub       Path
	sc        *scope
	prio      priority.Priority
	order     priority.Order
	rng       hcl.Range
	isDefault bool
	val       cty.Value
	done      bool
	diags     hcl.Diagnostics
	status    Status
}

// newDDef returns a pointer to a copy of d. A merge makes one per
// definition, so the evaluator hands them out from blocks.
func (e *evaluator) newDDef(d ddef) *ddef {
	p := e.ddefs.next()
	*p = d
	return p
}

// newDef is newDDef for definitions.
func (e *evaluator) newDef(d def) *def {
	p := e.defs.next()
	*p = d
	return p
}

// optInsts returns n option slots made by mk, allocated together.
func optInsts(n int, mk func(i int) optInst) []*optInst {
	block := make([]optInst, n)
	out := make([]*optInst, n)
	for i := range block {
		block[i] = mk(i)
		out[i] = &block[i]
	}
	return out
}

// block hands out pointers to the elements of blocks of 64 Ts: one
// allocation for many small objects that live about as long as each
// other.
type block[T any] struct{ free []T }

func (b *block[T]) next() *T {
	if len(b.free) == 0 {
		b.free = make([]T, 64)
		// Fresh memory read before it is written costs two page faults
		// (the first maps the kernel's shared zero page, the write
		// replaces it and flushes the other processors' TLBs), and a
		// pnode is read first: write the block now.
		clear(b.free)
	}
	p := &b.free[0]
	b.free = b.free[1:]
	return p
}

// value evaluates a discharged definition once.
func (d *ddef) value(e *evaluator) (cty.Value, hcl.Diagnostics) {
	if !d.done {
		d.done = true
		th := d.th
		if len(d.sub) > 0 {
			v, diags := e.thunkValue(th, d.sc)
			for i := len(d.sub) - 1; i >= 0; i-- {
				v = cty.ObjectVal(map[string]cty.Value{d.sub[i]: v})
			}
			d.val, d.diags = v, diags
		} else {
			d.val, d.diags = e.thunkValue(th, d.sc)
		}
	}
	return d.val, d.diags
}

// shown is the value for messages, evaluated when possible.
func (d *ddef) shown(e *evaluator) cty.Value {
	v, diags := d.value(e)
	if diags.HasErrors() {
		return cty.NilVal
	}
	return v
}

// mergeInfo records, for explain, what became of each definition.
type mergeInfo struct {
	all []*ddef // discharged and dropped, in definition order
}

// mergeDefs merges the definitions of one option or one part of an option
// value: conditions, then priorities, then order, then the type's merge
// (spec sections 2 to 5). has is false when nothing defines it.
func (e *evaluator) mergeDefs(p Path, t *typ, defs []*def, decl *optDecl, declSc *scope, info *mergeInfo) (cty.Value, bool, hcl.Diagnostics) {
	live, has, diags := e.selectDefs(p, defs, decl, declSc, info)
	if !has || diags.HasErrors() {
		return cty.DynamicVal, has, nameOption(p, diags)
	}
	v, diags := e.mergeTyped(p, t, live)
	return v, true, nameOption(p, diags)
}

// nameOption adds the option path to hcl's own diagnostics (an unknown
// variable, a failed function call) made while merging p, so that every
// error names its option (spec section 7). The innermost option names it.
func nameOption(p Path, diags hcl.Diagnostics) hcl.Diagnostics {
	for _, d := range diags {
		if _, ours := d.Extra.(places); ours || d.Severity != hcl.DiagError || strings.Contains(d.Detail, inOptionMark) {
			continue
		}
		d.Detail = strings.TrimSpace(d.Detail + "\n\n" + inOptionMark + " " + p.String() + ".")
	}
	return diags
}

const inOptionMark = "While merging the option"

// selectDefs does the first half of mergeDefs: it discharges the
// definitions, adds the declaration's default, keeps those with the lowest
// priority number and sorts them by order.
func (e *evaluator) selectDefs(p Path, defs []*def, decl *optDecl, declSc *scope, info *mergeInfo) ([]*ddef, bool, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	// ds[0] is kept for the default, which is made only when it can
	// matter: when nothing defines the option at a lower priority number,
	// for explain, and for read-only options (which count it, as NixOS
	// does).
	ds := make([]*ddef, 1, len(defs)+1)
	hasDefault := false
	if decl != nil && decl.def != nil {
		if call := propCall(thunk{x: decl.def}); call != nil {
			diags = append(diags, newDiag(summaryWrapper,
				fmt.Sprintf("The default of option %s is not a definition, so it cannot use %s. Write the plain value, or define the option with %s in a config block.", p, call.Name, call.Name),
				call.Range(), decl.decls[0]))
		} else {
			hasDefault = true
		}
	}
	mkDefault := func() {
		ds[0] = e.newDDef(ddef{th: thunk{x: decl.def}, sc: declSc, prio: priority.OptionDefault, order: priority.DefaultOrder, rng: decl.defRange, isDefault: true})
	}
	if hasDefault && (info != nil || decl.readOnly) {
		mkDefault()
		if info != nil {
			info.all = append(info.all, ds[0])
		}
	}
	for _, d := range defs {
		n := len(ds)
		diags = append(diags, e.discharge(p, d, &ds, info)...)
		if info != nil {
			info.all = append(info.all, ds[n:]...)
		}
	}
	if hasDefault && ds[0] == nil {
		for _, d := range ds[1:] {
			if d.prio < priority.OptionDefault {
				hasDefault = false
				break
			}
		}
		if hasDefault {
			mkDefault()
		}
	}
	if ds[0] == nil {
		ds = ds[1:]
	}
	if diags.HasErrors() {
		return nil, true, diags
	}
	if decl != nil && decl.readOnly && len(ds) > 1 {
		return nil, true, hcl.Diagnostics{e.multiple(p, "is read-only, but it is set more than once", ds)}
	}
	if len(ds) == 0 {
		return nil, false, nil
	}
	best := ds[0].prio
	for _, d := range ds {
		if d.prio < best {
			best = d.prio
		}
	}
	live := ds
	if n := countPrio(ds, best); n < len(ds) {
		live = make([]*ddef, 0, n)
		for _, d := range ds {
			if d.prio == best {
				live = append(live, d)
			}
		}
	}
	if info != nil {
		// Only explain reads what became of each definition.
		win := live[0]
		for _, d := range ds {
			if d.prio == best {
				d.status = Merged{}
			} else {
				d.status = Shadowed{By: win.rng, Priority: best}
			}
		}
	}
	if !sortedByOrder(live) {
		slices.SortStableFunc(live, func(a, b *ddef) int { return cmp.Compare(a.order, b.order) })
	}
	return live, true, nil
}

// countPrio counts the definitions of priority p.
func countPrio(ds []*ddef, p priority.Priority) int {
	n := 0
	for _, d := range ds {
		if d.prio == p {
			n++
		}
	}
	return n
}

// sortedByOrder reports whether ds is already in list order.
func sortedByOrder(ds []*ddef) bool {
	for i := 1; i < len(ds); i++ {
		if ds[i].order < ds[i-1].order {
			return false
		}
	}
	return true
}

// discharge evaluates a definition's conditions and reads its wrappers
// (spec section 5), appending what survives to out.
func (e *evaluator) discharge(p Path, d *def, out *[]*ddef, info *mergeInfo) hcl.Diagnostics {
	for _, c := range d.conds {
		ok, diags := e.condition(p, c)
		if diags.HasErrors() {
			return diags
		}
		if !ok {
			if info != nil {
				info.all = append(info.all, e.newDDef(ddef{th: d.th, sc: d.sc, rng: d.rng, prio: orPlain(d.prio), order: orDefault(d.order), status: Dropped{Condition: c.rng}}))
			}
			return nil
		}
	}
	if len(d.sub) > 0 {
		*out = append(*out, e.newDDef(ddef{th: d.th, sub: d.sub, sc: d.sc, prio: orPlain(d.prio), order: orDefault(d.order), rng: d.rng}))
		return nil
	}
	return e.peel(p, d.th, d.sc, d.prio, d.order, d.rng, "", out, info)
}

func orPlain(p priority.Priority) priority.Priority {
	if p == 0 {
		return priority.Plain
	}
	return p
}

func orDefault(o priority.Order) priority.Order {
	if o == 0 {
		return priority.DefaultOrder
	}
	return o
}

// peel reads the property functions around a value. outer is the wrapper
// directly around th, "" when none.
func (e *evaluator) peel(p Path, th thunk, sc *scope, prio priority.Priority, order priority.Order, rng hcl.Range, outer string, out *[]*ddef, info *mergeInfo) hcl.Diagnostics {
	var fn string
	var args []thunk
	var argx []hcl.Expression
	var at hcl.Range
	if call := propCall(th); call != nil {
		fn, at = call.Name, call.Range()
		argx = make([]hcl.Expression, len(call.Args))
		args = make([]thunk, len(call.Args))
		for i, a := range call.Args {
			argx[i] = a
			args[i] = thunk{x: a}
		}
	} else if th.x == nil && th.body == nil && isProp(th.val()) {
		pp := propOf(th.val())
		fn, at = pp.fn, rng
		switch fn {
		case "mkIf", "mkOverride", "mkOrder":
			args = []thunk{valThunk(pp.cond), valThunk(pp.val)}
		default:
			args = []thunk{valThunk(pp.val)}
		}
	} else if opaque(th) {
		// The value may be a property function made by an expression
		// (a local, a JSON template): evaluate it to know its priority,
		// as NixOS does.
		v, diags := e.evalExpr(th.x, sc)
		if diags.HasErrors() {
			return diags
		}
		if isProp(v) {
			return e.peel(p, valThunk(v), sc, prio, order, rng, outer, out, info)
		}
		*out = append(*out, e.newDDef(ddef{th: th, sc: sc, prio: orPlain(prio), order: orDefault(order), rng: rng, val: v, done: true}))
		return nil
	} else {
		*out = append(*out, e.newDDef(ddef{th: th, sc: sc, prio: orPlain(prio), order: orDefault(order), rng: rng}))
		return nil
	}
	want := 1
	if fn == "mkIf" || fn == "mkOverride" || fn == "mkOrder" {
		want = 2
	}
	if len(args) != want {
		return hcl.Diagnostics{newDiag(summaryBadDefinition, fmt.Sprintf("In the definition of %s, %s takes %d argument(s).", p, fn, want), at)}
	}
	if outer != "" && outer != "mkIf" && outer != "mkMerge" {
		// An override or order directly around another wrapper (spec section 2).
		if fn == "mkIf" || fn == "mkMerge" || isOrderFn(fn) == isOrderFn(outer) {
			return hcl.Diagnostics{e.nestedWrapper(outer, fn, p, at)}
		}
	}
	switch fn {
	case "mkIf":
		c := &cond{sc: sc, rng: at}
		if argx != nil {
			c.x, c.rng = argx[0], argx[0].Range()
		} else {
			c.v = args[0].val()
		}
		ok, diags := e.condition(p, c)
		if diags.HasErrors() {
			return diags
		}
		if !ok {
			if info != nil {
				info.all = append(info.all, e.newDDef(ddef{th: args[1], sc: sc, rng: rng, prio: orPlain(prio), order: orDefault(order), status: Dropped{Condition: c.rng}}))
			}
			return nil
		}
		return e.peel(p, args[1], sc, prio, order, rng, fn, out, info)
	case "mkMerge":
		var elems []thunk
		if tup, ok := args[0].x.(*hclsyntax.TupleConsExpr); ok {
			for _, x := range tup.Exprs {
				elems = append(elems, thunk{x: x})
			}
		} else {
			v, diags := e.thunkValue(args[0], sc)
			if diags.HasErrors() {
				return diags
			}
			if !v.IsKnown() {
				return nil
			}
			if v.IsNull() || !isList(v.Type()) {
				return hcl.Diagnostics{newDiag(summaryBadDefinition, fmt.Sprintf("In the definition of %s, mkMerge takes a list of definitions, not %s.", p, typeName(v)), at)}
			}
			for it := v.ElementIterator(); it.Next(); {
				_, ev := it.Element()
				elems = append(elems, valThunk(ev))
			}
		}
		var diags hcl.Diagnostics
		for _, el := range elems {
			diags = append(diags, e.peel(p, el, sc, prio, order, el.rangeOf(rng), fn, out, info)...)
		}
		return diags
	case "mkOverride", "mkOrder":
		var n int64
		if argx != nil {
			lo, hi := int64(0), int64(9999)
			if fn == "mkOrder" {
				lo, hi = -1<<31, 1<<31-1
			}
			v, diags := e.intArg(argx[0], sc, lo, hi, fn+"'s first argument")
			if diags.HasErrors() {
				return diags
			}
			n = v
		} else {
			w, diags := e.applyProp(propOf(th.val()), wrappers{}, p, rng)
			if diags.HasErrors() {
				return diags
			}
			n = int64(w.prio) + int64(w.order)
		}
		if fn == "mkOverride" {
			return e.peel(p, args[1], sc, priority.Priority(n), order, rng, fn, out, info)
		}
		return e.peel(p, args[1], sc, prio, priority.Order(n), rng, fn, out, info)
	default:
		if pr, ok := fixedPrio[fn]; ok {
			return e.peel(p, args[0], sc, pr, order, rng, fn, out, info)
		}
		return e.peel(p, args[0], sc, prio, fixedOrder[fn], rng, fn, out, info)
	}
}

// opaque reports whether a thunk is an expression whose syntax does not show
// what it is: not a literal, an object, a list or a plain template.
func opaque(th thunk) bool {
	switch x := th.x.(type) {
	case nil:
		return false
	case *hclsyntax.LiteralValueExpr, *hclsyntax.ObjectConsExpr, *hclsyntax.TupleConsExpr:
		return false
	case *hclsyntax.TemplateExpr:
		return len(x.Parts) == 1 && !x.IsStringLiteral()
	case hclsyntax.Expression:
		return true
	default:
		return !objectLike(th) && !listLike(th)
	}
}

// condition evaluates an mkIf or when condition once per evaluation: the
// definitions holding it may be shared by evaluations through a Cache, so
// what it gave is kept by the evaluator.
func (e *evaluator) condition(p Path, c *cond) (bool, hcl.Diagnostics) {
	st := e.conds[c]
	if st == nil {
		if e.conds == nil {
			e.conds = map[*cond]*condState{}
		}
		st = &condState{}
		if e.doneConds != nil {
			// Another view evaluated it: what it found is done and no
			// longer changes.
			if ds, ok := e.doneConds.Load(c); ok {
				st = ds.(*condState)
			}
		}
		e.conds[c] = st
	}
	if st.done {
		e.readAll(&st.rd)
		if st.res < 0 {
			return false, st.diags
		}
		return st.res == 1, nil
	}
	if st.busy {
		return false, hcl.Diagnostics{newDiag(summaryCycle,
			fmt.Sprintf("The condition at %s, on the definition of %s, depends on itself (through the options it reads): a cycle.", where(c.rng), p), c.rng)}
	}
	st.busy = true
	v := c.v
	var diags hcl.Diagnostics
	if c.x != nil {
		// What the condition reads is read by every merge that finds it.
		prev := e.cur
		if e.track {
			st.rd.self = -1
			e.cur = &st.rd
		}
		v, diags = e.evalExpr(c.x, c.sc)
		e.cur = prev
		e.readAll(&st.rd)
	}
	st.busy, st.done = false, true
	if diags.HasErrors() {
		st.res, st.diags = -1, diags
		return false, diags
	}
	if !v.IsKnown() {
		st.res = 0
		e.giveCond(c, st, diags)
		return false, nil
	}
	if v.IsNull() || v.Type() != cty.Bool {
		st.res = -1
		st.diags = hcl.Diagnostics{newDiag(summaryCondition,
			fmt.Sprintf("The condition at %s, on the definition of %s, must be a bool (true or false), but it is %s %s. Values are not converted: compare explicitly.",
				where(c.rng), p, typeName(v), showValue(v)), c.rng)}
		return false, st.diags
	}
	if v.True() {
		st.res = 1
	}
	e.giveCond(c, st, diags)
	return v.True(), nil
}

// giveCond offers a condition just evaluated without diagnostics to the
// other prefetch views.
func (e *evaluator) giveCond(c *cond, st *condState, diags hcl.Diagnostics) {
	if e.doneConds != nil && len(diags) == 0 {
		e.doneConds.LoadOrStore(c, st)
	}
}

// multiple reports an option that allows one definition but got several.
func (e *evaluator) multiple(p Path, what string, ds []*ddef) *hcl.Diagnostic {
	var rs []hcl.Range
	for _, d := range ds {
		rs = append(rs, d.rng)
	}
	return newDiag(summaryMultiple, fmt.Sprintf("The option %s %s; it is defined at:%s", p, what, listPlaces(ds, e)), rs...)
}

// conflict reports definitions that do not merge.
func (e *evaluator) conflict(p Path, ds []*ddef) *hcl.Diagnostic {
	var rs []hcl.Range
	for _, d := range ds {
		rs = append(rs, d.rng)
	}
	return newDiag(summaryConflict,
		fmt.Sprintf("The option %s has conflicting definition values at the same priority (%s):%s\nMake them equal, or give one a lower priority number (for example with mkForce).",
			p, ds[0].prio, listPlaces(ds, e)), rs...)
}

// typeError reports a definition whose value is not of the option's type.
func (e *evaluator) typeError(p Path, t *typ, d *ddef, v cty.Value) *hcl.Diagnostic {
	if hasProp(v) {
		return newDiag(summaryWrapper,
			fmt.Sprintf("A definition of %s at %s has a property function inside a value where none is allowed (it would be discharged only where a definition starts, on an object attribute or a list element).", p, where(d.rng)),
			d.rng)
	}
	return newDiag(summaryType,
		fmt.Sprintf("A definition for option %s is not of type %s: at %s it is %s %s.", p, t.words(), where(d.rng), typeName(v), showValue(v)),
		d.rng)
}

// leafValues evaluates every definition and checks it against t.
func (e *evaluator) leafValues(p Path, t *typ, ds []*ddef) ([]cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	vals := make([]cty.Value, len(ds))
	for i, d := range ds {
		v, vd := e.leafValue(p, t, d)
		diags = append(diags, vd...)
		vals[i] = v
	}
	return vals, diags
}

// leafValue evaluates one definition and checks it against t.
func (e *evaluator) leafValue(p Path, t *typ, d *ddef) (cty.Value, hcl.Diagnostics) {
	if d.th.body != nil && len(d.sub) == 0 {
		return cty.NilVal, hcl.Diagnostics{newDiag(summaryType,
			fmt.Sprintf("A definition for option %s is not of type %s: at %s it is a block.", p, t.words(), where(d.rng)), d.rng)}
	}
	v, vd := d.value(e)
	if vd.HasErrors() {
		return cty.NilVal, vd
	}
	if !t.accepts(v) {
		return cty.NilVal, hcl.Diagnostics{e.typeError(p, t, d, v)}
	}
	return v, nil
}

// mergeTyped merges the surviving definitions with the type's rule (the
// table of spec section 3).
func (e *evaluator) mergeTyped(p Path, t *typ, ds []*ddef) (cty.Value, hcl.Diagnostics) {
	switch t.k {
	case kListOf, kNonEmptyListOf:
		return e.mergeList(p, t, ds)
	case kAttrsOf:
		return e.mergeAttrs(p, t.elems[0], ds, false)
	case kAnything:
		return e.mergeAnything(p, ds)
	case kSubmodule:
		return e.mergeSubmodule(p, t, ds)
	case kUniq:
		if len(ds) > 1 {
			return cty.DynamicVal, hcl.Diagnostics{e.multiple(p, "is defined more than once, but its type takes exactly one definition (uniq)", ds)}
		}
		return e.mergeTyped(p, t.elems[0], ds)
	case kRaw:
		if len(ds) > 1 {
			return cty.DynamicVal, hcl.Diagnostics{e.multiple(p, "is defined more than once, but its type takes exactly one definition (raw)", ds)}
		}
		vals, diags := e.leafValues(p, t, ds)
		if diags.HasErrors() {
			return cty.DynamicVal, diags
		}
		return vals[0], nil
	case kNullOr:
		var nulls, others []*ddef
		for _, d := range ds {
			isNull := isNullSyntax(d.th) && len(d.sub) == 0
			if !isNull && len(d.sub) == 0 && d.th.body == nil && !objectLike(d.th) && !listLike(d.th) {
				v, diags := d.value(e)
				if diags.HasErrors() {
					return cty.DynamicVal, diags
				}
				isNull = v.IsKnown() && v.IsNull()
			}
			if isNull {
				nulls = append(nulls, d)
			} else {
				others = append(others, d)
			}
		}
		if len(others) == 0 {
			return cty.NullVal(cty.DynamicPseudoType), nil
		}
		if len(nulls) > 0 {
			all := append(append([]*ddef(nil), nulls...), others...)
			sort.SliceStable(all, func(i, j int) bool { return indexOf(ds, all[i]) < indexOf(ds, all[j]) })
			var rs []hcl.Range
			for _, d := range all {
				rs = append(rs, d.rng)
			}
			return cty.DynamicVal, hcl.Diagnostics{newDiag(summaryConflict,
				fmt.Sprintf("The option %s has conflicting definitions: it is defined both null and not null:%s", p, listPlaces(all, e)), rs...)}
		}
		return e.mergeTyped(p, t.elems[0], ds)
	case kEither, kOneOf:
		for _, c := range t.elems {
			if e.allAccept(c, ds) {
				return e.mergeTyped(p, c, ds)
			}
		}
		vals, diags := e.leafValues(p, t, ds)
		if diags.HasErrors() {
			return cty.DynamicVal, diags
		}
		_ = vals
		return cty.DynamicVal, hcl.Diagnostics{newDiag(summaryType,
			fmt.Sprintf("The definitions of option %s are not all of one type of %s:%s", p, t.words(), listPlaces(ds, e)), ds[0].rng)}
	}
	if len(ds) == 1 && !t.joins() && t.k != kBoolByOr && t.k != kPath {
		// One definition: nothing to join, or to compare.
		v, diags := e.leafValue(p, t, ds[0])
		if diags.HasErrors() {
			return cty.DynamicVal, diags
		}
		return v, nil
	}
	vals, diags := e.leafValues(p, t, ds)
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	switch {
	case t.joins():
		var parts []string
		for _, v := range vals {
			if !v.IsKnown() {
				return cty.UnknownVal(cty.String), nil
			}
			parts = append(parts, v.AsString())
		}
		return cty.StringVal(strings.Join(parts, t.sep)), nil
	case t.k == kBoolByOr:
		res := false
		for _, v := range vals {
			if !v.IsKnown() {
				return cty.UnknownVal(cty.Bool), nil
			}
			res = res || v.True()
		}
		return cty.BoolVal(res), nil
	case t.k == kPath:
		for i, v := range vals {
			if v.IsKnown() {
				vals[i] = cty.StringVal(e.resolvePath(v.AsString(), ds[i].sc))
			}
		}
	}
	for i := 1; i < len(vals); i++ {
		if !vals[i].IsKnown() || !vals[0].IsKnown() {
			continue
		}
		if !vals[i].RawEquals(vals[0]) && !(vals[i].Type().Equals(vals[0].Type()) && vals[i].Equals(vals[0]).True()) {
			return cty.DynamicVal, hcl.Diagnostics{e.conflict(p, ds)}
		}
	}
	return vals[0], nil
}

func indexOf(ds []*ddef, d *ddef) int {
	for i, x := range ds {
		if x == d {
			return i
		}
	}
	return -1
}

// resolvePath makes a relative path relative to the defining file's folder.
func (e *evaluator) resolvePath(s string, sc *scope) string {
	if sc == nil || sc.mod == nil || path.IsAbs(s) || filepath.IsAbs(s) {
		return s
	}
	m := sc.mod
	if m.fsys == nil {
		if abs, err := filepath.Abs(filepath.Join(filepath.Dir(m.fpath), s)); err == nil {
			return filepath.ToSlash(abs)
		}
	}
	return path.Join(m.dir(), s)
}

// allAccept reports whether every definition is of type t.
func (e *evaluator) allAccept(t *typ, ds []*ddef) bool {
	for _, d := range ds {
		if t.subTree() != nil && t.k == kSubmodule && (objectLike(d.th) || len(d.sub) > 0) {
			continue
		}
		if t.k == kAttrsOf && (objectLike(d.th) || len(d.sub) > 0) && t.elems[0].k == kSubmodule {
			continue
		}
		v, diags := d.value(e)
		if diags.HasErrors() || !t.accepts(v) {
			return false
		}
	}
	return true
}

// mergeElem discharges and merges one list element of list p, whose own
// path is ep.
func (e *evaluator) mergeElem(p, ep Path, t *typ, ed *def) ([]cty.Value, hcl.Diagnostics) {
	var eds []*ddef
	diags := e.discharge(ep, ed, &eds, nil)
	if diags.HasErrors() {
		return nil, diags
	}
	var out []cty.Value
	for i, x := range eds {
		if x.prio != priority.Plain {
			diags = append(diags, newDiag(summaryWrapper, fmt.Sprintf("A list element of %s at %s has a priority wrapper; only mkIf and mkMerge apply to list elements.", p, where(x.rng)), x.rng))
			continue
		}
		v, vd := e.mergeTyped(ep, t.elems[0], eds[i:i+1:i+1])
		diags = append(diags, vd...)
		out = append(out, v)
	}
	return out, diags
}

// leafKind reports whether values of t hold no options or elements of
// their own: no submodule, list, attribute set or anything below it.
func leafKind(t *typ) bool {
	switch t.k {
	case kListOf, kNonEmptyListOf, kAttrsOf, kSubmodule, kAnything, kRaw:
		return false
	}
	for _, el := range t.elems {
		if !leafKind(el) {
			return false
		}
	}
	return true
}

// mergeList concatenates list definitions in order, discharging each
// element on its own (spec section 5).
func (e *evaluator) mergeList(p Path, t *typ, ds []*ddef) (cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	var out []cty.Value
	leaf := leafKind(t.elems[0])
	for i, d := range ds {
		var elems []thunk
		switch {
		case len(d.sub) == 0 && d.th.x != nil && listLike(d.th):
			exprs, _ := hcl.ExprList(d.th.x)
			for _, x := range exprs {
				elems = append(elems, thunk{x: x})
			}
		default:
			if d.th.body != nil || len(d.sub) > 0 {
				diags = append(diags, newDiag(summaryType, fmt.Sprintf("A definition for option %s is not of type %s: at %s it is an object.", p, t.words(), where(d.rng)), d.rng))
				continue
			}
			v, vd := d.value(e)
			if vd.HasErrors() {
				diags = append(diags, vd...)
				continue
			}
			if !v.IsKnown() {
				continue
			}
			if v.IsNull() || !isList(v.Type()) {
				diags = append(diags, e.typeError(p, t, d, v))
				continue
			}
			for it := v.ElementIterator(); it.Next(); {
				_, ev := it.Element()
				elems = append(elems, valThunk(ev))
			}
		}
		if t.k == kNonEmptyListOf && len(elems) == 0 {
			// NixOS checks each definition of a non-empty list.
			diags = append(diags, e.typeError(p, t, d, cty.EmptyTupleVal))
			continue
		}
		for j, el := range elems {
			rng := el.rangeOf(d.rng)
			if el.x == nil {
				rng = d.rng
			}
			ed := e.newDef(def{th: el, sc: d.sc, rng: rng})
			if leaf {
				// The element's own path only shows in messages and, for
				// nested types, names submodule elements: a leaf element
				// is merged under the list's path, and again under its
				// own when that gives an error.
				vals, ld := e.mergeElem(p, p, t, ed)
				if !ld.HasErrors() {
					out = append(out, vals...)
					diags = append(diags, ld...)
					continue
				}
			}
			vals, ld := e.mergeElem(p, p.child(fmt.Sprintf("[definition %d-entry %d]", i+1, j+1)), t, ed)
			out = append(out, vals...)
			diags = append(diags, ld...)
		}
	}
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	if t.k == kNonEmptyListOf && len(out) == 0 {
		var rs []hcl.Range
		for _, d := range ds {
			rs = append(rs, d.rng)
		}
		return cty.DynamicVal, hcl.Diagnostics{newDiag(summaryType, fmt.Sprintf("A definition for option %s is not of type %s: the list is empty.", p, t.words()), rs...)}
	}
	if len(out) == 0 {
		return cty.EmptyTupleVal, nil
	}
	return cty.TupleVal(out), nil
}

// children splits object definitions into the definitions of each key,
// keeping the keys in the order they first appear.
func (e *evaluator) children(p Path, t *typ, ds []*ddef) ([]string, map[string][]*def, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	var keys []string
	per := map[string][]*def{}
	add := func(k string, d *def) {
		if _, ok := per[k]; !ok {
			keys = append(keys, k)
		}
		per[k] = append(per[k], d)
	}
	for _, d := range ds {
		diags = append(diags, e.eachItem(p, t, d, func(it item) {
			// Items are never changed, so sub may share their keys.
			add(it.keys[0], e.newDef(def{sub: it.keys[1:], th: it.th, sc: d.sc, rng: it.rng}))
		})...)
	}
	return keys, per, diags
}

// eachItem calls f with each entry of an object definition d of p, whose
// type t must take an object: one entry for a definition pushed down
// below the object, else the entries of its value. An entry without a
// place of its own has the definition's.
func (e *evaluator) eachItem(p Path, t *typ, d *ddef, f func(item)) hcl.Diagnostics {
	if len(d.sub) > 0 {
		f(item{keys: d.sub, th: d.th, rng: d.rng})
		return nil
	}
	its, ok, diags := e.objectItems(d.th, d.sc)
	if diags.HasErrors() {
		return diags
	}
	if !ok {
		v, _ := d.value(e)
		return hcl.Diagnostics{e.typeError(p, t, d, v)}
	}
	for _, it := range its {
		if it.rng == (hcl.Range{}) {
			it.rng = d.rng
		}
		f(it)
	}
	return nil
}

// mergeAttrs merges attrsOf definitions key by key, with priorities per key
// (spec section 3).
func (e *evaluator) mergeAttrs(p Path, elem *typ, ds []*ddef, anything bool) (cty.Value, hcl.Diagnostics) {
	at := &typ{k: kAttrsOf, elems: []*typ{elem}, src: "attrsOf"}
	keys, per, diags := e.children(p, at, ds)
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	out := make(map[string]cty.Value, len(keys))
	for _, k := range keys {
		v, has, kd := e.mergeDefs(p.child(k), elem, per[k], nil, nil, nil)
		diags = append(diags, kd...)
		if has {
			out[k] = v
		}
	}
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	return cty.ObjectVal(out), nil
}

var anythingType = &typ{k: kAnything, src: "anything"}

// mergeAnything merges objects recursively and wants everything else equal.
func (e *evaluator) mergeAnything(p Path, ds []*ddef) (cty.Value, hcl.Diagnostics) {
	allObj := true
	for _, d := range ds {
		if len(d.sub) > 0 || objectLike(d.th) {
			continue
		}
		v, diags := d.value(e)
		if diags.HasErrors() {
			return cty.DynamicVal, diags
		}
		if !v.IsKnown() || v.IsNull() || !isObject(v.Type()) {
			allObj = false
		}
	}
	if allObj {
		return e.mergeAttrs(p, anythingType, ds, true)
	}
	vals, diags := e.leafValues(p, anythingType, ds)
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	for i := 1; i < len(vals); i++ {
		if !vals[i].IsWhollyKnown() || !vals[0].IsWhollyKnown() {
			continue
		}
		if !vals[i].Type().Equals(vals[0].Type()) || !vals[i].Equals(vals[0]).True() {
			return cty.DynamicVal, hcl.Diagnostics{e.conflict(p, ds)}
		}
	}
	return vals[0], nil
}

// mergeSubmodule evaluates one submodule element: its definitions are the
// modules of a nested evaluation, in reverse (spec section 2).
func (e *evaluator) mergeSubmodule(p Path, t *typ, ds []*ddef) (cty.Value, hcl.Diagnostics) {
	inst := e.instance(p, t, ds)
	if inst.diags.HasErrors() {
		return cty.DynamicVal, inst.diags
	}
	return e.treeValue(t.sub, inst, ds[0].rng)
}

// instance returns the submodule element at p, made from its surviving
// definitions the first time. Later calls (a whole merge after a demand of
// one of its options) find the same element.
func (e *evaluator) instance(p Path, t *typ, ds []*ddef) *instance {
	key := p.String()
	if inst := e.insts[key]; inst != nil {
		return inst
	}
	if t.sub.all == nil {
		t.sub.freezeSub() // decl trees belong to one evaluation
	}
	all := t.sub.all
	inst := &instance{path: p, name: p[len(p)-1], root: t.sub, key: key}
	if e.track {
		inst.owner = e.topIdx(p)
	}
	e.insts[key] = inst
	var diags hcl.Diagnostics
	inst.opts = optInsts(len(all), func(i int) optInst {
		return optInst{decl: all[i], path: p.child(all[i].path...), inst: inst}
	})
	emit := func(o *optDecl, d *def) {
		oi := e.optInstOf(o, inst)
		oi.defs = append(oi.defs, d)
	}
	for i := len(ds) - 1; i >= 0; i-- {
		d := ds[i]
		sc := &scope{mod: d.sc.mod, inst: inst}
		diags = append(diags, e.eachItem(p, t, d, func(it item) {
			diags = append(diags, e.pushDown(t.sub, p, it, wrappers{}, sc, emit)...)
		})...)
	}
	inst.diags = diags
	return inst
}

// collectOpts lists the options of a tree.
func collectOpts(n *declNode) []*optDecl {
	var out []*optDecl
	walkOptions(n, func(o *optDecl) { out = append(out, o) })
	return out
}

// treeValue merges every option of a tree (of an element, or the whole
// configuration when inst is nil) into one object.
func (e *evaluator) treeValue(n *declNode, inst *instance, from hcl.Range) (cty.Value, hcl.Diagnostics) {
	if n.opt != nil {
		v, has, diags := e.value(e.optInstOf(n.opt, inst), from)
		if !has && !diags.HasErrors() {
			return cty.DynamicVal, diags
		}
		return v, diags
	}
	var diags hcl.Diagnostics
	m := make(map[string]cty.Value, len(n.children))
	for _, k := range n.sortedNames() {
		v, d := e.treeValue(n.children[k], inst, from)
		diags = append(diags, d...)
		m[k] = v
	}
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	return cty.ObjectVal(m), nil
}
