package merge

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// maxDepth bounds how deeply option values may depend on each other, so a
// long chain is an error instead of a stack overflow (spec section 6).
const maxDepth = 10000

// evaluator holds one evaluation. All its lazy state is guarded by the
// Result's mutex.
type evaluator struct {
	cfg       *Config
	mods      []*module
	top       *declNode
	topOpts   []*optInst
	base      *hcl.EvalContext // functions only
	args      cty.Value
	stack     []frame
	insts     map[string]*instance // submodule elements by path
	single    map[*optInst]cty.Value
	localVals map[localKey]cty.Value // see evalExpr
	ddefs     block[ddef]            // see newDDef
	defs      block[def]             // see newDef
	pnodes    block[pnode]           // partial objects of demands
	strs      []string               // free part of the current block of keys
	ctxs      []*hcl.EvalContext     // contexts for reuse, see takeCtx
	conds     map[*cond]*condState   // see condition
	decls     *declSet               // the declaration tree and what modules define in it
	evals     int                    // expressions evaluated so far, see define

	// Reads recorded for keeping values in the Cache (memo.go).
	track   bool
	cur     *reads   // the collector of the merge being done
	recs    []reads  // by top-level idx
	gens    []uint64 // generation of each top-level value, 0 unknown
	snap    []*memo  // the kept values found at the start
	pending []int32  // merged top-level options not kept yet

	done      []atomic.Pointer[doneOpt] // of a prefetch view: what the views merged (parallel.go)
	doneConds *sync.Map                 // of a prefetch view: *cond to the *condState a view found without diagnostics
	json      [][]byte                  // by top-level option: its JSON as prefetch views wrote it, while a JSON is written

	funcNames []string // sorted, see steadySuggestions
	quicks    int      // expressions quickValue evaluated, for tests

	defining bool // a half of defineHalves: it reads no option
	touched  bool // a half of defineHalves tried to read one
	halved   bool // defineHalves defined everything, for tests

	parent []*optInst     // of a prefetch view: the evaluator's topOpts (see topOpt)
	slots  block[optInst] // of a prefetch view: its own top-level option slots
}

// localKey names the value of one local of a module as seen by the
// expressions that read it and exactly one option, leaf.
type localKey struct {
	m    *module
	leaf *optInst
	name string
}

// frame is one step of the chain of options being merged.
type frame struct {
	o   *optInst
	rng hcl.Range // where the option was needed
}

// optInst is an option at a concrete path: a top-level option, or an
// option of one submodule element.
type optInst struct {
	decl   *optDecl
	path   Path
	inst   *instance // the element it belongs to, nil at top level
	defs   []*def
	state  uint8 // 0 not merged, 1 merging, 2 merged
	val    cty.Value
	has    bool // it has a value
	reused bool // the value was taken over from a Cache (memo.go)
	diags  hcl.Diagnostics

	// Used when a traversal goes into one element (needInside).
	selState uint8
	live     []*ddef
	per      map[string][]*def
}

// instance is one element of a submodule: a nested evaluation whose
// modules are the element's definitions (spec sections 2 and 3).
type instance struct {
	path    Path
	name    string
	nameVal cty.Value // name as a value, once needed
	root    *declNode
	opts    []*optInst // by the options' idx in root.all
	diags   hcl.Diagnostics
	owner   int32  // idx of the top-level option holding it, when tracking
	key     string // path.String()
}

