package merge

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Changes lists the options that differ between two results, sorted by
// path. An empty Changes means the two configurations are the same, option
// for option. It is read-only.
type Changes []*Change

// Change is one option that differs between two results: declared on one
// side only, or with different values (docs/module-format.md section 7.3).
// It is read-only.
//
// Old is nil for an option only the new result declares (an addition), New
// is nil for one only the old result declares (a removal); otherwise both
// are set and the values differ.
type Change struct {
	// Path is the option's path, or for an element of Parts the path of a
	// part of its value.
	Path Path
	// Old and New are the two sides.
	Old, New *Side
	// Parts are the places inside an object value (the keys of an
	// attrsOf, the attributes of a submodule) where the two values
	// differ, down to the first value that is not an object on both
	// sides. Nil when the option is on one side only, or when its value
	// is not an object on both sides. Parts have no Parts of their own.
	Parts []*Change
}

// Side is an option, or a part of its value, in one of the two results.
type Side struct {
	// Value is the value, cty.NilVal when there is none: an option that
	// has no definition and no default, or a key absent from this side.
	Value cty.Value
	// Definitions are every definition behind Value, with its place,
	// priority, order and status, as Explain gives them. For a part, they
	// are the part's own definitions when Explain knows the part's path
	// (an attribute of a submodule element), else the option's definitions
	// whose value defines the part (for a key of an attrsOf); nil when
	// none does, as for a key that only the other side has.
	Definitions []*Definition
	// Diagnostics say why Value or Definitions could not be computed; no
	// errors when they were.
	Diagnostics hcl.Diagnostics
}

