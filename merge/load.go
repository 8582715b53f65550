package merge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/strata-build/strata/internal/hclfast"
	"github.com/zclconf/go-cty/cty"
)

// location says where a module is read from.
type location struct {
	key   string // the module's identity: one module per key (spec section 1)
	name  string // the file name in diagnostics
	root  string // the search root, "" for Config.FS or the OS
	fsys  fs.FS  // nil: the operating system
	fpath string // the name inside fsys, or the OS path
}

// modRef is one entry of imports or disabledModules.
type modRef struct {
	loc  location
	rng  hcl.Range // the entry
	attr hcl.Range // the whole attribute
	err  string    // why it cannot be resolved, "" when it can
}

// module is one loaded module file.
type module struct {
	location
	src      []byte // the file's bytes, nil when it could not be parsed
	imports  []modRef
	disabled []modRef
	locals   map[string]*hcl.Attribute
	options  []*optBlock
	configs  []*hcl.Block
	asserts  []*hcl.Block
	warns    []*hcl.Block
	diags    hcl.Diagnostics // parse and structure errors
	items    map[hcl.Body][]item
	vars     map[hcl.Expression][]hcl.Traversal // see noteVars
}

// noteVars records the variables of x, and of the parts of x that are
// evaluated on their own (object keys and values, list elements, the
// arguments of property functions), so evaluations need not walk the
// syntax again. It runs at load, on the loader's workers, for modules kept
// in a Cache.
func (m *module) noteVars(x hcl.Expression) {
	switch lx := x.(type) {
	case nil, *hclsyntax.LiteralValueExpr:
		return
	case *hclsyntax.ObjectConsExpr:
		for _, it := range lx.Items {
			m.noteVars(it.KeyExpr)
			m.noteVars(it.ValueExpr)
		}
	case *hclsyntax.TupleConsExpr:
		for _, el := range lx.Exprs {
			m.noteVars(el)
		}
	case *hclsyntax.FunctionCallExpr:
		if propNames[lx.Name] {
			for _, a := range lx.Args {
				m.noteVars(a)
			}
		}
	}
	if m.vars == nil {
		m.vars = map[hcl.Expression][]hcl.Traversal{}
	}
	m.vars[x] = x.Variables()
}

// varsOf returns the variables of x, recorded at load when they were.
func varsOf(x hcl.Expression, m *module) []hcl.Traversal {
	if m != nil {
		if vs, ok := m.vars[x]; ok {
			return vs
		}
	}
	return x.Variables()
}

// noteOptVars records the variables of the defaults of an option block
// and of the blocks nested in it.
func (m *module) noteOptVars(ob *optBlock) {
	if a, ok := ob.get(aDefault); ok {
		m.noteVars(a.Expr)
	}
	for _, n := range ob.nested {
		m.noteOptVars(n)
	}
}

// indexBody records the entries of a block body and of the blocks inside
// it, so evaluations take them apart without sorting them again. Modules
// are shared between evaluations through a Cache and read concurrently, so
// this happens once, at load.
func (m *module) indexBody(b hcl.Body, top bool) {
	nb, ok := b.(*hclfast.Body)
	if !ok {
		return
	}
	var out []item
	for i := range nb.Attributes {
		a := &nb.Attributes[i]
		m.noteVars(a.Expr)
		if top && a.Name == "when" {
			continue
		}
		out = append(out, item{keys: []string{a.Name}, th: thunk{x: a.Expr}, rng: a.SrcRange()})
	}
	for i := range nb.Blocks {
		blk := &nb.Blocks[i]
		keys := append([]string{blk.Type}, blk.Labels...)
		out = append(out, item{keys: keys, th: thunk{body: blk.Body}, rng: blk.DefRange()})
		m.indexBody(blk.Body, false)
	}
	sortItems(out)
	if m.items == nil {
		m.items = map[hcl.Body][]item{}
	}
	m.items[b] = out
}

// dir is the folder imports of m are relative to.
func (m *module) dir() string { return path.Dir(m.fpath) }

var moduleSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "imports"}, {Name: "disabledModules"}},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "locals"},
		{Type: "option", LabelNames: []string{"path"}},
		{Type: "config"},
		{Type: "assert"},
		{Type: "warn"},
	},
}

type cachedFile struct {
	src     []byte
	mod     *module
	stamp   fileStamp // what stat said before src was read
	trusted bool      // stamp may stand for src, see loadOne
}

// fileStamp is a file's size and modification time.
type fileStamp struct {
	size int64
	mod  time.Time
}