// literal returns the value of a literal: a number, a bool, null, or a
// quoted string without interpolations; what x.Value would return, without
// the work.
func literal(x hcl.Expression) (cty.Value, bool) {
	switch lx := x.(type) {
	case *hclsyntax.LiteralValueExpr:
		return lx.Val, true
	case *hclsyntax.TemplateExpr:
		if len(lx.Parts) == 1 {
			if lit, ok := lx.Parts[0].(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String {
				return lit.Val, true
			}
		}
	}
	return cty.NilVal, false
}

// evalExpr evaluates an expression, first merging exactly the options it
// reads (spec section 6).
func (e *evaluator) evalExpr(x hcl.Expression, sc *scope) (cty.Value, hcl.Diagnostics) {
	e.evals++
	if v, ok := literal(x); ok {
		return v, nil
	}
	vars := varsOf(x, sc.mod)
	var v cty.Value
	var diags hcl.Diagnostics
	switch {
	case len(vars) == 0:
		v, diags = x.Value(e.base)
	case e.track:
		v, diags = e.keptExpr(x, sc, vars)
	default:
		v, diags = e.evalVars(x, sc, vars)
	}
	if len(diags) > 0 {
		e.steadySuggestions(diags, sc)
	}
	return v, diags
}

// evalVars evaluates an expression that reads the variables vars.
func (e *evaluator) evalVars(x hcl.Expression, sc *scope, vars []hcl.Traversal) (cty.Value, hcl.Diagnostics) {
	d := &demand{e: e, sc: sc}
	var endsBuf [8]*pnode
	ends := endsBuf[:0]
	for _, t := range vars {
		d.exact = nil
		d.traversal(t, 0)
		ends = append(ends, d.exact)
	}
	if !d.computed && d.self == nil && !d.arg && len(d.diags) == 0 && !e.cfg.hclOnly && len(e.cfg.Functions) == 0 {
		// Most expressions only name options, directly or through locals
		// that are names themselves (when = local.cfg.enable), and call
		// functions on them: they are evaluated without building the
		// partial configuration (quick.go).
		if v, ok := e.quickValue(x, &quick{vars: vars, ends: ends, sc: sc}, 0); ok {
			e.quicks++
			return v, nil
		}
	}
	ctx := e.takeCtx()
	if d.cfg != nil {
		if d.leaves == 1 && d.leaf != nil {
			// Most expressions read one option: build that partial
			// configuration once per option.
			v, ok := e.single[d.leaf]
			if !ok {
				v = d.cfg.value()
				e.single[d.leaf] = v
			}
			ctx.Variables["config"] = v
		} else {
			ctx.Variables["config"] = d.cfg.value()
		}
	}
	if d.self != nil {
		ctx.Variables["self"] = d.self.value()
	}
	if d.name && sc.inst != nil {
		if sc.inst.nameVal == cty.NilVal {
			sc.inst.nameVal = cty.StringVal(sc.inst.name)
		}
		ctx.Variables["name"] = sc.inst.nameVal
	}
	if d.arg {
		ctx.Variables["arg"] = e.args
		if e.cur != nil {
			e.cur.arg = true
		}
	}
	var lkey localKey
	if len(d.locals) == 1 && d.leaves == 1 && d.leaf != nil {
		// The local then sees the same one-option configuration each
		// time: its value is kept for the module's other expressions.
		lkey = localKey{m: sc.mod, leaf: d.leaf, name: d.locals[0]}
		if v, ok := e.localVals[lkey]; ok {
			ctx.Variables["local"] = v
		}
	}
	if len(d.locals) > 0 && ctx.Variables["local"] == cty.NilVal {
		vals := map[string]cty.Value{}
		done := map[string]bool{}
		var evalLocal func(n string, depth int)
		evalLocal = func(n string, depth int) {
			if done[n] || depth > 100 {
				return
			}
			done[n] = true
			a := sc.mod.locals[n]
			usesLocals := false
			for _, t := range varsOf(a.Expr, sc.mod) {
				if t.RootName() == "local" && len(t) > 1 {
					usesLocals = true
					if ta, ok := t[1].(hcl.TraverseAttr); ok && sc.mod.locals[ta.Name] != nil {
						evalLocal(ta.Name, depth+1)
					}
				}
			}
			if usesLocals {
				ctx.Variables["local"] = cty.ObjectVal(vals)
			}
			lctx := ctx
			if sc.inst != nil {
				// locals are module-level: no name or self.
				lctx = e.base.NewChild()
				lctx.Variables = map[string]cty.Value{}
				for k, v := range ctx.Variables {
					if k != "name" && k != "self" {
						lctx.Variables[k] = v
					}
				}
			}
			v, diags := a.Expr.Value(lctx)
			d.diags = append(d.diags, diags...)
			if diags.HasErrors() {
				v = cty.DynamicVal
			}
			vals[n] = v
		}
		for _, n := range d.locals {
			evalLocal(n, 0)
		}
		ctx.Variables["local"] = cty.ObjectVal(vals)
		if lkey.m != nil && !d.diags.HasErrors() {
			if e.localVals == nil {
				e.localVals = map[localKey]cty.Value{}
			}
			e.localVals[lkey] = ctx.Variables["local"]
		}
	}
	if d.diags.HasErrors() {
		return cty.DynamicVal, d.diags
	}
	v, diags := x.Value(ctx)
	diags = append(d.diags, diags...)
	e.giveCtx(ctx, diags)
	return v, diags
}

// takeCtx returns an empty evaluation context below the functions, reusing
// one given back by giveCtx.
func (e *evaluator) takeCtx() *hcl.EvalContext {
	if n := len(e.ctxs); n > 0 {
		ctx := e.ctxs[n-1]
		e.ctxs = e.ctxs[:n-1]
		return ctx
	}
	ctx := e.base.NewChild()
	ctx.Variables = map[string]cty.Value{}
	return ctx
}

// giveCtx gives back a context for reuse, unless diagnostics refer to it.
func (e *evaluator) giveCtx(ctx *hcl.EvalContext, diags hcl.Diagnostics) {
	if len(diags) > 0 {
		return
	}
	clear(ctx.Variables)
	e.ctxs = append(e.ctxs, ctx)
}

// needsConfig reports whether an expression reads option values, directly
// or through locals.
func (e *evaluator) needsConfig(x hcl.Expression, m *module, depth int) bool {
	if depth > 100 {
		return true
	}
	for _, t := range varsOf(x, m) {
		switch t.RootName() {
		case "config", "self":
			return true
		case "local":
			if len(t) > 1 {
				if ta, ok := t[1].(hcl.TraverseAttr); ok && m.locals[ta.Name] != nil {
					if e.needsConfig(m.locals[ta.Name].Expr, m, depth+1) {
						return true
					}
				}
			}
		}
	}
	return false
}

// demand collects what one expression reads.
type demand struct {
	e        *evaluator
	sc       *scope
	cfg      *pnode
	self     *pnode
	name     bool
	arg      bool
	locals   []string
	seen     map[string]bool
	diags    hcl.Diagnostics
	leaves   int      // options of config read
	leaf     *optInst // the one read, when leaves is 1
	exact    *pnode   // the last option a traversal ended at, with its value
	computed bool     // a local read is computed, not the name of an option
	inCfg    bool     // need is filling cfg (not self)
}

// traversal records what a traversal needs, merging the options it reads.
func (d *demand) traversal(t hcl.Traversal, depth int) {
	if depth > 100 {
		d.diags = append(d.diags, newDiag(summaryCycle, "The locals refer to each other in a cycle.", t.SourceRange()))
		return
	}
	switch t.RootName() {
	case "config":
		if d.cfg == nil {
			d.cfg = d.e.pnodes.next()
		}
		d.inCfg = true
		d.need(d.e.top, nil, nil, d.cfg, t, t.SourceRange())
		d.inCfg = false
	case "self":
		if d.sc.inst == nil {
			return // hcl reports the unknown variable
		}
		if d.self == nil {
			d.self = d.e.pnodes.next()
		}
		d.need(d.sc.inst.root, d.sc.inst.path, d.sc.inst, d.self, t, t.SourceRange())
	case "name":
		d.name = true
	case "arg":
		d.arg = true
	case "local":
		if len(t) < 2 {
			return
		}
		ta, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			return
		}
		a := d.sc.mod.locals[ta.Name]
		if a == nil {
			return
		}
		if d.seen == nil {
			d.seen = map[string]bool{}
		}
		if !d.seen[ta.Name] {
			d.seen[ta.Name] = true
			d.locals = append(d.locals, ta.Name)
		}
		if st, ok := a.Expr.(*hclsyntax.ScopeTraversalExpr); ok {
			// local.cfg.enable with cfg = config.services.web needs only
			// config.services.web.enable (spec section 6).
			nt := make(hcl.Traversal, 0, len(st.Traversal)+len(t)-2)
			nt = append(nt, st.Traversal...)
			nt = append(nt, t[2:]...)
			d.traversal(nt, depth+1)
			return
		}
		d.computed = true
		lsc := d.sc
		if d.sc.inst != nil {
			lsc = &scope{mod: d.sc.mod}
		}
		saved := d.sc
		d.sc = lsc
		for _, lt := range varsOf(a.Expr, d.sc.mod) {
			d.traversal(lt, depth+1)
		}
		d.sc = saved
	}
}

