package mergetest_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/merge"
	"github.com/strata-build/strata/merge/mergetest"
)

// recorder is a testing.TB that keeps what a test would report instead of
// failing, so the tests of mergetest can check its reports and the
// examples can print them. Methods it does not define panic through the
// nil embedded TB.
type recorder struct {
	testing.TB
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
	r.fatal = true
}

func (r *recorder) Fatal(args ...any) {
	r.errors = append(r.errors, fmt.Sprint(args...))
	r.fatal = true
}

// firstLines returns the first line of each report: the go-cmp diffs
// below it are not stable text.
func (r *recorder) firstLines() []string {
	var out []string
	for _, e := range r.errors {
		first, _, _ := strings.Cut(e, "\n")
		out = append(out, first)
	}
	return out
}

const webModule = `option "services.web.enable" {
  type    = bool
  default = false
}
option "services.web.port" {
  type    = port
  default = 8080
}
option "services.web.hosts" {
  type    = listOf(str)
  default = []
}
config {
  services {
    web {
      enable = true
      hosts  = ["a.example", "b.example"]
    }
  }
}
warn {
  condition = config.services.web.port == 8080
  message   = "services.web.port is the default"
}
warn {
  condition = length(config.services.web.hosts) > 1
  message   = "more than one host"
}
`

const failingModule = `option "port" {
  type    = port
  default = 22
}
assert {
  condition = config.port != 22
  message   = "port must not be the SSH port"
}
assert {
  condition = config.port > 1024
  message   = "port must not be privileged"
}
assert {
  condition = true
  message   = "never shown"
}
`

func config() *merge.Config {
	return &merge.Config{FS: fstest.MapFS{
		"web.hcl":     {Data: []byte(webModule)},
		"failing.hcl": {Data: []byte(failingModule)},
		"broken.hcl":  {Data: []byte("config {\n  nope = 1\n}\n")},
	}}
}

func TestEval(t *testing.T) {
	tests := []struct {
		name      string
		module    string
		wantFatal string // "" when Eval must succeed
	}{
		{name: "success", module: "web.hcl"},
		{name: "undeclared option", module: "broken.hcl", wantFatal: "nope"},
		{name: "missing file", module: "absent.hcl", wantFatal: "absent.hcl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			r := mergetest.Eval(rec, config(), tc.module)
			if tc.wantFatal == "" {
				if rec.fatal || r == nil {
					t.Fatalf("Eval(%s) failed: %v", tc.module, rec.errors)
				}
				return
			}
			if !rec.fatal || len(rec.errors) != 1 || !strings.Contains(rec.errors[0], tc.wantFatal) {
				t.Fatalf("Eval(%s) reports %q, want one fatal report mentioning %q", tc.module, rec.errors, tc.wantFatal)
			}
		})
	}
}