// same reports whether two stamps are equal (times compared as instants).
func (s fileStamp) same(t fileStamp) bool { return s.size == t.size && s.mod.Equal(t.mod) }

// stampAge is how much older than the reading of a file its modification
// time must be for an equal stamp to stand for equal bytes later: a file
// written again within the clock's granularity of the first write could
// keep its stamp.
const stampAge = 2 * time.Second

// resolve turns an import string written in module from (nil for the
// modules given to Eval) into a location.
func (c *Config) resolve(from *module, s string) (location, string) {
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		inner := s[1 : len(s)-1]
		root, rest, ok := strings.Cut(inner, "/")
		if !ok || rest == "" {
			return location{}, fmt.Sprintf("%s names no file inside a search root; write <root/path>", s)
		}
		fsys, ok := c.Roots[root]
		if !ok || fsys == nil {
			return location{}, fmt.Sprintf("no search root %q is registered for %s", root, s)
		}
		p := path.Clean(rest)
		if !fs.ValidPath(p) {
			return location{}, fmt.Sprintf("%s leaves its search root", s)
		}
		return location{key: "<" + root + ">/" + p, name: "<" + root + "/" + p + ">", root: root, fsys: fsys, fpath: p}, ""
	}
	if from != nil && from.root != "" {
		p := path.Join(from.dir(), s)
		if !fs.ValidPath(p) {
			return location{}, fmt.Sprintf("%s leaves the search root %s", s, from.root)
		}
		return location{key: "<" + from.root + ">/" + p, name: "<" + from.root + "/" + p + ">", root: from.root, fsys: from.fsys, fpath: p}, ""
	}
	if c.FS != nil {
		p := s
		if from != nil {
			p = path.Join(from.dir(), s)
		}
		p = path.Clean(p)
		if !fs.ValidPath(p) {
			return location{}, fmt.Sprintf("%s is outside the module file system", s)
		}
		return location{key: p, name: p, fsys: c.FS, fpath: p}, ""
	}
	p := s
	if from != nil && !filepath.IsAbs(s) {
		p = filepath.Join(filepath.Dir(from.fpath), s)
	}
	p = filepath.Clean(p)
	key := p
	if from != nil && filepath.IsAbs(from.key) && !filepath.IsAbs(s) {
		// The importer's key is its absolute path: this saves asking the
		// OS for the working directory once per import.
		key = filepath.Join(filepath.Dir(from.key), s)
	} else if abs, err := filepath.Abs(p); err == nil {
		key = abs
	}
	return location{key: key, name: filepath.ToSlash(p), fpath: p}, ""
}

// stat returns the stamp of a regular module file.
func (l location) stat() (fileStamp, bool) {
	var fi fs.FileInfo
	var err error
	if l.fsys == nil {
		fi, err = os.Stat(l.fpath)
	} else {
		fi, err = fs.Stat(l.fsys, l.fpath)
	}
	if err != nil || !fi.Mode().IsRegular() {
		return fileStamp{}, false
	}
	return fileStamp{size: fi.Size(), mod: fi.ModTime()}, true
}

// read returns the bytes of a module file.
func (l location) read() ([]byte, error) {
	if l.fsys == nil {
		return os.ReadFile(l.fpath)
	}
	return fs.ReadFile(l.fsys, l.fpath)
}

// parse parses a module file.
func parse(l location, src []byte) (*hcl.File, hcl.Diagnostics) {
	if strings.HasSuffix(l.name, ".json") || strings.HasSuffix(l.name, ".json>") {
		return hcljson.Parse(src, l.name)
	}
	return hclfast.ParseConfig(src, l.name)
}