// need merges the options a config or self traversal reaches and records
// their values in the partial object p.
func (d *demand) need(root *declNode, base Path, inst *instance, p *pnode, t hcl.Traversal, rng hcl.Range) {
	node := root
	pn := p
	for si, step := range t[1:] {
		var k string
		switch s := step.(type) {
		case hcl.TraverseAttr:
			k = s.Name
		case hcl.TraverseIndex:
			if s.Key.Type() != cty.String || !s.Key.IsKnown() {
				d.needAll(node, inst, pn, rng)
				return
			}
			k = s.Key.AsString()
		default:
			d.needAll(node, inst, pn, rng)
			return
		}
		c := node.children[k]
		if c == nil {
			d.leaves += 2 // the partial object must show what is missing
			return        // hcl reports the missing attribute
		}
		node = c
		if c.opt != nil {
			pn = pn.child(k, d.e)
			rest := t[si+2:]
			if len(rest) > 0 && d.needInside(c.opt, inst, pn, rest, rng) {
				return
			}
			d.needOpt(c.opt, inst, pn, rng)
			if len(rest) == 0 && d.inCfg {
				d.exact = pn
			}
			return
		}
		pn = pn.child(k, d.e)
	}
	d.needAll(node, inst, pn, rng)
}

func (d *demand) needAll(node *declNode, inst *instance, pn *pnode, rng hcl.Range) {
	if node.opt != nil {
		d.needOpt(node.opt, inst, pn, rng)
		return
	}
	for _, k := range node.sortedNames() {
		d.needAll(node.children[k], inst, pn.child(k, d.e), rng)
	}
}

