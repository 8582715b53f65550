package merge

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// prefetch merges the unmerged top-level options below node on several
// goroutines before treeValue reads them, when more than one processor
// may run Go code.
//
// Each goroutine works in a view of the evaluator: the same declarations,
// definitions and modules, which nothing changes once defined, with its
// own merge state, so an option several of them need is merged by each.
// Merging is deterministic, so a view's values are the values the
// evaluator would find itself; they are taken over only when no view met
// a diagnostic, since the text of some (a cycle's chain) depends on where
// merging started. Otherwise the evaluator merges everything again on its
// own, as without prefetch, and reports exactly what it would have.
// Extra HCL functions of the Config may not be safe to call concurrently,
// so with any there is no prefetch.
//
// With withJSON, each view also writes the JSON of the options it merged
// (appendJSONValue), and e.json holds it for appendTreeJSON, so that most
// of the writing of a whole configuration is done on all processors too.
func (e *evaluator) prefetch(node *declNode, withJSON bool) {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || len(e.cfg.Functions) > 0 || e.cfg.serial {
		return
	}
	var todo []int
	if node == e.top {
		// The whole tree: every option, in the same order.
		for i, o := range e.topOpts {
			if o.state == 0 {
				todo = append(todo, i)
			}
		}
	} else {
		walkOptions(node, func(o *optDecl) {
			if e.topOpts[o.idx].state == 0 {
				todo = append(todo, o.idx)
			}
		})
	}
	// The options go out in runs of neighbours (an option often reads its
	// siblings), each view taking the next run when done with one; there
	// are no more views than runs. Small configurations get a view too, so
	// that every test exercises this.
	const run = 16
	runs := (len(todo) + run - 1) / run
	if len(todo) < 2 {
		return
	}
	workers = min(workers, runs)
	owner := make([]int, runs)
	done := make([]atomic.Pointer[doneOpt], len(e.topOpts))
	var doneConds sync.Map
	var next atomic.Int64
	var failed atomic.Bool
	views := make([]*evaluator, workers)
	// What view w wrote of option i is bufs[w][spans[i].start:spans[i].end].
	var spans []jsonSpan
	bufs := make([][]byte, workers)
	if withJSON {
		spans = make([]jsonSpan, len(e.topOpts))
	}
	var wg sync.WaitGroup
	for w := range workers {
		v := e.view()
		v.done, v.doneConds = done, &doneConds
		views[w] = v
		wg.Go(func() {
			var buf []byte
			if withJSON {
				buf = make([]byte, 0, jsonPerOption*len(todo)/workers)
			}
			defer func() { bufs[w] = buf }()
			for !failed.Load() {
				c := int(next.Add(1)) - 1
				if c >= runs {
					return
				}
				owner[c] = w
				for _, i := range todo[c*run : min(c*run+run, len(todo))] {
					o := v.topOpt(i)
					_, has, diags := v.value(o, hcl.Range{})
					if len(diags) > 0 {
						failed.Store(true)
						return
					}
					if withJSON && has {
						start := len(buf)
						buf = appendJSONValue(buf, o.val, false)
						spans[i] = jsonSpan{start: start, end: len(buf), ok: true}
					}
				}
			}
		})
	}
	wg.Wait()
	if failed.Load() {
		return
	}
	if withJSON {
		e.json = make([][]byte, len(e.topOpts))
	}
	for c, w := range owner {
		for _, i := range todo[c*run : min(c*run+run, len(todo))] {
			v := views[w]
			o, src := e.topOpts[i], v.topOpts[i]
			o.val, o.has, o.diags, o.state = src.val, src.has, nil, 2
			if sp := spans; sp != nil && sp[i].ok {
				e.json[i] = bufs[w][sp[i].start:sp[i].end:sp[i].end]
			}
			if e.track {
				e.recs[i], e.gens[i] = v.recs[i], v.gens[i]
				e.pending = append(e.pending, int32(i))
			}
		}
	}
}

// jsonSpan is where a prefetch view wrote the JSON of an option.
type jsonSpan struct {
	start, end int
	ok         bool
}

// view returns an evaluator sharing e's declarations, definitions and
// finished merges, with merge state of its own (see prefetch).
func (e *evaluator) view() *evaluator {
	v := &evaluator{
		cfg:    e.cfg,
		mods:   e.mods,
		top:    e.top,
		base:   e.base,
		args:   e.args,
		decls:  e.decls,
		insts:  map[string]*instance{},
		single: map[*optInst]cty.Value{},
		track:  e.track,
		snap:   e.snap,
	}
	if e.track {
		v.recs = make([]reads, len(e.recs))
		v.gens = slices.Clone(e.gens)
	}
	// Merged options are shared: nothing changes an option once merged.
	// A view makes its own slot for an unmerged one when it first
	// needs it (topOpt): each view merges about its share of them.
	v.topOpts = slices.Clone(e.topOpts)
	v.parent = e.topOpts
	return v
}

// topOpt returns the top-level option idx; in a prefetch view, an option
// the evaluator has not merged gets a slot of the view's own first.
func (e *evaluator) topOpt(idx int) *optInst {
	o := e.topOpts[idx]
	if e.parent == nil || o.state == 2 || o != e.parent[idx] {
		return o
	}
	own := e.slots.next()
	*own = optInst{decl: o.decl, path: o.path, defs: o.defs}
	e.topOpts[idx] = own
	return own
}

// doneOpt is a top-level option a view merged without any diagnostic,
// for the other views to take instead of merging it again.
type doneOpt struct {
	val cty.Value
	gen uint64
	rec reads
}

// takeDone takes over the value of o when another view merged it.
func (e *evaluator) takeDone(o *optInst) bool {
	idx := o.decl.idx
	d := e.done[idx].Load()
	if d == nil {
		return false
	}
	o.val, o.has, o.state = d.val, true, 2
	if e.track {
		e.gens[idx], e.recs[idx] = d.gen, d.rec
	}
	return true
}

// giveDone offers the value of o, just merged, to the other views.
func (e *evaluator) giveDone(o *optInst) {
	idx := o.decl.idx
	d := &doneOpt{val: o.val}
	if e.track {
		d.gen, d.rec = e.gens[idx], e.recs[idx]
	}
	e.done[idx].CompareAndSwap(nil, d)
}
