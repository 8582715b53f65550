package merge

import (
	"slices"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Values kept across evaluations.
//
// With a Cache (and no extra functions), the merged value of each
// top-level option is kept with its declaration tree, together with what
// it was computed from: the option's definitions (shared through the
// Cache), whether it read arg, and the other top-level options it read,
// each with the generation of the value it saw. A later evaluation over
// the same tree takes the kept value instead of merging again when the
// option has the very same definitions, read arg only if the arguments
// are equal, and every option it read is itself taken over, with the same
// generation. Options whose definitions changed (those a host module
// defines, typically) are merged again, and so is everything that read
// them, directly or not.
//
// Reads are recorded per top-level option: reading an option of a
// submodule element counts as reading the top-level option that holds the
// element, and what an element's options read counts for that top-level
// option too. A generation names a value: two values get the same one
// only when they are equal, so an option merged again to the value it had
// keeps its generation, and what read it stays valid.

// The values of expressions are kept the same way, by expression, module
// and submodule element: what they gave, what they read, and the
// generations then. An option whose definitions read an option a host
// changed is merged again, but only the expressions that read a changed
// value are evaluated again.

// memo is a kept value of a top-level option and what it was computed
// from. It is never changed once stored, but for json.
type memo struct {
	val  cty.Value
	gen  uint64
	defs []*def   // the option's definitions, by identity
	deps []depGen // the other top-level options read, sorted by idx
	arg  bool     // arg was read
	args cty.Value
	json atomic.Pointer[[]byte] // val as JSON, once an evaluation that took it over wrote it
}

// depGen is one top-level option read, with the generation of its value.
type depGen struct {
	idx int32
	gen uint64
}

// reads collects what merging one top-level option (self) read, or what
// evaluating one condition or expression read (self -1).
type reads struct {
	self int32
	arg  bool
	deps []int32 // top-level idx; may repeat
}

// readOpt records that the merge being done read the top-level option idx.
func (e *evaluator) readOpt(idx int32) {
	r := e.cur
	if r == nil || idx < 0 || r.self == idx {
		return
	}
	if n := len(r.deps); n > 0 && r.deps[n-1] == idx {
		return
	}
	r.deps = append(r.deps, idx)
}

// readAll records everything r read as read by the merge being done (a
// condition evaluated once serves every definition holding it).
func (e *evaluator) readAll(r *reads) {
	if e.cur == nil || r == e.cur {
		return
	}
	for _, d := range r.deps {
		e.readOpt(d)
	}
	if r.arg {
		e.cur.arg = true
	}
}

// readKept records what a kept value read as read by the merge being done.
func (e *evaluator) readKept(deps []depGen, arg bool) {
	if e.cur == nil {
		return
	}
	for _, d := range deps {
		e.readOpt(d.idx)
	}
	if arg {
		e.cur.arg = true
	}
}

// stamped returns what r read, each option once with the generation of
// its value; ready is false while one of them has none yet.
func (e *evaluator) stamped(r *reads) (deps []depGen, ready bool) {
	for _, d := range r.deps {
		if e.gens[d] == 0 {
			return nil, false
		}
	}
	slices.Sort(r.deps)
	r.deps = slices.Compact(r.deps)
	deps = make([]depGen, len(r.deps))
	for i, d := range r.deps {
		deps[i] = depGen{idx: d, gen: e.gens[d]}
	}
	return deps, true
}

// ownerOf returns the top-level option holding o.
func (e *evaluator) ownerOf(o *optInst) int32 {
	if o.inst == nil {
		return int32(o.decl.idx)
	}
	return o.inst.owner
}

// recsOf returns the collector of the top-level option idx, nil when
// nothing is recorded.
func (e *evaluator) recsOf(idx int32) *reads {
	if !e.track || idx < 0 {
		return nil
	}
	r := &e.recs[idx]
	r.self = idx
	return r
}

// topIdx returns the top-level option holding path p, -1 when none does.
func (e *evaluator) topIdx(p Path) int32 {
	n := e.top
	for _, s := range p {
		if n = n.children[s]; n == nil {
			return -1
		}
		if n.opt != nil {
			return int32(n.opt.idx)
		}
	}
	return -1
}

// startTracking prepares the records of an evaluation over a kept tree and
// takes over every kept value that is still valid (see above).
func (e *evaluator) startTracking() {
	n := len(e.topOpts)
	e.track = true
	e.recs = make([]reads, n) // self is set by recsOf
	e.gens = make([]uint64, n)
	snap := make([]*memo, n)
	kept := false
	for i := range snap {
		snap[i] = e.decls.memos[i].Load()
		kept = kept || snap[i] != nil
	}
	e.snap = snap
	if !kept {
		return
	}
	// An option is stale when it has no kept value, its definitions or
	// arguments changed, or an option it read has another value now;
	// everything that read a stale option is stale too.
	stale := make([]bool, n)
	var work []int32
	start := make([]int32, n+1) // readers of each option, packed
	for i, m := range snap {
		switch {
		case m == nil, !slices.Equal(m.defs, e.topOpts[i].defs), m.arg && !m.args.RawEquals(e.args):
			stale[i] = true
		default:
			for _, d := range m.deps {
				if s := snap[d.idx]; s == nil || s.gen != d.gen {
					stale[i] = true
					break
				}
			}
		}
		if stale[i] {
			work = append(work, int32(i))
			continue
		}
		for _, d := range m.deps {
			start[d.idx+1]++
		}
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	readers := make([]int32, start[n])
	fill := slices.Clone(start[:n])
	for i, m := range snap {
		if stale[i] {
			continue
		}
		for _, d := range m.deps {
			readers[fill[d.idx]] = int32(i)
			fill[d.idx]++
		}
	}
	for len(work) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		for _, j := range readers[start[i]:start[i+1]] {
			if !stale[j] {
				stale[j] = true
				work = append(work, j)
			}
		}
	}
	for i, m := range snap {
		if !stale[i] {
			o := e.topOpts[i]
			o.val, o.has, o.state, o.reused = m.val, true, 2, true
			e.gens[i] = m.gen
		}
	}
}

// merged notes that the top-level option o was merged in this evaluation:
// its value gets a generation, and it is kept once the generations of
// everything it read are known (see keep).
func (e *evaluator) merged(o *optInst) {
	if len(o.diags) > 0 || !o.has {
		return
	}
	idx := o.decl.idx
	if m := e.snap[idx]; m != nil && m.val.RawEquals(o.val) {
		e.gens[idx] = m.gen
	} else {
		e.gens[idx] = e.cfg.Cache.gen.Add(1)
	}
	e.pending = append(e.pending, int32(idx))
}

// keep stores the values merged so far whose reads all have generations.
// It runs when an evaluation or a Result method is done merging.
func (e *evaluator) keep() {
	if !e.track {
		return
	}
	left := e.pending[:0]
	for _, idx := range e.pending {
		r := &e.recs[idx]
		deps, ready := e.stamped(r)
		if !ready {
			left = append(left, idx)
			continue
		}
		o := e.topOpts[idx]
		m := &memo{val: o.val, gen: e.gens[idx], defs: o.defs, deps: deps, arg: r.arg}
		if r.arg {
			m.args = e.args
		}
		e.decls.memos[idx].Store(m)
	}
	e.pending = left
}

// appendJSON writes the value of the top-level option o, merged, as JSON;
// the JSON of a value taken over from the Cache is kept with it.
func (e *evaluator) appendJSON(b []byte, o *optInst) []byte {
	if !o.reused {
		return appendJSONValue(b, o.val, false)
	}
	m := e.snap[o.decl.idx]
	if js := m.json.Load(); js != nil {
		return append(b, *js...)
	}
	start := len(b)
	b = appendJSONValue(b, o.val, false)
	js := slices.Clone(b[start:])
	m.json.Store(&js)
	return b
}

// maxExprMemos bounds how many expression values one declaration tree
// keeps: hosts with elements of their own (users, file systems) add
// entries, and a long pipeline of such hosts must not grow without end.
// The 2000-module benchmark keeps about 15,000.
const maxExprMemos = 1 << 22

// exprKey names an expression as evaluated in one scope: a module's top
// level (inst ""), or one submodule element, by path.
type exprKey struct {
	x    hcl.Expression
	mod  *module
	inst string
}

// exprMemo is the value of an expression and what it read.
type exprMemo struct {
	val  cty.Value
	deps []depGen
	arg  bool
	args cty.Value
}

// keptExpr evaluates an expression that reads vars, or takes over its
// value from an earlier evaluation when every top-level option it read has
// the same generation now and the arguments it read are equal. What it
// reads is read by the merge being done either way. A value is kept only
// when its evaluation gave no diagnostic and the generations of all it
// read are known; one that read its own element's options (self) is not,
// as the option holding the element is being merged.
func (e *evaluator) keptExpr(x hcl.Expression, sc *scope, vars []hcl.Traversal) (cty.Value, hcl.Diagnostics) {
	key := exprKey{x: x, mod: sc.mod}
	if sc.inst != nil {
		key.inst = sc.inst.key
	}
	mv, known := e.decls.exprs.Load(key)
	if known {
		m := mv.(*exprMemo)
		valid := !m.arg || m.args.RawEquals(e.args)
		for _, d := range m.deps {
			if !valid {
				break
			}
			valid = e.gens[d.idx] == d.gen
		}
		if valid {
			e.readKept(m.deps, m.arg)
			return m.val, nil
		}
	}
	prev := e.cur
	rd := &reads{self: -1}
	e.cur = rd
	v, diags := e.evalVars(x, sc, vars)
	e.cur = prev
	e.readAll(rd)
	if len(diags) > 0 || !v.IsWhollyKnown() || !known && e.decls.nexprs.Load() >= maxExprMemos {
		return v, diags
	}
	deps, ready := e.stamped(rd)
	if !ready {
		return v, diags
	}
	m := &exprMemo{val: v, arg: rd.arg, deps: deps}
	if m.arg {
		m.args = e.args
	}
	if !known {
		e.decls.nexprs.Add(1)
	}
	e.decls.exprs.Store(key, m)
	return v, diags
}