func (d *demand) needOpt(o *optDecl, inst *instance, pn *pnode, rng hcl.Range) {
	if pn.done {
		return
	}
	oi := d.e.optInstOf(o, inst)
	if d.e.track && oi != nil {
		d.e.readOpt(d.e.ownerOf(oi))
	}
	if d.inCfg {
		d.leaves++
		d.leaf = oi
	}
	v, has, diags := d.e.value(oi, rng)
	d.diags = append(d.diags, diags...)
	pn.done = true
	if !has || diags.HasErrors() {
		pn.v = cty.DynamicVal
		return
	}
	pn.v = v
}

// needInside handles a traversal that goes on into the value of a
// submodule option (config.fileSystems."/".device): only the element's
// option it names is merged, so elements may read each other, as NixOS's
// lazy attribute sets allow. It reports false when the whole option must be
// merged instead.
func (d *demand) needInside(o *optDecl, inst *instance, pn *pnode, rest hcl.Traversal, rng hcl.Range) bool {
	e := d.e
	oi := e.optInstOf(o, inst)
	if oi == nil || oi.state == 2 {
		return false
	}
	// Finding the element is part of merging oi: what it reads is read
	// by oi's top-level option, not by the reader.
	prev := e.cur
	if e.track {
		e.cur = e.recsOf(e.ownerOf(oi))
	}
	sub, consumed := e.element(oi, rest)
	e.cur = prev
	if sub == nil {
		return false
	}
	at, after := pn, rest
	if consumed {
		at = pn.child(sub.name, d.e)
		after = rest[1:]
	}
	if sub.diags.HasErrors() {
		d.diags = append(d.diags, sub.diags...)
		at.done, at.v = true, cty.DynamicVal
		return true
	}
	nt := make(hcl.Traversal, 0, len(after)+1)
	nt = append(nt, hcl.TraverseRoot{Name: "self"})
	nt = append(nt, after...)
	d.need(sub.root, sub.path, sub, at, nt, rng)
	return true
}

