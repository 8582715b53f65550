package merge

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
)

// maxDeclSets is how many declaration trees a Cache keeps.
const maxDeclSets = 8

// declSet is the declaration tree of a list of modules, kept by a Cache
// with what each module defines in it: a later evaluation over the same
// option blocks declares nothing again, and pushes down only the modules
// it has not met. A declSet's tree is never changed once built; defs is
// guarded by its Cache's mutex, and the kept values (memos, exprs) are
// safe for concurrent use on their own.
type declSet struct {
	mods   []*module // the modules with option blocks, in declaration order
	top    *declNode
	decls  []*optDecl // the top-level options, by idx
	diags  hcl.Diagnostics
	defs   map[*module]*modDefs
	memos  []atomic.Pointer[memo] // kept values, by idx (memo.go)
	exprs  sync.Map               // exprKey to *exprMemo (memo.go)
	nexprs atomic.Int64           // about the entries in exprs (views may count one twice)
	// jsonSize is about the length of the last JSON of the whole
	// configuration, to size the next one's buffer.
	jsonSize atomic.Int64
}

// modDefs is what one module's config blocks define in a declSet's tree.
type modDefs struct {
	emits []emitted
}

// emitted is one definition of a top-level option.
type emitted struct {
	idx int
	d   *def
}

// buildDecls declares the options of mods (in declaration order) in a new
// tree.
func buildDecls(mods []*module) *declSet {
	ds := &declSet{mods: mods, top: newNamespace(nil)}
	types := map[string]*typ{}
	for _, m := range mods {
		for _, b := range m.options {
			ds.diags = append(ds.diags, declare(ds.top, nil, m, b, types)...)
		}
	}
	ds.top.freeze()
	walkOptions(ds.top, func(o *optDecl) {
		o.top, o.idx = true, len(ds.decls)
		ds.decls = append(ds.decls, o)
	})
	ds.memos = make([]atomic.Pointer[memo], len(ds.decls))
	return ds
}

// declSet returns the kept tree of mods, or nil.
func (c *Cache) declSet(mods []*module) *declSet {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, ds := range c.decls {
		if slices.Equal(ds.mods, mods) {
			// Most recently used last.
			c.decls = append(slices.Delete(c.decls, i, i+1), ds)
			return ds
		}
	}
	return nil
}

// keepDeclSet keeps ds, forgetting the least recently used tree when
// there are too many.
func (c *Cache) keepDeclSet(ds *declSet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.decls) >= maxDeclSets {
		c.decls = slices.Delete(c.decls, 0, 1)
	}
	c.decls = append(c.decls, ds)
}

// modDefs returns what m defines in ds's tree, if it was kept.
func (c *Cache) modDefs(ds *declSet, m *module) *modDefs {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ds.defs[m]
}

// keepModDefs keeps what m defines in ds's tree.
func (c *Cache) keepModDefs(ds *declSet, m *module, md *modDefs) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ds.defs == nil {
		ds.defs = map[*module]*modDefs{}
	}
	ds.defs[m] = md
}
