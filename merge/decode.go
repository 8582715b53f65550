package merge

import (
	"encoding"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Summaries of the diagnostics of Decode and DecodeStrict.
const (
	summaryDecode       = "Cannot decode option value"
	summaryUnknownField = "No field for attribute"
)

// Decode stores the value at path (an option, a namespace or a part of a
// value, as for Get) in the Go value target points to. Decoding follows
// docs/module-format.md section 7.2: a struct field takes the attribute
// named by its `cty:"name"` tag, else its `json:"name"` tag, else its Go
// name (exactly, then ignoring case); values are never converted, so a
// number does not decode into a string; a null stores the zero value;
// attributes that no field takes are ignored (DecodeStrict reports them).
//
// Every value that cannot be stored is one diagnostic, whose Detail names
// the full option path and whose Subject is the definition that gave the
// value, so a whole struct's mismatches are reported in one call. What
// could be stored is stored even when errors come back. Decode panics if
// target is not a non-nil pointer: that is a bug in the calling code.
func (r *Result) Decode(path string, target any) hcl.Diagnostics {
	return r.decode(path, target, false)
}

// DecodeStrict is Decode, except that an object attribute with no struct
// field to take it is an error naming the attribute's path and the
// fields the struct has. Maps take every key, so only structs are strict.
func (r *Result) DecodeStrict(path string, target any) hcl.Diagnostics {
	return r.decode(path, target, true)
}

func (r *Result) decode(path string, target any, strict bool) hcl.Diagnostics {
	rv := reflect.ValueOf(target)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		panic(fmt.Sprintf("merge: Decode target must be a non-nil pointer, not %T; consider passing &v", target))
	}
	base, err := ParsePath(path)
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summaryNoSuchPath, Detail: err.Error()}}
	}
	v, diags := r.Get(path)
	if diags.HasErrors() {
		return diags
	}
	d := &decoder{strict: strict}
	d.decode(v, rv.Elem(), nil)
	for _, e := range d.errs {
		diags = append(diags, r.decodeDiag(base, e, strict))
	}
	return sortDiags(diags)
}

// decodeDiag turns one decoding problem into a diagnostic placed at the
// definitions behind the value: those of the longest prefix of its path
// that Explain knows (a submodule attribute, else the option).
func (r *Result) decodeDiag(base Path, e decodeError, strict bool) *hcl.Diagnostic {
	full := base.child()
	rest := ""
	for i, s := range e.path {
		switch s := s.(type) {
		case cty.GetAttrStep:
			full = append(full, s.Name)
		case cty.IndexStep:
			if s.Key.Type() == cty.String {
				full = append(full, s.Key.AsString())
				continue
			}
			// Paths do not step into lists; the rest is written
			// [i] (docs/module-format.md section 9, decision 7).
			rest = decIndexSuffix(e.path[i:])
		}
		if rest != "" {
			break
		}
	}
	shown := full.String() + rest
	if shown == "" {
		shown = "the whole configuration"
	}
	summary, detail := summaryDecode, fmt.Sprintf("Cannot decode the value of %s: %s.", shown, e.msg)
	if strict && e.unknownField {
		summary = summaryUnknownField
		detail = fmt.Sprintf("The configuration sets %s, but %s. Add a field for it, or use Decode, which ignores attributes with no field.", shown, e.msg)
	}
	return newDiag(summary, detail, r.decodePlaces(full)...)
}

// decodePlaces returns the places of the merged definitions of the
// longest prefix of p that Explain can explain; below that prefix (a key
// of an attrsOf), only those whose value defines the rest of p, when any
// does. With no merged definition, the declarations stand in.
func (r *Result) decodePlaces(p Path) []hcl.Range {
	for n := len(p); n > 0; n-- {
		x, diags := r.Explain(p[:n].String())
		if diags.HasErrors() || x == nil {
			continue
		}
		var all, reaching []hcl.Range
		for _, d := range x.Definitions {
			if _, ok := d.Status.(Merged); !ok {
				continue
			}
			all = append(all, d.Range)
			v := d.Value
			for _, k := range p[n:] {
				v = diffGet(v, k)
			}
			if v != cty.NilVal {
				reaching = append(reaching, d.Range)
			}
		}
		switch {
		case len(reaching) > 0:
			return reaching
		case len(all) > 0:
			return all
		}
		return append([]hcl.Range(nil), x.Declarations...)
	}
	return nil
}