// loadOne reads, parses and takes apart one module, or takes it from the
// cache when its bytes are unchanged. A module is never changed after
// this, so the cache can share it.
//
// A cached file is not read again when stat gives the stamp it gave
// before the file was first read and that stamp was already stampAge old
// then (as cmd/go trusts file hashes); a file system whose files have no
// modification time (fstest.MapFS) is always read and compared.
func (c *Config) loadOne(l location) *module {
	key, cacheable := fileKey{fsys: fsIdentity(l.fsys), key: l.key}, c.Cache != nil
	if cacheable && l.fsys != nil && key.fsys == nil {
		cacheable = false // a file system we cannot tell from others
	}
	var stamp fileStamp
	var stamped bool
	var cf *cachedFile
	if cacheable {
		stamp, stamped = l.stat()
		c.Cache.mu.Lock()
		cf = c.Cache.files[key]
		c.Cache.mu.Unlock()
		if cf != nil && cf.trusted && stamped && stamp.same(cf.stamp) {
			return cf.mod
		}
	}
	readAt := time.Now()
	src, err := l.read()
	if err != nil {
		m := &module{location: l}
		m.diags = hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summaryImport,
			Detail: fmt.Sprintf("Cannot read module %s: %v.", l.name, unwrapPathErr(err))}}
		return m
	}
	if !cacheable {
		return c.analyse(l, src)
	}
	nf := &cachedFile{src: src, stamp: stamp,
		trusted: stamped && !stamp.mod.IsZero() && stamp.mod.Before(readAt.Add(-stampAge))}
	if cf != nil && bytes.Equal(cf.src, src) {
		if !stamped || nf.trusted == cf.trusted && stamp.same(cf.stamp) {
			return cf.mod
		}
		nf.src, nf.mod = cf.src, cf.mod
	} else {
		nf.mod = c.analyse(l, src)
	}
	c.Cache.mu.Lock()
	if c.Cache.files == nil {
		c.Cache.files = map[fileKey]*cachedFile{}
	}
	c.Cache.files[key] = nf
	c.Cache.mu.Unlock()
	return nf.mod
}

// fileKey names a file in a Cache: a module keeps the file system it was
// read from (its imports and relative paths resolve there), so equal
// names in other file systems are other files.
type fileKey struct {
	fsys any // fsIdentity of the file system, nil for the operating system
	key  string
}

// fsIdentity returns a value that is equal for the same file system and
// can be a map key, or nil when fsys has none: a file system of a
// comparable type is itself; one that is a map, slice, function or
// pointer (fstest.MapFS) is its type and address.
func fsIdentity(fsys fs.FS) any {
	if fsys == nil {
		return nil
	}
	v := reflect.ValueOf(fsys)
	switch v.Kind() {
	case reflect.Map, reflect.Slice, reflect.Func, reflect.Pointer, reflect.Chan, reflect.UnsafePointer:
		return fsAddr{t: v.Type(), p: v.Pointer()}
	}
	if !hashable(fsys) {
		return nil
	}
	return fsys
}

// fsAddr identifies a file system held by reference.
type fsAddr struct {
	t reflect.Type
	p uintptr
}

// hashable reports whether v can be a map key: a comparable type may
// still hold a map in an interface field.
func hashable(v any) (ok bool) {
	if !reflect.TypeOf(v).Comparable() {
		return false
	}
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	_ = map[any]struct{}{v: {}}
	return true
}

// analyse parses a module and takes it apart.
func (c *Config) analyse(l location, src []byte) *module {
	m := &module{location: l}
	f, diags := parse(l, src)
	m.diags = append(m.diags, diags...)
	if f == nil || f.Body == nil {
		return m
	}
	// Only the bytes are kept, not f: the syntax of option blocks is then
	// freed once read, keeping just the expressions evaluation needs.
	m.src = f.Bytes
	if m.src == nil {
		m.src = []byte{}
	}
	var imports, disabled *hcl.Attribute
	var blocks []topBlock
	if nb, ok := f.Body.(*hclfast.Body); ok {
		// Native syntax is read in place. Content would report what
		// the schema does not take, which is left out below as it
		// leaves it out.
		if !fitsSchema(nb, moduleSchema) {
			_, diags := nb.Content(moduleSchema)
			m.diags = append(m.diags, diags...)
		}
		for i := range nb.Attributes {
			switch a := &nb.Attributes[i]; a.Name {
			case "imports":
				imports = a.AsHCLAttribute()
			case "disabledModules":
				disabled = a.AsHCLAttribute()
			}
		}
		for i := range nb.Blocks {
			if b := &nb.Blocks[i]; labelCount(moduleSchema, b.Type) == len(b.Labels) {
				blocks = append(blocks, topBlock{nb: b})
			}
		}
	} else {
		content, diags := f.Body.Content(moduleSchema)
		m.diags = append(m.diags, diags...)
		if content == nil {
			return m
		}
		imports, disabled = content.Attributes["imports"], content.Attributes["disabledModules"]
		for _, b := range content.Blocks {
			blocks = append(blocks, topBlock{hb: b})
		}
	}
	if imports != nil {
		m.imports = c.refs(m, imports)
	}
	if disabled != nil {
		m.disabled = c.refs(m, disabled)
	}
	for _, tb := range blocks {
		switch tb.typ() {
		case "locals":
			attrs, diags := justAttributes(tb.body())
			m.diags = append(m.diags, diags...)
			if m.locals == nil {
				m.locals = map[string]*hcl.Attribute{}
			}
			for n, a := range attrs {
				if c.Cache != nil {
					m.noteVars(a.Expr)
				}
				if prev := m.locals[n]; prev != nil {
					m.diags = append(m.diags, newDiag(summaryBadModule,
						fmt.Sprintf("The local %q is defined twice in one module, at %s and %s.", n, where(prev.Range), where(a.Range)),
						a.NameRange, prev.NameRange))
					continue
				}
				m.locals[n] = a
			}
		case "option":
			ob := readOptBlock(tb.header(), tb.body())
			if c.Cache != nil {
				m.noteOptVars(ob)
			}
			m.options = append(m.options, ob)
		case "config":
			b := tb.block()
			m.configs = append(m.configs, b)
			if c.Cache != nil {
				// Worth its memory only when the module is evaluated
				// again.
				m.indexBody(b.Body, true)
			}
		case "assert":
			m.asserts = append(m.asserts, tb.block())
		case "warn":
			m.warns = append(m.warns, tb.block())
		}
	}
	return m
}