// element returns the submodule element of oi that a traversal going on
// with rest reads (consumed: its first step names the element of an
// attrsOf), or nil when the whole option must be merged instead.
func (e *evaluator) element(oi *optInst, rest hcl.Traversal) (sub *instance, consumed bool) {
	t := oi.decl.t
	switch {
	case t.k == kSubmodule:
		live, ok := e.selected(oi)
		if !ok {
			return nil, false
		}
		return e.instance(oi.path, t, live), false
	case t.k == kAttrsOf && t.elems[0].k == kSubmodule:
		k, ok := stepKey(rest[0])
		if !ok {
			return nil, false
		}
		kp := oi.path.child(k)
		if sub := e.insts[kp.String()]; sub != nil {
			return sub, true
		}
		live, ok := e.selected(oi)
		if !ok {
			return nil, false
		}
		if oi.per == nil {
			_, per, diags := e.children(oi.path, t, live)
			if diags.HasErrors() {
				return nil, false
			}
			oi.per = per
		}
		kdefs := oi.per[k]
		if kdefs == nil {
			return nil, false
		}
		klive, has, kdiags := e.selectDefs(kp, kdefs, nil, nil, nil)
		if kdiags.HasErrors() || !has {
			return nil, false
		}
		return e.instance(kp, t.elems[0], klive), true
	}
	return nil, false
}

// stepKey returns the attribute name or string key of a traversal step.
func stepKey(s hcl.Traverser) (string, bool) {
	switch s := s.(type) {
	case hcl.TraverseAttr:
		return s.Name, true
	case hcl.TraverseIndex:
		if s.Key.Type() == cty.String && s.Key.IsKnown() && !s.Key.IsNull() {
			return s.Key.AsString(), true
		}
	}
	return "", false
}

// selected returns an option's surviving definitions, once; false when
// they cannot be had now (errors, or they are being computed).
func (e *evaluator) selected(oi *optInst) ([]*ddef, bool) {
	switch oi.selState {
	case 1:
		return nil, false
	case 2:
		return oi.live, oi.live != nil
	}
	oi.selState = 1
	sc := &scope{mod: oi.decl.defMod, inst: oi.inst}
	live, has, diags := e.selectDefs(oi.path, oi.defs, oi.decl, sc, nil)
	if diags.HasErrors() || !has {
		live = nil
	}
	oi.live, oi.selState = live, 2
	return live, live != nil
}

// pnode is a partial object: the parts of config (or self) an expression
// reads. Most have one child, kept apart from the others; one with many
// (a namespace such as services, read for many services) indexes them.
type pnode struct {
	done bool
	v    cty.Value
	k0   string
	c0   *pnode
	keys []string
	kids []*pnode
	idx  map[string]*pnode // keys to kids, once there are manyKids
}

// manyKids is how many children a pnode finds by looking through them
// all; from then on it looks them up in an index.
const manyKids = 8

func (p *pnode) child(k string, e *evaluator) *pnode {
	if p.c0 != nil && p.k0 == k {
		return p.c0
	}
	if p.idx != nil {
		if c := p.idx[k]; c != nil {
			return c
		}
	} else {
		for i, kk := range p.keys {
			if kk == k {
				return p.kids[i]
			}
		}
	}
	c := e.pnodes.next()
	if p.c0 == nil {
		p.k0, p.c0 = k, c
		return c
	}
	p.keys = append(p.keys, k)
	p.kids = append(p.kids, c)
	switch {
	case p.idx != nil:
		p.idx[k] = c
	case len(p.keys) == manyKids:
		p.idx = make(map[string]*pnode, 2*manyKids)
		for i, kk := range p.keys {
			p.idx[kk] = p.kids[i]
		}
	}
	return c
}

func (p *pnode) value() cty.Value {
	if p.done {
		return p.v
	}
	m := make(map[string]cty.Value, len(p.kids)+1)
	if p.c0 != nil {
		m[p.k0] = p.c0.value()
	}
	for i, c := range p.kids {
		m[p.keys[i]] = c.value()
	}
	return cty.ObjectVal(m)
}

// optInstOf returns the option o of element inst (nil: top level).
func (e *evaluator) optInstOf(o *optDecl, inst *instance) *optInst {
	if inst == nil {
		return e.topOpt(o.idx)
	}
	if o.idx < len(inst.opts) && inst.opts[o.idx].decl == o {
		return inst.opts[o.idx]
	}
	return nil
}