// decIndexSuffix writes the steps of a path from its first list index on,
// as [2].name or [0]."a b".
func decIndexSuffix(steps cty.Path) string {
	var b strings.Builder
	for _, s := range steps {
		switch s := s.(type) {
		case cty.GetAttrStep:
			b.WriteString("." + quoteSegment(s.Name))
		case cty.IndexStep:
			if s.Key.Type() == cty.String {
				b.WriteString("." + quoteSegment(s.Key.AsString()))
			} else {
				b.WriteString("[" + s.Key.AsBigFloat().Text('f', -1) + "]")
			}
		}
	}
	return b.String()
}

// decodeError is one value that could not be stored, with the path from
// the decoded value down to it.
type decodeError struct {
	path         cty.Path
	msg          string
	unknownField bool // an attribute no struct field takes (DecodeStrict)
}

// decoder turns a cty.Value into a Go value by reflection. It collects
// every problem instead of stopping at the first, so one Decode reports
// every mismatch between a configuration and a struct.
type decoder struct {
	strict bool
	errs   []decodeError
}

var (
	decCtyValueType    = reflect.TypeFor[cty.Value]()
	decTextUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func (d *decoder) fail(p cty.Path, format string, args ...any) {
	d.errs = append(d.errs, decodeError{path: p.Copy(), msg: fmt.Sprintf(format, args...)})
}

// decode stores v in dst, which must be settable.
func (d *decoder) decode(v cty.Value, dst reflect.Value, p cty.Path) {
	if dst.Type() == decCtyValueType {
		dst.Set(reflect.ValueOf(v))
		return
	}
	v, _ = v.Unmark()
	if !v.IsKnown() {
		d.fail(p, "the value is not known")
		return
	}
	if v.IsNull() {
		// A null leaves nothing behind: nil for pointers, slices, maps
		// and interfaces, the zero value for the rest.
		dst.Set(reflect.Zero(dst.Type()))
		return
	}
	if dst.Kind() == reflect.Pointer {
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		d.decode(v, dst.Elem(), p)
		return
	}
	if v.Type() == cty.String && dst.CanAddr() && dst.Addr().Type().Implements(decTextUnmarshaler) {
		u := dst.Addr().Interface().(encoding.TextUnmarshaler)
		if err := u.UnmarshalText([]byte(v.AsString())); err != nil {
			d.fail(p, "%q is not a valid %s: %v", v.AsString(), dst.Type(), err)
		}
		return
	}
	switch dst.Kind() {
	case reflect.Interface:
		if dst.NumMethod() != 0 {
			d.fail(p, "cannot decode into %s, an interface with methods; use a concrete type, any, or cty.Value", dst.Type())
			return
		}
		g, ok := d.natural(v, p)
		if ok {
			if g == nil {
				dst.Set(reflect.Zero(dst.Type()))
			} else {
				dst.Set(reflect.ValueOf(g))
			}
		}
	case reflect.String:
		if v.Type() != cty.String {
			d.mismatch(v, dst, p)
			return
		}
		dst.SetString(v.AsString())
	case reflect.Bool:
		if v.Type() != cty.Bool {
			d.mismatch(v, dst, p)
			return
		}
		dst.SetBool(v.True())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.Type() != cty.Number {
			d.mismatch(v, dst, p)
			return
		}
		bf := v.AsBigFloat()
		i, acc := bf.Int64()
		if acc != big.Exact || !bf.IsInt() || dst.OverflowInt(i) {
			d.fail(p, "%s does not fit in %s", bf.Text('g', -1), dst.Type())
			return
		}
		dst.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if v.Type() != cty.Number {
			d.mismatch(v, dst, p)
			return
		}
		bf := v.AsBigFloat()
		u, acc := bf.Uint64()
		if acc != big.Exact || !bf.IsInt() || dst.OverflowUint(u) {
			d.fail(p, "%s does not fit in %s", bf.Text('g', -1), dst.Type())
			return
		}
		dst.SetUint(u)
	case reflect.Float32, reflect.Float64:
		if v.Type() != cty.Number {
			d.mismatch(v, dst, p)
			return
		}
		f, _ := v.AsBigFloat().Float64()
		if dst.OverflowFloat(f) || math.IsInf(f, 0) {
			d.fail(p, "%s does not fit in %s", v.AsBigFloat().Text('g', -1), dst.Type())
			return
		}
		dst.SetFloat(f)
	case reflect.Slice:
		if !decIsList(v.Type()) {
			d.mismatch(v, dst, p)
			return
		}
		n := v.LengthInt()
		s := reflect.MakeSlice(dst.Type(), n, n)
		d.elements(v, s, p)
		dst.Set(s)
	case reflect.Array:
		if !decIsList(v.Type()) {
			d.mismatch(v, dst, p)
			return
		}
		if n := v.LengthInt(); n != dst.Len() {
			d.fail(p, "a list of %d elements does not fit in %s", n, dst.Type())
			return
		}
		d.elements(v, dst, p)
	case reflect.Map:
		if !decIsObject(v.Type()) {
			d.mismatch(v, dst, p)
			return
		}
		d.mapping(v, dst, p)
	case reflect.Struct:
		if !decIsObject(v.Type()) {
			d.mismatch(v, dst, p)
			return
		}
		d.structure(v, dst, p)
	default:
		d.fail(p, "cannot decode into %s", dst.Type())
	}
}

func decIsList(t cty.Type) bool   { return t.IsListType() || t.IsTupleType() || t.IsSetType() }
func decIsObject(t cty.Type) bool { return t.IsObjectType() || t.IsMapType() }

func (d *decoder) mismatch(v cty.Value, dst reflect.Value, p cty.Path) {
	d.fail(p, "cannot decode %s into %s", decDescribe(v.Type()), dst.Type())
}

// decDescribe names a cty type in the words of the module format's types.
func decDescribe(t cty.Type) string {
	switch {
	case t == cty.String:
		return "a string"
	case t == cty.Number:
		return "a number"
	case t == cty.Bool:
		return "a bool"
	case decIsList(t):
		return "a list"
	case decIsObject(t):
		return "an object"
	}
	return t.FriendlyName()
}

// elements decodes the elements of a list, tuple or set into the
// elements of dst, a slice or array of the right length.
func (d *decoder) elements(v cty.Value, dst reflect.Value, p cty.Path) {
	i := 0
	for it := v.ElementIterator(); it.Next(); i++ {
		_, ev := it.Element()
		d.decode(ev, dst.Index(i), append(p, cty.IndexStep{Key: cty.NumberIntVal(int64(i))}))
	}
}

// mapping decodes an object or map into a Go map.
func (d *decoder) mapping(v cty.Value, dst reflect.Value, p cty.Path) {
	mt := dst.Type()
	kt := mt.Key()
	textKey := reflect.PointerTo(kt).Implements(decTextUnmarshaler)
	if kt.Kind() != reflect.String && !textKey {
		d.fail(p, "cannot decode an object into %s: map keys must be strings", mt)
		return
	}
	m := reflect.MakeMapWithSize(mt, v.LengthInt())
	for _, k := range decKeys(v) {
		kp := append(p, cty.IndexStep{Key: cty.StringVal(k)})
		key := reflect.New(kt).Elem()
		if textKey {
			if err := key.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(k)); err != nil {
				d.fail(kp, "key %q is not a valid %s: %v", k, kt, err)
				continue
			}
		} else {
			key.SetString(k)
		}
		elem := reflect.New(mt.Elem()).Elem()
		d.decode(decIndex(v, k), elem, kp)
		m.SetMapIndex(key, elem)
	}
	dst.Set(m)
}