// topBlock is a block of a module's top level, of either syntax.
type topBlock struct {
	hb *hcl.Block     // from Content
	nb *hclfast.Block // native syntax, read in place
}

func (t topBlock) typ() string {
	if t.nb != nil {
		return t.nb.Type
	}
	return t.hb.Type
}

func (t topBlock) body() hcl.Body {
	if t.nb != nil {
		return t.nb.Body
	}
	return t.hb.Body
}

// block is the block as Content returns it.
func (t topBlock) block() *hcl.Block {
	if t.nb != nil {
		return t.nb.AsHCLBlock()
	}
	return t.hb
}

// header is the header of an option block.
func (t topBlock) header() optHeader {
	if t.nb != nil {
		return nativeHeader(t.nb)
	}
	return headerOf(t.hb)
}

// labelCount is how many labels schema wants on a block of type typ, or
// -1 when it takes no such block.
func labelCount(schema *hcl.BodySchema, typ string) int {
	for _, b := range schema.Blocks {
		if b.Type == typ {
			return len(b.LabelNames)
		}
	}
	return -1
}

// fitsSchema reports whether Content(schema) has nothing to report on a
// native body: every attribute and block is one schema takes, blocks
// with as many labels as it wants, and no required attribute is missing.
func fitsSchema(b *hclfast.Body, schema *hcl.BodySchema) bool {
	for i := range b.Attributes {
		if !slices.ContainsFunc(schema.Attributes, func(s hcl.AttributeSchema) bool { return s.Name == b.Attributes[i].Name }) {
			return false
		}
	}
	for _, s := range schema.Attributes {
		if s.Required && b.Attribute(s.Name) == nil {
			return false
		}
	}
	for i := range b.Blocks {
		if labelCount(schema, b.Blocks[i].Type) != len(b.Blocks[i].Labels) {
			return false
		}
	}
	return true
}

