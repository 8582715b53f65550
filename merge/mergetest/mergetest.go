package mergetest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/merge"
)

func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files of mergetest.Golden")
	}
}

// updating reports whether the test binary runs with -update.
func updating() bool {
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	b, _ := g.Get().(bool)
	return b
}

// Eval evaluates the modules with c (nil means a zero merge.Config: the
// operating system's files) and returns the result. When the evaluation
// has errors it stops the test with t.Fatalf, showing every diagnostic
// with its source line.
func Eval(t testing.TB, c *merge.Config, modules ...string) *merge.Result {
	t.Helper()
	if c == nil {
		c = &merge.Config{}
	}
	r, diags := c.Eval(modules...)
	if diags.HasErrors() {
		t.Fatalf("evaluating %s:\n%s", strings.Join(modules, " "), Render(c, diags))
	}
	return r
}

// EvalErrors evaluates the modules with c (nil means a zero merge.Config)
// and returns the diagnostics, for a test of a configuration that must
// fail. It fails the test with t.Errorf when the evaluation succeeds.
func EvalErrors(t testing.TB, c *merge.Config, modules ...string) hcl.Diagnostics {
	t.Helper()
	if c == nil {
		c = &merge.Config{}
	}
	_, diags := c.Eval(modules...)
	if !diags.HasErrors() {
		t.Errorf("evaluating %s: got no errors, want some", strings.Join(modules, " "))
	}
	return diags
}

// Render returns diagnostics as the strata command shows them: each with
// its place, summary and detail, and the source lines it points at when
// they can be read from c.FS or c.Roots (or, when c or c.FS is nil, from
// the operating system). c may be nil.
func Render(c *merge.Config, diags hcl.Diagnostics) string {
	files := map[string]*hcl.File{}
	for _, d := range diags {
		if d.Subject == nil {
			continue
		}
		name := d.Subject.Filename
		if _, done := files[name]; done {
			continue
		}
		files[name] = nil
		if src, ok := source(c, name); ok {
			// The writer needs only the bytes, whatever the syntax.
			files[name] = &hcl.File{Bytes: src}
		}
	}
	for name, f := range files {
		if f == nil {
			delete(files, name)
		}
	}
	var b bytes.Buffer
	w := hcl.NewDiagnosticTextWriter(&b, files, 100, false)
	if err := w.WriteDiagnostics(diags); err != nil {
		return diags.Error()
	}
	return strings.TrimRight(b.String(), "\n")
}

// source reads a file named in a diagnostic: from c.FS, or from a search
// root when the name is written <root/path> or root/path.
func source(c *merge.Config, name string) ([]byte, bool) {
	if c != nil && c.FS != nil {
		if b, err := fs.ReadFile(c.FS, name); err == nil {
			return b, true
		}
	}
	if c != nil {
		trimmed := strings.TrimSuffix(strings.TrimPrefix(name, "<"), ">")
		if root, rest, ok := strings.Cut(trimmed, "/"); ok {
			if fsys := c.Roots[root]; fsys != nil {
				if b, err := fs.ReadFile(fsys, rest); err == nil {
					return b, true
				}
			}
		}
	}
	if c == nil || c.FS == nil {
		if b, err := os.ReadFile(name); err == nil {
			return b, true
		}
	}
	return nil, false
}

// Value checks the value at path against want, reporting a mismatch with
// t.Errorf as a go-cmp diff (-want +got). When want is a cty.Value, it is
// compared with the result's value as is (through [Cty]); otherwise the
// value at path is decoded, strictly, into a new value of want's type with
// merge.Result.DecodeStrict and compared with cmp.Diff, with opts and [Cty]
// as options.
func Value(t testing.TB, r *merge.Result, path string, want any, opts ...cmp.Option) {
	t.Helper()
	opts = append(opts, Cty())
	if w, ok := want.(cty.Value); ok {
		got, diags := r.Get(path)
		if diags.HasErrors() {
			t.Errorf("%s: %s", shownPath(path), diags.Error())
			return
		}
		if diff := cmp.Diff(w, got, opts...); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", shownPath(path), diff)
		}
		return
	}
	if want == nil {
		panic("mergetest: Value with a nil want; consider cty.NullVal(cty.DynamicPseudoType), or a typed nil such as (*string)(nil)")
	}
	p := reflect.New(reflect.TypeOf(want))
	if diags := r.DecodeStrict(path, p.Interface()); diags.HasErrors() {
		t.Errorf("%s: %s", shownPath(path), diags.Error())
		return
	}
	if diff := cmp.Diff(want, p.Elem().Interface(), opts...); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", shownPath(path), diff)
	}
}

func shownPath(path string) string {
	if path == "" {
		return "the whole configuration"
	}
	return path
}