// Diff compares two evaluated configurations, option by option: the
// options declared on one side only, and the options whose values differ.
// Values are compared as values: a definition that moved to another file
// or changed priority without changing the value is not a change. An
// option whose value cannot be computed on a side is compared as having no
// value there, and that Side carries the diagnostics.
//
// Diff reads both results but never changes them; it panics if either is
// nil.
func Diff(a, b *Result) Changes {
	if a == nil || b == nil {
		panic("merge: Diff of a nil *Result; consider checking the diagnostics of Eval, which returns nil on errors")
	}
	ao, bo := diffTopOptions(a), diffTopOptions(b)
	keys := make([]string, 0, len(ao)+len(bo))
	for k := range ao {
		keys = append(keys, k)
	}
	for k := range bo {
		if _, ok := ao[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var cs Changes
	for _, k := range keys {
		oa, inA := ao[k]
		ob, inB := bo[k]
		switch {
		case !inA:
			cs = append(cs, &Change{Path: ob.Path, New: diffSide(b, ob.Path)})
		case !inB:
			cs = append(cs, &Change{Path: oa.Path, Old: diffSide(a, oa.Path)})
		default:
			if c := diffOption(a, b, oa.Path); c != nil {
				cs = append(cs, c)
			}
		}
	}
	return cs
}

// diffTopOptions returns the options of r that are not options of a submodule,
// by printed path: those with no other option as a proper prefix.
func diffTopOptions(r *Result) map[string]*Option {
	all := r.Options()
	isOpt := make(map[string]bool, len(all))
	for _, o := range all {
		isOpt[o.Path.String()] = true
	}
	top := make(map[string]*Option, len(all))
	for _, o := range all {
		nested := false
		for n := 1; n < len(o.Path) && !nested; n++ {
			nested = isOpt[o.Path[:n].String()]
		}
		if !nested {
			top[o.Path.String()] = o
		}
	}
	return top
}

// diffSide gets the value at p in r and the definitions behind it.
func diffSide(r *Result, p Path) *Side {
	s := &Side{}
	v, diags := r.Get(p.String())
	s.Diagnostics = append(s.Diagnostics, diags...)
	if !diags.HasErrors() {
		s.Value = v
	}
	x, diags := r.Explain(p.String())
	if diags.HasErrors() || x == nil {
		s.Diagnostics = append(s.Diagnostics, diags...)
	} else {
		s.Definitions = x.Definitions
	}
	return s
}

// diffOption compares option p of a and b and returns its Change, or nil
// when the values are the same.
func diffOption(a, b *Result, p Path) *Change {
	va, da := a.Get(p.String())
	vb, db := b.Get(p.String())
	if da.HasErrors() {
		va = cty.NilVal
	}
	if db.HasErrors() {
		vb = cty.NilVal
	}
	if diffSame(va, vb) {
		return nil
	}
	c := &Change{Path: p, Old: diffSide(a, p), New: diffSide(b, p)}
	if diffIsObject(va) && diffIsObject(vb) {
		var parts []Path
		diffParts(va, vb, p, &parts)
		for _, pp := range parts {
			c.Parts = append(c.Parts, &Change{
				Path: pp,
				Old:  diffPartSide(a, pp, len(p), c.Old.Definitions),
				New:  diffPartSide(b, pp, len(p), c.New.Definitions),
			})
		}
	}
	return c
}

// diffPartSide is diffSide for a part p of the value of the option whose
// path is p[:n] and whose definitions are defs. The part's own definitions
// come from Explain when it knows p (an attribute of a submodule element);
// otherwise they are those of defs whose value reaches down to p (for a key
// of an attrsOf, the definitions that define that key).
func diffPartSide(r *Result, p Path, n int, defs []*Definition) *Side {
	s := &Side{}
	if v, diags := r.Get(p.String()); !diags.HasErrors() {
		s.Value = v
	}
	if x, diags := r.Explain(p.String()); !diags.HasErrors() && x != nil {
		s.Definitions = x.Definitions
		return s
	}
	for _, d := range defs {
		v := d.Value
		for _, k := range p[n:] {
			v = diffGet(v, k)
		}
		if v != cty.NilVal {
			s.Definitions = append(s.Definitions, d)
		}
	}
	return s
}

// diffParts appends to out the paths below p where objects a and b differ,
// descending while both sides are objects.
func diffParts(a, b cty.Value, p Path, out *[]Path) {
	keys := map[string]bool{}
	for _, k := range diffKeys(a) {
		keys[k] = true
	}
	for _, k := range diffKeys(b) {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		ea, eb := diffGet(a, k), diffGet(b, k)
		if diffSame(ea, eb) {
			continue
		}
		if diffIsObject(ea) && diffIsObject(eb) {
			diffParts(ea, eb, p.child(k), out)
			continue
		}
		*out = append(*out, p.child(k))
	}
}

func diffIsObject(v cty.Value) bool {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() {
		return false
	}
	t := v.Type()
	return t.IsObjectType() || t.IsMapType()
}

// diffKeys returns the keys of an object or map value.
func diffKeys(v cty.Value) []string {
	if !diffIsObject(v) {
		return nil
	}
	v, _ = v.Unmark()
	var ks []string
	for it := v.ElementIterator(); it.Next(); {
		k, _ := it.Element()
		ks = append(ks, k.AsString())
	}
	return ks
}

// diffGet returns key k of an object or map, cty.NilVal when absent.
func diffGet(v cty.Value, k string) cty.Value {
	if !diffIsObject(v) {
		return cty.NilVal
	}
	v, _ = v.Unmark()
	if v.Type().IsObjectType() {
		if !v.Type().HasAttribute(k) {
			return cty.NilVal
		}
		return v.GetAttr(k)
	}
	if !v.HasIndex(cty.StringVal(k)).True() {
		return cty.NilVal
	}
	return v.Index(cty.StringVal(k))
}

// diffSame compares values as the module format sees them: a list equals
// a tuple with the same elements, an object a map with the same keys and
// values, numbers by value; marks are ignored.
func diffSame(a, b cty.Value) bool {
	if a == cty.NilVal || b == cty.NilVal {
		return a == cty.NilVal && b == cty.NilVal
	}
	a, _ = a.Unmark()
	b, _ = b.Unmark()
	if !a.IsKnown() || !b.IsKnown() {
		return a.RawEquals(b)
	}
	if a.IsNull() || b.IsNull() {
		return a.IsNull() && b.IsNull()
	}
	ta, tb := a.Type(), b.Type()
	switch {
	case ta == cty.String && tb == cty.String:
		return a.AsString() == b.AsString()
	case ta == cty.Number && tb == cty.Number:
		return a.AsBigFloat().Cmp(b.AsBigFloat()) == 0
	case ta == cty.Bool && tb == cty.Bool:
		return a.True() == b.True()
	case diffIsObject(a) && diffIsObject(b):
		ka, kb := diffKeys(a), diffKeys(b)
		if len(ka) != len(kb) {
			return false
		}
		for _, k := range ka {
			if !diffSame(diffGet(a, k), diffGet(b, k)) {
				return false
			}
		}
		return true
	case diffIsList(ta) && diffIsList(tb):
		if a.LengthInt() != b.LengthInt() {
			return false
		}
		ea, eb := a.AsValueSlice(), b.AsValueSlice()
		for i := range ea {
			if !diffSame(ea[i], eb[i]) {
				return false
			}
		}
		return true
	}
	return a.RawEquals(b)
}

func diffIsList(t cty.Type) bool { return t.IsListType() || t.IsTupleType() || t.IsSetType() }

// String renders the changes for people, as WriteTo does.
func (cs Changes) String() string {
	var b strings.Builder
	cs.WriteTo(&b)
	return b.String()
}

// WriteTo writes the changes for people: one entry per option, marked "+"
// (added), "-" (removed) or "~" (changed), with the values and, under
// "old:" and "new:", the definitions behind each side with their places,
// priorities and status. A side with many definitions (a list every module
// adds to) shows only those that differ from the other side's. Nothing is
// written when there are no changes. Do not depend on this output being
// stable; use the fields of Change.
func (cs Changes) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	for _, c := range cs {
		switch {
		case c.Old == nil:
			fmt.Fprintf(&b, "+ %s = %s\n", c.Path, showValue(c.New.Value))
			diffWriteSide(&b, "    ", "new", c.New, nil)
		case c.New == nil:
			fmt.Fprintf(&b, "- %s = %s\n", c.Path, showValue(c.Old.Value))
			diffWriteSide(&b, "    ", "old", c.Old, nil)
		case len(c.Parts) == 0:
			fmt.Fprintf(&b, "~ %s: %s -> %s\n", c.Path, showValue(c.Old.Value), showValue(c.New.Value))
			diffWriteSide(&b, "    ", "old", c.Old, c.New)
			diffWriteSide(&b, "    ", "new", c.New, c.Old)
		default:
			fmt.Fprintf(&b, "~ %s\n", c.Path)
			for _, p := range c.Parts {
				fmt.Fprintf(&b, "    ~ %s: %s -> %s\n", p.Path, showValue(p.Old.Value), showValue(p.New.Value))
				if len(p.Old.Definitions) > 0 || len(p.New.Definitions) > 0 {
					diffWriteSide(&b, "        ", "old", p.Old, p.New)
					diffWriteSide(&b, "        ", "new", p.New, p.Old)
				}
			}
			if !diffPartsExplained(c.Parts) {
				// Some part has no definitions of its own (a key
				// of an attrsOf): show the option's.
				diffWriteSide(&b, "    ", "old "+c.Path.String(), c.Old, c.New)
				diffWriteSide(&b, "    ", "new "+c.Path.String(), c.New, c.Old)
			}
		}
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// diffPartsExplained reports whether every part carries its own definitions,
// so the option's are not needed.
func diffPartsExplained(ps []*Change) bool {
	for _, p := range ps {
		if len(p.Old.Definitions) == 0 && len(p.New.Definitions) == 0 {
			return false
		}
	}
	return true
}

// diffMaxShown is how many definitions a side lists in full. A side with
// more (a list that every module adds to) lists only the definitions that
// are not the same on the other side.
const diffMaxShown = 8

// diffWriteSide writes the definitions of side s, one per line, or the
// reason there are none. other is the other side of the change, nil when
// there is none. A side with more than diffMaxShown definitions leaves out
// those that are the same on the other side (same place, priority, kind of
// status and value), then shows merged definitions before the others.
func diffWriteSide(b *strings.Builder, indent, label string, s, other *Side) {
	fmt.Fprintf(b, "%s%s:", indent, label)
	if len(s.Definitions) == 0 {
		if s.Diagnostics.HasErrors() {
			fmt.Fprintf(b, " %s\n", diffFirstError(s.Diagnostics))
		} else {
			b.WriteString(" no definitions\n")
		}
		return
	}
	b.WriteByte('\n')
	defs := s.Definitions
	same := 0
	if len(defs) > diffMaxShown && other != nil {
		inOther := map[string]bool{}
		for _, d := range other.Definitions {
			inOther[diffDefKey(d)] = true
		}
		var differ []*Definition
		for _, d := range defs {
			if !inOther[diffDefKey(d)] {
				differ = append(differ, d)
			}
		}
		same = len(defs) - len(differ)
		defs = differ
	}
	more := 0
	if len(defs) > diffMaxShown {
		keep := map[*Definition]bool{}
		for _, merged := range []bool{true, false} {
			for _, d := range defs {
				if _, ok := d.Status.(Merged); ok == merged && len(keep) < diffMaxShown {
					keep[d] = true
				}
			}
		}
		var kept []*Definition
		for _, d := range defs {
			if keep[d] {
				kept = append(kept, d)
			}
		}
		more = len(defs) - len(kept)
		defs = kept
	}
	for _, d := range defs {
		fmt.Fprintf(b, "%s  %s\n", indent, diffDefLine(d))
	}
	if same > 0 {
		fmt.Fprintf(b, "%s  ... and %d definitions the same on both sides\n", indent, same)
	}
	if more > 0 {
		fmt.Fprintf(b, "%s  ... and %d more definitions\n", indent, more)
	}
}

// diffDefLine renders a definition on one line: place, priority, status
// and value.
func diffDefLine(d *Definition) string {
	what := "priority " + d.Priority.String()
	if d.Default {
		what = "option default"
	}
	val := ""
	if d.Value != cty.NilVal {
		val = " = " + showValue(d.Value)
	}
	status := "merged"
	if d.Status != nil {
		status = d.Status.String()
	}
	return fmt.Sprintf("%s: %s, %s%s", where(d.Range), what, status, val)
}

// diffDefKey identifies a definition across the two sides: its place,
// priority, kind of status and value. The status's own text is left out,
// since it names the winner's place, which may be in a renamed file.
func diffDefKey(d *Definition) string {
	kind := fmt.Sprintf("%T", d.Status)
	val := ""
	if d.Value != cty.NilVal {
		val = showValue(d.Value)
	}
	return fmt.Sprintf("%s %d %t %s %s", where(d.Range), d.Priority, d.Default, kind, val)
}

// diffFirstError returns the summary and detail of the first error.
func diffFirstError(ds hcl.Diagnostics) string {
	for _, d := range ds {
		if d.Severity == hcl.DiagError {
			if d.Detail != "" {
				return d.Summary + ": " + d.Detail
			}
			return d.Summary
		}
	}
	return ""
}

// MarshalJSON returns the changes as a JSON array for tools, in the order
// of cs. Each change is an object with "path" (as error messages print
// it), "kind" ("added", "removed" or "changed"), "old" and "new" (absent
// for the side that does not declare the option) and "parts". A side has
// "value" (absent when there is none) and "definitions", each with "file",
// "line", "priority", "order", "default", "status" ("merged", "shadowed"
// or "dropped"), "value" when it was evaluated, and for a shadowed one
// "shadowedBy" ("FILE:LINE").
func (cs Changes) MarshalJSON() ([]byte, error) {
	out := make([]diffJSONChange, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.toJSON())
	}
	return json.Marshal(out)
}

type diffJSONChange struct {
	Path  string           `json:"path"`
	Kind  string           `json:"kind"`
	Old   *diffJSONSide    `json:"old,omitempty"`
	New   *diffJSONSide    `json:"new,omitempty"`
	Parts []diffJSONChange `json:"parts,omitempty"`
}

type diffJSONSide struct {
	Value       json.RawMessage `json:"value,omitempty"`
	Definitions []diffJSONDef   `json:"definitions"`
}

type diffJSONDef struct {
	File       string          `json:"file"`
	Line       int             `json:"line"`
	Priority   int             `json:"priority"`
	Order      int             `json:"order"`
	Default    bool            `json:"default"`
	Status     string          `json:"status"`
	ShadowedBy string          `json:"shadowedBy,omitempty"`
	Value      json.RawMessage `json:"value,omitempty"`
}

func (c *Change) toJSON() diffJSONChange {
	j := diffJSONChange{Path: c.Path.String(), Kind: "changed", Old: c.Old.toJSON(), New: c.New.toJSON()}
	switch {
	case c.Old == nil:
		j.Kind = "added"
	case c.New == nil:
		j.Kind = "removed"
	}
	for _, p := range c.Parts {
		j.Parts = append(j.Parts, p.toJSON())
	}
	return j
}

func (s *Side) toJSON() *diffJSONSide {
	if s == nil {
		return nil
	}
	j := &diffJSONSide{Definitions: []diffJSONDef{}}
	if s.Value != cty.NilVal {
		j.Value = appendJSONValue(nil, s.Value, false)
	}
	for _, d := range s.Definitions {
		jd := diffJSONDef{
			File:     d.Range.Filename,
			Line:     d.Range.Start.Line,
			Priority: int(d.Priority),
			Order:    int(d.Order),
			Default:  d.Default,
			Status:   "merged",
		}
		switch st := d.Status.(type) {
		case Shadowed:
			jd.Status, jd.ShadowedBy = "shadowed", where(st.By)
		case Dropped:
			jd.Status = "dropped"
		}
		if d.Value != cty.NilVal {
			jd.Value = appendJSONValue(nil, d.Value, false)
		}
		j.Definitions = append(j.Definitions, jd)
	}
	return j
}