// justAttributes is body.JustAttributes, reading a native body without
// blocks in place.
func justAttributes(body hcl.Body) (hcl.Attributes, hcl.Diagnostics) {
	nb, ok := body.(*hclfast.Body)
	if !ok || len(nb.Blocks) > 0 {
		return body.JustAttributes()
	}
	attrs := make(hcl.Attributes, len(nb.Attributes))
	for i := range nb.Attributes {
		attrs[nb.Attributes[i].Name] = nb.Attributes[i].AsHCLAttribute()
	}
	return attrs, nil
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// refs reads an imports or disabledModules attribute: a static list of
// strings.
func (c *Config) refs(m *module, a *hcl.Attribute) []modRef {
	exprs, diags := hcl.ExprList(a.Expr)
	if diags.HasErrors() {
		m.diags = append(m.diags, newDiag(summaryBadModule,
			fmt.Sprintf("%s must be a list of module names, written as strings.", a.Name), a.Expr.Range(), a.Range))
		return nil
	}
	var out []modRef
	for _, x := range exprs {
		v, diags := x.Value(nil)
		if diags.HasErrors() || v.Type() != cty.String || v.IsNull() || !v.IsKnown() {
			m.diags = append(m.diags, newDiag(summaryBadModule,
				fmt.Sprintf("Each entry of %s must be a literal string naming a module.", a.Name), x.Range(), a.Range))
			continue
		}
		l, why := c.resolve(m, v.AsString())
		out = append(out, modRef{loc: l, rng: x.Range(), attr: a.Range, err: why})
	}
	return out
}

// loaded is the result of the load phase.
type loaded struct {
	mods  []*module // definition order: reversed breadth-first order
	diags hcl.Diagnostics
}

// load reads the modules and everything they import, in parallel, then
// removes disabled modules and orders the rest (spec sections 1 and 2).
func (c *Config) load(ctx context.Context, names []string) loaded {
	var out loaded
	all := map[string]*module{}
	var roots []modRef
	var start []location
	queued := map[string]bool{}
	for _, n := range names {
		l, why := c.resolve(nil, n)
		if why != "" {
			out.diags = append(out.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summaryImport, Detail: why})
			continue
		}
		roots = append(roots, modRef{loc: l})
		if !queued[l.key] {
			queued[l.key] = true
			start = append(start, l)
		}
	}
	if !c.loadAll(ctx, start, queued, all) {
		out.diags = append(out.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summaryCancelled, Detail: ctx.Err().Error()})
		return out
	}
	disabled := map[string]bool{}
	for _, m := range all {
		for _, r := range m.disabled {
			if r.err == "" {
				disabled[r.loc.key] = true
			}
		}
	}
	// Breadth-first from the given modules, each once, skipping disabled
	// ones and what only they import.
	seen := map[string]bool{}
	var bfs []*module
	for _, r := range roots {
		if m := all[r.loc.key]; m != nil && !seen[m.key] && !disabled[m.key] {
			seen[m.key] = true
			bfs = append(bfs, m)
		}
	}
	for i := 0; i < len(bfs); i++ {
		m := bfs[i]
		out.diags = append(out.diags, m.diags...)
		for _, r := range m.imports {
			if r.err != "" {
				out.diags = append(out.diags, newDiag(summaryImport,
					fmt.Sprintf("Cannot import %s (imported at %s): %s.", r.rng.SliceBytes(m.src), where(r.attr), r.err), r.rng, r.attr))
				continue
			}
			if disabled[r.loc.key] || seen[r.loc.key] {
				continue
			}
			im := all[r.loc.key]
			if im.src == nil {
				out.diags = append(out.diags, newDiag(summaryImport,
					fmt.Sprintf("Cannot import %s (imported at %s): %s", r.loc.name, where(r.attr), firstDetail(im.diags)), r.rng, r.attr))
				seen[r.loc.key] = true
				continue
			}
			seen[r.loc.key] = true
			bfs = append(bfs, im)
		}
		for _, r := range m.disabled {
			if r.err != "" {
				out.diags = append(out.diags, newDiag(summaryImport,
					fmt.Sprintf("Cannot resolve disabled module %s: %s.", r.rng.SliceBytes(m.src), r.err), r.rng, r.attr))
			}
		}
	}
	out.mods = make([]*module, len(bfs))
	for i, m := range bfs {
		out.mods[len(bfs)-1-i] = m
	}
	return out
}

// loadAll loads the modules of start and everything they import into
// all, with a bounded pool of workers fed as imports are discovered, so a
// module is parsed as soon as the module importing it is. queued holds the
// keys already given to a worker. It reports false when ctx was done
// before every module was loaded.
func (c *Config) loadAll(ctx context.Context, start []location, queued map[string]bool, all map[string]*module) bool {
	workers := max(1, runtime.GOMAXPROCS(0))
	jobs := make(chan location)
	done := make(chan *module)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for l := range jobs {
				done <- c.loadOne(l)
			}
		}()
	}
	queue := start
	busy := 0
	stopped := false
	for busy > 0 || (len(queue) > 0 && !stopped) {
		var send chan location
		var next location
		if len(queue) > 0 && !stopped {
			send, next = jobs, queue[0]
		}
		select {
		case send <- next:
			queue = queue[1:]
			busy++
		case m := <-done:
			busy--
			all[m.key] = m
			for _, r := range m.imports {
				if r.err == "" && !queued[r.loc.key] {
					queued[r.loc.key] = true
					queue = append(queue, r.loc)
				}
			}
		case <-ctx.Done():
			stopped = true
			ctx = context.Background() // stop waiting on it; drain the workers
		}
	}
	close(jobs)
	wg.Wait()
	return !stopped
}

func firstDetail(ds hcl.Diagnostics) string {
	for _, d := range ds {
		if d.Detail != "" {
			return d.Detail
		}
		return d.Summary
	}
	return "unreadable"
}