// value merges an option once and returns its value; has is false when
// it has no definition and no default. Errors the option had are returned
// on every call.
func (e *evaluator) value(o *optInst, from hcl.Range) (cty.Value, bool, hcl.Diagnostics) {
	if o == nil {
		return cty.DynamicVal, false, nil
	}
	if e.defining {
		// A half of defineHalves may not read options: define starts over.
		e.touched = true
		return cty.DynamicVal, false, hcl.Diagnostics{newDiag(summaryNoValue, "An option was read while defining.", from)}
	}
	switch o.state {
	case 2:
		return o.val, o.has, o.diags
	case 1:
		return cty.DynamicVal, false, hcl.Diagnostics{e.cycle(o, from)}
	}
	if e.done != nil && o.inst == nil && e.takeDone(o) {
		return o.val, true, nil
	}
	if len(e.stack) >= maxDepth {
		return cty.DynamicVal, false, hcl.Diagnostics{newDiag(summaryTooDeep,
			fmt.Sprintf("Merging %s needs more than %d options, each needing the next; this is not supported.", o.path, maxDepth), from)}
	}
	o.state = 1
	e.stack = append(e.stack, frame{o: o, rng: from})
	prev := e.cur
	if e.track {
		e.cur = e.recsOf(e.ownerOf(o))
	}
	sc := &scope{mod: o.decl.defMod, inst: o.inst}
	v, has, diags := e.mergeDefs(o.path, o.decl.t, o.defs, o.decl, sc, nil)
	e.cur = prev
	e.stack = e.stack[:len(e.stack)-1]
	if !has && !diags.HasErrors() {
		diags = append(diags, newDiag(summaryNoValue,
			fmt.Sprintf("The option %s was used but is not defined and has no default (declared at %s). Define it, or give its declaration a default.", o.path, where(o.decl.decls[0])),
			o.decl.decls[0]))
	}
	if diags.HasErrors() {
		v = cty.DynamicVal
	}
	o.val, o.has, o.diags, o.state = v, has, diags, 2
	if e.track && o.inst == nil {
		e.merged(o)
	}
	if e.done != nil && o.inst == nil && len(diags) == 0 && has {
		e.giveDone(o)
	}
	return v, has, diags
}

// cycle reports the chain from the first merge of o to its second.
func (e *evaluator) cycle(o *optInst, from hcl.Range) *hcl.Diagnostic {
	start := 0
	for i, f := range e.stack {
		if f.o == o {
			start = i
			break
		}
	}
	var b strings.Builder
	var rs []hcl.Range
	rs = append(rs, from)
	fmt.Fprintf(&b, "The value of %s depends on itself:", o.path)
	chain := e.stack[start:]
	for i, f := range chain {
		next := from
		if i+1 < len(chain) {
			next = chain[i+1].rng
		}
		fmt.Fprintf(&b, "\n  - %s needs %s at %s", f.o.path, nextPath(chain, i, o), where(next))
		if i+1 < len(chain) {
			rs = append(rs, next)
		}
	}
	b.WriteString("\nBreak the cycle by defining one of these options without reading the others.")
	return newDiag(summaryCycle, b.String(), rs...)
}

func nextPath(chain []frame, i int, o *optInst) Path {
	if i+1 < len(chain) {
		return chain[i+1].o.path
	}
	return o.path
}

// thunkValue evaluates a thunk to a value; property functions in it stay
// as capsules.
func (e *evaluator) thunkValue(th thunk, sc *scope) (cty.Value, hcl.Diagnostics) {
	switch {
	case th.x != nil:
		return e.evalExpr(th.x, sc)
	case th.body != nil:
		its, diags := e.items(th, sc, false)
		vals := map[string]cty.Value{}
		for _, it := range its {
			v, d := e.thunkValue(it.th, sc)
			diags = append(diags, d...)
			for i := len(it.keys) - 1; i >= 1; i-- {
				v = cty.ObjectVal(map[string]cty.Value{it.keys[i]: v})
			}
			if prev, ok := vals[it.keys[0]]; ok && isObject(prev.Type()) && isObject(v.Type()) {
				v = shallowUnion(prev, v)
			}
			vals[it.keys[0]] = v
		}
		return cty.ObjectVal(vals), diags
	}
	return th.val(), nil
}

func shallowUnion(a, b cty.Value) cty.Value {
	m := a.AsValueMap()
	if m == nil {
		m = map[string]cty.Value{}
	}
	for k, v := range b.AsValueMap() {
		m[k] = v
	}
	return cty.ObjectVal(m)
}