func TestRender(t *testing.T) {
	diags := mergetest.EvalErrors(t, config(), "broken.hcl")
	tests := []struct {
		name   string
		config *merge.Config
		want   []string
		lacks  []string
	}{
		{
			name:   "with sources",
			config: config(),
			want:   []string{"Error: Option does not exist", "on broken.hcl line 2", "2:   nope = 1"},
		},
		{
			name:   "without sources",
			config: nil,
			want:   []string{"Error: Option does not exist", "on broken.hcl line 2"},
			lacks:  []string{"2:   nope = 1"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mergetest.Render(tc.config, diags)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.lacks {
				if strings.Contains(got, w) {
					t.Errorf("Render has %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestValue(t *testing.T) {
	r := mergetest.Eval(t, config(), "web.hcl")
	tests := []struct {
		name string
		path string
		want any
		ok   bool
	}{
		{name: "bool", path: "services.web.enable", want: true, ok: true},
		{name: "bool mismatch", path: "services.web.enable", want: false},
		{name: "port as int", path: "services.web.port", want: 8080, ok: true},
		{name: "list", path: "services.web.hosts", want: []string{"a.example", "b.example"}, ok: true},
		{name: "list mismatch", path: "services.web.hosts", want: []string{"a.example"}},
		{name: "struct", path: "services.web", want: struct {
			Enable bool     `cty:"enable"`
			Port   int      `cty:"port"`
			Hosts  []string `cty:"hosts"`
		}{true, 8080, []string{"a.example", "b.example"}}, ok: true},
		{name: "strict struct", path: "services.web", want: struct {
			Enable bool `cty:"enable"`
		}{true}},
		{name: "wrong type", path: "services.web.port", want: "8080"},
		{name: "cty value", path: "services.web.port", want: cty.NumberIntVal(8080), ok: true},
		{name: "cty tuple equals list", path: "services.web.hosts", want: cty.TupleVal([]cty.Value{cty.StringVal("a.example"), cty.StringVal("b.example")}), ok: true},
		{name: "cty mismatch", path: "services.web.port", want: cty.NumberIntVal(80)},
		{name: "no such path", path: "services.nope", want: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			mergetest.Value(rec, r, tc.path, tc.want)
			if tc.ok && len(rec.errors) > 0 {
				t.Errorf("Value(%s, %#v) reports %q, want nothing", tc.path, tc.want, rec.errors)
			}
			if !tc.ok && (len(rec.errors) != 1 || !strings.Contains(rec.errors[0], tc.path)) {
				t.Errorf("Value(%s, %#v) reports %q, want one report naming the path", tc.path, tc.want, rec.errors)
			}
		})
	}
}

func TestMerged(t *testing.T) {
	r := mergetest.Eval(t, config(), "web.hcl")
	tests := []struct {
		name string
		path string
		want []string
		ok   bool
	}{
		{name: "definition", path: "services.web.enable", want: []string{"web.hcl:16"}, ok: true},
		{name: "default", path: "services.web.port", want: []string{"web.hcl:7"}, ok: true},
		{name: "wrong place", path: "services.web.enable", want: []string{"web.hcl:2"}},
		{name: "no such option", path: "services.web.nope", want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			mergetest.Merged(rec, r, tc.path, tc.want...)
			if tc.ok != (len(rec.errors) == 0) {
				t.Errorf("Merged(%s, %q) reports %q, want ok=%v", tc.path, tc.want, rec.errors, tc.ok)
			}
		})
	}
}

func TestCty(t *testing.T) {
	list := cty.ListVal([]cty.Value{cty.StringVal("a")})
	tests := []struct {
		name string
		a, b cty.Value
		same bool
	}{
		{name: "equal strings", a: cty.StringVal("x"), b: cty.StringVal("x"), same: true},
		{name: "different strings", a: cty.StringVal("x"), b: cty.StringVal("y")},
		{name: "list and tuple", a: list, b: cty.TupleVal([]cty.Value{cty.StringVal("a")}), same: true},
		{name: "object and map", a: cty.ObjectVal(map[string]cty.Value{"k": cty.True}), b: cty.MapVal(map[string]cty.Value{"k": cty.True}), same: true},
		{name: "number precision", a: cty.NumberIntVal(1), b: cty.NumberFloatVal(1.0), same: true},
		{name: "numbers", a: cty.NumberFloatVal(1.5), b: cty.NumberFloatVal(2.5)},
		{name: "typed nulls", a: cty.NullVal(cty.String), b: cty.NullVal(cty.Number), same: true},
		{name: "null and value", a: cty.NullVal(cty.String), b: cty.StringVal("")},
		{name: "marks ignored", a: cty.StringVal("s").Mark("secret"), b: cty.StringVal("s"), same: true},
		{name: "unknown", a: cty.UnknownVal(cty.String), b: cty.StringVal("s")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			diff := cmp.Diff(tc.a, tc.b, mergetest.Cty())
			if tc.same && diff != "" {
				t.Errorf("cmp.Diff(%#v, %#v) = %s, want no difference", tc.a, tc.b, diff)
			}
			if !tc.same && diff == "" {
				t.Errorf("cmp.Diff(%#v, %#v) finds no difference", tc.a, tc.b)
			}
		})
	}
}

func TestWarnings(t *testing.T) {
	r := mergetest.Eval(t, config(), "web.hcl")
	tests := []struct {
		name string
		want []string
		ok   bool
	}{
		{name: "all, in any order", want: []string{"more than one host", "services.web.port is the default"}, ok: true},
		{name: "one missing", want: []string{"more than one host"}},
		{name: "one too many", want: []string{"more than one host", "services.web.port is the default", "other"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			mergetest.Warnings(rec, r, tc.want...)
			if tc.ok != (len(rec.errors) == 0) {
				t.Errorf("Warnings(%q) reports %q, want ok=%v", tc.want, rec.errors, tc.ok)
			}
		})
	}
}

func TestFailedAssertions(t *testing.T) {
	tests := []struct {
		name   string
		module string
		want   []string
		ok     bool
	}{
		{name: "both", module: "failing.hcl", want: []string{"port must not be the SSH port", "port must not be privileged"}, ok: true},
		{name: "only one expected", module: "failing.hcl", want: []string{"port must not be privileged"}},
		{name: "other errors", module: "broken.hcl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			diags := mergetest.EvalErrors(t, config(), tc.module)
			rec := &recorder{}
			mergetest.FailedAssertions(rec, diags, tc.want...)
			if tc.ok != (len(rec.errors) == 0) {
				t.Errorf("FailedAssertions(%q) reports %q, want ok=%v", tc.want, rec.errors, tc.ok)
			}
		})
	}
}

func TestEvalErrorsOnSuccess(t *testing.T) {
	rec := &recorder{}
	mergetest.EvalErrors(rec, config(), "web.hcl")
	if len(rec.errors) != 1 {
		t.Errorf("EvalErrors of a good configuration reports %q, want one report", rec.errors)
	}
}

func TestGolden(t *testing.T) {
	r := mergetest.Eval(t, config(), "web.hcl")
	file := filepath.Join(t.TempDir(), "sub", "web.json")
	setUpdate(t, true)
	mergetest.Golden(t, r, "services.web", file)
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"enable\": true,\n  \"hosts\": [\n    \"a.example\",\n    \"b.example\"\n  ],\n  \"port\": 8080\n}\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("golden file written with -update (-want +got):\n%s", diff)
	}

	setUpdate(t, false)
	rec := &recorder{}
	mergetest.Golden(rec, r, "services.web", file)
	if len(rec.errors) != 0 {
		t.Errorf("Golden against the file it wrote reports %q", rec.errors)
	}
	if err := os.WriteFile(file, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mergetest.Golden(rec, r, "services.web", file)
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "differs from") {
		t.Errorf("Golden against a stale file reports %q, want one difference", rec.errors)
	}
	rec = &recorder{}
	mergetest.Golden(rec, r, "services.web", filepath.Join(t.TempDir(), "absent.json"))
	if !rec.fatal || !strings.Contains(rec.errors[0], "-update") {
		t.Errorf("Golden against a missing file reports %q, want a fatal report suggesting -update", rec.errors)
	}
}

// setUpdate sets the -update flag for the rest of the test.
func setUpdate(t *testing.T, on bool) {
	t.Helper()
	f := flag.Lookup("update")
	if f == nil {
		t.Fatal("mergetest did not define -update")
	}
	old := f.Value.String()
	if err := f.Value.Set(fmt.Sprint(on)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Value.Set(old) })
}