// decIndex returns the attribute or element k of an object or map.
func decIndex(v cty.Value, k string) cty.Value {
	if v.Type().IsObjectType() {
		return v.GetAttr(k)
	}
	return v.Index(cty.StringVal(k))
}

// decKeys returns the attribute names or keys of an object or map.
func decKeys(v cty.Value) []string {
	var keys []string
	if v.Type().IsObjectType() {
		for k := range v.Type().AttributeTypes() {
			keys = append(keys, k)
		}
	} else {
		for it := v.ElementIterator(); it.Next(); {
			k, _ := it.Element()
			keys = append(keys, k.AsString())
		}
	}
	sort.Strings(keys)
	return keys
}

// decField is one struct field that can receive an attribute.
type decField struct {
	name  string // the attribute name it takes
	index []int  // for reflect's FieldByIndex
}

// decFields lists the struct fields of t that take attributes: exported,
// not tagged "-", and the promoted fields of embedded structs.
func decFields(t reflect.Type) []decField {
	var fs []decField
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() {
			continue
		}
		name, tagged := decTagName(f)
		if name == "-" {
			continue
		}
		if f.Anonymous && !tagged {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				continue // its fields are promoted and listed on their own
			}
		}
		fs = append(fs, decField{name: name, index: f.Index})
	}
	return fs
}

