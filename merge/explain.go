package merge

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Explain says how the option at path got its value: its type, its
// declarations, every definition with its place, priority and order and
// whether it was merged, shadowed or dropped by a false condition, and the
// final value (spec section 7). The path names an option, at top level or
// inside a submodule element (fileSystems."/".fsType). The Explanation is
// nil when the diagnostics hold an error; its text form is not a contract.
func (r *Result) Explain(path string) (*Explanation, hcl.Diagnostics) {
	p, err := ParsePath(path)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summaryNoSuchPath, Detail: err.Error()}}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.e
	oi, diags := e.findOpt(p)
	if diags.HasErrors() {
		return nil, sortDiags(diags)
	}
	v, has, vdiags := e.value(oi, hcl.Range{})
	e.keep()
	ex := &Explanation{
		Path:         oi.path,
		Type:         oi.decl.t.words(),
		Description:  oi.decl.desc,
		Declarations: append([]hcl.Range(nil), oi.decl.decls...),
	}
	if has && !vdiags.HasErrors() {
		ex.Value = v
	}
	// The definitions are discharged again to record what became of each:
	// conditions are remembered, so this gives the same answer as the merge
	// without keeping every merge's records alive.
	info := &mergeInfo{}
	{
		sc := &scope{mod: oi.decl.defMod, inst: oi.inst}
		e.selectDefs(oi.path, oi.defs, oi.decl, sc, info)
		for _, d := range info.all {
			def := &Definition{Range: d.rng, Priority: d.prio, Order: d.order, Status: d.status, Default: d.isDefault}
			if _, dropped := d.status.(Dropped); !dropped && d.status != nil {
				if dv, dd := d.value(e); !dd.HasErrors() && dv.IsWhollyKnown() {
					def.Value = dv
				}
			}
			if def.Status == nil {
				def.Status = Merged{}
			}
			ex.Definitions = append(ex.Definitions, def)
		}
	}
	return ex, sortDiags(vdiags)
}

// findOpt finds the option instance at p, merging the options that lead
// to it when it is inside a submodule element.
func (e *evaluator) findOpt(p Path) (*optInst, hcl.Diagnostics) {
	node := e.top
	var inst *instance
	base := Path(nil)
	for i := 0; i < len(p); i++ {
		s := p[i]
		c := node.children[s]
		if c == nil {
			return nil, e.undeclared(node, p[:i], s, hcl.Range{Filename: "<path>"})
		}
		node = c
		if c.opt == nil {
			continue
		}
		oi := e.optInstOf(c.opt, inst)
		if i == len(p)-1 {
			return oi, nil
		}
		// Go into the element named by the next segments.
		if _, _, diags := e.value(oi, hcl.Range{}); diags.HasErrors() {
			return nil, diags
		}
		t := c.opt.t
		sub := t.subTree()
		if sub == nil {
			return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summaryNoSuchPath,
				Detail: fmt.Sprintf("%s is an option of type %s; it has no options below it.", p[:i+1], t.words())}}
		}
		j := i + 1
		if _, keyed := t.findSub(); keyed {
			j = i + 2
		}
		if j > len(p) {
			return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summaryNoSuchPath, Detail: fmt.Sprintf("%s names an element, not an option.", Path(p))}}
		}
		base = p[:j]
		inst = e.insts[base.String()]
		if inst == nil && oi.state == 2 && len(oi.diags) == 0 && oi.inst == nil {
			// Merged on another goroutine (prefetch) or taken over from a
			// Cache, it has no elements here: it is merged again, to the
			// same value, to make them.
			oi.state, oi.reused = 0, false
			e.value(oi, hcl.Range{})
			inst = e.insts[base.String()]
		}
		if inst == nil {
			return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summaryNoSuchPath, Detail: fmt.Sprintf("%s has no element %s.", p[:i+1], base)}}
		}
		node = sub
		i = j - 1
	}
	return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summaryNoSuchPath,
		Detail: fmt.Sprintf("%s is a namespace, not an option; explain one of the options below it: %s.", p, e.optionsBelow(p, 5))}}
}

// Options returns every declared option, those of submodules included
// (their element keys written <name>), sorted by path. The options are
// read-only.
func (r *Result) Options() []*Option {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*Option
	var walk func(n *declNode, prefix Path)
	walk = func(n *declNode, prefix Path) {
		walkOptions(n, func(o *optDecl) {
			p := prefix.child(o.path...)
			opt := &Option{
				Path: p, Type: o.t.words(), DefaultText: o.defaultText, Description: o.desc,
				ReadOnly: o.readOnly, Internal: o.internal,
				Declarations: append([]hcl.Range(nil), o.decls...),
			}
			if o.def != nil {
				if len(o.def.Variables()) == 0 {
					if v, diags := o.def.Value(r.e.base); !diags.HasErrors() && !hasProp(v) {
						opt.Default = v
					}
				}
				if opt.Default == cty.NilVal && opt.DefaultText == "" {
					opt.DefaultText = string(o.def.Range().SliceBytes(fileBytes(o.defMod)))
				}
			}
			if o.example != nil {
				if v, diags := o.example.Value(r.e.base); !diags.HasErrors() && !hasProp(v) {
					opt.Example = v
				}
			}
			out = append(out, opt)
			if sub := o.t.subTree(); sub != nil {
				sp := p
				if _, keyed := o.t.findSub(); keyed {
					sp = p.child("<name>")
				}
				walk(sub, sp)
			}
		})
	}
	walk(r.e.top, nil)
	return out
}

func fileBytes(m *module) []byte {
	if m == nil {
		return nil
	}
	return m.src
}