// Eval evaluates modules in a test and stops it with the diagnostics,
// rendered with their source lines, when the configuration has errors. In
// a real test, pass the *testing.T; the example uses a stand-in that
// prints what would be reported.
func ExampleEval() {
	t := &recorder{}
	fsys := fstest.MapFS{"host.hcl": {Data: []byte(`
option "networking.hostName" {
  type = str
}
config {
  networking { hostname = "web1" }
}
`)}}
	mergetest.Eval(t, &merge.Config{FS: fsys}, "host.hcl")
	fmt.Println("fatal:", t.fatal)
	fmt.Println(strings.Contains(t.errors[0], "networking.hostName"))
	// Output:
	// fatal: true
	// true
}

// Value decodes the value at a path into the type of want and reports a
// go-cmp diff when they differ. In a real test, pass the *testing.T.
func ExampleValue() {
	t := &recorder{}
	fsys := fstest.MapFS{"host.hcl": {Data: []byte(webModule)}}
	r := mergetest.Eval(t, &merge.Config{FS: fsys}, "host.hcl")
	mergetest.Value(t, r, "services.web.enable", true)
	mergetest.Value(t, r, "services.web.hosts", []string{"a.example", "b.example"})
	mergetest.Value(t, r, "services.web.port", 443)
	for _, line := range t.firstLines() {
		fmt.Println(line)
	}
	// Output:
	// services.web.port mismatch (-want +got):
}