// decTagName returns the attribute name of a field: its cty tag, else its
// json tag, else its Go name. The second result says whether a tag gave
// the name.
func decTagName(f reflect.StructField) (string, bool) {
	for _, key := range []string{"cty", "json"} {
		tag, ok := f.Tag.Lookup(key)
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name != "" {
			return name, true
		}
	}
	return f.Name, false
}

// decLookup finds the field for attribute name: an exact match first, then a
// match ignoring case, as encoding/json does.
func decLookup(fs []decField, name string) (decField, bool) {
	for _, f := range fs {
		if f.name == name {
			return f, true
		}
	}
	for _, f := range fs {
		if strings.EqualFold(f.name, name) {
			return f, true
		}
	}
	return decField{}, false
}

// structure decodes an object or map into a struct.
func (d *decoder) structure(v cty.Value, dst reflect.Value, p cty.Path) {
	fs := decFields(dst.Type())
	for _, k := range decKeys(v) {
		kp := append(p, cty.GetAttrStep{Name: k})
		if !v.Type().IsObjectType() {
			kp = append(p, cty.IndexStep{Key: cty.StringVal(k)})
		}
		f, ok := decLookup(fs, k)
		if !ok {
			if d.strict {
				names := make([]string, len(fs))
				for i, f := range fs {
					names[i] = f.name
				}
				sort.Strings(names)
				d.fail(kp, "%s has no field for %q (its fields take %s)", dst.Type(), k, decQuoteList(names))
				d.errs[len(d.errs)-1].unknownField = true
			}
			continue
		}
		fv, ok := decFieldByIndex(dst, f.index)
		if !ok {
			d.fail(kp, "cannot set %q: it is promoted through an unexported embedded pointer in %s", k, dst.Type())
			continue
		}
		d.decode(decIndex(v, k), fv, kp)
	}
}

// decFieldByIndex is reflect.Value.FieldByIndex that allocates the embedded
// pointers it goes through.
func decFieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

func decQuoteList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// natural returns v as the Go value an interface{} receives: string, bool,
// int for whole numbers that fit, float64 for other numbers, []any for
// lists and map[string]any for objects.
func (d *decoder) natural(v cty.Value, p cty.Path) (any, bool) {
	v, _ = v.Unmark()
	if !v.IsKnown() {
		d.fail(p, "the value is not known")
		return nil, false
	}
	if v.IsNull() {
		return nil, true
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString(), true
	case t == cty.Bool:
		return v.True(), true
	case t == cty.Number:
		bf := v.AsBigFloat()
		if bf.IsInt() {
			if i, acc := bf.Int64(); acc == big.Exact && i >= math.MinInt && i <= math.MaxInt {
				return int(i), true
			}
		}
		f, _ := bf.Float64()
		return f, true
	case decIsList(t):
		out := make([]any, 0, v.LengthInt())
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, ev := it.Element()
			g, ok := d.natural(ev, append(p, cty.IndexStep{Key: cty.NumberIntVal(int64(i))}))
			if !ok {
				return nil, false
			}
			out = append(out, g)
		}
		return out, true
	case decIsObject(t):
		out := make(map[string]any, v.LengthInt())
		for _, k := range decKeys(v) {
			g, ok := d.natural(decIndex(v, k), append(p, cty.IndexStep{Key: cty.StringVal(k)}))
			if !ok {
				return nil, false
			}
			out[k] = g
		}
		return out, true
	}
	d.fail(p, "cannot decode %s into an interface", t.FriendlyName())
	return nil, false
}