// Merged checks where the value at path comes from: the places, written
// "FILE:LINE", of the definitions that were merged into it, in definition
// order, as merge.Result.Explain reports them. A mismatch is reported with
// t.Errorf as a go-cmp diff, with every definition and its status, so a test
// can pin down which module wins (an image profile's override over a host's
// setting, say).
func Merged(t testing.TB, r *merge.Result, path string, want ...string) {
	t.Helper()
	x, diags := r.Explain(path)
	if diags.HasErrors() {
		t.Errorf("%s: %s", shownPath(path), diags.Error())
		return
	}
	var got, all []string
	for _, d := range x.Definitions {
		place := fmt.Sprintf("%s:%d", d.Range.Filename, d.Range.Start.Line)
		all = append(all, fmt.Sprintf("%s %s %s", place, d.Priority, d.Status))
		if _, ok := d.Status.(merge.Merged); ok {
			got = append(got, place)
		}
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("merged definitions of %s (-want +got):\n%s\nevery definition:\n  %s", shownPath(path), diff, strings.Join(all, "\n  "))
	}
}

// Cty returns a go-cmp option that compares cty.Values by content and
// shows their differences element by element. Each value is compared as
// the plain Go value it stands for: null as nil, strings, bools, whole
// numbers as int64 and other numbers as float64 (or, beyond float64's
// precision, their exact decimal text), lists, tuples and sets as []any,
// objects and maps as map[string]any. So a list equals a tuple with the
// same elements, which matches how the module format merges them. Unknown
// values are shown as "(unknown)"; marks are ignored.
func Cty() cmp.Option {
	return cmp.Transformer("cty", plain)
}

// unknown stands for an unknown cty value in a comparison.
type unknown struct{ Type string }

// String returns "(unknown TYPE)".
func (u unknown) String() string { return "(unknown " + u.Type + ")" }

// plain converts a cty.Value to the Go value Cty compares.
func plain(v cty.Value) any {
	if v == cty.NilVal {
		return nil
	}
	v, _ = v.Unmark()
	if !v.IsKnown() {
		return unknown{Type: v.Type().FriendlyName()}
	}
	if v.IsNull() {
		return nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString()
	case t == cty.Bool:
		return v.True()
	case t == cty.Number:
		bf := v.AsBigFloat()
		if bf.IsInt() {
			if i, acc := bf.Int64(); acc == big.Exact {
				return i
			}
		}
		if f, acc := bf.Float64(); acc == big.Exact {
			return f
		}
		return bf.Text('g', -1)
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		out := make([]any, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, plain(e))
		}
		return out
	case t.IsObjectType() || t.IsMapType():
		out := make(map[string]any, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			out[k.AsString()] = plain(e)
		}
		return out
	}
	return v.GoString()
}

// Warnings checks that the warnings of r are exactly want, as messages,
// in any order; a mismatch is reported with t.Errorf as a go-cmp diff.
func Warnings(t testing.TB, r *merge.Result, want ...string) {
	t.Helper()
	var got []string
	for _, d := range r.Warnings() {
		got = append(got, message(d))
	}
	compareMessages(t, "warnings", want, got)
}

// FailedAssertions checks that diags, from an evaluation that failed (see
// [EvalErrors]), hold exactly the failed assertions whose messages are
// want, in any order, and reports a mismatch with t.Errorf. Errors that are
// not failed assertions are reported too: a configuration that fails for
// another reason fails the test.
func FailedAssertions(t testing.TB, diags hcl.Diagnostics, want ...string) {
	t.Helper()
	var got []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if d.Summary != assertionSummary {
			t.Errorf("an error that is not a failed assertion: %s", (hcl.Diagnostics{d}).Error())
			continue
		}
		got = append(got, message(d))
	}
	compareMessages(t, "failed assertions", want, got)
}

// assertionSummary is the Summary merge gives a failed assert block.
const assertionSummary = "Failed assertion"

// placeSuffix is the " (assert at FILE:LINE)" or " (warn at FILE:LINE)"
// that merge appends to the message of a block.
var placeSuffix = regexp.MustCompile(` \((assert|warn) at [^()]*\)$`)

// message returns the text a warn or assert block gave a diagnostic: its
// Detail without the place merge appends, or its Summary when the Detail
// is empty.
func message(d *hcl.Diagnostic) string {
	if d.Detail != "" {
		return placeSuffix.ReplaceAllString(d.Detail, "")
	}
	return d.Summary
}

func compareMessages(t testing.TB, what string, want, got []string) {
	t.Helper()
	want = append([]string(nil), want...)
	sort.Strings(want)
	sort.Strings(got)
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

// Golden compares the JSON of the value at path ("" for the whole
// configuration) with the file named file, relative to the test's
// directory (usually under testdata/). When the test runs with -update, it
// writes the file instead, creating its directory. A mismatch is reported
// with t.Errorf as a line diff; a file that cannot be read or written stops
// the test.
func Golden(t testing.TB, r *merge.Result, path, file string) {
	t.Helper()
	var got []byte
	if path == "" {
		b, err := r.MarshalJSON()
		if err != nil {
			t.Fatalf("the whole configuration: %v", err)
		}
		got = b
	} else {
		b, diags := r.JSON(path)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", path, diags.Error())
		}
		got = b
	}
	got = indent(got)
	if updating() {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from %s (-want +got):\n%s", shownPath(path), file,
			cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")))
	}
}

// indent returns JSON indented by two spaces with a final newline, so
// golden files diff well; input that is not JSON is returned as is.
func indent(b []byte) []byte {
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return b
	}
	out.WriteByte('\n')
	return out.Bytes()
}