// Cty makes cmp.Diff compare cty.Values by content: a list and a tuple with
// the same elements are equal, and a difference is shown element by
// element.
func ExampleCty() {
	a := cty.ListVal([]cty.Value{cty.StringVal("quiet"), cty.StringVal("splash")})
	b := cty.TupleVal([]cty.Value{cty.StringVal("quiet"), cty.StringVal("splash")})
	fmt.Println(cmp.Equal(a, b, mergetest.Cty()))
	c := cty.TupleVal([]cty.Value{cty.StringVal("quiet")})
	fmt.Println(cmp.Equal(a, c, mergetest.Cty()))
	// Output:
	// true
	// false
}

// Warnings checks the messages of the warn blocks whose condition held.
func ExampleWarnings() {
	t := &recorder{}
	fsys := fstest.MapFS{"host.hcl": {Data: []byte(webModule)}}
	r := mergetest.Eval(t, &merge.Config{FS: fsys}, "host.hcl")
	mergetest.Warnings(t, r, "more than one host", "services.web.port is the default")
	fmt.Println("reports:", len(t.errors))
	// Output:
	// reports: 0
}

// FailedAssertions checks that a configuration fails exactly the assert
// blocks expected, by message.
func ExampleFailedAssertions() {
	t := &recorder{}
	fsys := fstest.MapFS{"host.hcl": {Data: []byte(failingModule)}}
	diags := mergetest.EvalErrors(t, &merge.Config{FS: fsys}, "host.hcl")
	mergetest.FailedAssertions(t, diags, "port must not be privileged", "port must not be the SSH port")
	fmt.Println("reports:", len(t.errors))
	// Output:
	// reports: 0
}

// Golden compares the JSON of a path with a file; "go test -update"
// rewrites the file instead.
func ExampleGolden() {
	t := &recorder{}
	dir, err := os.MkdirTemp("", "mergetest")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "port.json")
	if err := os.WriteFile(file, []byte("8080\n"), 0o644); err != nil {
		fmt.Println(err)
		return
	}
	fsys := fstest.MapFS{"host.hcl": {Data: []byte(webModule)}}
	r := mergetest.Eval(t, &merge.Config{FS: fsys}, "host.hcl")
	mergetest.Golden(t, r, "services.web.port", file)
	fmt.Println("reports:", len(t.errors))
	// Output:
	// reports: 0
}

// EvalErrors evaluates a configuration that must fail and returns its
// diagnostics, for checks of their own.
func ExampleEvalErrors() {
	t := &recorder{}
	fsys := fstest.MapFS{"host.hcl": {Data: []byte(`
option "services.web.port" {
  type = port
}
config {
  services {
    web { prot = 80 }
  }
}
`)}}
	diags := mergetest.EvalErrors(t, &merge.Config{FS: fsys}, "host.hcl")
	for _, d := range diags {
		fmt.Printf("%s:%d: %s\n", d.Subject.Filename, d.Subject.Start.Line, d.Summary)
	}
	// Output:
	// host.hcl:7: Option does not exist
}

// Render shows diagnostics as the strata command does, with the source
// lines they point at.
func ExampleRender() {
	c := &merge.Config{FS: fstest.MapFS{"host.hcl": {Data: []byte(`option "port" {
  type = port
}
config {
  prot = 80
}
`)}}}
	_, diags := c.Eval("host.hcl")
	fmt.Println(mergetest.Render(c, diags))
	// Output:
	// Error: Option does not exist
	//
	//   on host.hcl line 5:
	//    5:   prot = 80
	//
	// The option prot does not exist, but host.hcl:5 defines it; did you mean port?
}

// Merged pins down where a value comes from: here the host's mkForce beats
// the module's default and its plain definition.
func ExampleMerged() {
	t := &recorder{}
	fsys := fstest.MapFS{
		"web.hcl": {Data: []byte(`option "services.web.port" {
  type    = port
  default = 80
}
config {
  services {
    web { port = 8080 }
  }
}
`)},
		"host.hcl": {Data: []byte(`imports = ["./web.hcl"]
config {
  services {
    web { port = mkForce(443) }
  }
}
`)},
	}
	r := mergetest.Eval(t, &merge.Config{FS: fsys}, "host.hcl")
	mergetest.Merged(t, r, "services.web.port", "host.hcl:4")
	mergetest.Merged(t, r, "services.web.port", "web.hcl:7")
	for _, line := range t.firstLines() {
		fmt.Println(line)
	}
	// Output:
	// merged definitions of services.web.port (-want +got):
}
